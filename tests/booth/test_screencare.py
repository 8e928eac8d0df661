"""Screen care at the booth: footer pixel shift against burn-in, and the daily screen-off hours.

Driven with a fake wall clock and direct calls to :meth:`ScreenCare.check` (no sleeping),
plus one run on real, shortened QTimers.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from kiosk_helpers import with_kiosk
from PySide6.QtCore import QAbstractAnimation, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsObject

from szkiosk.booth.kiosk import KioskController, KioskState
from szkiosk.booth.screencare import SCREEN_OFF_Z, SHIFT_OFFSETS, ScreenCare, ScreenSchedule
from szkiosk.content import ContentFileError, load_deck
from szkiosk.content.schema import Kiosk

NIGHT = "20:00-08:00"




class FakeClock:
    """A local wall clock the test sets by hand."""

    def __init__(self, hour: int, minute: int = 0, second: int = 0) -> None:
        self.now = datetime(2024, 5, 1, hour, minute, second)

    def __call__(self) -> datetime:
        return self.now

    def set(self, hour: int, minute: int = 0, second: int = 0, *, next_day: bool = False) -> None:
        self.now = self.now.replace(hour=hour, minute=minute, second=second) + timedelta(days=int(next_day))


@pytest.fixture
def booth(qtbot, window, deck_copy: Path):
    """A kiosk window and a started controller with a fake wall clock (time scale 1)."""
    made: list[KioskController] = []

    def make(clock: FakeClock, *, time_scale: float = 1.0, **settings):
        deck = with_kiosk(load_deck(deck_copy), **{"idle_timeout": 60, "countdown": 3, "attract_dwell": 5,
                                                   **settings})
        win = window(deck, kiosk=True)
        win.stage.animate_transitions = False
        ctl = KioskController(win, time_scale=time_scale, wall_clock=clock)
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


# -- the schedule ------------------------------------------------------------------------------
@pytest.mark.parametrize(("at", "inside"), [
    ((19, 59, 59), False), ((20, 0, 0), True), ((23, 59, 59), True), ((0, 0, 0), True),
    ((3, 30, 0), True), ((7, 59, 59), True), ((8, 0, 0), False), ((12, 0, 0), False),
])
def test_window_crossing_midnight(at, inside) -> None:
    assert ScreenSchedule(NIGHT).contains(datetime(2024, 5, 1, *at)) is inside


def test_window_within_a_day_and_next_boundary() -> None:
    lunch = ScreenSchedule("12:30-13:15")
    assert not lunch.contains(datetime(2024, 5, 1, 12, 29))
    assert lunch.contains(datetime(2024, 5, 1, 12, 30))
    assert not lunch.contains(datetime(2024, 5, 1, 13, 15))
    night = ScreenSchedule(NIGHT)
    assert night.next_boundary(datetime(2024, 5, 1, 12, 0)) == datetime(2024, 5, 1, 20, 0)
    assert night.next_boundary(datetime(2024, 5, 1, 20, 0)) == datetime(2024, 5, 2, 8, 0)
    assert night.next_boundary(datetime(2024, 5, 1, 23, 0)) == datetime(2024, 5, 2, 8, 0)
    assert night.next_boundary(datetime(2024, 5, 2, 3, 0)) == datetime(2024, 5, 2, 8, 0)


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
def test_black_inside_the_window_and_not_outside(qtbot, booth) -> None:
    clock = FakeClock(12)
    win, ctl = booth(clock, screen_off=NIGHT)
    care = ctl.screen_care
    assert not care.check() and ctl.state == KioskState.ACTIVE and care.layer is None
    ctl.go_idle()
    ctl.reset_to_attract()
    ctl.advance_attract()
    assert ctl.state == KioskState.ATTRACT and win.presentation.index > 0
    clock.set(19, 59, 59)
    assert not care.check() and ctl.state == KioskState.ATTRACT
    assert care.check_timer.isActive() and care.check_timer.interval() == 1500  # to 20:00, +0.5 s slack
    clock.set(20, 0, 1)
    assert care.check()
    assert ctl.state == KioskState.OFF
    assert care.layer is not None and care.layer.scene() is win.stage.scene()
    assert care.layer.zValue() == SCREEN_OFF_Z
    assert ctl.prompt is None and not ctl.attract_timer.isActive() and not ctl.idle_timer.isActive()
    assert win.presentation.index == 0 and win.presentation.language == "en"
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    assert fast_timers(QApplication.instance()) == [] and running_animations(win) == []
    assert all_black(win.stage.render_image()) and all_black(win.grab().toImage())
    clock.set(23, 0)
    ctl.advance_attract()
    ctl.go_idle()
    assert ctl.state == KioskState.OFF and win.presentation.index == 0  # nothing moves behind the black
    clock.set(8, 0, 1, next_day=True)
    assert not care.check()
    assert ctl.state == KioskState.ATTRACT and ctl.prompt is not None and care.layer is None
    assert win.stage.backgroundBrush().color() == win.stage.theme.colour("background")
    assert not all_black(win.stage.render_image())


def test_start_inside_the_window_is_black_at_once(booth) -> None:
    _win, ctl = booth(FakeClock(2, 30), screen_off=NIGHT)
    assert ctl.state == KioskState.OFF and ctl.screen_care.is_off


def test_touch_wakes_without_acting_and_idle_blacks_out_again(qtbot, booth) -> None:
    clock = FakeClock(21)
    win, ctl = booth(clock, screen_off=NIGHT)
    assert ctl.state == KioskState.OFF
    tap_item(qtbot, win, win.stage.chrome.dots[-1])  # would jump to the last panel
    assert ctl.state == KioskState.ACTIVE and ctl.screen_care.layer is None
    assert win.presentation.index == 0
    assert ctl.idle_timer.isActive() and ctl.idle_timer.interval() == 60_000
    assert win.stage.current.isVisible()
    tap_item(qtbot, win, win.stage.chrome.dots[-1])  # the next touch acts
    assert win.presentation.at_last
    ctl.go_idle()  # the normal idle path: countdown, then black again (not the attract loop)
    assert ctl.state == KioskState.COUNTDOWN
    ctl.reset_to_attract()
    assert ctl.state == KioskState.OFF and ctl.prompt is None and win.presentation.index == 0
    qtbot.keyClick(win, Qt.Key.Key_Right)  # a key wakes too, without turning the page
    assert ctl.state == KioskState.ACTIVE and win.presentation.index == 0
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.presentation.index == 1


def test_a_visitor_keeps_the_screen_at_the_boundary(booth) -> None:
    clock = FakeClock(19, 59)
    _win, ctl = booth(clock, screen_off=NIGHT)
    assert ctl.state == KioskState.ACTIVE
    clock.set(20, 0, 1)
    assert not ctl.screen_care.check() and ctl.state == KioskState.ACTIVE
    ctl.go_idle()
    ctl.reset_to_attract()
    assert ctl.state == KioskState.OFF


def test_mouse_moves_keep_the_cursor_hidden_while_black(qtbot, booth) -> None:
    win, ctl = booth(FakeClock(22), screen_off=NIGHT)
    viewport = win.stage.viewport()
    QApplication.sendEvent(viewport, QMouseEvent(
        QMouseEvent.Type.MouseMove, QPointF(300, 300), QPointF(viewport.mapToGlobal(QPoint(300, 300))),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    assert ctl.state == KioskState.OFF
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    assert not ctl.cursor_timer.isActive()


def test_reload_under_the_black_screen(qtbot, booth) -> None:
    win, ctl = booth(FakeClock(22), screen_off=NIGHT)
    win.stage.replace_deck(win.deck)  # hot reload: a new scene
    care = ctl.screen_care
    assert care.layer is not None and care.layer.scene() is win.stage.scene()
    assert running_animations(win) == [] and not win.stage.current._timer.isActive()
    with_kiosk(win.deck, screen_off=None)  # staff removed the setting: the screen comes back
    win.stage.replace_deck(win.deck)
    qtbot.waitUntil(lambda: ctl.state == KioskState.ATTRACT, timeout=2000)
    assert care.layer is None and not care.check_timer.isActive()


# -- pixel shift --------------------------------------------------------------------------------
def footer_rects(win) -> list:
    chrome = win.stage.chrome
    return [chrome.language_button.sceneBoundingRect(), chrome.dots[0].sceneBoundingRect(),
            chrome.source_box.sceneBoundingRect()]


def test_pixel_shift_moves_the_chrome_a_few_px_and_back_never_the_panels(qtbot, booth) -> None:
    win, ctl = booth(FakeClock(12))
    care = ctl.screen_care
    assert care.shift_timer.isActive() and care.shift_timer.interval() == 3 * 60_000
    win.presentation.goto("innovation-figures")  # a panel with a source line
    stage = win.stage
    start = footer_rects(win)
    panel_at = (stage.current.scenePos(), stage.clip.scenePos(), stage.current.sceneBoundingRect())
    seen = set()
    for step in range(1, len(SHIFT_OFFSETS) + 1):
        care.advance_shift()
        dx, dy = care.offset
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
    _win, ctl = booth(FakeClock(12), pixel_shift_minutes=0)
    assert not ctl.screen_care.shift_timer.isActive()
    assert ctl.window.stage.chrome.pos() == QPointF(0, 0)


def test_stop_puts_everything_back(booth) -> None:
    win, ctl = booth(FakeClock(22), screen_off=NIGHT)
    ctl.screen_care.advance_shift()
    ctl.stop()
    care = ctl.screen_care
    assert win.stage.chrome.pos() == QPointF(0, 0) and care.layer is None
    assert not care.shift_timer.isActive() and not care.check_timer.isActive()


# -- timers and real time ------------------------------------------------------------------------
def test_real_short_timers_shift_and_black_out(qtbot, booth) -> None:
    """Time scale 0.001: one real ms is one booth second; the wall clock runs as fast from the start."""
    scale = 0.001
    base, t0 = datetime(2024, 5, 1, 19, 55, 0), [0.0]

    def fast_clock() -> datetime:
        return base + timedelta(seconds=(time.monotonic() - t0[0]) / scale if t0[0] else 0)

    win, ctl = booth(fast_clock, time_scale=scale, screen_off=NIGHT, idle_timeout=10_000)
    t0[0] = time.monotonic()
    care = ctl.screen_care
    assert care.shift_timer.interval() == 180  # 3 min
    assert care.check_timer.isSingleShot() and care.check_timer.interval() == 300  # 5 min to 20:00 (+0.5 s)
    ctl.go_idle()
    ctl.reset_to_attract()  # the attract loop runs on its real (scaled) timer meanwhile
    assert ctl.state == KioskState.ATTRACT
    qtbot.waitUntil(lambda: care.shift_index >= 1, timeout=5000)  # 19:58
    assert win.stage.chrome.pos() == QPointF(*SHIFT_OFFSETS[care.shift_index])
    qtbot.waitUntil(lambda: ctl.state == KioskState.OFF, timeout=5000)  # 20:00: the check timer fired
    assert fast_clock() >= datetime(2024, 5, 1, 20, 0)
    assert care.layer is not None and not care.shift_timer.isActive() and not ctl.attract_timer.isActive()
    assert care.check_timer.isActive()  # next: 08:00, or the 15-minute re-read of the clock


def test_no_new_fast_timers_in_kiosk_mode(qtbot, booth) -> None:
    """While nobody is there, screen care adds no timer faster than once a minute.

    The fast timers that existed before screen care, and may run: the panel's build-frame
    timer (16 ms, while a panel builds), ``attract_timer`` (each attract panel's dwell),
    ``countdown_timer`` (1 s, during "Still there?"), ``cursor_timer`` (3 s after a mouse
    move) and the window's digit-entry timer (2.5 s after a digit key).
    """
    app = QApplication.instance()
    clock = FakeClock(12)
    win, ctl = booth(clock, screen_off=NIGHT)
    care = ctl.screen_care
    win.stage.current.finish()  # the opening build is over
    assert fast_timers(app) == []
    assert care.shift_timer.interval() >= 60_000 and care.check_timer.interval() >= 60_000
    ctl.go_idle()
    ctl.reset_to_attract()
    win.stage.current.finish()
    assert fast_timers(app) == [ctl.attract_timer]  # the attract dwell, as before screen care
    clock.set(20, 0, 1)
    care.check()
    assert fast_timers(app) == [] and running_animations(win) == []
    assert care.check_timer.interval() >= 60_000 and not care.shift_timer.isActive()


# -- outside kiosk mode ---------------------------------------------------------------------------
def test_nothing_runs_outside_kiosk_mode(qtbot, window, deck_copy: Path) -> None:
    deck = with_kiosk(load_deck(deck_copy), screen_off="00:00-23:59", pixel_shift_minutes=1)
    win = window(deck)
    assert not win.findChildren(ScreenCare)
    assert win.stage.chrome.pos() == QPointF(0, 0)
    ctl = KioskController(win, wall_clock=lambda: datetime(2024, 5, 1, 12, 0))  # even if someone tried
    ctl.screen_care.start()
    care = ctl.screen_care
    assert not care.shift_timer.isActive() and not care.check_timer.isActive()
    assert care.layer is None and not care.inside_window() and win.stage.chrome.pos() == QPointF(0, 0)


def test_booth_wires_the_wall_clock_and_tells_staff(qtbot, window, deck_copy: Path) -> None:
    from szkiosk.booth.booth import Booth

    deck = with_kiosk(load_deck(deck_copy), screen_off=NIGHT)
    win = window(deck, kiosk=True)
    booth = Booth(win, deck_copy, wall_clock=FakeClock(23), hide_cursor=False)
    booth.start(warm_up=False)
    try:
        assert booth.controller.state == KioskState.OFF
        assert "screen    shift every 3 min (now +0,+0 px); black 20:00-08:00 (black now)" in booth.status_text()
    finally:
        booth.stop()
        win.stage.stop()
