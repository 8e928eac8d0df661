"""Unattended booth mode: idle countdown, attract loop, hidden cursor, staff exit, reload hooks.

A :class:`KioskController` watches every input event of the application (an application
event filter) for one :class:`~szkiosk.show.window.ShowWindow`:

* no input for ``kiosk.idle_timeout`` s -> a "Still there? / 还在吗？" countdown of
  ``kiosk.countdown`` s that any touch dismisses -> back to the first panel and the default
  language -> the attract loop, which steps through ``kiosk.attract_panels`` (each for its
  ``duration``, else ``attract_dwell``) under a gentle "Touch to explore / 触摸探索". The
  touch that ends the countdown or the attract loop is swallowed: it does not also act.
* staff open the admin menu with Ctrl+Alt+Shift+K or five taps in the top-left corner within
  3 s. With ``kiosk.pin_sha256`` set, both lead to the PIN pad first. Without a PIN, the
  keyboard chord opens the menu directly (visitors at a touch booth have no keyboard) and the
  corner gesture does nothing, so a curious visitor cannot find a way out.

Timing is injectable: ``time_scale`` multiplies every interval (tests use 0.01), ``clock``
replaces ``time.monotonic``, ``wall_clock`` replaces ``datetime.now`` (the screen-off hours),
and :meth:`go_idle`, :meth:`reset_to_attract`, :meth:`advance_attract` can be called directly.

Screen care (footer pixel shift against burn-in, ``kiosk.screen_off`` hours) lives in
:mod:`szkiosk.booth.screencare`; its black screen is the :attr:`KioskState.OFF` state.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from enum import Enum

import shiboken6
from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPropertyAnimation,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCursor, QInputDevice, QKeyEvent, QPainter, QSinglePointEvent, QWindow
from PySide6.QtWidgets import QApplication, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.booth.admin import AdminOverlay, PinPad
from szkiosk.booth.screencare import ScreenCare
from szkiosk.content import BrokenPanel, PanelModel
from szkiosk.kit.items import ALIGN_CENTER, Card, Pill, TextBox
from szkiosk.kit.theme import QtTheme

log = logging.getLogger(__name__)

CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0
CURSOR_SHOW_MS = 3000
#: Pointer events right after a dismissing touch are swallowed too (touch -> synthesized mouse).
SWALLOW_S = 0.35

_PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin,
          QEvent.Type.TabletPress}
_RELEASE = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel,
            QEvent.Type.TabletRelease}
_MOVE = {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate, QEvent.Type.TabletMove}
_KEYS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
_INPUT = _PRESS | _RELEASE | _MOVE | _KEYS | {QEvent.Type.Wheel}
_CHORD = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
          | Qt.KeyboardModifier.ShiftModifier)


class KioskState(str, Enum):
    """Where the booth is."""

    ACTIVE = "active"
    COUNTDOWN = "countdown"
    ATTRACT = "attract"
    #: Black screen inside the ``kiosk.screen_off`` hours (see :mod:`szkiosk.booth.screencare`).
    OFF = "off"


class _Layer(QGraphicsObject):
    """A stage-sized item that only holds children (and optionally dims what is below)."""

    def __init__(self, size: QSizeF, z: float, dim=None) -> None:  # noqa: ANN001
        super().__init__()
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.dim = dim
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.dim is not None:
            painter.fillRect(self._rect, self.dim)


class CountdownOverlay(_Layer):
    """"Still there? / 还在吗？" with the seconds left, over a dimmed stage."""

    def __init__(self, theme: QtTheme, size: QSizeF, seconds: int) -> None:
        super().__init__(size, 400, theme.colour("background", 0.82))
        self.setObjectName("countdown")
        t = theme
        box = QRectF(0, 0, min(size.width() - 192, 1100), 620)
        box.moveCenter(self._rect.center())
        Card(box, t.colour("surface"), outline=t.colour("data", 0.8), radius=28, parent=self)
        TextBox("Still there?", t.font("headline", 1.15), t.colour("text"),
                QRectF(box.left() + 48, box.top() + 48, box.width() - 96, 100), align=ALIGN_CENTER,
                max_lines=1, parent=self)
        TextBox("还在吗？", t.font("headline", 1.0), t.colour("text"),
                QRectF(box.left() + 48, box.top() + 150, box.width() - 96, 90), align=ALIGN_CENTER,
                max_lines=1, parent=self)
        self.number = TextBox(str(seconds), t.font("number", 1.2), t.colour("accent"),
                              QRectF(box.left() + 48, box.top() + 250, box.width() - 96, 170),
                              align=ALIGN_CENTER, valign=Qt.AlignmentFlag.AlignVCenter, max_lines=1, parent=self)
        TextBox("Touch anywhere to continue · 触摸任意位置继续", t.font("body"), t.colour("muted"),
                QRectF(box.left() + 48, box.top() + 460, box.width() - 96, 110), align=ALIGN_CENTER,
                valign=Qt.AlignmentFlag.AlignVCenter, max_lines=2, parent=self)

    def set_seconds(self, seconds: int) -> None:
        """Show the seconds left."""
        self.number.set_text(str(max(0, seconds)))


class AttractPrompt(_Layer):
    """The call to action during the attract loop, breathing slowly."""

    def __init__(self, theme: QtTheme, size: QSizeF) -> None:
        super().__init__(size, 380)
        self.setObjectName("attract")
        t = theme
        # over the nav dots (of no use while the loop runs), so it hides no panel content
        w, h = min(800.0, size.width() - 2 * 280), 88.0
        rect = QRectF((size.width() - w) / 2, size.height() - 96 - 8, w, h)
        self.pill = Pill(rect, "Touch to explore · 触摸探索", t.font("body", 1.1, bold=True),
                         t.colour("accent"), t.colour("text"), parent=self)
        self.pulse = QPropertyAnimation(self.pill, b"opacity", self)
        self.pulse.setStartValue(1.0)
        self.pulse.setKeyValueAt(0.5, 0.78)
        self.pulse.setEndValue(1.0)
        self.pulse.setDuration(2600)
        self.pulse.setEasingCurve(QEasingCurve.Type.InOutSine)
        self.pulse.setLoopCount(-1)

    def start(self, animate: bool = True) -> None:
        """Begin breathing (the one animation that loops, and only in attract)."""
        if animate:
            self.pulse.start()

    def stop(self) -> None:
        """Stop breathing."""
        self.pulse.stop()


class KioskController(QObject):
    """Booth behaviour for one show window (see the module docstring)."""

    def __init__(
        self,
        window,  # noqa: ANN001  (ShowWindow; not imported to keep this module free of a cycle)
        *,
        analytics=None,  # noqa: ANN001
        time_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        on_quit: Callable[[], None] | None = None,
        on_reload: Callable[[], None] | None = None,
        status: Callable[[], str] | None = None,
        stats: Callable[[], str] | None = None,
        hide_cursor: bool = True,
        wall_clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.analytics = analytics
        self.time_scale = time_scale
        self.clock = clock
        self.on_quit = on_quit
        self.on_reload = on_reload
        self.status = status
        self.stats = stats
        self.hide_cursor = hide_cursor
        self.state = KioskState.ACTIVE
        self.exit_code: int | None = None
        self.skipped: set[str] = set()
        self.problems: list[str] = []
        self.countdown_left = 0
        self.pin_pad: PinPad | None = None
        self.admin: AdminOverlay | None = None
        self.countdown_overlay: CountdownOverlay | None = None
        self.prompt: AttractPrompt | None = None
        self._corner_taps: deque[float] = deque(maxlen=CORNER_TAPS)
        self._last_key: tuple | None = None
        self._swallowing = False
        self._swallow_until = 0.0
        self._cursor_hidden = False
        self._running = False
        self.idle_timer = self._timer(True, self.go_idle)
        self.countdown_timer = self._timer(False, self._count_down)
        self.attract_timer = self._timer(True, self.advance_attract)
        self.cursor_timer = self._timer(True, self._hide_cursor)
        window.stage.panel_shown.connect(self._on_panel_shown)
        if hasattr(window.stage, "scene_rebuilt"):
            window.stage.scene_rebuilt.connect(self._on_scene_rebuilt)
        #: Pixel shift and the screen-off hours (``wall_clock``: local time, for the schedule).
        self.screen_care = ScreenCare(self, now=wall_clock)

    def _timer(self, single: bool, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.timeout.connect(lambda: self._safely(slot))
        return timer

    def _safely(self, slot: Callable[[], None]) -> None:
        try:
            slot()
        except Exception:
            log.exception("kiosk: %s failed; the show goes on", getattr(slot, "__name__", slot))

    def _ms(self, seconds: float) -> int:
        return max(1, int(seconds * 1000 * self.time_scale))

    @property
    def settings(self):  # noqa: ANN201
        """The deck's ``kiosk:`` settings (re-read after a reload)."""
        return self.window.deck.model.kiosk

    # -- life cycle ----------------------------------------------------------------
    def start(self) -> None:
        """Watch input from now on; hide the cursor; start counting towards idle."""
        if self._running:
            return
        self._running = True
        QApplication.instance().installEventFilter(self)
        if self.hide_cursor:
            self._hide_cursor()
        self._restart_idle()
        if self.analytics is not None and 0 <= self.window.stage.index < len(self.window.deck.panels):
            self.analytics.panel_shown(self.window.deck.panels[self.window.stage.index].id)
        self.screen_care.start()

    def stop(self) -> None:
        """Stop every timer and overlay, show the cursor, stop watching input."""
        self._running = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for timer in (self.idle_timer, self.countdown_timer, self.attract_timer, self.cursor_timer):
            timer.stop()
        self._remove_countdown()
        self._remove_prompt()
        self.close_admin()
        self.screen_care.stop()
        self._show_cursor(restart=False)
        self.state = KioskState.ACTIVE

    # -- idle -> countdown -> attract ---------------------------------------------
    def _restart_idle(self) -> None:
        if self._running and self.state == KioskState.ACTIVE:
            self.idle_timer.start(self._ms(self.settings.idle_timeout))

    def go_idle(self) -> None:
        """Nobody touched the screen for ``idle_timeout``: start the countdown (or reset now)."""
        if self.state != KioskState.ACTIVE:
            return
        self.idle_timer.stop()
        self.close_admin()
        if self.analytics is not None:
            self.analytics.idle()
        seconds = round(self.settings.countdown)
        if seconds <= 0:
            self.reset_to_attract()
            return
        self.state = KioskState.COUNTDOWN
        self.countdown_left = seconds
        self._show_countdown()
        self.countdown_timer.start(self._ms(1.0))
        log.info("idle: countdown %d s", seconds)

    def _count_down(self) -> None:
        self.countdown_left -= 1
        if self.countdown_overlay is not None:
            self.countdown_overlay.set_seconds(self.countdown_left)
        if self.countdown_left <= 0:
            self.reset_to_attract()

    def dismiss_countdown(self) -> None:
        """A touch during the countdown: carry on where the visitor was."""
        if self.state != KioskState.COUNTDOWN:
            return
        self.countdown_timer.stop()
        self._remove_countdown()
        self.state = KioskState.ACTIVE
        self._restart_idle()
        log.info("idle countdown dismissed")

    def reset_to_attract(self) -> None:
        """First panel, default language, then the attract loop (a black screen in the screen-off hours)."""
        if self.screen_care.inside_window():
            self.screen_care.screen_off()
            return
        self.countdown_timer.stop()
        self.idle_timer.stop()
        self._remove_countdown()
        self.window.close_overlay()
        self.state = KioskState.ATTRACT
        self.window.presentation.reset(self.window.deck.model.default_language)
        self._show_prompt()
        self._schedule_attract()
        log.info("attract loop started")

    def attract_ids(self) -> list[str]:
        """Panel ids the attract loop visits: the configured list, minus panels that fail."""
        panels = self.window.deck.panels
        good = [p.id for p in panels if not isinstance(p, BrokenPanel) and p.id not in self.skipped]
        wanted = [pid for pid in self.settings.attract_panels if pid in good]
        return wanted or good or [p.id for p in panels]

    def dwell_seconds(self, panel_id: str) -> float:
        """How long the attract loop stays on a panel: its ``duration`` or ``attract_dwell``."""
        index = self.window.deck.index_of(panel_id)
        model = self.window.deck.panels[index] if index is not None else None
        if isinstance(model, PanelModel) and model.duration:
            return float(model.duration)
        return float(self.settings.attract_dwell)

    def _schedule_attract(self) -> None:
        self.attract_timer.start(self._ms(self.dwell_seconds(self.window.presentation.current_id)))

    def advance_attract(self) -> None:
        """Show the next attract panel (wraps around)."""
        if self.state != KioskState.ATTRACT:
            return
        ids = self.attract_ids()
        current = self.window.presentation.current_id
        target = ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]
        if target != current:
            self.window.presentation.goto(target)
        self._schedule_attract()

    def end_attract(self) -> None:
        """The first touch after attract: stop the loop, stay on this panel."""
        if self.state != KioskState.ATTRACT:
            return
        self.attract_timer.stop()
        self._remove_prompt()
        self.state = KioskState.ACTIVE
        self._restart_idle()
        log.info("attract loop ended by a touch")

    # -- overlays ------------------------------------------------------------------
    def _add(self, item: QGraphicsObject) -> None:
        self.window.stage.scene().addItem(item)

    def _show_countdown(self) -> None:
        self._remove_countdown()
        stage = self.window.stage
        self.countdown_overlay = CountdownOverlay(stage.theme, stage.logical, self.countdown_left)
        self._add(self.countdown_overlay)

    def _remove_countdown(self) -> None:
        item, self.countdown_overlay = self.countdown_overlay, None
        self._discard(item)

    def _show_prompt(self) -> None:
        self._remove_prompt()
        stage = self.window.stage
        self.prompt = AttractPrompt(stage.theme, stage.logical)
        self._add(self.prompt)
        self.prompt.start(animate=stage.animate_transitions)

    def _remove_prompt(self) -> None:
        item, self.prompt = self.prompt, None
        if item is not None and shiboken6.isValid(item):
            item.stop()
        self._discard(item)

    def _discard(self, item: QGraphicsObject | None) -> None:
        if item is None:
            return
        if not shiboken6.isValid(item):  # already deleted with its scene
            return
        if item.scene() is not None:
            item.scene().removeItem(item)
        item.deleteLater()

    def _on_scene_rebuilt(self) -> None:
        # the stage cleared its scene (rotation, reload): our items went with it
        if self.prompt is not None and shiboken6.isValid(self.prompt):
            self.prompt.stop()
        admin_was_open = self.admin is not None
        self.countdown_overlay = self.prompt = self.pin_pad = self.admin = None
        if self.state == KioskState.COUNTDOWN:
            self._show_countdown()
        elif self.state == KioskState.ATTRACT:
            self._show_prompt()
        if admin_was_open:  # e.g. "Reload content" pressed in the menu: staff are still there
            self.open_admin()

    # -- staff ---------------------------------------------------------------------
    def request_admin(self, *, gesture: bool) -> None:
        """Chord or corner gesture: the PIN pad, or (no PIN set, chord only) the admin menu."""
        if self.admin is not None or self.pin_pad is not None:
            return
        pin = self.settings.pin_sha256
        if pin:
            stage = self.window.stage
            self.pin_pad = PinPad(stage.theme, stage.logical, pin, self.open_admin, self.close_admin,
                                  clock=self.clock)
            self._add(self.pin_pad)
            log.info("staff PIN pad opened (%s)", "corner gesture" if gesture else "key chord")
        elif gesture:
            log.info("corner gesture ignored: no staff PIN set (kiosk.pin_sha256); use Ctrl+Alt+Shift+K")
        else:
            self.open_admin()

    def open_admin(self) -> None:
        """Show the staff menu (after the right PIN, or the chord when no PIN is set)."""
        self._discard(self.pin_pad)
        self.pin_pad = None
        if self.admin is not None:
            return
        if self.state == KioskState.ATTRACT:
            self.end_attract()
        stage = self.window.stage
        actions = {"resume": self.close_admin, "reload": self._admin_reload, "status": self._admin_status,
                   "stats": self._admin_stats, "quit": self.quit}
        self.admin = AdminOverlay(stage.theme, stage.logical, actions)
        self._add(self.admin)
        self._admin_status()
        log.info("admin menu opened")

    def close_admin(self) -> None:
        """Close the PIN pad and the admin menu."""
        for item in (self.pin_pad, self.admin):
            self._discard(item)
        self.pin_pad = self.admin = None

    def _admin_status(self) -> None:
        if self.admin is None:
            return
        lines = [self.status() if self.status else "status unavailable"]
        if self.problems:
            lines += ["", f"warm-up: {len(self.problems)} problem(s):", *self.problems]
        self.admin.set_text("\n".join(lines))

    def _admin_stats(self) -> None:
        if self.admin is not None:
            self.admin.set_text(self.stats() if self.stats else "analytics are off")

    def _admin_reload(self) -> None:
        if self.on_reload is not None:
            self.on_reload()
        self._admin_status()

    def quit(self) -> None:
        """Staff quit: stop the show for good (the service does not restart it)."""
        from szkiosk.booth.service import STAFF_EXIT_CODE

        log.info("staff quit from the admin menu")
        self.exit_code = STAFF_EXIT_CODE
        self.stop()
        if self.on_quit is not None:
            self.on_quit()
        else:
            self.window.force_close()

    # -- cursor ----------------------------------------------------------------------
    def _hide_cursor(self) -> None:
        if self.hide_cursor and not self._cursor_hidden:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._cursor_hidden = True

    def _show_cursor(self, restart: bool = True) -> None:
        if self._cursor_hidden:
            QApplication.restoreOverrideCursor()
            self._cursor_hidden = False
        if restart and self.hide_cursor:
            self.cursor_timer.start(self._ms(CURSOR_SHOW_MS / 1000))

    # -- input -------------------------------------------------------------------------
    def _ours(self, watched: QObject) -> bool:
        win = self.window
        if isinstance(watched, QWidget):
            return watched is win or watched.window() is win
        if isinstance(watched, QWindow):
            return watched is win.windowHandle()
        return False

    @staticmethod
    def _key_of(event: QEvent) -> tuple:
        if isinstance(event, QKeyEvent):
            return (event.type(), event.timestamp(), event.key(), int(event.modifiers().value))
        if isinstance(event, QSinglePointEvent):
            p = event.globalPosition()
            return (event.type(), event.timestamp(), round(p.x(), 1), round(p.y(), 1))
        return (event.type(), id(event))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        try:
            if event.type() not in _INPUT or not self._running or not self._ours(watched):
                return False
            return self._filter(event)
        except Exception:
            log.exception("kiosk: input handling failed; event passed on")
            return False

    def _filter(self, event: QEvent) -> bool:
        kind = event.type()
        key = self._key_of(event)
        first = key != self._last_key
        self._last_key = key
        if kind in _PRESS or kind == QEvent.Type.KeyPress:
            if not first:
                return False
            return self._on_press(event)
        if kind in _RELEASE or kind == QEvent.Type.KeyRelease:
            if self._swallowing:
                self._swallowing = False
                return True
            return self.clock() < self._swallow_until
        if kind in _MOVE:
            if first and kind == QEvent.Type.MouseMove and isinstance(event, QSinglePointEvent) \
                    and self.state != KioskState.OFF:
                device = event.pointingDevice()
                if device is not None and device.type() == QInputDevice.DeviceType.Mouse:
                    self._show_cursor()
                    self._restart_idle()
            return self._swallowing or self.clock() < self._swallow_until
        if kind == QEvent.Type.ShortcutOverride:
            return False
        self._restart_idle()  # wheel
        return self.state != KioskState.ACTIVE

    def _on_press(self, event: QEvent) -> bool:
        self._swallowing = False
        now = self.clock()
        if self.analytics is not None and event.type() != QEvent.Type.TouchBegin:
            # a touch screen's TouchBegin is followed by a synthesized mouse press: count that one
            self.analytics.touch()
        if isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_K and (event.modifiers() & _CHORD) == _CHORD:
                self._wake()
                self.request_admin(gesture=False)
                return True
            if self._wake():
                self._swallowing = True
                return True
            if self.pin_pad is not None:
                self.pin_pad.handle_key(event.key())
                self._restart_idle()
                return True
            if self.admin is not None:
                if event.key() == Qt.Key.Key_Escape:
                    self.close_admin()
                self._restart_idle()
                return True
            self._restart_idle()
            return False
        corner = self._is_corner(event)
        if corner:
            while self._corner_taps and now - self._corner_taps[0] > CORNER_WINDOW_S:
                self._corner_taps.popleft()
            self._corner_taps.append(now)
            if len(self._corner_taps) >= CORNER_TAPS:
                self._corner_taps.clear()
                self._wake()
                self.request_admin(gesture=True)
                self._swallowing = True
                return True
        else:
            self._corner_taps.clear()
        if now < self._swallow_until:
            self._swallowing = True
            return True
        if self._wake():
            self._swallowing = True
            if event.type() == QEvent.Type.TouchBegin:  # Qt may follow it with a synthesized mouse press
                self._swallow_until = now + SWALLOW_S
            return True
        self._restart_idle()
        return False

    def _wake(self) -> bool:
        """End the countdown, the attract loop or the black screen; True when one was running."""
        if self.state == KioskState.OFF:
            self.screen_care.wake()
            return True
        if self.state == KioskState.COUNTDOWN:
            self.dismiss_countdown()
            return True
        if self.state == KioskState.ATTRACT:
            self.end_attract()
            return True
        self._restart_idle()
        return False

    def _is_corner(self, event: QEvent) -> bool:
        if not isinstance(event, QSinglePointEvent):
            return False
        win = self.window
        pos = win.mapFromGlobal(event.globalPosition().toPoint())
        size = max(64, int(min(win.width(), win.height()) * 0.08))
        return 0 <= pos.x() < size and 0 <= pos.y() < size

    # -- analytics -------------------------------------------------------------------
    def _on_panel_shown(self, index: int) -> None:
        if self.analytics is None or not self._running:
            return
        try:
            panel_id = self.window.deck.panels[index].id
        except IndexError:
            return
        self.analytics.panel_shown(panel_id, attract=self.state in (KioskState.ATTRACT, KioskState.OFF))

