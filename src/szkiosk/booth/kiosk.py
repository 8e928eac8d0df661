"""Unattended booth mode on screen: Qt input in, the booth's effects drawn.

The rules live in :class:`szkiosk.booth_state.BoothState` (idle, "Still there?", the attract
loop, the screen-off hours, the staff path, the PIN lockout, which input only wakes). A
:class:`KioskController` does three things for one kiosk :class:`~szkiosk.show.window.ShowWindow`:

* it watches every input event of the application (an application event filter) and feeds
  the booth: a press is a touch, a corner tap or the staff chord; a real mouse's move shows
  the cursor. What the booth says only woke it is swallowed, with the release and the moves
  that belong to it, and with the mouse press Qt makes from a touch;
* it applies the :class:`~szkiosk.booth_state.Effect` s the booth returns: "Still there?",
  the reset, the attract prompt and panels, the black screen and the footer shift
  (:mod:`~szkiosk.booth.screencare`), the PIN pad and the staff menu
  (:mod:`~szkiosk.booth.admin`), the cursor, analytics; it stores the wrong-PIN count and
  the lockout in the state folder (:class:`~szkiosk.pin_store.PinStore`) and logs every wrong
  PIN (WARNING) and every way into the staff menu (INFO), never the PIN;
* it keeps one timer, set to the booth's next deadline.

Timing is injectable through :class:`KioskClock` (tests run a booth 200 times faster, or on
a fake clock and call :meth:`KioskController.advance` themselves).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCursor, QInputDevice, QKeyEvent, QPointerEvent, QWindow
from PySide6.QtWidgets import QApplication, QGraphicsObject, QWidget

from szkiosk.booth.admin import AdminOverlay, PinPad
from szkiosk.booth.prompts import AttractPrompt, CountdownOverlay, said
from szkiosk.booth.screencare import ScreenCare
from szkiosk.booth.service import STAFF_EXIT_CODE
from szkiosk.booth_state import (
    CORNER_TAPS,
    BoothSettings,
    BoothState,
    ClosePinPad,
    CloseStaffMenu,
    Effect,
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
    ShiftFooter,
    ShowAttractPanel,
    ShowAttractPrompt,
    ShowCountdown,
    ShowCursor,
    Staff,
    VisitorLeft,
    spoken_languages,
)
from szkiosk.content.pin_hash import LEGACY_ADVICE, is_legacy
from szkiosk.deck import Cause, Change
from szkiosk.pin_store import PinStore

if TYPE_CHECKING:
    from szkiosk.booth.analytics import Analytics
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

#: After a touch, Qt may send a mouse press made from it: within this time it is the same touch.
TOUCH_ECHO_S = 0.35

_PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin,
          QEvent.Type.TabletPress}
_RELEASE = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel,
            QEvent.Type.TabletRelease}
_MOVE = {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate, QEvent.Type.TabletMove}
_KEYS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
_INPUT = _PRESS | _RELEASE | _MOVE | _KEYS | {QEvent.Type.Wheel}
_CHORD = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
          | Qt.KeyboardModifier.ShiftModifier)


@dataclass(frozen=True)
class KioskClock:
    """The booth's clocks.

    ``time_scale`` below 1 runs the booth faster than real time (tests, trials): a booth
    second lasts ``time_scale`` real seconds on the timer, and the default monotonic clock
    runs that much faster too. ``monotonic`` replaces it (a fake clock); ``wall`` is the
    local time the screen-off hours are read from.
    """

    time_scale: float = 1.0
    monotonic: Callable[[], float] | None = None
    wall: Callable[[], datetime] = datetime.now

    def booth_seconds(self) -> Callable[[], float]:
        """The monotonic clock the booth runs on."""
        if self.monotonic is not None:
            return self.monotonic
        if self.time_scale == 1.0:
            return time.monotonic
        origin, scale = time.monotonic(), self.time_scale
        return lambda: origin + (time.monotonic() - origin) / scale


@dataclass(frozen=True)
class StaffHooks:
    """What the staff menu reaches beyond the kiosk: a reload, the status and stats texts, quit."""

    reload: Callable[[], None] | None = None
    status: Callable[[], str] | None = None
    stats: Callable[[], str] | None = None
    #: Called after a staff quit instead of closing the window.
    quit: Callable[[], None] | None = None


class KioskController(QObject):
    """Booth behaviour for one kiosk window (see the module docstring)."""

    def __init__(self, window: ShowWindow, *, clock: KioskClock = KioskClock(), staff: StaffHooks = StaffHooks(),
                 analytics: Analytics | None = None, hide_cursor: bool = True,
                 pin_store: PinStore | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.analytics = analytics
        self.hooks = staff
        self.hide_cursor = hide_cursor
        self.time_scale = clock.time_scale
        self._now = clock.booth_seconds()
        #: Where wrong PINs and the lockout are kept (default: the state folder).
        self.pin_store = pin_store or PinStore()
        #: The booth's rules and where it stands.
        self.state = BoothState(BoothSettings.from_deck(window.deck), clock=self._now, wall_clock=clock.wall,
                                pin_record=self.pin_store.load())
        #: Exit status after a staff quit (None while the show runs).
        self.exit_code: int | None = None
        #: Problems the warm-up self-test found, for the staff menu.
        self.problems: list[str] = []
        self._skipped: frozenset[str] = frozenset()
        self.screen = ScreenCare(window.stage)
        self.countdown_overlay: CountdownOverlay | None = None
        self.prompt: AttractPrompt | None = None
        self.pin_pad: PinPad | None = None
        self.admin: AdminOverlay | None = None
        #: The staff menu shows the status text (not the stats): a finished reload redraws it.
        self._showing_status = False
        #: The one timer: it fires at the booth's next deadline.
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% early
        self.timer.timeout.connect(self.advance)
        #: While the PIN pad is open and locked, its "wait N s" counts down once a second.
        self._lock_tick = QTimer(self)
        self._lock_tick.setInterval(1000)
        self._lock_tick.timeout.connect(self._tick_lockout)
        self._running = False
        self._settings_stale = False
        self._cursor_hidden = False
        self._last_event: tuple | None = None
        self._swallowing = False
        self._touch_at = -math.inf
        self._touch_swallowed = False
        window.stage.panel_shown.connect(self._on_panel_shown)
        window.stage.scene_rebuilt.connect(self._on_scene_rebuilt)
        # analytics: language switches, and detail layers opened (seen after each input)
        self._details_panel: object | None = None
        if analytics is not None:
            analytics.language = window.presentation.language
            window.presentation.subscribe(self._on_presentation_change)

    # -- what the booth knows ----------------------------------------------------------------
    @property
    def phase(self) -> Phase:
        """Where the booth is: active, countdown, attract or off."""
        return self.state.phase

    @property
    def skipped(self) -> frozenset[str]:
        """Panels the warm-up found failing: the attract loop leaves them out."""
        return self._skipped

    @skipped.setter
    def skipped(self, panel_ids: set[str] | frozenset[str]) -> None:
        self._skipped = frozenset(panel_ids)
        self._apply(self.state.configure(self._settings()))

    def languages(self, at_least: int = 1) -> list[str]:
        """Languages for the booth's words now: the one on screen first, then the deck's default."""
        model = self.window.deck.model
        return spoken_languages(self.window.presentation.language, model.default_language, model.languages,
                                at_least=at_least)

    def attract_ids(self) -> list[str]:
        """Panel ids the attract loop visits."""
        return list(self.state.settings.attract.panels)

    def _settings(self) -> BoothSettings:
        return BoothSettings.from_deck(self.window.deck, self._skipped)

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Watch input from now on, hide the cursor, count towards idle (kiosk windows only)."""
        if self._running:
            return
        if not self.window.kiosk:
            log.warning("booth behaviour is for kiosk windows; this one is not")
            return
        self._running = True
        QApplication.instance().installEventFilter(self)
        if is_legacy(self.state.settings.pin_hash):
            log.warning("%s: kiosk.pin_sha256: %s", self.window.deck.root / "deck.yaml", LEGACY_ADVICE)
        locked = self.state.locked_for()
        if locked:
            log.warning("staff PIN pad still locked for %.0f s (wrong PINs before the restart)", locked)
        self._apply(self.state.start())
        stage, deck = self.window.stage, self.window.deck
        if self.analytics is not None and 0 <= stage.index < len(deck.panels):
            self.analytics.panel_shown(deck.panels[stage.index].id)

    def stop(self) -> None:
        """Take every overlay down, light the screen, show the cursor, stop watching input."""
        self._apply(self.state.stop())
        self._running = False
        self.timer.stop()
        self._lock_tick.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def advance(self) -> None:
        """Let the booth do what is due (the timer calls it; tests on a fake clock do too)."""
        if self._settings_stale:
            self._settings_stale = False
            self._apply(self.state.configure(self._settings()))
        self._apply(self.state.advance())

    def _arm(self) -> None:
        seconds = 0.0 if self._settings_stale else self.state.seconds_to_next()
        if not self._running or seconds is None:
            self.timer.stop()
        else:
            self.timer.start(math.ceil(seconds * 1000 * self.time_scale))

    # -- effects -------------------------------------------------------------------------------------
    def _apply(self, outcome: Outcome) -> Outcome:
        for effect in outcome.effects:
            try:
                self._draw(effect)
            except Exception:
                log.exception("kiosk: %s failed; the show goes on", effect)
        self._arm()
        return outcome

    def _draw(self, effect: Effect) -> None:
        window = self.window
        match effect:
            case ShowCountdown(seconds=seconds):
                if self.countdown_overlay is None:
                    self._show_countdown(seconds)
                else:
                    self.countdown_overlay.set_seconds(seconds)
            case HideCountdown():
                self._discard(self.countdown_overlay)
                self.countdown_overlay = None
            case ResetToFirst(language=language):
                window.close_overlay()
                window.presentation.reset(language)
                log.info("reset to the first panel (%s)", language)
            case ShowAttractPrompt():
                self._show_prompt()
                log.info("attract loop started")
            case HideAttractPrompt():
                self._discard(self.prompt)
                self.prompt = None
                log.info("attract loop ended")
            case ShowAttractPanel(panel_id=panel_id):
                if panel_id in window.presentation.ids:
                    window.presentation.goto(panel_id)
            case ScreenOff():
                self.screen.black_out()
                log.info("screen off (kiosk.screen_off %s)", self.state.settings.screen_off)
            case ScreenOn():
                self.screen.light_up()
                log.info("screen on")
            case OpenPinPad():
                self._show_pin_pad()
                log.info("staff PIN pad opened")
            case PinRefused(tries_left=tries_left, in_a_row=in_a_row):
                if self.pin_pad is not None:
                    self.pin_pad.show_refused(tries_left)
                log.warning("wrong staff PIN: %d wrong in a row, %s", in_a_row,
                            f"{tries_left} more before the pad locks" if tries_left else "the pad locks")
            case PinLocked(seconds=seconds):
                if self.pin_pad is not None:
                    self.pin_pad.show_locked(seconds)
                    self._lock_tick.start()
                log.warning("staff PIN pad locked: no PIN is checked for %.0f s", seconds)
            case PinGuardChanged(record=record):
                self.pin_store.save(record)
            case PinUnlocked():
                self._lock_tick.stop()
                if self.pin_pad is not None:
                    self.pin_pad.show_unlocked()
            case ClosePinPad():
                self._discard(self.pin_pad)
                self.pin_pad = None
            case OpenStaffMenu(via=via):
                self._show_admin()
                log.info("staff menu opened %s", "with the right PIN" if via == "pin"
                         else "with the key chord (no PIN set)")
            case CloseStaffMenu():
                self._discard(self.admin)
                self.admin = None
            case ShiftFooter(dx=dx, dy=dy):
                self.screen.shift_footer(dx, dy)
            case ShowCursor():
                if self._cursor_hidden:
                    QApplication.restoreOverrideCursor()
                    self._cursor_hidden = False
            case HideCursor():
                if self.hide_cursor and not self._cursor_hidden:
                    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
                    self._cursor_hidden = True
            case VisitorLeft():
                if self.analytics is not None:
                    self.analytics.idle()

    def _add(self, item: QGraphicsObject) -> None:
        self.window.stage.scene().addItem(item)

    @staticmethod
    def _discard(item: QGraphicsObject | None) -> None:
        """Take ``item`` off the stage (it may have gone with its scene already)."""
        if item is None or not shiboken6.isValid(item):
            return
        if isinstance(item, AttractPrompt):
            item.stop()
        if item.scene() is not None:
            item.scene().removeItem(item)
        item.deleteLater()

    def _show_countdown(self, seconds: int) -> None:
        stage = self.window.stage
        self.countdown_overlay = CountdownOverlay(stage.theme, stage.logical, self.languages(), seconds)
        self._add(self.countdown_overlay)

    def _show_prompt(self) -> None:
        stage = self.window.stage
        # an invitation to passers-by whose language is unknown: two languages where the deck has them
        self.prompt = AttractPrompt(stage.theme, stage.logical, self.languages(at_least=2))
        self._add(self.prompt)
        self.prompt.start(animate=stage.animate_transitions)

    def _show_pin_pad(self) -> None:
        stage = self.window.stage
        self.pin_pad = PinPad(stage.theme, stage.logical, self.languages(),
                              lambda pin: self._apply(self.state.pin_entered(pin)), self.close_admin)
        self._add(self.pin_pad)
        locked = self.state.locked_for()
        if locked:
            self.pin_pad.show_locked(locked)
            self._lock_tick.start()

    def _tick_lockout(self) -> None:
        """Redraw the pad's "wait N s" (the lockout's end itself comes from the booth's deadline)."""
        locked = self.state.locked_for()
        if self.pin_pad is None or not shiboken6.isValid(self.pin_pad) or locked <= 0:
            self._lock_tick.stop()
            return
        self.pin_pad.show_locked(locked)

    def _show_admin(self) -> None:
        stage = self.window.stage
        actions = {"resume": self.close_admin, "reload": self._staff_reload, "status": self._staff_status,
                   "stats": self._staff_stats, "quit": self.quit}
        self.admin = AdminOverlay(stage.theme, stage.logical, self.languages(), actions)
        self._add(self.admin)
        self._staff_status()

    def _on_scene_rebuilt(self) -> None:
        # the stage cleared its scene (rotation, reload, access modes): our overlays went with it
        if self.prompt is not None and shiboken6.isValid(self.prompt):
            self.prompt.stop()
        self.countdown_overlay = self.prompt = self.pin_pad = self.admin = None
        if not self._running:
            return
        state = self.state
        if state.phase == Phase.COUNTDOWN:
            self._show_countdown(state.countdown_left)
        elif state.phase == Phase.ATTRACT:
            self._show_prompt()
        if state.staff == Staff.PIN_PAD:
            self._show_pin_pad()
        elif state.staff == Staff.MENU:  # e.g. "Reload content" pressed in the menu: staff are still there
            self._show_admin()
        # the deck may be new (hot reload): read its settings once the stage has finished rebuilding
        self._settings_stale = True
        self._arm()

    def _on_panel_shown(self, index: int) -> None:
        if self.analytics is None or not self._running:
            return
        try:
            panel_id = self.window.deck.panels[index].id
        except IndexError:
            return
        self.analytics.panel_shown(panel_id, attract=self.state.phase in (Phase.ATTRACT, Phase.OFF))

    def _on_presentation_change(self, change: Change) -> None:
        if self.analytics is not None and self._running:
            self.analytics.language_shown(change.language, switched=change.cause == Cause.LANGUAGE)

    def _check_details(self) -> None:
        """Count a detail layer the last input opened (the panel does not tell; the booth looks)."""
        panel = self.window.stage.current if shiboken6.isValid(self.window) else None
        opened = panel is not None and shiboken6.isValid(panel) and panel.details_open
        if opened and panel is not self._details_panel and self.analytics is not None:
            self.analytics.details_opened()
        self._details_panel = panel if opened else None

    # -- staff -----------------------------------------------------------------------------------------
    def request_admin(self, *, gesture: bool = False) -> None:
        """Staff ask for their menu: as the key chord does, or (``gesture``) as five corner taps do."""
        if gesture:
            for _ in range(CORNER_TAPS):
                self._apply(self.state.corner_tap())
        else:
            self._apply(self.state.key_chord())

    def open_admin(self) -> None:
        """Open the staff menu the way the key chord does: through the PIN pad when a PIN is set."""
        self.request_admin()

    def close_admin(self) -> None:
        """Close the PIN pad or the staff menu."""
        self._apply(self.state.staff_closed())

    def refresh_status(self) -> None:
        """Redraw the staff menu's status text if it is showing (e.g. a reload has ended)."""
        if self.admin is not None and self._showing_status:
            self._staff_status()

    def _staff_status(self) -> None:
        if self.admin is None:
            return
        self._showing_status = True
        languages = self.languages()
        lines = [self.hooks.status() if self.hooks.status else said("staff.status_unavailable", languages)]
        if self.problems:
            lines += ["", said("staff.warmup_problems", languages, count=len(self.problems)), *self.problems]
        self.admin.set_text("\n".join(lines))

    def _staff_stats(self) -> None:
        self._showing_status = False
        if self.admin is not None:
            self.admin.set_text(self.hooks.stats() if self.hooks.stats else said("staff.analytics_off",
                                                                                 self.languages()))

    def _staff_reload(self) -> None:
        if self.hooks.reload is not None:
            self.hooks.reload()
        self._staff_status()

    def quit(self) -> None:
        """Staff quit: stop the show for good (the service does not restart it)."""
        log.info("staff quit from the staff menu")
        self.exit_code = STAFF_EXIT_CODE
        self.stop()
        if self.hooks.quit is not None:
            self.hooks.quit()
        else:
            self.window.force_close()

    # -- input -------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        try:
            if event.type() not in _INPUT or not self._running or not self._ours(watched):
                return False
            return self._filter(event)
        except Exception:
            log.exception("kiosk: input handling failed; event passed on")
            return False

    def _ours(self, watched: QObject) -> bool:
        return on_window(self.window, watched)

    @staticmethod
    def _identity(event: QEvent) -> tuple:
        """The same event delivered to the window's QWindow and then to a widget has one identity."""
        if isinstance(event, QKeyEvent):
            return (event.type(), event.timestamp(), event.key(), int(event.modifiers().value))
        if isinstance(event, QPointerEvent) and event.pointCount():
            p = event.point(0).globalPosition()
            return (event.type(), event.timestamp(), round(p.x(), 1), round(p.y(), 1))
        return (event.type(), id(event))

    def _filter(self, event: QEvent) -> bool:
        kind = event.type()
        identity = self._identity(event)
        first = identity != self._last_event
        self._last_event = identity
        if first and self.analytics is not None and (kind in _PRESS or kind in _RELEASE
                                                     or kind == QEvent.Type.KeyPress):
            QTimer.singleShot(0, self, self._check_details)  # once the show has handled the input
        if kind in _PRESS or kind == QEvent.Type.KeyPress:
            return self._on_press(event) if first else False
        if kind == QEvent.Type.ShortcutOverride:
            return False
        if kind in _RELEASE or kind == QEvent.Type.KeyRelease:
            if self._swallowing:  # the end of a press that only woke the booth
                self._swallowing = False
                return True
            return self._in_swallowed_touch()
        if kind in _MOVE:
            if first and kind == QEvent.Type.MouseMove and _device(event) == QInputDevice.DeviceType.Mouse:
                self._apply(self.state.pointer_moved())
            return self._swallowing or self._in_swallowed_touch()
        return self._apply(self.state.touch()).swallowed  # a wheel

    def _on_press(self, event: QEvent) -> bool:
        self._swallowing = False
        kind = event.type()
        if self.analytics is not None and kind != QEvent.Type.TouchBegin:
            # a touch screen's TouchBegin is followed by a mouse press made from it: count that one
            self.analytics.touch()
        if isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_K and (event.modifiers() & _CHORD) == _CHORD:
                self._apply(self.state.key_chord())
                return True
            if self._apply(self.state.touch()).swallowed:
                self._swallowing = True
                return True
            return self._staff_key(event.key())
        now = self._now()
        if _device(event) == QInputDevice.DeviceType.TouchScreen and kind != QEvent.Type.TouchBegin \
                and now - self._touch_at < TOUCH_ECHO_S:
            # the mouse press Qt made from the touch just handled: the same touch, the same answer
            self._swallowing = self._touch_swallowed
            return self._touch_swallowed
        outcome = self._apply(self.state.corner_tap() if self._is_corner(event) else self.state.touch())
        if kind == QEvent.Type.TouchBegin:
            self._touch_at, self._touch_swallowed = now, outcome.swallowed
        self._swallowing = outcome.swallowed
        return outcome.swallowed

    def _in_swallowed_touch(self) -> bool:
        return self._touch_swallowed and self._now() - self._touch_at < TOUCH_ECHO_S

    def _staff_key(self, key: int) -> bool:
        """Keys go to an open staff screen, not to the show."""
        if self.pin_pad is not None:
            self.pin_pad.handle_key(key)
            return True
        if self.admin is not None:
            if key == Qt.Key.Key_Escape:
                self.close_admin()
            return True
        return False

    def _is_corner(self, event: QEvent) -> bool:
        if not isinstance(event, QPointerEvent) or not event.pointCount():
            return False
        win = self.window
        pos = win.mapFromGlobal(event.point(0).globalPosition().toPoint())
        size = max(64, int(min(win.width(), win.height()) * 0.08))
        return 0 <= pos.x() < size and 0 <= pos.y() < size


def _device(event: QEvent) -> QInputDevice.DeviceType | None:
    """The kind of device a pointer event came from (a touch screen's mouse echo says so)."""
    device = event.pointingDevice() if isinstance(event, QPointerEvent) else None
    return device.type() if device is not None else None


def on_window(window: QWidget, watched: QObject) -> bool:
    """``watched`` (an event filter's object) is ``window``, one of its widgets, or its QWindow."""
    if isinstance(watched, QWidget):
        return watched is window or watched.window() is window
    if isinstance(watched, QWindow):
        return watched is window.windowHandle()
    return False
