"""The booth's rules without Qt: a fake clock, events in, effects out; hypothesis drives random
visitors, staff and clocks through the machine and checks what must always hold."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from szkiosk.booth_state import (
    CORNER_WINDOW_S,
    LOCKOUT_MAX_S,
    LOCKOUT_S,
    MAX_ATTEMPTS,
    MAX_CHECK_S,
    SHIFT_OFFSETS,
    AttractLoop,
    BoothSettings,
    BoothState,
    ClosePinPad,
    CloseStaffMenu,
    Due,
    HideAttractPrompt,
    HideCountdown,
    HideCursor,
    OpenPinPad,
    OpenStaffMenu,
    Outcome,
    Phase,
    PinGuardChanged,
    PinLocked,
    PinRefused,
    PinUnlocked,
    ResetToFirst,
    ScreenOff,
    ScreenOn,
    ScreenSchedule,
    ShiftFooter,
    ShowAttractPanel,
    ShowAttractPrompt,
    ShowCountdown,
    ShowCursor,
    Staff,
    VisitorLeft,
    hash_pin,
    lockout_length,
    spoken_languages,
)
from szkiosk.content import load_deck
from szkiosk.pin_store import PinRecord

PIN = "246810"
#: A cheap scrypt line (N=16): the same format and code path as a deck's, thousands of checks a second.
PIN_HASH = hash_pin(PIN, n=16, r=1)
NIGHT = ScreenSchedule.parse("20:00-08:00")
LOOP = AttractLoop(("b", "c", "d"), dwell={"c": 7.0}, default_dwell=5.0)


class Clock:
    """Monotonic seconds and a local wall clock that move together (``jump_wall`` sets the wall alone)."""

    def __init__(self, wall: datetime = datetime(2024, 5, 1, 12, 0)) -> None:
        self.t = 1000.0
        self._wall_at_t0 = wall - timedelta(seconds=self.t)

    def monotonic(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self._wall_at_t0 + timedelta(seconds=self.t)

    def jump_wall(self, to: datetime) -> None:
        """Someone set the system clock (the monotonic clock does not move)."""
        self._wall_at_t0 = to - timedelta(seconds=self.t)


def booth(clock: Clock, pin_record: PinRecord | None = None, **changes) -> BoothState:
    values = {"first_panel": "a", "attract": LOOP, "idle_timeout": 60.0, "countdown": 3, "shift_every": 0.0,
              **changes}
    return BoothState(BoothSettings(**values), clock=clock.monotonic, wall_clock=clock.wall, pin_record=pin_record)


def started(clock: Clock, **changes) -> BoothState:
    state = booth(clock, **changes)
    state.start()
    return state


def run(state: BoothState, clock: Clock, seconds: float) -> list[tuple[float, object]]:
    """Let ``seconds`` pass as a perfect timer would: (time since the call, effect) for each effect."""
    start, end = clock.t, clock.t + seconds
    seen = []
    while (deadline := state.next_deadline()) is not None and deadline <= end:
        clock.t = max(clock.t, deadline)
        seen += [(round(clock.t - start, 3), e) for e in state.advance().effects]
    clock.t = end
    return seen


def effects(seen: list[tuple[float, object]]) -> list[object]:
    return [e for _, e in seen]


# -- idle -> countdown -> reset -> attract ---------------------------------------------------------
def test_start_hides_the_cursor_and_counts_towards_idle() -> None:
    clock = Clock()
    state = booth(clock, shift_every=180.0)
    assert state.start().effects == (HideCursor(), ShiftFooter(0, 0))
    assert state.phase == Phase.ACTIVE and state.staff == Staff.NONE and not state.has_visitor
    assert state.agenda() == {Due.IDLE: 1060.0, Due.FOOTER_SHIFT: 1180.0}
    assert state.seconds_to_next() == 60.0
    assert state.start() == Outcome()  # once only


def test_nobody_touched_since_start_no_countdown_straight_to_attract() -> None:
    clock = Clock()
    state = started(clock)
    assert run(state, clock, 59.9) == []
    seen = run(state, clock, 0.2)
    assert effects(seen) == [ResetToFirst("en"), ShowAttractPrompt()]
    assert state.phase == Phase.ATTRACT and state.attract_panel == "a"


def test_after_a_touch_idle_counts_down_then_resets_to_attract() -> None:
    clock = Clock()
    state = started(clock)
    clock.t += 10
    assert state.touch() == Outcome()  # acts normally: nothing to wake
    seen = run(state, clock, 64)
    assert seen == [(60.0, VisitorLeft()), (60.0, ShowCountdown(3)), (61.0, ShowCountdown(2)),
                    (62.0, ShowCountdown(1)), (63.0, HideCountdown()), (63.0, ResetToFirst("en")),
                    (63.0, ShowAttractPrompt())]
    assert state.phase == Phase.ATTRACT and not state.has_visitor


def test_every_touch_restarts_the_idle_time() -> None:
    clock = Clock()
    state = started(clock)
    for _ in range(5):
        clock.t += 50
        state.touch()
    assert run(state, clock, 59) == []
    assert state.phase == Phase.ACTIVE
    assert effects(run(state, clock, 1))[:2] == [VisitorLeft(), ShowCountdown(3)]


def test_a_touch_during_the_countdown_dismisses_it_and_is_swallowed() -> None:
    clock = Clock()
    state = started(clock)
    state.touch()
    run(state, clock, 61.5)
    assert state.phase == Phase.COUNTDOWN and state.countdown_left == 2
    woke = state.touch()
    assert woke == Outcome((HideCountdown(),), swallowed=True)
    assert state.phase == Phase.ACTIVE and state.countdown_left == 0
    assert state.touch() == Outcome()  # the next touch acts again
    assert state.agenda()[Due.IDLE] == clock.t + 60


def test_countdown_zero_resets_at_once() -> None:
    clock = Clock()
    state = started(clock, countdown=0)
    state.touch()
    assert effects(run(state, clock, 60)) == [VisitorLeft(), ResetToFirst("en"), ShowAttractPrompt()]


def test_the_attract_loop_keeps_to_its_panels_and_dwell_times() -> None:
    clock = Clock()
    state = started(clock)
    run(state, clock, 60)
    seen = run(state, clock, 40)
    # "a" (the first panel, reset to) for the default 5 s, then b 5 s, c 7 s, d 5 s, b ...
    assert seen == [(5.0, ShowAttractPanel("b")), (10.0, ShowAttractPanel("c")), (17.0, ShowAttractPanel("d")),
                    (22.0, ShowAttractPanel("b")), (27.0, ShowAttractPanel("c")), (34.0, ShowAttractPanel("d")),
                    (39.0, ShowAttractPanel("b"))]


def test_the_first_touch_ends_the_attract_loop_without_acting() -> None:
    clock = Clock()
    state = started(clock)
    run(state, clock, 67)
    assert state.attract_panel == "b"
    woke = state.touch()
    assert woke == Outcome((HideAttractPrompt(),), swallowed=True)
    assert state.phase == Phase.ACTIVE and state.attract_panel is None and state.has_visitor
    assert Due.NEXT_ATTRACT_PANEL not in state.agenda()
    assert state.touch() == Outcome()
    # that visitor gets the countdown at the next idle timeout
    assert ShowCountdown(3) in effects(run(state, clock, 60))


def test_wheel_keys_and_taps_are_all_touches_but_mouse_moves_do_not_wake() -> None:
    clock = Clock()
    state = started(clock)
    run(state, clock, 60)
    assert state.pointer_moved().effects == (ShowCursor(),)
    assert state.phase == Phase.ATTRACT
    assert effects(run(state, clock, 3)) == [HideCursor()]


def test_mouse_moves_keep_an_active_session_going_but_do_not_make_a_visitor() -> None:
    clock = Clock()
    state = started(clock)
    clock.t += 50
    state.pointer_moved()
    assert state.agenda()[Due.IDLE] == clock.t + 60
    assert not state.has_visitor


# -- staff ----------------------------------------------------------------------------------------
def corner(state: BoothState, clock: Clock, taps: int = 5, gap: float = 0.3) -> list[Outcome]:
    out = []
    for _ in range(taps):
        out.append(state.corner_tap())
        clock.t += gap
    return out


def test_without_a_pin_the_chord_opens_the_menu_and_the_corner_does_nothing() -> None:
    clock = Clock()
    state = started(clock)
    assert all(o == Outcome() for o in corner(state, clock, 10))
    assert state.staff == Staff.NONE
    assert state.key_chord() == Outcome((OpenStaffMenu("chord"),), swallowed=True)
    assert state.staff == Staff.MENU
    assert state.key_chord() == Outcome(swallowed=True)  # already open
    assert state.staff_closed().effects == (CloseStaffMenu(),)
    assert state.staff == Staff.NONE


def test_with_a_pin_five_quick_corner_taps_open_the_pad() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH)
    outcomes = corner(state, clock, 5)
    assert outcomes[:4] == [Outcome()] * 4
    assert outcomes[4] == Outcome((OpenPinPad(),), swallowed=True)
    assert state.staff == Staff.PIN_PAD
    assert state.pin_entered(PIN).effects == (ClosePinPad(), OpenStaffMenu("pin"))
    assert state.staff == Staff.MENU


def test_slow_or_broken_corner_series_do_not_count() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH)
    corner(state, clock, 5, gap=CORNER_WINDOW_S / 4 + 0.01)  # the fifth is more than 3 s after the first
    assert state.staff == Staff.NONE
    clock.t += 10
    corner(state, clock, 3)
    state.touch()  # a tap elsewhere
    corner(state, clock, 2)
    assert state.staff == Staff.NONE
    corner(state, clock, 3)
    assert state.staff == Staff.PIN_PAD


def test_the_chord_with_a_pin_opens_the_pad_and_wakes_the_booth() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH)
    run(state, clock, 60)
    assert state.key_chord() == Outcome((HideAttractPrompt(), OpenPinPad()), swallowed=True)
    assert state.phase == Phase.ACTIVE and state.staff == Staff.PIN_PAD


def wall(clock: Clock) -> float:
    """The booth's wall clock in Unix seconds (what a stored lockout is measured in)."""
    return clock.wall().timestamp()


def test_wrong_pins_lock_the_pad_for_a_minute_even_across_reopening() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH)
    state.key_chord()
    for left in (4, 3, 2, 1):
        assert state.pin_entered("1111").effects == (PinRefused(left, 5 - left), PinGuardChanged(PinRecord(5 - left)))
    assert state.pin_entered("1111").effects == (
        PinRefused(0, 5), PinGuardChanged(PinRecord(5, LOCKOUT_S, wall(clock) + LOCKOUT_S)), PinLocked(LOCKOUT_S))
    assert state.pin_entered(PIN).effects == (PinLocked(LOCKOUT_S),)  # the right PIN too: not even checked
    clock.t += 20
    assert state.staff_closed().effects == (ClosePinPad(),)
    assert state.key_chord().effects == (OpenPinPad(), PinLocked(40.0))  # reopened: still locked
    assert state.pin_entered(PIN).effects == (PinLocked(40.0),)
    assert effects(run(state, clock, 40)) == [PinUnlocked()]
    # the right PIN clears the count, and the store hears so
    assert state.pin_entered(PIN).effects == (PinGuardChanged(PinRecord()), ClosePinPad(), OpenStaffMenu("pin"))


def test_wrong_pins_count_across_reopening_the_pad() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH)
    for _ in range(2):
        state.key_chord()
        state.pin_entered("0000")
        state.pin_entered("0000")
        state.staff_closed()
    state.key_chord()
    assert state.pin_entered("0000").effects[-1] == PinLocked(LOCKOUT_S)


def test_a_right_pin_with_nothing_counted_stores_nothing() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH)
    state.key_chord()
    assert state.pin_entered(PIN).effects == (ClosePinPad(), OpenStaffMenu("pin"))


def test_lockouts_grow_with_each_wrong_pin_after_the_first_up_to_an_hour() -> None:
    assert [lockout_length(n) for n in range(1, 13)] == [0, 0, 0, 0, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert lockout_length(10**6) == LOCKOUT_MAX_S
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH, idle_timeout=10**6)
    state.key_chord()
    for _ in range(MAX_ATTEMPTS - 1):
        state.pin_entered("1111")
    lengths = []
    for _ in range(8):
        outcome = state.pin_entered("1111")
        lengths += [e.seconds for e in outcome.effects if isinstance(e, PinLocked)]
        assert state.pin_entered(PIN).effects == (PinLocked(lengths[-1]),)  # the lockout holds
        run(state, clock, lengths[-1] - 1)
        assert state.locked_for() == 1
        run(state, clock, 1)
    assert lengths == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert state.pin_entered(PIN).effects[0] == PinGuardChanged(PinRecord())  # the right PIN: short again
    state.staff_closed()
    state.key_chord()
    for _ in range(MAX_ATTEMPTS):
        last = state.pin_entered("1111")
    assert last.effects[-1] == PinLocked(LOCKOUT_S)


def test_a_new_machine_built_from_the_stored_record_is_still_locked() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH)
    state.key_chord()
    stored = None
    for _ in range(MAX_ATTEMPTS):
        for effect in state.pin_entered("1111").effects:
            if isinstance(effect, PinGuardChanged):
                stored = effect.record
    assert stored == PinRecord(5, LOCKOUT_S, wall(clock) + LOCKOUT_S)
    clock.t += 15  # the show restarts 15 s later
    again = started(clock, pin_hash=PIN_HASH, pin_record=stored)
    assert again.locked_for() == pytest.approx(45.0)
    assert again.key_chord().effects == (OpenPinPad(), PinLocked(pytest.approx(45.0)))
    assert again.pin_entered(PIN).effects == (PinLocked(pytest.approx(45.0)),)
    run(again, clock, 45)
    # the count carried over too: one more wrong PIN locks at once, for twice as long
    assert again.pin_entered("1111").effects[-1] == PinLocked(2 * LOCKOUT_S)


def test_a_stored_count_below_the_limit_carries_over() -> None:
    clock = Clock()
    state = started(clock, pin_hash=PIN_HASH, pin_record=PinRecord(3))
    state.key_chord()
    assert state.pin_entered("1111").effects[0] == PinRefused(1, 4)
    assert state.pin_entered("1111").effects[-1] == PinLocked(LOCKOUT_S)


@pytest.mark.parametrize(("wall_shift", "left"), [
    (0.0, 60.0),          # read back at once: all of it
    (-86400.0, 60.0),     # the clock went back a day: never longer than the lockout's length
    (30.0, 30.0),         # 30 s passed on the wall clock
    (86400.0, 0.0),       # a day passed (or the clock jumped ahead): over
])
def test_a_stored_lockout_never_lasts_longer_than_its_length(wall_shift: float, left: float) -> None:
    clock = Clock()
    record = PinRecord(5, LOCKOUT_S, wall(clock) + LOCKOUT_S)
    clock.jump_wall(clock.wall() + timedelta(seconds=wall_shift))
    state = started(clock, pin_hash=PIN_HASH, pin_record=record)
    assert state.locked_for() == pytest.approx(left)


def test_a_nonsense_record_is_kept_within_bounds() -> None:
    clock = Clock()
    record = PinRecord(7, 10**9, wall(clock) + 10**9)  # hand-edited: "locked for 30 years"
    state = started(clock, pin_hash=PIN_HASH, pin_record=record)
    assert state.locked_for() == LOCKOUT_MAX_S


def test_the_staff_screens_close_themselves_when_nobody_touches_them() -> None:
    clock = Clock()
    state = started(clock)
    state.key_chord()
    seen = effects(run(state, clock, 60))
    assert seen[:3] == [CloseStaffMenu(), VisitorLeft(), ShowCountdown(3)]
    assert state.staff == Staff.NONE and state.phase == Phase.COUNTDOWN


# -- screen-off hours -----------------------------------------------------------------------------
def test_start_inside_the_hours_is_black_at_once() -> None:
    clock = Clock(datetime(2024, 5, 1, 2, 30))
    state = booth(clock, screen_off=NIGHT)
    assert state.start().effects == (HideCursor(), ShiftFooter(0, 0), ResetToFirst("en"), ScreenOff())
    assert state.phase == Phase.OFF
    # nothing but the next look at the clock: no idle, no shift while black
    assert state.agenda() == {Due.HOURS_CHECK: 1000 + MAX_CHECK_S}


def test_entering_the_hours_blacks_out_the_attract_loop_at_once() -> None:
    clock = Clock(datetime(2024, 5, 1, 19, 58))
    state = started(clock, screen_off=NIGHT)
    run(state, clock, 60)  # 19:59: attract
    assert state.agenda()[Due.HOURS_CHECK] == clock.t + 60.5  # 20:00 and a half second
    seen = run(state, clock, 61)
    assert seen[-3:] == [(60.5, HideAttractPrompt()), (60.5, ResetToFirst("en")), (60.5, ScreenOff())]
    assert state.phase == Phase.OFF and state.attract_panel is None
    assert run(state, clock, 3600) == []  # nothing moves behind the black


def test_a_visitor_keeps_the_screen_until_the_idle_path_ends() -> None:
    clock = Clock(datetime(2024, 5, 1, 19, 59, 30))
    state = started(clock, screen_off=NIGHT)
    state.touch()
    run(state, clock, 40)  # 20:00:10
    assert state.phase == Phase.ACTIVE
    seen = effects(run(state, clock, 30))  # idle at 20:00:30, then the countdown
    assert seen == [VisitorLeft(), ShowCountdown(3), ShowCountdown(2), ShowCountdown(1), HideCountdown(),
                    ResetToFirst("en"), ScreenOff()]
    assert state.phase == Phase.OFF


def test_a_touch_wakes_the_black_screen_without_acting_and_idle_blacks_it_out_again() -> None:
    clock = Clock(datetime(2024, 5, 1, 21, 0))
    state = started(clock, screen_off=NIGHT, shift_every=180.0)
    clock.t += 100
    woke = state.touch()
    assert woke == Outcome((ScreenOn(),), swallowed=True)  # the first panel is already underneath
    assert state.phase == Phase.ACTIVE and state.agenda()[Due.IDLE] == clock.t + 60
    assert Due.FOOTER_SHIFT in state.agenda()
    assert state.touch() == Outcome()
    seen = effects(run(state, clock, 63))
    assert ShowCountdown(3) in seen and seen[-2:] == [ResetToFirst("en"), ScreenOff()]


def test_leaving_the_hours_starts_the_attract_loop() -> None:
    clock = Clock(datetime(2024, 5, 2, 7, 50))
    state = started(clock, screen_off=NIGHT)
    seen = run(state, clock, 10 * 60 + 1)
    assert effects(seen) == [ScreenOn(), ResetToFirst("en"), ShowAttractPrompt()]
    assert seen[0][0] == 600.5  # 08:00:00.5
    assert state.phase == Phase.ATTRACT


def test_a_changed_system_clock_is_noticed_within_the_check_interval() -> None:
    clock = Clock(datetime(2024, 5, 1, 12, 0))
    state = started(clock, screen_off=NIGHT)
    run(state, clock, 60)
    clock.jump_wall(datetime(2024, 5, 1, 22, 0))
    assert state.agenda()[Due.HOURS_CHECK] <= clock.t + MAX_CHECK_S
    run(state, clock, MAX_CHECK_S)
    assert state.phase == Phase.OFF


@pytest.mark.parametrize(("at", "inside"), [
    ((19, 59, 59), False), ((20, 0, 0), True), ((23, 59, 59), True), ((0, 0, 0), True),
    ((3, 30, 0), True), ((7, 59, 59), True), ((8, 0, 0), False), ((12, 0, 0), False),
])
def test_hours_crossing_midnight(at, inside) -> None:
    assert NIGHT.contains(datetime(2024, 5, 1, *at)) is inside


def test_hours_within_a_day_and_the_next_boundary() -> None:
    lunch = ScreenSchedule.parse("12:30-13:15")
    assert str(lunch) == "12:30-13:15"
    assert not lunch.contains(datetime(2024, 5, 1, 12, 29))
    assert lunch.contains(datetime(2024, 5, 1, 12, 30))
    assert not lunch.contains(datetime(2024, 5, 1, 13, 15))
    assert NIGHT.next_boundary(datetime(2024, 5, 1, 12, 0)) == datetime(2024, 5, 1, 20, 0)
    assert NIGHT.next_boundary(datetime(2024, 5, 1, 20, 0)) == datetime(2024, 5, 2, 8, 0)
    assert NIGHT.next_boundary(datetime(2024, 5, 1, 23, 0)) == datetime(2024, 5, 2, 8, 0)
    assert NIGHT.next_boundary(datetime(2024, 5, 2, 3, 0)) == datetime(2024, 5, 2, 8, 0)
    with pytest.raises(ValueError, match="same time"):
        ScreenSchedule.parse("08:00-08:00")


# -- footer shift and cursor ----------------------------------------------------------------------
def test_the_footer_shifts_through_its_cycle_and_home_again() -> None:
    clock = Clock()
    state = started(clock, idle_timeout=10_000, shift_every=180.0)
    seen = run(state, clock, 180 * len(SHIFT_OFFSETS))
    assert [t for t, _ in seen] == [180.0 * i for i in range(1, len(SHIFT_OFFSETS) + 1)]
    assert effects(seen) == [ShiftFooter(*xy) for xy in (*SHIFT_OFFSETS[1:], SHIFT_OFFSETS[0])]
    assert all(abs(dx) <= 4 and 0 <= dy <= 4 for dx, dy in SHIFT_OFFSETS)


def test_the_footer_rests_while_black_and_shift_zero_is_off() -> None:
    clock = Clock(datetime(2024, 5, 1, 19, 55))
    state = started(clock, screen_off=NIGHT, shift_every=180.0)
    run(state, clock, 360)
    assert state.footer_offset == SHIFT_OFFSETS[1] and state.phase == Phase.OFF
    assert Due.FOOTER_SHIFT not in state.agenda()
    clock.t += 1
    state.touch()
    assert state.agenda()[Due.FOOTER_SHIFT] == clock.t + 180
    assert state.configure(BoothSettings("a", LOOP, shift_every=0)).effects[0] == ShiftFooter(0, 0)
    assert Due.FOOTER_SHIFT not in state.agenda()


def test_stop_takes_everything_down() -> None:
    clock = Clock(datetime(2024, 5, 1, 19, 55))
    state = started(clock, screen_off=NIGHT, shift_every=180.0)
    run(state, clock, 360)
    assert state.stop().effects == (ScreenOn(), ShiftFooter(0, 0), ShowCursor())
    assert state.next_deadline() is None and state.phase == Phase.ACTIVE
    assert state.touch() == Outcome() and state.advance() == Outcome()


def test_configure_applies_new_settings_at_once() -> None:
    clock = Clock(datetime(2024, 5, 1, 22, 0))
    state = started(clock, screen_off=NIGHT)
    assert state.phase == Phase.OFF
    out = state.configure(BoothSettings("a", LOOP, idle_timeout=30))  # staff removed screen_off
    assert out.effects == (ScreenOn(), ResetToFirst("en"), ShowAttractPrompt())
    state.touch()
    assert state.agenda()[Due.IDLE] == clock.t + 30
    assert Due.HOURS_CHECK not in state.agenda()


# -- settings from a deck ---------------------------------------------------------------------------
def test_settings_from_the_bundled_deck(bundled_deck) -> None:
    settings = BoothSettings.from_deck(bundled_deck)
    kiosk = bundled_deck.model.kiosk
    assert settings.first_panel == "title" and settings.default_language == "en"
    assert settings.attract.panels == tuple(kiosk.attract_panels)
    assert settings.idle_timeout == kiosk.idle_timeout and settings.countdown == kiosk.countdown
    assert settings.shift_every == kiosk.pixel_shift_minutes * 60
    timed = [p for p in bundled_deck.panels if getattr(p, "duration", None)]
    assert timed and all(settings.attract.dwell_for(p.id) == p.duration for p in timed)
    assert settings.attract.dwell_for("a-panel-without-duration") == kiosk.attract_dwell


def test_failed_panels_stay_out_of_the_attract_loop_which_is_never_empty(deck_copy) -> None:
    (deck_copy / "panels" / "industries.yaml").write_text("id: industries\ntype: nope\n", encoding="utf-8")
    deck = load_deck(deck_copy)
    loop = AttractLoop.from_deck(deck, skipped={"ninety-percent"})
    assert "industries" not in loop.panels and "ninety-percent" not in loop.panels
    assert "title" in loop.panels
    everything = {p.id for p in deck.panels}
    loop = AttractLoop.from_deck(deck, skipped=everything - {"reforms"})
    assert loop.panels == ("reforms",)  # none of the configured ones is left: any good panel
    with pytest.raises(ValueError):
        AttractLoop(())


def test_spoken_languages() -> None:
    assert spoken_languages("en", "en") == ["en"]
    assert spoken_languages("zh", "en") == ["zh", "en"]
    assert spoken_languages("en", "en", ["en", "zh"], at_least=2) == ["en", "zh"]
    assert spoken_languages("es", "es", ["es", "en", "zh"], at_least=2) == ["es", "en"]
    assert spoken_languages("zh", "en", ["en", "zh", "es"], at_least=2) == ["zh", "en"]
    assert spoken_languages("en", "en", ["en"], at_least=2) == ["en"]


def test_the_machine_loads_no_qt() -> None:
    code = ("import sys, szkiosk.booth_state\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- properties over random event sequences ---------------------------------------------------------
WAKING = {Phase.COUNTDOWN, Phase.ATTRACT, Phase.OFF}
ACTING = (ShowAttractPanel, ResetToFirst, ShowCountdown, OpenStaffMenu)


class Screen:
    """What a faithful Qt side would have on screen after applying every effect so far."""

    def __init__(self) -> None:
        self.countdown: int | None = None
        self.prompt = self.off = self.pad = self.menu = False

    def apply(self, effect: object) -> None:
        match effect:
            case ShowCountdown(seconds=n):
                self.countdown = n
            case HideCountdown():
                self.countdown = None
            case ShowAttractPrompt() | HideAttractPrompt():
                assert self.prompt is isinstance(effect, HideAttractPrompt), "prompt shown twice or hidden twice"
                self.prompt = isinstance(effect, ShowAttractPrompt)
            case ScreenOff() | ScreenOn():
                assert self.off is isinstance(effect, ScreenOn), "screen off twice or on twice"
                self.off = isinstance(effect, ScreenOff)
            case OpenPinPad() | ClosePinPad():
                self.pad = isinstance(effect, OpenPinPad)
            case OpenStaffMenu() | CloseStaffMenu():
                self.menu = isinstance(effect, OpenStaffMenu)


class Visitors(RuleBasedStateMachine):
    """Random visitors, staff, PIN guesses and clocks (also jumps of the system clock)."""

    @initialize(with_pin=st.booleans(), with_hours=st.booleans(), countdown=st.integers(0, 4),
                start_hour=st.integers(0, 23))
    def begin(self, with_pin: bool, with_hours: bool, countdown: int, start_hour: int) -> None:
        self.clock = Clock(datetime(2024, 5, 1, start_hour, 59, 30))
        self.state = booth(self.clock, pin_hash=PIN_HASH if with_pin else None,
                           screen_off=NIGHT if with_hours else None, countdown=countdown, idle_timeout=20.0,
                           shift_every=60.0)
        self.screen = Screen()
        self.touched_since_reset = False
        self.locked_until = -math.inf
        #: Wrong PINs in a row as the model counts them, and what the booth last asked to store.
        self.failures = 0
        self.disk = PinRecord()
        self.wall_moved_since_stored = False
        self.apply(self.state.start())

    def apply(self, outcome: Outcome, *, pin: str | None = None) -> Outcome:
        for effect in outcome.effects:
            self.screen.apply(effect)
            if isinstance(effect, ResetToFirst):
                self.touched_since_reset = False
            if isinstance(effect, ShowCountdown):
                assert self.touched_since_reset, "a countdown before anyone touched the screen"
            if isinstance(effect, ShowAttractPanel):
                assert effect.panel_id in LOOP.panels
            if isinstance(effect, PinRefused):
                assert pin != PIN and self.clock.t >= self.locked_until, "a PIN checked during the lockout"
                self.failures += 1
                assert (effect.in_a_row, effect.tries_left) == (self.failures, max(0, MAX_ATTEMPTS - self.failures))
            if isinstance(effect, PinLocked) and pin is not None and self.clock.t >= self.locked_until:
                # a fresh lockout, earned by the wrong PIN just refused: as long as the count says
                assert effect.seconds == lockout_length(self.failures) > 0
                self.locked_until = self.clock.t + effect.seconds
            if isinstance(effect, PinGuardChanged):
                self.disk, self.wall_moved_since_stored = effect.record, False
                if pin == PIN:  # the right PIN, checked: the count starts again
                    self.failures = 0
                assert effect.record.failures == self.failures
            if isinstance(effect, OpenStaffMenu) and self.state.pin_required:
                assert pin == PIN, "the staff menu opened without the right PIN"
                assert self.clock.t >= self.locked_until, "the staff menu opened during the lockout"
                self.failures = 0
                assert self.disk == PinRecord(), "the right PIN did not clear the stored count"
        return outcome

    def visitor(self, event) -> None:
        before = self.state.phase
        outcome = self.apply(event())
        self.touched_since_reset = True
        if before in WAKING:
            assert outcome.swallowed, "a wake that also acted"
            assert not any(isinstance(e, ACTING) for e in outcome.effects)

    @rule()
    def touch(self) -> None:
        self.visitor(self.state.touch)

    @rule(taps=st.integers(1, 6), gap=st.sampled_from([0.1, 0.5, 1.0]))
    def corner_taps(self, taps: int, gap: float) -> None:
        for _ in range(taps):
            self.visitor(self.state.corner_tap)
            self.time_passes(gap)

    @rule()
    def key_chord(self) -> None:
        self.apply(self.state.key_chord())
        self.touched_since_reset = True

    @rule()
    def pointer_moved(self) -> None:
        self.apply(self.state.pointer_moved())

    @rule(pin=st.sampled_from([PIN, "1111", "", "2468100", PIN[:-1]]))
    def pin_entered(self, pin: str) -> None:
        self.apply(self.state.pin_entered(pin), pin=pin)

    @rule(tries=st.integers(1, 6))
    def guessing(self, tries: int) -> None:
        """Somebody tries PINs at random, several in a row."""
        for _ in range(tries):
            self.pin_entered("1111")

    @rule()
    def staff_closed(self) -> None:
        self.apply(self.state.staff_closed())

    @rule(seconds=st.sampled_from([0.2, 1.0, 3.0, 19.9, 20.0, 45.0, 61.0, 400.0, 3600.0]))
    def time_passes(self, seconds: float) -> None:
        """As the single timer would: wake at each deadline on the way."""
        for _t, effect in run(self.state, self.clock, seconds):
            self.apply(Outcome((effect,)))

    @rule(with_hours=st.booleans(), countdown=st.integers(0, 4))
    def content_reloaded(self, with_hours: bool, countdown: int) -> None:
        settings = self.state.settings
        self.apply(self.state.configure(BoothSettings(
            settings.first_panel, settings.attract, pin_hash=settings.pin_hash, idle_timeout=20.0,
            countdown=countdown, screen_off=NIGHT if with_hours else None, shift_every=60.0)))

    @rule()
    def restarted(self) -> None:
        self.apply(self.state.stop())
        self.touched_since_reset = False
        self.apply(self.state.start())

    @rule()
    def process_restarted(self) -> None:
        """The show is killed and started again: a new machine from what was stored."""
        self.apply(self.state.stop())
        old = self.state
        self.state = BoothState(old.settings, clock=self.clock.monotonic, wall_clock=self.clock.wall,
                                pin_record=self.disk)
        self.touched_since_reset = False
        locked = self.state.locked_for()
        assert locked <= self.disk.lockout_s, "a restored lockout longer than its length"
        if not self.wall_moved_since_stored:
            assert locked == pytest.approx(max(0.0, self.locked_until - self.clock.t)), "a restart changed a lockout"
        # a system clock set since the record was stored moves its end (within its length)
        self.locked_until = self.clock.t + locked if locked else -math.inf
        self.apply(self.state.start())

    @precondition(lambda self: self.state.settings.screen_off is not None)
    @rule(hour=st.integers(0, 23))
    def system_clock_set(self, hour: int) -> None:
        self.clock.jump_wall(datetime(2024, 5, 2, hour, 0))
        self.wall_moved_since_stored = True

    @invariant()
    def the_state_is_a_defined_one(self) -> None:
        s = self.state
        assert s.phase in set(Phase) and s.staff in set(Staff)
        assert s.staff == Staff.NONE or s.phase == Phase.ACTIVE
        assert (s.phase == Phase.COUNTDOWN) == (s.countdown_left > 0)
        assert (s.phase == Phase.ATTRACT) == (s.attract_panel is not None)
        deadline = s.next_deadline()
        assert deadline is None or deadline > self.clock.t  # nothing left overdue

    @invariant()
    def the_screen_shows_the_state(self) -> None:
        s, screen = self.state, self.screen
        assert screen.countdown == (s.countdown_left or None)
        assert screen.prompt == (s.phase == Phase.ATTRACT)
        assert screen.off == (s.phase == Phase.OFF)
        assert screen.pad == (s.staff == Staff.PIN_PAD) and screen.menu == (s.staff == Staff.MENU)

    @invariant()
    def the_lockout_holds(self) -> None:
        if self.clock.t < self.locked_until:
            assert self.state.locked_for() > 0


Visitors.TestCase.settings = settings(max_examples=300, stateful_step_count=60, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])
test_random_visitors_and_staff = Visitors.TestCase
