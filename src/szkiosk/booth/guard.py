"""The screen stays ours: a kiosk window takes the screen back whenever something hides it.

A window manager can minimise the show (a key such as Super+D, a "minimise" message from any
X client), unmap it, hand the focus to another window or take it out of full screen.
:class:`WindowGuard` watches the show window for that, by its events (``WindowStateChange`` to
minimised, ``Hide``, ``WindowDeactivate``) and by a watchdog timer (every 500 ms: visible,
exposed (mapped), not minimised, full screen, active), and puts it back: mapped again, full
screen, raised, activated. Each re-assertion is logged at INFO with its reason, at most once
per reason every :data:`LOG_EVERY` seconds (a window manager fighting back would otherwise
fill the log).

If another X client destroys the show's native window (``XDestroyWindow``), nothing can be
put back: the process leaves the event loop with :data:`WINDOW_LOST_EXIT_CODE` (75,
``EX_TEMPFAIL``), so the service (``Restart=always``) starts the show again.

The guard never fights staff: it stands down when the window closes (the staff menu's Quit,
exit 86, or ``--quit-after``), and it is not armed for a window that is not a full-screen
kiosk window (``--windowed``, no ``--kiosk``) nor on platforms without a window manager
(``offscreen``, ``minimal``). While another window of this same application is active (the
presenter view), focus is not taken from it.
"""

from __future__ import annotations

import ctypes
import logging
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

#: Exit status when the show's window was destroyed from outside (EX_TEMPFAIL): the service restarts it.
WINDOW_LOST_EXIT_CODE = 75
#: Watchdog period (ms): a hidden show is back within about this long.
WATCH_MS = 500
#: After an event that may hide the show, look again this much later (ms), so a passing
#: deactivation (a popup of our own, a focus hand-over) is not fought.
SETTLE_MS = 150
#: Seconds between two log lines for the same reason.
LOG_EVERY = 10.0
#: Platforms with no window manager to fight: the guard is not armed there.
NO_WM_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc"})

_XCB_DESTROY_NOTIFY = 17


class _DestroyWatch(QAbstractNativeEventFilter):
    """Sees the X server's ``DestroyNotify`` for one window (xcb platform) and calls back."""

    def __init__(self, window_id: Callable[[], int], on_destroyed: Callable[[], None]) -> None:
        super().__init__()
        self.window_id = window_id  # read when a window is destroyed: Qt may have made the native window anew
        self.on_destroyed = on_destroyed

    def nativeEventFilter(self, event_type: QByteArray | bytes, message: int) -> tuple[bool, int]:
        try:
            address = int(message)  # a shiboken VoidPtr of size 0: its truth value is always False
            # xcb_destroy_notify_event_t: response_type u8, pad u8, sequence u16, event u32, window u32
            if address and bytes(event_type) == b"xcb_generic_event_t" \
                    and ctypes.c_uint8.from_address(address).value & 0x7F == _XCB_DESTROY_NOTIFY \
                    and ctypes.c_uint32.from_address(address + 8).value == self.window_id():
                self.on_destroyed()
        except Exception:  # a guard must never break event delivery
            log.exception("window guard: native event check failed")
        return False, 0


class WindowGuard(QObject):
    """Keeps one kiosk window mapped, full screen and active: the show's
    :class:`~szkiosk.show.window.ShowWindow`, or the back-soon screen (any widget with a
    ``kiosk`` flag and a ``closed`` signal)."""

    def __init__(
        self,
        window: ShowWindow,
        *,
        watch_ms: int = WATCH_MS,
        exit_code: int = WINDOW_LOST_EXIT_CODE,
        force: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.exit_code = exit_code
        self.force = force
        self._clock = clock
        self.active = False
        #: Re-assertions so far, by reason (tests and the staff screen may read it).
        self.counts: dict[str, int] = {}
        self._logged: dict[str, float] = {}
        self._quiet: dict[str, int] = {}
        self._busy = False
        self._native: _DestroyWatch | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(watch_ms)
        self._timer.timeout.connect(self.check)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check)

    # -- on and off ---------------------------------------------------------------------------
    def wanted(self) -> bool:
        """Is there anything to guard: a full-screen kiosk window on a platform with a window manager?"""
        if self.force:
            return True
        if not self.window.kiosk or QApplication.platformName() in NO_WM_PLATFORMS:
            return False
        return bool(self.window.windowState() & Qt.WindowState.WindowFullScreen)

    def start(self) -> bool:
        """Arm the guard (if :meth:`wanted`); returns whether it is armed."""
        if self.active:
            return True
        if not self.wanted():
            log.debug("window guard off (platform %s, kiosk %s, state %s)", QApplication.platformName(),
                      self.window.kiosk, self.window.windowState())
            return False
        self.active = True
        self.window.installEventFilter(self)
        self.window.closed.connect(self.stop)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
            if QApplication.platformName() == "xcb":
                self._native = _DestroyWatch(lambda: int(self.window.effectiveWinId()), self._destroyed)
                app.installNativeEventFilter(self._native)
        self._timer.start()
        log.info("window guard on: the show takes the screen back if hidden, minimised or unfocused")
        return True

    def stop(self) -> None:
        """Stand down for good (window closing: staff quit, --quit-after; tests)."""
        if not self.active:
            return
        self.active = False
        self._timer.stop()
        self._settle.stop()
        self.window.removeEventFilter(self)
        app = QCoreApplication.instance()
        if self._native is not None and app is not None:
            app.removeNativeEventFilter(self._native)
        self._native = None

    def _standing_down(self) -> bool:
        return not self.active or bool(getattr(self.window, "_allow_close", False))

    # -- watching -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and not self._busy and not self._standing_down():
            kind = event.type()
            if kind in (QEvent.Type.Hide, QEvent.Type.WindowDeactivate) or (
                    kind == QEvent.Type.WindowStateChange and self.window.isMinimized()):
                self._settle.start()
        return False

    def problem(self) -> str | None:
        """Why the show is not fully ours right now (None when it is)."""
        w = self.window
        if not w.isVisible():
            return "hidden"
        if w.isMinimized():
            return "minimised"
        handle = w.windowHandle()
        if handle is not None and not handle.isExposed():
            return "unmapped"
        if not w.isFullScreen():
            return "not full screen"
        if QGuiApplication.focusWindow() is None:
            return "lost focus"  # to another program; a window of ours (the presenter view) may keep it
        return None

    def _sync_active(self) -> None:
        """Qt may keep the window's QWindow focused yet no widget active after a re-map (no focus change
        reaches the widgets): make the show the active widget window again, quietly."""
        w = self.window
        handle = w.windowHandle()
        if handle is not None and QGuiApplication.focusWindow() == handle and not w.isActiveWindow():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                QApplication.setActiveWindow(w)

    def check(self) -> None:
        """Re-assert the window if something took the screen from it."""
        if self._standing_down() or self._busy:
            return
        reason = self.problem()
        if reason is not None:
            self.reassert(reason)
        else:
            self._sync_active()

    def reassert(self, reason: str) -> None:
        """Map, full screen, raise and activate the window; log why (rate-limited)."""
        if self._standing_down():
            return
        self.counts[reason] = self.counts.get(reason, 0) + 1
        log.debug("window guard: re-asserting (%s) #%d", reason, self.counts[reason])
        self._log(reason)
        w = self.window
        self._busy = True
        try:
            if reason == "unmapped" and w.isVisible():
                w.hide()  # unmapped from outside: Qt still thinks it is shown, so map it afresh
            state = w.windowState() & ~Qt.WindowState.WindowMinimized
            w.setWindowState(state | Qt.WindowState.WindowFullScreen)
            w.show_full_screen()
            w.raise_()
            w.activateWindow()
            handle = w.windowHandle()
            if handle is not None:
                handle.requestActivate()
        except Exception:
            log.exception("window guard: re-asserting the window failed; trying again shortly")
        finally:
            self._busy = False

    def _log(self, reason: str) -> None:
        now = self._clock()
        last = self._logged.get(reason)
        if last is not None and now - last < LOG_EVERY:
            self._quiet[reason] = self._quiet.get(reason, 0) + 1
            return
        quiet = self._quiet.pop(reason, 0)
        more = f" ({quiet} more since the last line)" if quiet else ""
        log.info("window guard: show taken back (%s)%s", reason, more)
        self._logged[reason] = now

    def _destroyed(self) -> None:
        if self._standing_down():
            return
        log.error("window guard: the show's window was destroyed by another program; exiting with %d so the "
                  "service starts the show again", self.exit_code)
        self.stop()
        QCoreApplication.exit(self.exit_code)
