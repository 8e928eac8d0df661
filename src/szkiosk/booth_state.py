"""The booth's state in plain Python: who is at the screen, what it shows when nobody is, when
it sleeps, and who may leave the show.

:class:`BoothState` is a functional core. The Qt side (:mod:`szkiosk.booth.kiosk`) turns input
into events, calls one method per event and applies the :class:`Effect` s it gets back, in
order; it keeps one timer, set to :meth:`BoothState.seconds_to_next`, that calls
:meth:`BoothState.advance`. Nothing here imports Qt, so every rule is tested with a fake clock.

The cycle, with the settings of ``kiosk:`` in ``deck.yaml``::

    ACTIVE --idle_timeout, after a touch--> COUNTDOWN --countdown s--> reset
    ACTIVE --idle_timeout, nobody touched since the last reset--> reset (no countdown)
    reset: first panel, default language; then ATTRACT, or OFF inside the screen-off hours
    COUNTDOWN, ATTRACT, OFF --a touch--> ACTIVE (that touch is swallowed: it wakes, it does not act)
    ATTRACT --the screen-off hours begin--> OFF       OFF --they end--> reset -> ATTRACT

A visitor still at the screen when the hours begin keeps it until the idle path ends. Staff
open the PIN pad with five taps in the top-left corner within 3 s or with the key chord; with
no PIN set, the chord opens the staff menu directly and the corner does nothing. Five wrong
PINs lock the pad for a minute, however often it is closed and opened again; each wrong PIN
after that locks it again, for twice as long each time (at most an hour), until the right PIN
is entered. The count and the lockout are a :class:`~szkiosk.pin_store.PinRecord`: the booth
starts from the stored one and hands every change back (:class:`PinGuardChanged`) for the Qt
side to store, so a restart lifts nothing.

Time comes from two injected clocks: a monotonic one (seconds) for every interval and the
local wall clock for the screen-off hours.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from szkiosk.content import BrokenPanel, LoadedDeck, PanelModel
from szkiosk.content.pin_hash import hash_pin as hash_pin  # re-exported with pin_matches
from szkiosk.content.pin_hash import pin_matches
from szkiosk.content.schema import parse_time_range
from szkiosk.pin_store import PinRecord

#: Taps in the top-left corner, all within :data:`CORNER_WINDOW_S`, that ask for the PIN pad.
CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0
#: Wrong PINs in a row that lock the pad, and for how long; each wrong PIN after that locks it
#: again for twice as long as the lockout before, up to :data:`LOCKOUT_MAX_S`.
MAX_ATTEMPTS = 5
LOCKOUT_S = 60.0
LOCKOUT_MAX_S = 3600.0
#: A mouse pointer that moved shows the cursor this long.
CURSOR_SHOW_S = 3.0
#: Footer offsets in logical px, one step per shift interval; the loop ends where it began.
#: Down only: moved up, the source line would touch the cards of full-height panels.
SHIFT_OFFSETS: tuple[tuple[int, int], ...] = (
    (0, 0), (3, 0), (4, 2), (3, 4), (0, 4), (-3, 4), (-4, 2), (-3, 0),
)
#: The screen-off hours are re-read from the wall clock at least this often (s), so a changed
#: system clock or a DST switch corrects itself.
MAX_CHECK_S = 15 * 60
#: Check just after a boundary of the screen-off hours, not just before it.
BOUNDARY_SLACK_S = 0.5


class Phase(str, Enum):
    """What the screen is doing for visitors."""

    #: Somebody may be using the show (also right after start, before anyone touched it).
    ACTIVE = "active"
    #: "Still there?" counts down; a touch carries on where the visitor was.
    COUNTDOWN = "countdown"
    #: Nobody there: the attract loop steps through its panels under "Touch to explore".
    ATTRACT = "attract"
    #: Black screen inside the screen-off hours.
    OFF = "off"


class Staff(str, Enum):
    """Which staff screen is open (only ever in the ACTIVE phase)."""

    NONE = "none"
    PIN_PAD = "pin-pad"
    MENU = "menu"


class Due(str, Enum):
    """Things the booth does at a time of its own (see :meth:`BoothState.agenda`)."""

    IDLE = "idle"
    COUNTDOWN_TICK = "countdown-tick"
    NEXT_ATTRACT_PANEL = "next-attract-panel"
    HOURS_CHECK = "hours-check"
    FOOTER_SHIFT = "footer-shift"
    CURSOR_HIDE = "cursor-hide"
    PIN_UNLOCK = "pin-unlock"


# -- effects: what the screen must do ----------------------------------------------------------
@dataclass(frozen=True)
class Effect:
    """Something the Qt side draws or does, in the order given."""


@dataclass(frozen=True)
class ShowCountdown(Effect):
    """Show "Still there?" with ``seconds`` left (or update the number)."""

    seconds: int


@dataclass(frozen=True)
class HideCountdown(Effect):
    """Take "Still there?" away."""


@dataclass(frozen=True)
class ResetToFirst(Effect):
    """First panel, ``language`` (the deck's default), no history, no window overlay."""

    language: str


@dataclass(frozen=True)
class ShowAttractPrompt(Effect):
    """Put up the "Touch to explore" call to action."""


@dataclass(frozen=True)
class HideAttractPrompt(Effect):
    """Take the call to action away."""


@dataclass(frozen=True)
class ShowAttractPanel(Effect):
    """The attract loop moves on to ``panel_id``."""

    panel_id: str


@dataclass(frozen=True)
class ScreenOff(Effect):
    """Black screen: nothing moves behind it and the cursor stays hidden."""


@dataclass(frozen=True)
class ScreenOn(Effect):
    """Light the screen again on the panel underneath."""


@dataclass(frozen=True)
class OpenPinPad(Effect):
    """Show the staff PIN pad."""


@dataclass(frozen=True)
class PinRefused(Effect):
    """A wrong PIN, the ``in_a_row``-th since the last right one; ``tries_left`` more before the
    pad locks (0: a :class:`PinLocked` follows)."""

    tries_left: int
    in_a_row: int


@dataclass(frozen=True)
class PinGuardChanged(Effect):
    """Wrong PINs or the lockout changed: store ``record`` so a restart keeps them."""

    record: PinRecord


@dataclass(frozen=True)
class PinLocked(Effect):
    """The pad takes no PIN for ``seconds``."""

    seconds: float


@dataclass(frozen=True)
class PinUnlocked(Effect):
    """The lockout is over while the pad is open."""


@dataclass(frozen=True)
class ClosePinPad(Effect):
    """Take the PIN pad away."""


@dataclass(frozen=True)
class OpenStaffMenu(Effect):
    """Show the staff menu (resume, reload, status, stats, quit); staff came in ``via`` the right
    PIN (``"pin"``) or the key chord of a booth without a PIN (``"chord"``)."""

    via: str


@dataclass(frozen=True)
class CloseStaffMenu(Effect):
    """Take the staff menu away."""


@dataclass(frozen=True)
class ShiftFooter(Effect):
    """Move the static footer to ``(dx, dy)`` logical px (burn-in care); panels never move."""

    dx: int
    dy: int


@dataclass(frozen=True)
class ShowCursor(Effect):
    """A mouse moved: show the pointer for a while."""


@dataclass(frozen=True)
class HideCursor(Effect):
    """Hide the pointer."""


@dataclass(frozen=True)
class VisitorLeft(Effect):
    """The idle timeout ended a visitor's session (analytics close it)."""


@dataclass(frozen=True)
class Outcome:
    """What one event did: ``effects`` to apply, and whether the input that caused it is
    ``swallowed`` (it only woke the booth, so it must not also press what is under it)."""

    effects: tuple[Effect, ...] = ()
    swallowed: bool = False


# -- the settings, as data ----------------------------------------------------------------------
@dataclass(frozen=True)
class ScreenSchedule:
    """A daily window, ``start`` to ``end`` in minutes after midnight (may cross midnight)."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> ScreenSchedule:
        """``"20:00-08:00"`` -> the window (``ValueError`` for anything else)."""
        return cls(*parse_time_range(text))

    def __str__(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:{self.end % 60:02d}"

    def contains(self, now: datetime) -> bool:
        """True when ``now`` (local time) is inside the window (start inclusive, end exclusive)."""
        minute = now.hour * 60 + now.minute + now.second / 60 + now.microsecond / 60e6
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end

    def next_boundary(self, now: datetime) -> datetime:
        """The next start or end after ``now``."""
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        candidates = []
        for minute in (self.start, self.end):
            at = midnight + timedelta(minutes=minute)
            candidates.append(at if at > now else at + timedelta(days=1))
        return min(candidates)


@dataclass(frozen=True)
class AttractLoop:
    """The panels the attract loop visits, in order, and how long it stays on each."""

    panels: tuple[str, ...]
    #: Seconds on a panel that sets its own ``duration:``; others get ``default_dwell``.
    dwell: Mapping[str, float] = field(default_factory=dict)
    default_dwell: float = 12.0

    def __post_init__(self) -> None:
        if not self.panels:
            raise ValueError("an attract loop needs at least one panel")
        if self.default_dwell <= 0 or any(seconds <= 0 for seconds in self.dwell.values()):
            raise ValueError("attract dwell times must be positive")

    @classmethod
    def from_deck(cls, deck: LoadedDeck, skipped: Collection[str] = ()) -> AttractLoop:
        """``kiosk.attract_panels`` minus panels that fail (broken files, ``skipped`` by the
        warm-up); every good panel when none of those is left; never an empty loop."""
        kiosk = deck.model.kiosk
        good = [p.id for p in deck.panels if not isinstance(p, BrokenPanel) and p.id not in skipped]
        wanted = [pid for pid in kiosk.attract_panels if pid in good]
        dwell = {p.id: float(p.duration) for p in deck.panels if isinstance(p, PanelModel) and p.duration}
        return cls(tuple(wanted or good or [p.id for p in deck.panels]), dwell, float(kiosk.attract_dwell))

    def dwell_for(self, panel_id: str) -> float:
        """Seconds the loop stays on ``panel_id``."""
        return self.dwell.get(panel_id, self.default_dwell)

    def after(self, panel_id: str | None) -> str:
        """The panel that follows ``panel_id`` (wrapping round); the first one from elsewhere."""
        if panel_id in self.panels:
            return self.panels[(self.panels.index(panel_id) + 1) % len(self.panels)]
        return self.panels[0]


@dataclass(frozen=True)
class BoothSettings:
    """Everything the booth's rules depend on (built from ``deck.yaml`` by :meth:`from_deck`)."""

    first_panel: str
    attract: AttractLoop
    default_language: str = "en"
    idle_timeout: float = 60.0
    #: Whole seconds of "Still there?"; 0 resets at once.
    countdown: int = 10
    #: The staff PIN's stored hash: a ``scrypt$...`` line or an old SHA-256 hex (None: no PIN).
    pin_hash: str | None = None
    screen_off: ScreenSchedule | None = None
    #: Seconds between footer shifts; 0 = off.
    shift_every: float = 180.0

    def __post_init__(self) -> None:
        if self.idle_timeout <= 0 or self.countdown < 0 or self.shift_every < 0:
            raise ValueError("idle_timeout must be positive, countdown and shift_every at least 0")

    @classmethod
    def from_deck(cls, deck: LoadedDeck, skipped: Collection[str] = ()) -> BoothSettings:
        """The ``kiosk:`` settings of ``deck``; ``skipped`` panels stay out of the attract loop."""
        kiosk = deck.model.kiosk
        return cls(
            first_panel=deck.panels[0].id,
            attract=AttractLoop.from_deck(deck, skipped),
            default_language=deck.model.default_language,
            idle_timeout=float(kiosk.idle_timeout),
            countdown=round(kiosk.countdown),
            pin_hash=kiosk.pin_hash,
            screen_off=ScreenSchedule.parse(kiosk.screen_off) if kiosk.screen_off else None,
            shift_every=float(kiosk.pixel_shift_minutes) * 60,
        )


def spoken_languages(current: str, default: str, deck_languages: Sequence[str] = (), *,
                     at_least: int = 1) -> list[str]:
    """Languages the booth speaks in, in order: the one on screen, then the deck's default.

    ``at_least=2`` is for words addressed to people whose language is unknown (the attract
    loop, which always runs in the default language): the deck's next language is added.
    """
    spoken = [current] if current == default else [current, default]
    for language in deck_languages:
        if len(spoken) >= at_least:
            break
        if language not in spoken:
            spoken.append(language)
    return spoken


# -- the parts ------------------------------------------------------------------------------------
class CornerGesture:
    """Counts taps in the top-left corner: :data:`CORNER_TAPS` within :data:`CORNER_WINDOW_S`."""

    def __init__(self) -> None:
        self._taps: deque[float] = deque(maxlen=CORNER_TAPS)

    def tap(self, now: float) -> bool:
        """One corner tap at ``now``; True when it completes the gesture (the count starts again)."""
        while self._taps and now - self._taps[0] > CORNER_WINDOW_S:
            self._taps.popleft()
        self._taps.append(now)
        if len(self._taps) < CORNER_TAPS:
            return False
        self._taps.clear()
        return True

    def reset(self) -> None:
        """A tap elsewhere breaks the series."""
        self._taps.clear()


def lockout_length(failures: int) -> float:
    """Seconds the ``failures``-th wrong PIN in a row locks the pad for (0: it does not)."""
    if failures < MAX_ATTEMPTS:
        return 0.0
    return min(LOCKOUT_S * 2.0 ** min(failures - MAX_ATTEMPTS, 32), LOCKOUT_MAX_S)


class PinGuard:
    """Wrong PINs in a row, and the lockout they earn.

    It belongs to the booth, not to the pad on screen, so closing and reopening the pad
    neither clears the count nor lifts a lockout; built from a stored :class:`PinRecord`, a
    restart does not either. ``now`` is monotonic seconds, ``wall_now`` Unix seconds.
    """

    def __init__(self, record: PinRecord | None = None, *, now: float = 0.0, wall_now: float = 0.0) -> None:
        record = record or PinRecord()
        self.failures = max(0, record.failures)
        #: Length of the lockout earned last (0: none yet).
        self.lockout_s = min(max(0.0, record.lockout_s), LOCKOUT_MAX_S)
        # the wall clock may have moved since (or been set): never longer than the lockout's length
        left = min(max(0.0, record.locked_until - wall_now), self.lockout_s)
        self.locked_until = now + left if left > 0 else -math.inf

    def locked_for(self, now: float) -> float:
        """Seconds of lockout left at ``now`` (0 when the pad takes a PIN; never more than its length)."""
        return min(max(0.0, self.locked_until - now), self.lockout_s)

    def fail(self, now: float) -> float:
        """Count a wrong PIN; the seconds it locks the pad for (0 when it does not)."""
        self.failures += 1
        length = lockout_length(self.failures)
        if length:
            self.lockout_s = length
            self.locked_until = now + length
        return length

    @property
    def tries_left(self) -> int:
        """Wrong PINs still allowed before the pad locks."""
        return max(0, MAX_ATTEMPTS - self.failures)

    @property
    def clear(self) -> bool:
        """True when no wrong PIN is counted (nothing to store)."""
        return self.failures == 0 and self.lockout_s == 0

    def succeed(self) -> None:
        """The right PIN: the count starts again and lockouts start short again."""
        self.failures = 0
        self.lockout_s = 0.0
        self.locked_until = -math.inf

    def record(self, now: float, wall_now: float) -> PinRecord:
        """What to store: the count, and the lockout's end on the wall clock."""
        left = self.locked_for(now)
        return PinRecord(self.failures, self.lockout_s, wall_now + left if left else 0.0)


# -- the machine ----------------------------------------------------------------------------------
class BoothState:
    """The booth's rules, driven by events; each event returns an :class:`Outcome`.

    Events: :meth:`start`, :meth:`stop`, :meth:`touch`, :meth:`corner_tap`, :meth:`key_chord`,
    :meth:`pointer_moved`, :meth:`pin_entered`, :meth:`staff_closed`, :meth:`configure`, and
    :meth:`advance` when the time of :meth:`next_deadline` has come.
    """

    def __init__(self, settings: BoothSettings, *, clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], datetime] = datetime.now, pin_record: PinRecord | None = None) -> None:
        self.settings = settings
        self._clock = clock
        self._wall_clock = wall_clock
        self.running = False
        self.phase = Phase.ACTIVE
        self.staff = Staff.NONE
        #: Somebody touched the screen since the start or the last reset (else: no countdown).
        self.has_visitor = False
        #: Seconds "Still there?" shows now (0 outside the countdown).
        self.countdown_left = 0
        #: The panel the attract loop shows (None outside the loop).
        self.attract_panel: str | None = None
        self.shift_index = 0
        self.cursor_visible = True
        self._due: dict[Due, float] = {}
        self._last_input = 0.0
        self._corner = CornerGesture()
        #: Wrong PINs and the lockout, from ``pin_record`` (what the last run stored).
        self._pin = PinGuard(pin_record, now=clock(), wall_now=wall_clock().timestamp())
        self._effects: list[Effect] = []

    # -- queries -----------------------------------------------------------------------------
    @property
    def footer_offset(self) -> tuple[int, int]:
        """Where the footer sits now, in logical px."""
        return SHIFT_OFFSETS[self.shift_index]

    @property
    def pin_required(self) -> bool:
        """True when a staff PIN is set (the corner gesture works only then)."""
        return bool(self.settings.pin_hash)

    def locked_for(self) -> float:
        """Seconds the PIN pad stays locked."""
        return self._pin.locked_for(self._clock())

    def pin_record(self) -> PinRecord:
        """Wrong PINs and the lockout as they would be stored now."""
        return self._pin.record(self._clock(), self._wall_clock().timestamp())

    def inside_off_hours(self) -> bool:
        """True while the wall clock is inside ``kiosk.screen_off``."""
        schedule = self.settings.screen_off
        return schedule is not None and schedule.contains(self._wall_clock())

    def agenda(self) -> dict[Due, float]:
        """What is planned, and when (monotonic seconds)."""
        return dict(self._due)

    def next_deadline(self) -> float | None:
        """The monotonic time :meth:`advance` has something to do, or None."""
        return min(self._due.values(), default=None)

    def seconds_to_next(self) -> float | None:
        """Seconds until :meth:`next_deadline` (0 when overdue), or None."""
        deadline = self.next_deadline()
        return None if deadline is None else max(0.0, deadline - self._clock())

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> Outcome:
        """The booth begins: cursor hidden, footer in place, counting towards idle."""
        if self.running:
            return Outcome()
        now = self._clock()
        self.running = True
        self.phase, self.staff, self.has_visitor = Phase.ACTIVE, Staff.NONE, False
        self._hide_cursor()
        self.shift_index = 0
        self._emit(ShiftFooter(0, 0))
        self._plan_shift(now)
        self._keep_alive(now)
        self._check_hours(now)
        return self._outcome()

    def stop(self) -> Outcome:
        """The booth ends: every overlay down, screen lit, footer home, cursor back."""
        if not self.running:
            return Outcome()
        self._end_phase()
        self._close_staff()
        self._move_footer(0)
        if not self.cursor_visible:
            self.cursor_visible = True
            self._emit(ShowCursor())
        self.running = False
        self._due.clear()
        return self._outcome()

    def configure(self, settings: BoothSettings) -> Outcome:
        """New settings (content reloaded, panels failed the warm-up); takes effect at once."""
        old, self.settings = self.settings, settings
        if not self.running:
            return Outcome()
        now = self._clock()
        if Due.IDLE in self._due:
            self._due[Due.IDLE] = self._last_input + settings.idle_timeout
        if settings.shift_every != old.shift_every:
            self._due.pop(Due.FOOTER_SHIFT, None)
            if not settings.shift_every:
                self._move_footer(0)
            self._plan_shift(now)
        self._check_hours(now)
        return self._outcome()

    # -- input ----------------------------------------------------------------------------------
    def touch(self) -> Outcome:
        """A visitor pressed something: a tap, a click, a key, a wheel.

        It ends the countdown, the attract loop or the black screen, and is then swallowed.
        """
        if not self.running:
            return Outcome()
        self._corner.reset()
        return self._outcome(swallowed=self._visitor_input())

    def corner_tap(self) -> Outcome:
        """A tap in the top-left corner: a touch, and (with a PIN set) part of the staff gesture."""
        if not self.running:
            return Outcome()
        woke = self._visitor_input()
        if self.pin_required and self._corner.tap(self._clock()):
            self._open_staff()
            return self._outcome(swallowed=True)
        return self._outcome(swallowed=woke)

    def key_chord(self) -> Outcome:
        """Ctrl+Alt+Shift+K: the PIN pad, or the staff menu when no PIN is set. Always swallowed."""
        if not self.running:
            return Outcome()
        self._corner.reset()
        self._visitor_input()
        self._open_staff()
        return self._outcome(swallowed=True)

    def pointer_moved(self) -> Outcome:
        """A real mouse moved: show the cursor for a while and keep an active session going."""
        if not self.running or self.phase == Phase.OFF:
            return Outcome()
        now = self._clock()
        if not self.cursor_visible:
            self.cursor_visible = True
            self._emit(ShowCursor())
        self._due[Due.CURSOR_HIDE] = now + CURSOR_SHOW_S
        if self.phase == Phase.ACTIVE:
            self._keep_alive(now)
        return self._outcome()

    def pin_entered(self, pin: str) -> Outcome:
        """OK on the PIN pad: the menu for the right PIN, a refusal or the lockout otherwise."""
        if not self.running or self.staff != Staff.PIN_PAD:
            return Outcome()
        now = self._clock()
        self._keep_alive(now)
        if self._pin.locked_for(now):  # not even checked: the lockout is what slows guessing
            self._emit(PinLocked(self._pin.locked_for(now)))
        elif pin_matches(pin, self.settings.pin_hash):
            if not self._pin.clear:
                self._pin.succeed()
                self._emit(PinGuardChanged(self.pin_record()))
            self._due.pop(Due.PIN_UNLOCK, None)
            self.staff = Staff.MENU
            self._emit(ClosePinPad(), OpenStaffMenu("pin"))
        else:
            locked = self._pin.fail(now)
            self._emit(PinRefused(self._pin.tries_left, self._pin.failures), PinGuardChanged(self.pin_record()))
            if locked:
                self._emit(PinLocked(locked))
                self._due[Due.PIN_UNLOCK] = self._pin.locked_until
        return self._outcome()

    def staff_closed(self) -> Outcome:
        """Staff cancelled the PIN pad or left the menu (Resume, Esc)."""
        if not self.running or self.staff == Staff.NONE:
            return Outcome()
        self._close_staff()
        self._keep_alive(self._clock())
        return self._outcome()

    # -- time -------------------------------------------------------------------------------------
    def advance(self) -> Outcome:
        """Do what is due by now (the timer set to :meth:`next_deadline` fired)."""
        if not self.running:
            return Outcome()
        now = self._clock()
        handlers = {
            Due.IDLE: self._idle,
            Due.COUNTDOWN_TICK: self._count_down,
            Due.NEXT_ATTRACT_PANEL: self._next_attract_panel,
            Due.HOURS_CHECK: self._check_hours,
            Due.FOOTER_SHIFT: self._shift_footer,
            Due.CURSOR_HIDE: lambda _now: self._hide_cursor(),
            Due.PIN_UNLOCK: self._pin_unlocked,
        }
        # one at a time, earliest first: each may plan or cancel the others
        while (due := [(at, what) for what, at in self._due.items() if at <= now]):
            _at, what = min(due)
            del self._due[what]
            handlers[what](now)
        return self._outcome()

    # -- the rules ----------------------------------------------------------------------------------
    def _emit(self, *effects: Effect) -> None:
        self._effects.extend(effects)

    def _outcome(self, *, swallowed: bool = False) -> Outcome:
        effects, self._effects = tuple(self._effects), []
        return Outcome(effects, swallowed)

    def _visitor_input(self) -> bool:
        """Somebody is here: wake the booth if it was waiting; True when it was (swallow the input)."""
        now = self._clock()
        woke = self.phase != Phase.ACTIVE
        if woke:
            self._end_phase()
            self._plan_shift(now)  # it rests while the screen is black
        self.has_visitor = True
        self._keep_alive(now)
        return woke

    def _keep_alive(self, now: float) -> None:
        self._last_input = now
        if self.phase == Phase.ACTIVE:
            self._due[Due.IDLE] = now + self.settings.idle_timeout

    def _end_phase(self) -> None:
        """Back to ACTIVE from wherever the booth is, taking down what that phase showed."""
        if self.phase == Phase.COUNTDOWN:
            self._emit(HideCountdown())
        elif self.phase == Phase.ATTRACT:
            self._emit(HideAttractPrompt())
        elif self.phase == Phase.OFF:
            self._emit(ScreenOn())
        for due in (Due.COUNTDOWN_TICK, Due.NEXT_ATTRACT_PANEL):
            self._due.pop(due, None)
        self.phase, self.countdown_left, self.attract_panel = Phase.ACTIVE, 0, None

    def _idle(self, now: float) -> None:
        """Nobody touched anything for ``idle_timeout``: "Still there?" if somebody was here, else reset."""
        self._close_staff()
        if self.has_visitor:
            self._emit(VisitorLeft())
        if self.has_visitor and self.settings.countdown > 0:
            self.phase = Phase.COUNTDOWN
            self.countdown_left = self.settings.countdown
            self._emit(ShowCountdown(self.countdown_left))
            self._due[Due.COUNTDOWN_TICK] = now + 1.0
        else:
            self._reset(now)

    def _count_down(self, now: float) -> None:
        self.countdown_left -= 1
        if self.countdown_left > 0:
            self._emit(ShowCountdown(self.countdown_left))
            self._due[Due.COUNTDOWN_TICK] = now + 1.0
        else:
            self._end_phase()
            self._reset(now)

    def _reset(self, now: float) -> None:
        """First panel, default language; then the attract loop, or the black screen in the off hours."""
        self._due.pop(Due.IDLE, None)
        self.has_visitor = False
        self._emit(ResetToFirst(self.settings.default_language))
        if self.inside_off_hours():
            self._screen_off()
            return
        self.phase = Phase.ATTRACT
        self.attract_panel = self.settings.first_panel
        self._emit(ShowAttractPrompt())
        self._due[Due.NEXT_ATTRACT_PANEL] = now + self.settings.attract.dwell_for(self.attract_panel)

    def _next_attract_panel(self, now: float) -> None:
        loop = self.settings.attract
        following = loop.after(self.attract_panel)
        if following != self.attract_panel:
            self.attract_panel = following
            self._emit(ShowAttractPanel(following))
        self._due[Due.NEXT_ATTRACT_PANEL] = now + loop.dwell_for(following)

    def _check_hours(self, now: float) -> None:
        """Compare the wall clock with the screen-off hours and plan the next look."""
        inside = self.inside_off_hours()
        nobody = self.phase == Phase.ATTRACT or (self.phase == Phase.ACTIVE and not self.has_visitor)
        if inside and nobody:
            self._end_phase()
            self._emit(ResetToFirst(self.settings.default_language))
            self._screen_off()
        elif not inside and self.phase == Phase.OFF:
            self._end_phase()
            self._plan_shift(now)
            self._reset(now)
        schedule = self.settings.screen_off
        if schedule is None:
            self._due.pop(Due.HOURS_CHECK, None)
            return
        wall = self._wall_clock()
        seconds = (schedule.next_boundary(wall) - wall).total_seconds() + BOUNDARY_SLACK_S
        self._due[Due.HOURS_CHECK] = now + min(max(seconds, 1.0), MAX_CHECK_S)

    def _screen_off(self) -> None:
        self._close_staff()
        self.phase, self.has_visitor = Phase.OFF, False
        for due in (Due.IDLE, Due.FOOTER_SHIFT, Due.CURSOR_HIDE):
            self._due.pop(due, None)
        self._emit(ScreenOff())
        self._hide_cursor()

    def _move_footer(self, index: int) -> None:
        if index != self.shift_index:
            self.shift_index = index
            self._emit(ShiftFooter(*self.footer_offset))

    def _plan_shift(self, now: float) -> None:
        """Plan the next footer shift, unless one is planned, shifting is off or the screen is black."""
        if self.settings.shift_every > 0 and self.phase != Phase.OFF and Due.FOOTER_SHIFT not in self._due:
            self._due[Due.FOOTER_SHIFT] = now + self.settings.shift_every

    def _shift_footer(self, now: float) -> None:
        self._move_footer((self.shift_index + 1) % len(SHIFT_OFFSETS))
        self._plan_shift(now)

    def _hide_cursor(self) -> None:
        self._due.pop(Due.CURSOR_HIDE, None)
        if self.cursor_visible:
            self.cursor_visible = False
            self._emit(HideCursor())

    def _open_staff(self) -> None:
        if self.staff != Staff.NONE:
            return
        if not self.pin_required:
            self.staff = Staff.MENU
            self._emit(OpenStaffMenu("chord"))
            return
        self.staff = Staff.PIN_PAD
        self._emit(OpenPinPad())
        locked = self.locked_for()
        if locked:
            self._emit(PinLocked(locked))
            self._due[Due.PIN_UNLOCK] = self._pin.locked_until

    def _close_staff(self) -> None:
        if self.staff == Staff.PIN_PAD:
            self._emit(ClosePinPad())
        elif self.staff == Staff.MENU:
            self._emit(CloseStaffMenu())
        self.staff = Staff.NONE
        self._due.pop(Due.PIN_UNLOCK, None)

    def _pin_unlocked(self, _now: float) -> None:
        if self.staff == Staff.PIN_PAD:
            self._emit(PinUnlocked())
