"""Presenter tools: overview, G-jump, step builds, auto-advance, presenter view, tours, QR."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, Qt

from szkiosk.kit.qr import QrCode, qr_modules
from szkiosk.panels.columns import ColumnsPanel
from szkiosk.show.overview import Overview
from szkiosk.talk.presenter import AutoAdvance, PresenterView, TalkClock, tour_deck


def click_scene(qtbot, view, point: QPointF) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(point))


def test_overview_opens_selects_and_jumps(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_O)
    overview = win.overlay
    assert isinstance(overview, Overview)
    assert len(overview.cells) == win.presentation.count
    assert overview.cells[0].current and overview.cells[0].selected
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.keyClick(win, Qt.Key.Key_Down)
    expected = 1 + overview.columns
    assert overview.selected == expected
    assert win.presentation.index == 0  # arrows move the selection, not the show
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert win.overlay is None
    assert win.presentation.index == expected


def test_overview_by_escape_and_click(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    overview = win.overlay
    assert isinstance(overview, Overview)
    click_scene(qtbot, win.stage, overview.cells[4].sceneBoundingRect().center())
    assert win.overlay is None and win.presentation.index == 4
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.keyClick(win, Qt.Key.Key_Escape)  # Esc closes the overview again
    assert win.overlay is None and win.isVisible()


def test_kiosk_has_no_overview(qtbot, window) -> None:
    win = window(kiosk=True)
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.keyClick(win, Qt.Key.Key_O)
    assert win.overlay is None
    win.force_close()


def test_g_then_prefix_jumps(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_G)
    qtbot.keyClicks(win, "sis")
    assert win.goto_matches("sis") == ["sister-cities"]
    assert "sister-cities" in win.overlay.matches.text
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert win.presentation.current_id == "sister-cities"
    qtbot.keyClick(win, Qt.Key.Key_G)
    qtbot.keyClicks(win, "zzz")
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert win.overlay is None and win.presentation.current_id == "sister-cities"


def test_step_builds_reveal_columns_one_next_at_a_time(qtbot, window) -> None:
    win = window(step_builds=True)
    win.presentation.goto("five-actions")
    panel = win.stage.current
    assert isinstance(panel, ColumnsPanel) and panel.step_count == 2
    qtbot.waitUntil(lambda: not panel.animating, timeout=5000)
    assert panel.revealed_columns() == 1
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.stage.current is panel
    qtbot.waitUntil(lambda: not panel.animating, timeout=5000)
    assert panel.revealed_columns() == 2
    qtbot.keyClick(win, Qt.Key.Key_Left)
    assert panel.revealed_columns() == 1
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.presentation.current_id != "five-actions"
    qtbot.keyClick(win, Qt.Key.Key_Left)  # back into the panel: fully built
    back = win.stage.current
    qtbot.waitUntil(lambda: not back.animating, timeout=5000)
    assert back.revealed_columns() == 3


def test_auto_advance_loops_and_pauses_on_a_key(qtbot, window, bundled_deck) -> None:
    deck = replace(bundled_deck, panels=bundled_deck.panels[:3])
    win = window(deck)
    auto = AutoAdvance(win, speed=100.0)  # a 10 s panel lasts 0.1 s
    try:
        qtbot.waitUntil(lambda: win.presentation.index == 2, timeout=5000)
        qtbot.waitUntil(lambda: win.presentation.index == 0, timeout=5000)  # loops
        qtbot.keyClick(win, Qt.Key.Key_Shift)
        assert auto.paused and not auto.running
        stopped_at = win.presentation.index
        qtbot.wait(400)
        assert win.presentation.index == stopped_at
        qtbot.keyClick(win, Qt.Key.Key_A)
        assert not auto.paused and auto.running
    finally:
        auto.stop()


def test_presenter_and_audience_stay_in_sync(qtbot, window) -> None:
    win = window()
    presenter = PresenterView(win)
    qtbot.addWidget(presenter)
    presenter.show()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert presenter.stage.index == 1
    assert presenter.position_label.text().startswith("2 / ")
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    assert win.stage.index == 2 and presenter.stage.index == 2
    model = win.deck.panels[2]
    assert presenter.notes.text() == (model.notes.get("en") if model.notes else "—")
    qtbot.keyClick(presenter, Qt.Key.Key_L)
    assert win.presentation.language == "zh" and presenter.stage.language == "zh"
    assert presenter.notes_title.text() == "<b>备注</b>"
    presenter.close()


def test_talk_clock_start_pause_reset() -> None:
    now = [100.0]
    clock = TalkClock(lambda: now[0])
    clock.start()
    now[0] += 30
    clock.pause()
    now[0] += 100
    assert clock.elapsed == 30
    clock.start()
    now[0] += 5
    assert clock.elapsed == 35
    clock.reset()
    now[0] += 2
    assert clock.elapsed == 2


def test_tour_picks_panels_that_fit(bundled_deck) -> None:
    short = tour_deck(bundled_deck, 1)
    assert short.panels[0].id == "title"
    ids = [p.id for p in bundled_deck.panels]
    chosen = [p.id for p in short.panels]
    assert chosen == [i for i in ids if i in chosen]  # deck order kept
    assert len(chosen) < len(ids)
    assert len(tour_deck(bundled_deck, 600).panels) == len(ids)


def test_link_shows_a_locally_generated_qr_code(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    stage.show_panel(bundled_deck.index_of("title"), animate=False)
    codes = [i for i in stage.chrome.take_away if isinstance(i, QrCode)]
    assert len(codes) == 1
    assert codes[0].data.startswith("http://www.sz.gov.cn/")
    modules = qr_modules(codes[0].data)
    assert len(modules) == codes[0].modules and len(modules) >= 25
    # finder pattern in the top-left corner (after the 2-module quiet zone)
    assert all(modules[2][2:9]) and not any(modules[3][3:8][1:4])
    stage.show_controls = False
    stage.show_panel(bundled_deck.index_of("title"), animate=False)
    assert [i.isVisible() for i in stage.chrome.take_away] == [True, True]  # handouts keep it
    assert not stage.chrome.language_button.isVisible()


#: Screens for the placement tests (``offscreen:configfile``'s format): a laptop and a projector.
LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96,
          "dpr": 1}
PROJECTOR = {"name": "projector", "x": 1280, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
             "logicalBaseDpi": 96, "dpr": 1}

#: How a placement script starts: offscreen Qt on the screens ``SCREENS`` (filled in by
#: :func:`run_on_screens`), the audience window on the deck in ``sys.argv[1]`` and the presenter
#: view, placed; ``g`` and ``h`` are their geometries.
PLACED = """
import json, os, sys, tempfile
cfg = {"screens": SCREENS}
path = os.path.join(tempfile.mkdtemp(), "screens.json")
open(path, "w").write(json.dumps(cfg))
os.environ["QT_QPA_PLATFORM"] = "offscreen:configfile=" + path
from szkiosk.show.app import application
app = application()
from szkiosk.content import load_deck
from szkiosk.talk.presenter import PresenterView, place_windows
from szkiosk.show.window import ShowWindow
win = ShowWindow(load_deck(sys.argv[1]))
presenter = PresenterView(win)
place_windows(win, presenter)
app.processEvents()
g, h = win.geometry(), presenter.geometry()
"""


def run_on_screens(screens: list[dict], script: str) -> str:
    """What ``script`` prints, run after :data:`PLACED` on ``screens`` in a process of its own
    (on the bundled deck); it must exit cleanly."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = PLACED.replace("SCREENS", repr(screens)) + script
    out = subprocess.run([sys.executable, "-c", code, str(root / "content")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_audience_goes_to_the_second_screen() -> None:
    script = """
print(len(app.screens()), g.x(), g.width(), g.height(), h.x() < 1280)
presenter.close(); win.close()
"""
    screens, x, w, h, presenter_on_laptop = run_on_screens([LAPTOP, PROJECTOR], script).split()
    assert (screens, x, w, h, presenter_on_laptop) == ("2", "1280", "1920", "1080", "True")


def test_one_screen_keeps_the_show_full_size_and_the_presenter_view_behind() -> None:
    script = """
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
view = win.stage.stage_rect_in_view()
print(len(app.screens()), g.x(), g.y(), g.width(), g.height(), win.isFullScreen(), abs(view.width() - 1280) <= 1,
      presenter.isVisible(), h.width() > 1000 and h.height() > 600,
      QGuiApplication.focusWindow() is win.windowHandle())
# the speaker brings the presenter view forward (the window switcher) and drives the show from it
presenter.activateWindow()
app.processEvents()
from PySide6.QtTest import QTest
QTest.keyClick(presenter, Qt.Key.Key_Right)
print(QGuiApplication.focusWindow() is presenter.windowHandle(), win.presentation.index)
presenter.close(); win.close()
"""
    placed, switched = run_on_screens([LAPTOP], script).splitlines()[-2:]
    # the audience window covers the whole screen and its stage is as wide as the screen
    assert placed.split() == ["1", "0", "0", "1280", "800", "True", "True", "True", "True", "True"]
    # from the presenter view (brought forward), keys still move the show
    assert switched.split() == ["True", "1"]


def test_qr_matrix_is_cached_on_disk_and_read_back(tmp_path, monkeypatch) -> None:
    from szkiosk.kit import qr

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    qr._qr_matrix.cache_clear()
    fresh = qr.qr_modules("https://example.org/szkiosk")
    files = list((tmp_path / "szkiosk" / "qr").glob("*.txt"))
    assert len(files) == 1
    qr._qr_matrix.cache_clear()
    assert qr.qr_modules("https://example.org/szkiosk") == fresh  # now from the file
    files[0].write_text("garbage 012\n")
    qr._qr_matrix.cache_clear()
    assert qr.qr_modules("https://example.org/szkiosk") == fresh  # a bad file is rebuilt
    qr._qr_matrix.cache_clear()


def test_presenter_keys_and_labels_follow_the_keymap_and_catalogue(qtbot, window) -> None:
    from pathlib import Path

    from szkiosk.content import load_deck

    deck = load_deck(Path(__file__).resolve().parents[2] / "examples" / "launch")
    win = window(deck, language="es")
    presenter = PresenterView(win, now=lambda: 0.0)
    qtbot.addWidget(presenter)
    presenter.show()
    assert presenter.start_button.text() == "Pausar" and presenter.reset_button.text() == "Reiniciar"
    assert presenter.notes_title.text() == "<b>Notas</b>" and presenter.next_title.text() == "<b>Siguiente</b>"
    assert presenter.plan_label.text().startswith("Plan ") and "quedan" in presenter.plan_label.text()
    qtbot.keyClick(presenter, Qt.Key.Key_T)  # the timer key stays in the presenter view
    assert not presenter.clock.running and presenter.start_button.text() == "Iniciar"
    assert win.presentation.index == 0
    qtbot.keyClick(presenter, Qt.Key.Key_Right)  # every other key drives the show
    assert win.presentation.index == 1
    presenter.close()
