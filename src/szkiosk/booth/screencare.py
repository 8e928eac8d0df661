"""Screen care for a booth screen that runs for days: burn-in shift and a daily screen-off.

* **Pixel shift**: every ``kiosk.pixel_shift_minutes`` (default 3; 0 = off) the static footer
  (:class:`~szkiosk.show.stage.Chrome`: source line, arrows, dots, language and Aa buttons, the
  take-away QR code) and the reach bar move to the next offset of :data:`SHIFT_OFFSETS`, a
  slow loop within ±4 logical px sideways and 0-4 px down (never up: the source line sits
  just under the panels' cards) that comes back to (0, 0) after a full cycle. Panels never
  move. One repeating timer at the shift interval (minutes), nothing faster.
* **Screen off**: ``kiosk.screen_off: "20:00-08:00"`` (local time, may cross midnight) turns
  the screen black inside that window: cursor hidden, panel animations, the attract loop and
  the call to action stopped. Entering the window blacks out the attract loop at once; a
  visitor who is still touching the screen keeps it until the normal idle path (idle timeout,
  countdown) ends, which then goes black instead of starting the attract loop. A touch wakes
  the screen on the first panel (that touch does nothing else); the screen goes black again
  after the next idle timeout while still inside the window. Leaving the window starts the
  attract loop. The schedule is checked by a single-shot timer set to the next boundary
  (capped at :data:`MAX_CHECK_S`, so a changed system clock or a DST switch corrects itself).

Only a :class:`~szkiosk.booth.kiosk.KioskController` of a kiosk window starts one; ``now``
(the local wall clock) is injectable, and :meth:`ScreenCare.check` can be called directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import shiboken6
from PySide6.QtCore import QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QColor

from szkiosk.content.schema import parse_time_range
from szkiosk.show.overlays import Blackout

log = logging.getLogger(__name__)

#: Footer offsets in logical px, one step (2-3 px) per shift interval; the loop ends where it
#: began. Down only: moved up, the source line would touch the cards of full-height panels.
SHIFT_OFFSETS: tuple[tuple[int, int], ...] = (
    (0, 0), (3, 0), (4, 2), (3, 4), (0, 4), (-3, 4), (-4, 2), (-3, 0),
)
#: The schedule is re-read from the wall clock at least this often (s).
MAX_CHECK_S = 15 * 60
#: Land just after a boundary, not just before it.
BOUNDARY_SLACK_S = 0.5
#: Above every other layer (admin menu, PIN pad, countdown, attract prompt).
SCREEN_OFF_Z = 1000


def _kiosk_state():  # noqa: ANN202
    from szkiosk.booth.kiosk import KioskState  # noqa: PLC0415  (kiosk imports this module)

    return KioskState


class ScreenSchedule:
    """A daily window, ``start`` to ``end`` in minutes after midnight (may cross midnight)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start, self.end = parse_time_range(text)

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


class ScreenCare(QObject):
    """Pixel shift and the screen-off schedule for one kiosk controller (module docstring)."""

    def __init__(self, controller, *, now: Callable[[], datetime] = datetime.now) -> None:  # noqa: ANN001
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.now = now
        self.shift_index = 0
        self.layer: Blackout | None = None
        self._running = False
        self.shift_timer = QTimer(self)
        self.shift_timer.timeout.connect(lambda: self._safely(self.advance_shift))
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% early
        self.check_timer.timeout.connect(lambda: self._safely(self.check))
        stage = self.window.stage
        stage.scene_rebuilt.connect(self._on_scene_rebuilt)
        stage.panel_shown.connect(self._on_panel_shown)

    def _safely(self, slot: Callable[[], None]) -> None:
        try:
            slot()
        except Exception:
            log.exception("screen care: %s failed; the show goes on", getattr(slot, "__name__", slot))

    # -- settings ------------------------------------------------------------------------
    @property
    def settings(self):  # noqa: ANN201
        """The deck's ``kiosk:`` settings (re-read after a reload)."""
        return self.controller.settings

    @property
    def schedule(self) -> ScreenSchedule | None:
        """The screen-off window, or None when ``kiosk.screen_off`` is not set."""
        text = getattr(self.settings, "screen_off", None)
        return ScreenSchedule(text) if text else None

    def inside_window(self) -> bool:
        """True while the clock is inside ``kiosk.screen_off`` (False when it is not set or not running)."""
        schedule = self.schedule
        return self._running and schedule is not None and schedule.contains(self.now())

    @property
    def is_off(self) -> bool:
        """True while the screen is black."""
        return self.layer is not None

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Begin shifting and following the schedule (kiosk windows only)."""
        if self._running or not getattr(self.window, "kiosk", False):
            return
        self._running = True
        self._restart_shift()
        self.apply_shift()
        self.check(starting=True)

    def stop(self) -> None:
        """Stop both timers, light the screen, put the footer back in place."""
        self._running = False
        self.shift_timer.stop()
        self.check_timer.stop()
        self._remove_layer()
        self.shift_index = 0
        self.apply_shift()

    # -- pixel shift -----------------------------------------------------------------------
    @property
    def offset(self) -> tuple[int, int]:
        """The footer's offset now, in logical px."""
        return SHIFT_OFFSETS[self.shift_index]

    def _restart_shift(self) -> None:
        minutes = float(getattr(self.settings, "pixel_shift_minutes", 0) or 0)
        if not self._running or minutes <= 0 or self.is_off:
            self.shift_timer.stop()
            if minutes <= 0 and self.shift_index:
                self.shift_index = 0
                self.apply_shift()
            return
        interval = self.controller._ms(minutes * 60)
        if not self.shift_timer.isActive() or self.shift_timer.interval() != interval:
            self.shift_timer.start(interval)

    def advance_shift(self) -> None:
        """Move the static chrome to the next offset of the cycle."""
        self.shift_index = (self.shift_index + 1) % len(SHIFT_OFFSETS)
        self.apply_shift()

    def apply_shift(self) -> None:
        """Put the footer (and the reach bar) at the current offset; panels stay where they are."""
        stage = self.window.stage
        dx, dy = self.offset
        for item in (getattr(stage, "chrome", None), getattr(stage, "reach_bar", None)):
            if item is not None and shiboken6.isValid(item) and item.pos() != QPointF(dx, dy):
                item.setPos(dx, dy)

    # -- schedule -------------------------------------------------------------------------
    def check(self, *, starting: bool = False) -> bool:
        """Compare the clock with ``kiosk.screen_off``, black out or light up, plan the next check.

        Returns True when the screen is black afterwards.
        """
        self.check_timer.stop()
        if not self._running:
            return self.is_off
        state = _kiosk_state()
        inside = self.inside_window()
        ctl = self.controller
        if inside and not self.is_off:
            # a visitor still at the screen keeps it until the idle path ends (it then goes black)
            if ctl.state == state.ATTRACT or (starting and ctl.state == state.ACTIVE):
                self.screen_off()
        elif not inside and self.is_off:
            self.wake()
            ctl.reset_to_attract()
            log.info("screen on: the screen-off hours are over")
        self._plan_check()
        return self.is_off

    def _plan_check(self) -> None:
        schedule = self.schedule
        if schedule is None:
            return
        now = self.now()
        seconds = (schedule.next_boundary(now) - now).total_seconds() + BOUNDARY_SLACK_S
        self.check_timer.start(self.controller._ms(min(max(seconds, 1.0), MAX_CHECK_S)))

    def screen_off(self) -> None:
        """Black screen: stop the loop, the animations and the overlays; first panel underneath."""
        ctl = self.controller
        state = _kiosk_state()
        for timer in (ctl.idle_timer, ctl.countdown_timer, ctl.attract_timer, ctl.cursor_timer):
            timer.stop()
        ctl._remove_countdown()
        ctl._remove_prompt()
        ctl.close_admin()
        win = self.window
        win.close_overlay()
        if ctl.state != state.OFF and ctl.analytics is not None and ctl.state == state.ACTIVE:
            ctl.analytics.idle()
        ctl.state = state.OFF
        win.presentation.reset(win.deck.model.default_language)
        self._add_layer()
        self.shift_timer.stop()
        win.stage.stop()
        ctl._hide_cursor()
        log.info("screen off (kiosk.screen_off %s)", self.settings.screen_off)

    def wake(self) -> None:
        """Light the screen on the panel underneath, as an active visitor's screen."""
        if not self.is_off:
            return
        ctl = self.controller
        self._remove_layer()
        ctl.state = _kiosk_state().ACTIVE
        stage = self.window.stage
        if stage.current is not None:
            stage.current.activate()
        self._restart_shift()
        ctl._restart_idle()
        self._plan_check()
        log.info("screen woken")

    # -- the black layer --------------------------------------------------------------------
    def _add_layer(self) -> None:
        self._remove_layer()
        stage = self.window.stage
        layer = Blackout(stage.logical, QColor("black"))
        layer.setObjectName("screen-off")
        layer.setZValue(SCREEN_OFF_Z)
        stage.scene().addItem(layer)
        stage.setBackgroundBrush(QColor("black"))  # the letterbox too
        self.layer = layer

    def _remove_layer(self) -> None:
        layer, self.layer = self.layer, None
        if layer is None:
            return
        stage = self.window.stage
        if shiboken6.isValid(stage):
            stage.setBackgroundBrush(stage.theme.colour("background"))
        if shiboken6.isValid(layer):
            if layer.scene() is not None:
                layer.scene().removeItem(layer)
            layer.deleteLater()

    # -- stage events -----------------------------------------------------------------------
    def _on_scene_rebuilt(self) -> None:
        # rotation, access modes, reload: a new chrome at (0, 0), our layer gone with the old scene
        if not self._running:
            return
        if self.is_off:
            self.layer = None
            self._add_layer()
        self.apply_shift()
        self._restart_shift()  # a reload may have changed the settings
        # check once the stage has finished rebuilding (waking here would race its show_panel)
        self.check_timer.start(0)

    def _on_panel_shown(self, _index: int) -> None:
        if not self._running:
            return
        self.apply_shift()  # the reach bar may be new
        if self.is_off:
            self.window.stage.stop()  # e.g. a reload under the black screen: no animation behind it
