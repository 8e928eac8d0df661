"""Booth mode driven as visitors and staff would: idle, countdown, attract, exit lock, admin, abuse."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from kiosk_helpers import with_kiosk
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from szkiosk.booth.admin import hash_pin, pin_matches
from szkiosk.booth.kiosk import KioskController, KioskState
from szkiosk.content import load_deck

PIN = "246810"




@pytest.fixture
def booth_deck(deck_copy: Path):
    deck = load_deck(deck_copy)
    return with_kiosk(deck, idle_timeout=60, countdown=3, attract_dwell=5,
                      attract_panels=["innovation-figures", "ninety-percent", "sister-cities"],
                      pin_sha256=hash_pin(PIN))


@pytest.fixture
def kiosk(qtbot, window, booth_deck):
    """A kiosk window with a running controller (time scale 1: tests call the steps directly)."""
    made: list[KioskController] = []

    def make(deck=None, *, time_scale: float = 1.0, **kwargs):
        win = window(deck or booth_deck, kiosk=True)
        win.stage.animate_transitions = False
        controller = KioskController(win, time_scale=time_scale, **kwargs)
        controller.start()
        made.append(controller)
        return win, controller

    yield make
    for controller in made:
        controller.stop()
        controller.window.stage.stop()  # the last panel may still be building


def viewport_point(win, scene_point: QPointF) -> QPoint:
    return win.stage.mapFromScene(scene_point)


def tap(qtbot, win, pos: QPoint) -> None:
    qtbot.mouseClick(win.stage.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def tap_item(qtbot, win, item) -> None:
    tap(qtbot, win, viewport_point(win, item.sceneBoundingRect().center()))


# -- idle -> countdown -> reset -> attract --------------------------------------------------
def test_idle_countdown_reset_attract_with_real_timers(qtbot, kiosk) -> None:
    win, ctl = kiosk(time_scale=0.005)  # idle 60 s -> 0.3 s, countdown 3 s -> 15 ms ticks, dwell 5 s -> 25 ms
    win.presentation.goto("five-actions")
    win.presentation.toggle_language()
    assert win.presentation.language == "zh"
    qtbot.waitUntil(lambda: ctl.state == KioskState.COUNTDOWN, timeout=3000)
    assert ctl.countdown_overlay is not None
    qtbot.waitUntil(lambda: ctl.state == KioskState.ATTRACT, timeout=3000)
    assert win.presentation.language == "en"
    assert ctl.countdown_overlay is None and ctl.prompt is not None
    seen: set[str] = set()
    qtbot.waitUntil(lambda: seen.add(win.presentation.current_id) or len(seen & set(ctl.attract_ids())) == 3,
                    timeout=5000)
    assert "five-actions" not in seen  # the attract loop keeps to its list
    texts = [b.text for b in ctl.prompt.childItems()[0].childItems() if hasattr(b, "text")]
    assert texts == ["Touch to explore · 触摸探索"]


def test_idle_resets_to_first_panel_and_default_language(qtbot, kiosk) -> None:
    win, ctl = kiosk()
    win.presentation.goto("reforms")
    win.presentation.set_language("zh")
    ctl.go_idle()
    assert ctl.state == KioskState.COUNTDOWN
    assert win.presentation.current_id == "reforms"  # nothing moves until the countdown ends
    ctl.reset_to_attract()
    assert win.presentation.index == 0 and win.stage.index == 0
    assert win.presentation.language == "en" and win.stage.language == "en"
    assert win.presentation.history == []
    ctl.advance_attract()
    assert win.presentation.current_id == "innovation-figures"
    ctl.advance_attract()
    ctl.advance_attract()
    ctl.advance_attract()
    assert win.presentation.current_id == "innovation-figures"  # wraps around its list


def test_touch_during_countdown_dismisses_it_and_does_not_act(qtbot, kiosk) -> None:
    win, ctl = kiosk()
    win.presentation.goto(3)
    ctl.go_idle()
    assert ctl.countdown_overlay is not None
    # a tap on the "next" arrow: dismisses the countdown only
    tap_item(qtbot, win, win.stage.chrome.dots[-1])
    assert ctl.state == KioskState.ACTIVE
    assert ctl.countdown_overlay is None
    assert win.presentation.index == 2
    assert ctl.idle_timer.isActive()
    tap_item(qtbot, win, win.stage.chrome.dots[-1])  # the next tap acts again
    assert win.presentation.at_last


def test_key_during_countdown_dismisses_it(qtbot, kiosk) -> None:
    win, ctl = kiosk()
    ctl.go_idle()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert ctl.state == KioskState.ACTIVE and win.presentation.index == 0
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.presentation.index == 1


def test_first_touch_ends_attract_without_navigating(qtbot, kiosk) -> None:
    win, ctl = kiosk()
    ctl.go_idle()
    ctl.reset_to_attract()
    ctl.advance_attract()
    here = win.presentation.index
    tap_item(qtbot, win, win.stage.chrome.dots[0])  # would jump to panel 1
    assert ctl.state == KioskState.ACTIVE and ctl.prompt is None
    assert win.presentation.index == here
    assert not ctl.attract_timer.isActive()
    # a swipe that ends the attract loop does not turn the page either
    ctl.go_idle()
    ctl.reset_to_attract()
    viewport = win.stage.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(1500, 500))
    move = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(400, 500), QPointF(viewport.mapToGlobal(QPoint(400, 500))),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(400, 500))
    assert win.presentation.index == 0 and ctl.state == KioskState.ACTIVE
    tap_item(qtbot, win, win.stage.chrome.dots[2])
    assert win.presentation.index == 2


def test_attract_dwell_uses_panel_duration(kiosk, booth_deck) -> None:
    booth_deck.panels[1] = booth_deck.panels[1].model_copy(update={"duration": None})
    _win, ctl = kiosk()
    with_duration = next(p for p in booth_deck.panels if getattr(p, "duration", None))
    assert ctl.dwell_seconds(with_duration.id) == with_duration.duration
    assert ctl.dwell_seconds(booth_deck.panels[1].id) == 5  # attract_dwell


def test_failed_panels_are_left_out_of_attract(kiosk) -> None:
    _win, ctl = kiosk()
    ctl.skipped = {"ninety-percent"}
    assert ctl.attract_ids() == ["innovation-figures", "sister-cities"]
    ctl.skipped = {"innovation-figures", "ninety-percent", "sister-cities"}
    assert "title" in ctl.attract_ids()  # never an empty loop


def test_overlays_survive_a_rotation(qtbot, kiosk) -> None:
    win, ctl = kiosk()
    ctl.go_idle()
    win.resize(1080, 1920)
    qtbot.waitUntil(lambda: win.stage.logical.height() > win.stage.logical.width(), timeout=2000)
    assert ctl.countdown_overlay is not None and ctl.countdown_overlay.scene() is win.stage.scene()
    ctl.reset_to_attract()
    win.resize(1920, 1080)
    qtbot.waitUntil(lambda: win.stage.logical.width() > win.stage.logical.height(), timeout=2000)
    assert ctl.prompt is not None and ctl.prompt.scene() is win.stage.scene()


# -- exit lock ---------------------------------------------------------------------------
def test_exit_keys_and_close_are_ignored(qtbot, kiosk) -> None:
    win, ctl = kiosk()
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Q, Qt.Key.Key_F):
        qtbot.keyClick(win, key)
    qtbot.keyClick(win, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    win.close()
    QApplication.processEvents()
    assert win.isVisible()
    assert ctl.admin is None and ctl.pin_pad is None


# -- staff ---------------------------------------------------------------------------------
def corner_taps(qtbot, win, n: int = 5) -> None:
    for _ in range(n):
        tap(qtbot, win, QPoint(12, 12))


def enter_pin(qtbot, win, ctl, pin: str) -> None:
    for digit in pin:
        tap_item(qtbot, win, ctl.pin_pad.keys[digit])
    tap_item(qtbot, win, ctl.pin_pad.keys["OK"])


def test_corner_gesture_and_right_pin_open_admin(qtbot, kiosk) -> None:
    quits: list[bool] = []
    win, ctl = kiosk(on_quit=lambda: quits.append(True))
    corner_taps(qtbot, win, 4)
    assert ctl.pin_pad is None
    tap(qtbot, win, QPoint(12, 12))
    assert ctl.pin_pad is not None and ctl.admin is None
    enter_pin(qtbot, win, ctl, PIN)
    assert ctl.pin_pad is None and ctl.admin is not None
    tap_item(qtbot, win, ctl.admin.buttons["stats"])
    assert ctl.admin.info.text == "analytics are off"
    tap_item(qtbot, win, ctl.admin.buttons["quit"])
    assert quits == [True]
    assert ctl.exit_code == 86


def test_wrong_pin_does_not_open_admin(qtbot, kiosk) -> None:
    win, ctl = kiosk()
    corner_taps(qtbot, win)
    enter_pin(qtbot, win, ctl, "000000")
    assert ctl.admin is None and ctl.pin_pad is not None
    assert "Wrong PIN" in ctl.pin_pad.message.text
    tap_item(qtbot, win, ctl.pin_pad.keys["cancel"])
    assert ctl.pin_pad is None and ctl.admin is None and win.isVisible()


def test_pin_pad_locks_after_five_wrong_tries(qtbot, kiosk) -> None:
    now = [1000.0]
    win, ctl = kiosk(clock=lambda: now[0])
    qtbot.keyClick(win, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    pad = ctl.pin_pad
    assert pad is not None
    for _ in range(5):
        qtbot.keyClicks(win, "1111")
        qtbot.keyClick(win, Qt.Key.Key_Return)
    qtbot.keyClicks(win, PIN)
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert ctl.admin is None  # locked out, even with the right PIN
    now[0] += 61
    qtbot.keyClicks(win, PIN)
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert ctl.admin is not None
    qtbot.keyClick(win, Qt.Key.Key_Escape)  # Esc = resume
    assert ctl.admin is None and win.isVisible()


def test_slow_corner_taps_do_not_count(qtbot, kiosk) -> None:
    now = [0.0]
    win, ctl = kiosk(clock=lambda: now[0])
    for _ in range(5):
        tap(qtbot, win, QPoint(12, 12))
        now[0] += 1.0
    assert ctl.pin_pad is None


def test_without_pin_the_chord_opens_admin_and_the_corner_does_not(qtbot, kiosk, booth_deck) -> None:
    win, ctl = kiosk(with_kiosk(booth_deck, pin_sha256=None))
    corner_taps(qtbot, win)
    assert ctl.pin_pad is None and ctl.admin is None
    qtbot.keyClick(win, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert ctl.admin is not None
    ctl.go_idle()  # staff walked away: the menu closes itself
    assert ctl.admin is None and ctl.state == KioskState.COUNTDOWN


def test_pin_hash_helpers() -> None:
    assert pin_matches(PIN, hash_pin(PIN))
    assert pin_matches(PIN, hash_pin(PIN).upper())
    assert not pin_matches("1234", hash_pin(PIN))
    assert not pin_matches("", None)
    from szkiosk.content.schema import Kiosk

    assert Kiosk(pin_sha256=hash_pin(PIN).upper()).pin_sha256 == hash_pin(PIN)
    with pytest.raises(ValueError, match="64 hex digits"):
        Kiosk(pin_sha256=PIN)  # the PIN itself, by mistake


def test_cursor_is_hidden_and_restored(qtbot, kiosk) -> None:
    _win, ctl = kiosk()
    shape = QApplication.overrideCursor()
    assert shape is not None and shape.shape() == Qt.CursorShape.BlankCursor
    ctl.stop()
    assert QApplication.overrideCursor() is None


# -- abuse ---------------------------------------------------------------------------------
KEYS = [Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Space, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_L,
        Qt.Key.Key_B, Qt.Key.Key_W, Qt.Key.Key_Question, Qt.Key.Key_Escape, Qt.Key.Key_Q, Qt.Key.Key_F,
        Qt.Key.Key_Return, Qt.Key.Key_Tab, Qt.Key.Key_Backspace, Qt.Key.Key_K, Qt.Key.Key_F4, Qt.Key.Key_A,
        *[Qt.Key(Qt.Key.Key_0 + i) for i in range(10)]]
MODS = [Qt.KeyboardModifier.NoModifier] * 6 + [Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier,
                                               Qt.KeyboardModifier.ShiftModifier]


#: Events of the monkey test (the issue asks for 10,000; SZKIOSK_MONKEY_EVENTS for longer runs).
MONKEY_EVENTS = int(os.environ.get("SZKIOSK_MONKEY_EVENTS", "10000"))


def test_abuse_thousands_of_random_events(qtbot, kiosk) -> None:
    rng = random.Random(20231010)
    win, ctl = kiosk()
    viewport = win.stage.viewport()
    counts = {"key": 0, "tap": 0, "swipe": 0, "idle": 0, "resize": 0}
    for _ in range(MONKEY_EVENTS):
        roll = rng.random()
        if roll < 0.45:
            qtbot.keyClick(win, rng.choice(KEYS), rng.choice(MODS))
            counts["key"] += 1
        elif roll < 0.8:
            pos = QPoint(rng.randrange(0, win.width()), rng.randrange(0, win.height()))
            qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
            counts["tap"] += 1
        elif roll < 0.95:
            a = QPoint(rng.randrange(0, win.width()), rng.randrange(0, win.height()))
            b = QPoint(rng.randrange(0, win.width()), rng.randrange(0, win.height()))
            qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
            QApplication.sendEvent(viewport, QMouseEvent(
                QMouseEvent.Type.MouseMove, QPointF(b), QPointF(viewport.mapToGlobal(b)), Qt.MouseButton.NoButton,
                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
            qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)
            counts["swipe"] += 1
        elif roll < 0.99:
            step = rng.choice([ctl.go_idle, ctl.reset_to_attract, ctl.advance_attract, ctl.dismiss_countdown])
            step()
            counts["idle"] += 1
        else:
            win.resize(*rng.choice([(1920, 1080), (1080, 1920), (1280, 720)]))
            counts["resize"] += 1
        p = win.presentation
        assert 0 <= p.index < p.count
        assert win.isVisible()
    QApplication.processEvents()
    assert win.isVisible() and ctl.exit_code is None
    assert win.stage.index == win.presentation.index
    assert win.stage.current is not None and win.stage.current.isVisible()
    assert sum(counts.values()) == MONKEY_EVENTS and min(counts.values()) > 0
