"""The screen self-check on a real offscreen show window of the bundled deck.

Healthy panels pass (every panel, both languages); a stage covered in black fails as blank; a
build that stops moving while the stage says it builds fails as frozen; a changed figure fails
the reference comparison; overlays, the footer shift and the booth's own black screens are
handled; two failures rebuild the panel and a third leaves the event loop with 75, which a
real subprocess proves. Waits are for conditions (``waitUntil``, ``waitSignal``), never for time.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kiosk_helpers import BoothTime
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QWidget

from szkiosk.booth.kiosk import KioskController
from szkiosk.booth.prompts import AttractPrompt
from szkiosk.booth.screencare import ScreenCare
from szkiosk.booth.selfcheck import TILE_LIMIT, ScreenCheck, ScreenVerdict
from szkiosk.kit.text import TextItem

WAIT_MS = 30_000
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def checks(qtbot):
    """Make ScreenChecks (they never leave the event loop here: ``restart`` records the code)."""
    made: list[ScreenCheck] = []
    exits: list[int] = []

    def make(win, **kwargs) -> ScreenCheck:
        kwargs.setdefault("restart", exits.append)
        check = ScreenCheck(win, **kwargs)
        check.exits = exits
        made.append(check)
        return check

    yield make
    for check in made:
        check.stop()


def paint(win) -> None:
    """Let the scene's pending updates reach the screen (in a booth a minute passes between checks)."""
    for _ in range(3):
        QApplication.processEvents()
    win.repaint()


def settle(qtbot, win) -> None:
    """Wait until nothing moves on the stage, then paint what is there."""
    stage = win.stage
    qtbot.waitUntil(lambda: not stage.transitioning and stage.current is not None and not stage.current.animating,
                    timeout=WAIT_MS)
    paint(win)


def look(qtbot, check: ScreenCheck) -> ScreenVerdict:
    """A final verdict: at once, or when the frozen check has watched the animation."""
    with qtbot.waitSignal(check.checked, timeout=WAIT_MS) as blocker:
        verdict = check.check_now()
    if verdict.pending:
        assert blocker.args is not None
        verdict = blocker.args[0]
    assert not verdict.pending
    return verdict


def go(qtbot, win, panel_id: str) -> None:
    win.presentation.goto(panel_id)
    settle(qtbot, win)


def cover_with_black_item(win) -> QGraphicsRectItem:
    item = QGraphicsRectItem(win.stage.scene().sceneRect())
    item.setBrush(QBrush(QColor("black")))
    item.setZValue(500)
    win.stage.scene().addItem(item)
    paint(win)
    return item


def cover_with_black_widget(win) -> QWidget:
    cover = QWidget(win)
    cover.setAutoFillBackground(True)
    palette = cover.palette()
    palette.setColor(cover.backgroundRole(), QColor("black"))
    cover.setPalette(palette)
    cover.setGeometry(win.rect())
    cover.show()
    cover.raise_()
    paint(win)
    return cover


# -- healthy --------------------------------------------------------------------------------------
def test_every_healthy_panel_passes_in_both_languages(qtbot, window, checks, bundled_deck) -> None:
    win = window()
    win.stage.animate_transitions = False
    check = checks(win)
    for language in bundled_deck.model.languages:
        if win.presentation.language != language:
            win.presentation.toggle_language()
        for panel in bundled_deck.panels:
            go(qtbot, win, panel.id)
            verdict = look(qtbot, check)
            assert verdict.ok is True, (panel.id, language, verdict)
            assert verdict.reason is None
            assert verdict.checks == ("blank", "reference")
            assert verdict.worst_tile is not None and verdict.worst_tile <= TILE_LIMIT
            assert (verdict.panel, verdict.language) == (panel.id, language)
    assert check.ok is True and check.failures == 0
    assert check.cached_references == 2 * len(bundled_deck.panels)


@pytest.mark.parametrize("size", [(1080, 1920), (1500, 1000)], ids=["portrait", "letterboxed"])
def test_healthy_panels_pass_in_other_window_shapes(qtbot, window, checks, size) -> None:
    win = window()
    win.stage.animate_transitions = False
    win.resize(*size)
    qtbot.waitUntil(lambda: win.stage.width() == size[0], timeout=WAIT_MS)
    check = checks(win)
    for panel_id in ("title", "innovation-figures", "greater-bay-area"):
        go(qtbot, win, panel_id)
        verdict = look(qtbot, check)
        assert verdict.ok is True and verdict.reason is None, (panel_id, verdict)


def test_the_reference_is_rendered_once_per_panel_and_language(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    settle(qtbot, win)
    first, again = look(qtbot, check), look(qtbot, check)
    assert first.ok is again.ok is True
    assert first.reference_ms > 0 and again.reference_ms == 0.0  # the second came from the cache
    win.presentation.toggle_language()
    settle(qtbot, win)
    other = look(qtbot, check)
    assert other.ok is True and other.language != first.language and other.reference_ms > 0
    assert check.cached_references == 2


def test_a_status_carries_ok_and_reason(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    assert (check.ok, check.reason) == (None, None)  # before the first check
    settle(qtbot, win)
    verdict = look(qtbot, check)
    assert verdict.as_status() == {"screen_ok": True, "screen_reason": None}
    assert verdict.source in ("screen", "widget")


# -- blank ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("cover", [cover_with_black_item, cover_with_black_widget], ids=["item", "widget"])
def test_a_stage_covered_in_black_fails_as_blank(qtbot, window, checks, cover) -> None:
    win = window()
    check = checks(win, reload_after=5, restart_after=5)
    settle(qtbot, win)
    cover(win)
    verdict = look(qtbot, check)
    assert verdict.ok is False
    assert verdict.reason == "blank screen (black)"
    assert verdict.spread is not None and verdict.spread < check.blank_spread
    assert check.failures == 1


def test_black_screens_the_booth_means_are_not_failures(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    settle(qtbot, win)
    win.toggle_overlay("black")
    paint(win)
    assert look(qtbot, check).reason == "skipped: black screen on purpose"
    win.close_overlay()
    care = ScreenCare(win.stage)
    care.black_out()
    paint(win)
    verdict = look(qtbot, check)
    assert (verdict.ok, verdict.reason) == (None, "skipped: screen off hours")
    assert check.failures == 0
    care.light_up()
    win.stage.stop()


def test_a_hidden_window_is_not_checked(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    win.hide()
    assert look(qtbot, check).reason == "skipped: window not shown"


# -- frozen ---------------------------------------------------------------------------------------
def test_a_build_that_stops_moving_fails_as_frozen(qtbot, window, checks) -> None:
    win = window()
    win.stage.animate_transitions = False
    check = checks(win, reload_after=5, restart_after=5)
    settle(qtbot, win)
    win.presentation.goto("innovation-chain")
    panel = win.stage.current
    assert panel.animating
    # held (as during a slide) and never let go: the stage says the panel builds, nothing moves
    panel.pause_build()
    assert panel.animating
    paint(win)
    verdict = look(qtbot, check)
    assert verdict.ok is False, verdict
    assert verdict.reason == "frozen during an animation"
    assert verdict.checks == ("blank", "frozen")
    panel.deactivate()


def test_a_running_build_is_not_frozen(qtbot, window, checks) -> None:
    win = window()
    win.stage.animate_transitions = False
    check = checks(win)
    settle(qtbot, win)
    win.presentation.goto("innovation-chain")
    assert win.stage.current.animating
    pending = check.check_now()
    assert pending.pending and pending.ok is None and pending.reason == "checking: panel building"
    assert check.check_now() is pending  # one watch at a time
    with qtbot.waitSignal(check.checked, timeout=WAIT_MS) as blocker:
        pass
    verdict = blocker.args[0]
    assert verdict.ok is True, verdict
    assert "frozen" in verdict.checks
    assert verdict.reason in ("skipped: panel building", "skipped: animation ended during the check")
    settle(qtbot, win)


# -- reference ------------------------------------------------------------------------------------
def test_a_changed_figure_fails_the_reference_check(qtbot, window, checks) -> None:
    win = window()
    check = checks(win, reload_after=5, restart_after=5)
    go(qtbot, win, "innovation-figures")
    assert look(qtbot, check).ok is True
    figure = max((item for item in win.stage.scene().items()
                  if isinstance(item, TextItem) and item.isVisible() and item.text == "5.49"),
                 key=lambda item: item.sceneBoundingRect().height())
    figure.set_text("1.23")
    paint(win)
    verdict = look(qtbot, check)
    assert verdict.ok is False, verdict
    assert verdict.reason.startswith("differs from the reference render (mad ")
    assert verdict.worst_tile > check.tile_limit
    figure.set_text("5.49")
    paint(win)
    assert look(qtbot, check).ok is True


def test_the_footer_shift_and_the_attract_tab_are_left_out(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    go(qtbot, win, "innovation-figures")
    ScreenCare(win.stage).shift_footer(4, 2)
    prompt = AttractPrompt(win.stage.theme, win.stage.logical, ["en", "zh"])
    win.stage.scene().addItem(prompt)
    prompt.start(animate=False)
    paint(win)
    verdict = look(qtbot, check)
    assert verdict.ok is True and verdict.reason is None, verdict
    assert "reference" in verdict.checks


def test_overlays_hold_the_comparison_back(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    settle(qtbot, win)
    win.toggle_overlay("help")
    paint(win)
    verdict = look(qtbot, check)
    assert (verdict.ok, verdict.reason) == (True, "skipped: help overlay up")
    assert verdict.checks == ("blank",)
    win.close_overlay()
    win.stage.toggle_access_card()
    paint(win)
    assert look(qtbot, check).reason == "skipped: accessibility card open"
    win.stage.toggle_access_card()
    win.stage.current.open_details()
    paint(win)
    assert look(qtbot, check).reason == "skipped: details open"


def test_a_visitor_holds_the_comparison_back(qtbot, window, checks) -> None:
    win = window(kiosk=True)
    win.stage.animate_transitions = False
    controller = KioskController(win, clock=BoothTime().clock(), hide_cursor=False)
    controller.start()
    check = checks(win, controller=controller)
    settle(qtbot, win)
    assert look(qtbot, check).reason is None  # nobody has touched it since the start
    qtbot.mouseClick(win.stage.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(900, 500))
    assert controller.state.has_visitor
    settle(qtbot, win)
    verdict = look(qtbot, check)
    assert (verdict.ok, verdict.reason) == (True, "skipped: visitor using the show")
    controller.stop()


def test_an_error_inside_a_check_is_a_warning_not_a_crash(qtbot, window, checks, caplog) -> None:
    win = window()
    check = checks(win, busy=lambda: str(1 / 0))
    settle(qtbot, win)
    with caplog.at_level(logging.WARNING, logger="szkiosk.booth.selfcheck"):
        verdict = look(qtbot, check)
    assert (verdict.ok, verdict.reason) == (None, "check failed (ZeroDivisionError)")
    assert (check.ok, check.reason) == (None, "check failed (ZeroDivisionError)")
    assert any("screen self-check could not run: ZeroDivisionError" in r.message for r in caplog.records)


# -- escalation -----------------------------------------------------------------------------------
def test_two_failures_rebuild_the_panel_and_a_third_exits_75(qtbot, window, checks, caplog) -> None:
    win = window()
    check = checks(win)
    settle(qtbot, win)
    cover_with_black_widget(win)  # a fault outside the stage: rebuilding the panel cannot mend it
    before = win.stage.current
    reloads: list[str] = []
    check.panel_reloaded.connect(reloads.append)
    assert look(qtbot, check).ok is False
    assert not reloads and win.stage.current is before
    assert look(qtbot, check).ok is False
    assert reloads == ["blank screen (black)"]
    assert win.stage.current is not before  # a panel built afresh, at the same place
    assert win.stage.index == win.presentation.index
    settle(qtbot, win)
    with caplog.at_level(logging.ERROR, logger="szkiosk.booth.selfcheck"), \
            qtbot.waitSignal(check.exit_requested, timeout=WAIT_MS) as blocker:
        assert look(qtbot, check).ok is False
    assert blocker.args == [75]
    assert check.exits == [75] and check.exiting and not check.active
    assert [r.message for r in caplog.records if "exiting with 75" in r.message]


def test_a_rebuilt_panel_that_is_fine_again_stops_the_escalation(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    settle(qtbot, win)
    cover_with_black_item(win)  # a stray item in the scene: the rebuild clears it
    assert look(qtbot, check).ok is False
    assert look(qtbot, check).ok is False
    assert check.reloads == 1
    settle(qtbot, win)
    verdict = look(qtbot, check)
    assert verdict.ok is True, verdict
    assert check.failures == 0 and check.exits == []


def test_skipped_checks_neither_count_nor_reset(qtbot, window, checks) -> None:
    win = window()
    check = checks(win, reload_after=2, restart_after=3)
    settle(qtbot, win)
    item = cover_with_black_item(win)
    assert look(qtbot, check).ok is False
    win.stage.scene().removeItem(item)
    win.toggle_overlay("white")
    paint(win)
    assert look(qtbot, check).ok is None
    assert check.failures == 1 and check.reloads == 0
    win.close_overlay()
    paint(win)
    # the white card may still be fading out under load: the next looks pass once it is gone
    qtbot.waitUntil(lambda: look(qtbot, check).ok is True, timeout=WAIT_MS)
    assert check.failures == 0


def test_checks_come_by_themselves_until_stopped(qtbot, window, checks) -> None:
    win = window()
    check = checks(win)
    settle(qtbot, win)
    check.start(interval_ms=50)
    assert check.active
    with qtbot.waitSignal(check.checked, timeout=WAIT_MS) as blocker:
        pass
    assert isinstance(blocker.args[0], ScreenVerdict)
    check.stop()
    assert not check.active


SCRIPT = textwrap.dedent("""
    import logging, sys
    from szkiosk.show.app import prepare_environment, application
    prepare_environment(offscreen=True)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    app = application()
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QWidget
    from szkiosk.content import load_deck
    from szkiosk.show.window import ShowWindow
    from szkiosk.booth.selfcheck import ScreenCheck
    win = ShowWindow(load_deck(sys.argv[1]), kiosk=True)
    win.resize(1920, 1080)
    win.show()
    cover = QWidget(win)
    cover.setAutoFillBackground(True)
    palette = cover.palette()
    palette.setColor(cover.backgroundRole(), QColor("black"))
    cover.setPalette(palette)
    cover.setGeometry(win.rect())
    cover.show()
    check = ScreenCheck(win)
    check.start(interval_ms=100)
    code = app.exec()
    print("event loop left with", code, flush=True)
    sys.exit(code)
""")


def test_a_screen_that_stays_broken_exits_75_for_the_service(tmp_path: Path) -> None:
    script = tmp_path / "booth.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    deck = Path(__file__).resolve().parents[2] / "content"
    done = subprocess.run([sys.executable, str(script), str(deck)], capture_output=True, text=True, env=env,
                          timeout=180)
    assert done.returncode == 75, done.stderr[-2000:]
    assert "event loop left with 75" in done.stdout
    assert "rebuilding panel title" in done.stderr
    assert "exiting with 75 so the service starts the show again" in done.stderr
