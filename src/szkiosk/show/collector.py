"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects reference cycles in whichever thread happens to allocate when a generation
fills up. The show has worker threads (the analytics writer, the deck re-check, the last-good
snapshot, the fleet link's MQTT thread, deck reloads), and the show's panels leave cycles that
hold Qt objects (a panel and its callbacks, a released panel's items). A collection that
starts on a worker thread destroys those Qt objects there while the GUI thread may be using
them or their scene: Qt is not thread-safe for that, and the process dies with a segmentation
fault. pyqtgraph warns of the same and ships a GUI-thread collector for it
(``pyqtgraph.util.garbage_collector``).

So the app switches automatic collection off and :class:`GuiCollector` collects from a timer on
the GUI thread, generation by generation with CPython's own thresholds. Plain reference
counting still frees most objects at once, in any thread; only cycles wait for the timer.

Automatic collection is never switched back on in that process, not even when the application
quits (see :meth:`GuiCollector.stop`).

A slide holds the collector (:func:`hold_collector`): a full collection of the show's objects
takes tens of milliseconds, a dropped frame inside a transition. It catches up once the slide
lands. Without an installed :class:`GuiCollector` (a bare QApplication in a script), holding
falls back to ``gc.disable()`` / ``gc.enable()`` as before.
"""

from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

log = logging.getLogger(__name__)

#: How often the GUI thread looks at the collector's counts while there is work...
INTERVAL_MS = 200
#: ...and at most this seldom once there has been none for a while (the timer backs off by
#: doubling, so a booth at rest wakes once in 5 s, not five times a second: 0.13 % CPU less).
MAX_INTERVAL_MS = 5000
#: A full (generation 2) collection runs at most this often; CPython also rations them.
FULL_EVERY_S = 10.0
#: A hold older than this is ignored (a holder that never released must not stop collection).
MAX_HOLD_S = 5.0

_installed: GuiCollector | None = None
#: Holders (stages whose slide moves) and when each started holding.
_holders: dict[int, float] = {}


class GuiCollector(QObject):
    """Collects cycles from a timer on the thread that owns ``app`` (the GUI thread)."""

    def __init__(self, app: QCoreApplication, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(app)
        self.thresholds = gc.get_threshold()
        #: Collections run so far, per generation (the tests and ``bench`` read them).
        self.collections = [0, 0, 0]
        self._last_full = time.monotonic()
        self._fast_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    @property
    def interval_ms(self) -> int:
        """The timer's current interval (it backs off while there is nothing to collect)."""
        return self._timer.interval()

    def wake(self) -> None:
        """Garbage is likely on its way (a slide landed, panels were released): look often again."""
        if self._timer.interval() != self._fast_ms or not self._timer.isActive():
            self._timer.start(self._fast_ms)

    def held(self) -> bool:
        """True while a holder younger than :data:`MAX_HOLD_S` holds the collector."""
        now = time.monotonic()
        return any(now - since < MAX_HOLD_S for since in _holders.values())

    def check(self) -> None:
        """Collect the generations that are over their threshold, as CPython would."""
        if self.held():
            return
        collected = self._collect()
        interval = self._fast_ms if collected else min(MAX_INTERVAL_MS, self._timer.interval() * 2)
        if interval != self._timer.interval():
            self._timer.setInterval(interval)

    def _collect(self) -> bool:
        count0, count1, count2 = gc.get_count()
        limit0, limit1, limit2 = self.thresholds
        if count0 <= limit0:
            return False
        now = time.monotonic()
        if count2 > limit2 and now - self._last_full >= FULL_EVERY_S:
            self.collect_full()
        elif count1 > limit1:
            gc.collect(1)
            self.collections[1] += 1
        else:
            gc.collect(0)
            self.collections[0] += 1
        return True

    def collect_full(self) -> None:
        """A full collection now (counted; the next timed one waits :data:`FULL_EVERY_S`)."""
        gc.collect()
        self.collections[2] += 1
        self._last_full = time.monotonic()

    def stop(self) -> None:
        """The event loop is over: one last collection here, on the GUI thread.

        Automatic collection stays off: worker threads (the analytics writer flushing, the
        fleet link saying goodbye) may still run while the application winds down, and a
        collection they started could still destroy Qt objects off this thread.
        """
        self._timer.stop()
        gc.collect()


def install() -> GuiCollector | None:
    """Switch automatic collection off and collect on the GUI thread (once per application).

    Does nothing (returns None) before a QCoreApplication exists or off its thread.
    """
    global _installed
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None
    if _installed is not None:
        try:
            if _installed.parent() is app:
                return _installed
        except RuntimeError:  # the old application and its collector are gone
            pass
    _installed = GuiCollector(app)
    gc.disable()
    app.aboutToQuit.connect(_installed.stop)
    log.debug("garbage collection runs on the GUI thread every %d ms", INTERVAL_MS)
    return _installed


def installed() -> GuiCollector | None:
    """The running collector, or None when automatic collection is in charge."""
    try:
        return _installed if _installed is not None and _installed.parent() is not None else None
    except RuntimeError:
        return None


def collect_at_rest() -> bool:
    """A full collection now, if the GUI collector is in charge and nothing holds it.

    For moments when the show is still and garbage is known to wait: after a change, the
    released far panels sit in the oldest generation, which the timer collects at most every
    10 s. About 25-40 ms for the bundled deck; the stage calls it once all is prepared.
    """
    gui = installed()
    if gui is None or gui.held():
        return False
    gui.collect_full()
    return True


def hold_collector(holder: int) -> bool:
    """Pause cyclic garbage collection for ``holder``; False (nothing done) when someone else
    has switched automatic collection off without a :class:`GuiCollector`."""
    if installed() is not None:
        _holders[holder] = time.monotonic()
        return True
    if not _holders and not gc.isenabled():
        return False
    _holders[holder] = time.monotonic()
    gc.disable()
    return True


def release_collector(holder: int) -> None:
    """``holder`` is done; collection resumes once nobody holds it (idempotent)."""
    if _holders.pop(holder, None) is None:
        return
    gui = installed()
    if gui is not None:
        gui.wake()  # the slide's garbage, collected soon after it lands
    elif not _holders:
        gc.enable()
