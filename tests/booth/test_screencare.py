"""Screen care at the booth, on screen: the black screen of the screen-off hours and the footer's
pixel shift against burn-in.

The rules are tested without Qt in ``tests/test_booth_state.py``; here a kiosk window runs on a
fake clock (monotonic and wall time together, :class:`kiosk_helpers.BoothTime`) and, once, on
real timers sped up.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from kiosk_helpers import BoothTime, with_kiosk
from PySide6.QtCore import QAbstractAnimation, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsObject

from szkiosk.booth.kiosk import KioskClock, KioskController
from szkiosk.booth.screencare import SCREEN_OFF_Z, ScreenCare
from szkiosk.booth_state import SHIFT_OFFSETS, Due, Phase
from szkiosk.content import ContentFileError, load_deck
from szkiosk.content.schema import Kiosk

NIGHT = "20:00-08:00"


@pytest.fixture
def booth(qtbot, window, deck_copy: Path):
    """A kiosk window and a started controller on a fake clock (or ``clock=`` for real timers)."""
    made: list[KioskController] = []

    def make(time: BoothTime | None = None, *, clock: KioskClock | None = None, **settings):
        deck = with_kiosk(load_deck(deck_copy), **{"idle_timeout": 60, "countdown": 3, "attract_dwell": 5,
                                                   **settings})
        win = window(deck, kiosk=True)
        win.stage.animate_transitions = False
        ctl = KioskController(win, clock=clock or time.clock())
        made.append(ctl)
        ctl.start()
        return win, ctl

    yield make
    for ctl in made:
        ctl.stop()
        ctl.window.stage.stop()


def tap_item(qtbot, win, item) -> None:
    pos = win.stage.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(win.stage.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def fast_timers(app) -> list[QTimer]:
    """Every running QTimer under 60 s on a top-level widget or a scene item."""
    found: list[QTimer] = []
    for widget in app.topLevelWidgets():
        owners = [widget]
        if hasattr(widget, "stage"):
            owners += [i for i in widget.stage.scene().items() if isinstance(i, QGraphicsObject)]
        for owner in owners:
            found += [t for t in owner.findChildren(QTimer) if t.isActive() and t.interval() < 60_000]
    return list({id(t): t for t in found}.values())


def running_animations(win) -> list[QAbstractAnimation]:
    owners = [win, *[i for i in win.stage.scene().items() if isinstance(i, QGraphicsObject)]]
    return [a for o in owners for a in o.findChildren(QAbstractAnimation)
            if a.state() == QAbstractAnimation.State.Running]


def all_black(image) -> bool:
    black = QColor("black").rgb()
    w, h = image.width(), image.height()
    return all(image.pixel(x, y) == black for x in range(0, w, 37) for y in range(0, h, 29))


# -- the settings ------------------------------------------------------------------------------
def test_settings_defaults_and_normalised_times() -> None:
    assert Kiosk().pixel_shift_minutes == 3 and Kiosk().screen_off is None
    assert Kiosk(screen_off=" 8:00 - 9:05 ").screen_off == "08:00-09:05"
    assert Kiosk(screen_off="22:30-06:00").screen_off == "22:30-06:00"
    assert Kiosk(pixel_shift_minutes=0).pixel_shift_minutes == 0


@pytest.mark.parametrize(("line", "field", "words"), [
    ('  screen_off: "25:00-08:00"', "kiosk.screen_off", "'25:00-08:00'"),
    ('  screen_off: "8pm-8am"', "kiosk.screen_off", "'8pm-8am'"),
    ('  screen_off: "20:00"', "kiosk.screen_off", "'20:00'"),
    ('  screen_off: "08:00-08:00"', "kiosk.screen_off", "same time"),
    ("  screen_off: 20:00", "kiosk.screen_off", "quoted"),  # YAML 1.1 reads 20:00 as 1200
    ("  pixel_shift_minutes: 0.5", "kiosk.pixel_shift_minutes", "at least 1 minute"),
    ("  pixel_shift_minutes: -1", "kiosk.pixel_shift_minutes", "greater than or equal to 0"),
])
def test_bad_values_name_file_line_and_field(deck_copy: Path, line: str, field: str, words: str) -> None:
    path = deck_copy / "deck.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [x for x in lines if not x.startswith("  pixel_shift_minutes:")]
    at = lines.index("kiosk:") + 1
    lines.insert(at, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentFileError) as caught:
        load_deck(deck_copy)
    message = str(caught.value)
    assert f"deck.yaml:{at + 1}: {field}: " in message
    assert words in message


# -- screen off --------------------------------------------------------------------------------
def test_black_inside_the_hours_and_not_outside(qtbot, booth) -> None:
    time = BoothTime(19, 58)
    win, ctl = booth(time, screen_off=NIGHT)
    care = ctl.screen
    assert ctl.phase == Phase.ACTIVE and care.layer is None
    time.run(ctl, 60 + 10)  # nobody came: the attract loop at 19:59, the title for 10 s, then on
    assert ctl.phase == Phase.ATTRACT and win.presentation.index > 0
    assert ctl.state.agenda()[Due.HOURS_CHECK] == time.t + 50.5  # 20:00, and half a second
    time.run_to(ctl, 20, 0, 1)
    assert ctl.phase == Phase.OFF
    assert care.layer is not None and care.layer.scene() is win.stage.scene()
    assert care.layer.zValue() == SCREEN_OFF_Z
    assert ctl.prompt is None and ctl.state.agenda().keys() == {Due.HOURS_CHECK}
    assert win.presentation.index == 0 and win.presentation.language == "en"
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    assert fast_timers(QApplication.instance()) == [] and running_animations(win) == []
    assert all_black(win.stage.render_image()) and all_black(win.grab().toImage())
    time.run_to(ctl, 23, 0)
    assert ctl.phase == Phase.OFF and win.presentation.index == 0  # nothing moves behind the black
    time.run_to(ctl, 8, 0, 1)
    assert ctl.phase == Phase.ATTRACT and ctl.prompt is not None and care.layer is None
    assert win.stage.backgroundBrush().color() == win.stage.theme.colour("background")
    assert not all_black(win.stage.render_image())


def test_start_inside_the_hours_is_black_at_once(booth) -> None:
    _win, ctl = booth(BoothTime(2, 30), screen_off=NIGHT)
    assert ctl.phase == Phase.OFF and ctl.screen.is_off


def test_touch_wakes_without_acting_and_idle_blacks_out_again(qtbot, booth) -> None:
    time = BoothTime(21)
    win, ctl = booth(time, screen_off=NIGHT)
    assert ctl.phase == Phase.OFF
    tap_item(qtbot, win, win.stage.chrome.dots[-1])  # would jump to the last panel
    assert ctl.phase == Phase.ACTIVE and ctl.screen.layer is None
    assert win.presentation.index == 0
    assert ctl.state.agenda()[Due.IDLE] == time.t + 60
    assert win.stage.current.isVisible() and win.stage.current.animating  # it builds again
    tap_item(qtbot, win, win.stage.chrome.dots[-1])  # the next touch acts
    assert win.presentation.at_last
    time.run(ctl, 60)  # the normal idle path: countdown, then black again (not the attract loop)
    assert ctl.phase == Phase.COUNTDOWN
    time.run(ctl, 3)
    assert ctl.phase == Phase.OFF and ctl.prompt is None and win.presentation.index == 0
    qtbot.keyClick(win, Qt.Key.Key_Right)  # a key wakes too, without turning the page
    assert ctl.phase == Phase.ACTIVE and win.presentation.index == 0
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.presentation.index == 1


def test_a_visitor_keeps_the_screen_at_the_boundary(qtbot, booth) -> None:
    time = BoothTime(19, 59, 30)
    win, ctl = booth(time, screen_off=NIGHT)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    time.run_to(ctl, 20, 0, 1)
    assert ctl.phase == Phase.ACTIVE and win.presentation.index == 1
    time.run(ctl, 30)  # 60 s after that key
    assert ctl.phase == Phase.COUNTDOWN
    time.run(ctl, 3)
    assert ctl.phase == Phase.OFF


def test_mouse_moves_keep_the_cursor_hidden_while_black(qtbot, booth) -> None:
    win, ctl = booth(BoothTime(22), screen_off=NIGHT)
    viewport = win.stage.viewport()
    QApplication.sendEvent(viewport, QMouseEvent(
        QMouseEvent.Type.MouseMove, QPointF(300, 300), QPointF(viewport.mapToGlobal(QPoint(300, 300))),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    assert ctl.phase == Phase.OFF
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    assert Due.CURSOR_HIDE not in ctl.state.agenda()


def test_reload_under_the_black_screen(qtbot, booth) -> None:
    win, ctl = booth(BoothTime(22), screen_off=NIGHT)
    win.stage.replace_deck(win.deck)  # hot reload: a new scene
    care = ctl.screen
    assert care.layer is not None and care.layer.scene() is win.stage.scene()
    assert running_animations(win) == [] and not win.stage.current.animating
    with_kiosk(win.deck, screen_off=None)  # staff removed the setting: the screen comes back
    win.stage.replace_deck(win.deck)
    qtbot.waitUntil(lambda: ctl.phase == Phase.ATTRACT, timeout=2000)
    assert care.layer is None and Due.HOURS_CHECK not in ctl.state.agenda()


# -- pixel shift --------------------------------------------------------------------------------
def footer_rects(win) -> list:
    chrome = win.stage.chrome
    return [chrome.language_button.sceneBoundingRect(), chrome.dots[0].sceneBoundingRect(),
            chrome.source_box.sceneBoundingRect()]


def test_pixel_shift_moves_the_chrome_a_few_px_and_back_never_the_panels(qtbot, booth) -> None:
    time = BoothTime(12)
    win, ctl = booth(time, idle_timeout=10_000)  # a visitor who stays: the panel does not change
    care = ctl.screen
    assert ctl.state.agenda()[Due.FOOTER_SHIFT] == time.t + 3 * 60
    win.presentation.goto("innovation-figures")  # a panel with a source line
    stage = win.stage
    start = footer_rects(win)
    panel_at = (stage.current.scenePos(), stage.clip.scenePos(), stage.current.sceneBoundingRect())
    seen = set()
    for step in range(1, len(SHIFT_OFFSETS) + 1):
        time.run(ctl, 3 * 60)
        dx, dy = care.offset
        assert (dx, dy) == SHIFT_OFFSETS[step % len(SHIFT_OFFSETS)]
        seen.add((dx, dy))
        assert abs(dx) <= 4 and 0 <= dy <= 4  # never up into the panels
        assert stage.chrome.pos() == QPointF(dx, dy)
        for before, after in zip(start, footer_rects(win), strict=True):
            assert after.topLeft() - before.topLeft() == QPointF(dx, dy)
        assert (stage.current.scenePos(), stage.clip.scenePos(), stage.current.sceneBoundingRect()) == panel_at
        if step == 3:  # the offset survives a panel change and a rebuilt scene
            win.presentation.goto("ninety-percent")
            assert stage.chrome.pos() == QPointF(dx, dy)
            win.resize(1080, 1920)
            qtbot.waitUntil(lambda: stage.logical.height() > stage.logical.width(), timeout=2000)
            assert stage.chrome.pos() == QPointF(dx, dy)
            win.resize(1920, 1080)
            qtbot.waitUntil(lambda: stage.logical.width() > stage.logical.height(), timeout=2000)
            win.presentation.goto("innovation-figures")
            assert stage.chrome.pos() == QPointF(dx, dy)
    assert care.offset == (0, 0) and stage.chrome.pos() == QPointF(0, 0)  # a full cycle ends at home
    assert len(seen) == len(SHIFT_OFFSETS) and max(abs(v) for xy in seen for v in xy) == 4
    assert footer_rects(win) == start


def test_pixel_shift_zero_is_off(booth) -> None:
    time = BoothTime(12)
    _win, ctl = booth(time, pixel_shift_minutes=0)
    assert Due.FOOTER_SHIFT not in ctl.state.agenda()
    time.run(ctl, 3600)
    assert ctl.window.stage.chrome.pos() == QPointF(0, 0)


def test_stop_puts_everything_back(booth) -> None:
    time = BoothTime(19, 55)
    win, ctl = booth(time, screen_off=NIGHT)
    time.run(ctl, 6 * 60)
    care = ctl.screen
    assert care.offset == SHIFT_OFFSETS[1] and ctl.phase == Phase.OFF
    ctl.stop()
    assert win.stage.chrome.pos() == QPointF(0, 0) and care.layer is None
    assert not ctl.timer.isActive() and ctl.state.next_deadline() is None
    assert QApplication.overrideCursor() is None


# -- timers and real time ------------------------------------------------------------------------
def test_real_short_timers_shift_and_black_out(qtbot, booth) -> None:
    """Time scale 0.001: one real ms is one booth second, on both clocks, from the booth's start."""
    scale, base, origin = 0.001, datetime(2024, 5, 1, 19, 50, 0), []

    def booth_seconds() -> float:
        if not origin:  # the first reading is the booth's start: building the window does not count
            origin.append(time.monotonic())
        return (time.monotonic() - origin[0]) / scale

    def fast_wall() -> datetime:
        return base + timedelta(seconds=booth_seconds())

    clock = KioskClock(time_scale=scale, monotonic=booth_seconds, wall=fast_wall)
    win, ctl = booth(clock=clock, screen_off=NIGHT, idle_timeout=30)
    care = ctl.screen
    # one timer, set to the nearest deadline: idle at 30 s, before the shift (3 min) and 20:00 (10 min)
    assert ctl.timer.isSingleShot() and 0 < ctl.timer.interval() <= 30
    qtbot.waitUntil(lambda: ctl.phase == Phase.ATTRACT, timeout=5000)  # nobody came: no countdown
    qtbot.waitUntil(lambda: care.offset != (0, 0), timeout=5000)  # 19:53
    assert win.stage.chrome.pos() == QPointF(*care.offset)
    qtbot.waitUntil(lambda: ctl.phase == Phase.OFF, timeout=5000)  # 20:00
    assert fast_wall() >= datetime(2024, 5, 1, 20, 0)
    assert care.layer is not None and ctl.prompt is None
    assert ctl.state.agenda().keys() == {Due.HOURS_CHECK}  # next: 08:00, or the 15-minute re-read of the clock
    assert ctl.timer.isActive()


def test_one_timer_and_no_fast_one_while_nobody_is_there(qtbot, booth) -> None:
    """While nobody is there, the booth keeps no timer faster than once a minute.

    The fast timers that may run: the panel's build-frame timer (16 ms, while a panel builds),
    the stage's idle preparation of the next transitions' images (once per panel, then it stops),
    the booth's one timer while it waits for something near (an attract panel's dwell, a
    countdown second, the cursor, the end of a PIN lockout) and the window's digit-entry
    timer (2.5 s after a digit key).
    """
    app = QApplication.instance()
    time = BoothTime(19, 58)
    win, ctl = booth(time, screen_off=NIGHT)
    win.stage.current.finish()  # the opening build is over
    # the stage prepares the next and previous transitions' images once, in idle time, then stops
    qtbot.waitUntil(lambda: not win.stage.preparing, timeout=20_000)
    assert fast_timers(app) == [] and ctl.timer.interval() == 60_000  # the idle timeout
    time.run(ctl, 60)
    win.stage.current.finish()
    qtbot.waitUntil(lambda: not win.stage.preparing, timeout=20_000)
    assert fast_timers(app) == [ctl.timer]  # the attract dwell
    time.run_to(ctl, 20, 0, 1)
    assert ctl.phase == Phase.OFF
    assert fast_timers(app) == [] and running_animations(win) == []
    assert ctl.timer.interval() >= 60_000 and ctl.state.agenda().keys() == {Due.HOURS_CHECK}


# -- outside kiosk mode ---------------------------------------------------------------------------
def test_nothing_runs_outside_kiosk_mode(qtbot, window, deck_copy: Path) -> None:
    deck = with_kiosk(load_deck(deck_copy), screen_off="00:00-23:59", pixel_shift_minutes=1)
    win = window(deck)
    assert not win.findChildren(ScreenCare) and not win.findChildren(KioskController)
    assert win.stage.chrome.pos() == QPointF(0, 0)
    ctl = KioskController(win, clock=BoothTime(12).clock())  # even if someone tried
    ctl.start()
    assert not ctl.timer.isActive() and ctl.state.next_deadline() is None
    assert ctl.screen.layer is None and win.stage.chrome.pos() == QPointF(0, 0)
    assert QApplication.overrideCursor() is None


def test_booth_wires_the_wall_clock_and_tells_staff(qtbot, window, deck_copy: Path) -> None:
    from szkiosk.booth.booth import Booth

    deck = with_kiosk(load_deck(deck_copy), screen_off=NIGHT)
    win = window(deck, kiosk=True)
    booth = Booth(win, deck_copy, clock=BoothTime(23).clock(), hide_cursor=False)
    booth.start(warm_up=False)
    try:
        assert booth.controller.phase == Phase.OFF
        status = booth.status_text()
        assert "screen    shift every 3 min (now +0,+0 px); black 20:00-08:00 (black now)" in status
        assert "state     screen off, up 0 h 0 min" in status
        win.presentation.set_language("zh")
        assert "屏幕" in booth.status_text() and "（当前黑屏）" in booth.status_text()
    finally:
        booth.stop()
        win.stage.stop()
