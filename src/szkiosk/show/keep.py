"""Which panels the stage keeps built: the current one and its neighbours; the rest are released.

A booth walks the whole deck again and again. Keeping every panel it ever built held the
scene items, device caches and cached images of all of them (RSS about twice the first
panel's). Once a change has landed, panels further than :data:`NEAR` steps from the current
one (counted round the deck, as Next wraps in kiosk mode) let go of what they can rebuild
cheaply:

- most panels are dropped whole (items, timers, their text's device caches) and built again
  on demand, as on their first showing;
- panels whose build is expensive (``Panel.keep_when_far``: the maps) stay built and drop
  only their images (:meth:`~szkiosk.panels.base.Panel.release_caches`), redrawn on their
  next paint.

A released panel that becomes a neighbour again is built again in idle time, once the current
panel has finished its build animation, so Next and Previous find it built as before (panels
never built are left to be built when first shown, as always). Releases happen only while
nothing moves; the freed heap goes back to the system (``malloc_trim`` on glibc).
"""

from __future__ import annotations

import linecache
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer

from szkiosk.kit.items import release_children

if TYPE_CHECKING:
    from szkiosk.panels import Panel

log = logging.getLogger(__name__)

#: Panels up to this many steps from the current one stay built.
NEAR = 1
#: While the current panel still builds, look again after this long (ms) before building neighbours.
IDLE_RETRY_MS = 250
#: ... at most this many times (a build held for good must not keep the keeper polling).
MAX_RETRIES = 20


def near(index: int, count: int, reach: int = NEAR, *, wrap: bool = True) -> set[int]:
    """Indices within ``reach`` steps of ``index`` in a deck of ``count`` panels (round the ends
    when ``wrap``: Next on the last panel goes to the first)."""
    if count <= 0 or index < 0:
        return set()
    if wrap:
        return {(index + step) % count for step in range(-reach, reach + 1)}
    return {i for i in range(index - reach, index + reach + 1) if 0 <= i < count}


def release_panel(panel: Panel) -> None:
    """Drop a panel whole: stop it, detach its items, take it off the scene, delete it."""
    panel.deactivate()
    release_children(panel)
    scene = panel.scene()
    if scene is not None:
        scene.removeItem(panel)
    panel.setParentItem(None)
    panel.deleteLater()


_malloc_trim: Callable[[int], int] | bool | None = False


def trim_heap() -> bool:
    """Give freed heap memory back to the system (glibc ``malloc_trim``); False where there is none.

    Also empties :mod:`linecache`: PySide's import hook reads the source of every module
    imported after it through ``inspect`` (about 5 MB of text kept for nothing; tracebacks
    read the files again when they need them).
    """
    global _malloc_trim
    linecache.clearcache()
    if _malloc_trim is False:
        _malloc_trim = None
        try:
            import ctypes  # only once, at the first release; not on the way to the first paint

            # the symbols the process already has (libc among them): no library search, which
            # would run `ldconfig -p` in a subprocess on the GUI thread
            trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
            if trim is not None:
                trim.argtypes = [ctypes.c_size_t]
                trim.restype = ctypes.c_int
                _malloc_trim = trim
        except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
            _malloc_trim = None
    if _malloc_trim is None:
        return False
    _malloc_trim(0)  # type: ignore[operator]
    return True


class Keeper(QObject):
    """Releases far panels of a stage after each change; rebuilds released neighbours in idle time.

    ``panels`` gives the stage's dict of built panels (index -> panel), ``index`` the current
    index, ``count`` the deck's length, ``moving`` whether a transition runs (nothing is
    touched then: its landing schedules again), ``build`` builds a panel.
    """

    def __init__(self, panels: Callable[[], dict[int, Panel]], index: Callable[[], int], count: Callable[[], int],
                 moving: Callable[[], bool], build: Callable[[int], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._panels = panels
        self._index = index
        self._count = count
        self._moving = moving
        self._build = build
        #: On by default. It was off for a while: booths crashed with it on (a segmentation
        #: fault on the GUI thread while a worker thread loaded YAML). The cause was cyclic
        #: garbage collection starting on that worker and destroying released panels' Qt
        #: objects there; collection now runs on the GUI thread only (szkiosk.show.collector).
        self.enabled = True
        #: Release far panels whole (items and all), not only their caches (False: caches only).
        self.release_whole = True
        #: Next on the last panel goes to the first (kiosk): the first and last are neighbours.
        self.wrap = True
        # deferred calls, not a QTimer object: nothing of the keeper runs or waits between changes
        self._due = 0  # number of the call that will run; older ones do nothing
        self._pending = False
        self._retries = 0
        #: How many panels were released and built again since the stage was made (tests, bench).
        self.released = 0
        self.rebuilt = 0
        self._released_ids: set[int] = set()

    def built(self) -> list[int]:
        """Indices of the panels built now."""
        return sorted(self._panels())

    @property
    def pending(self) -> bool:
        """True while a release or a neighbour's build is still to come."""
        return self._pending

    def schedule(self) -> None:
        """A change landed (or the stage was shown): release and prebuild soon, from the event loop."""
        if self.enabled:
            self._retries = 0
            self._later(0)

    def _later(self, ms: int) -> None:
        self._due += 1
        due = self._due
        self._pending = True
        QTimer.singleShot(ms, self, lambda: self._fire(due))

    def _fire(self, due: int) -> None:
        if due == self._due and self._pending:
            self._pending = False
            self.run()

    def stop(self) -> None:
        """Nothing more to do (stage stopping)."""
        self._due += 1
        self._pending = False

    def forget(self) -> None:
        """The stage dropped every panel (scene rebuilt): nothing was released from the new one."""
        self.stop()
        self._released_ids.clear()

    def run(self) -> None:
        """Release the far panels now, then build one missing neighbour if the show is idle."""
        if self._moving() or not self.enabled:
            return  # a transition runs; its landing schedules again
        panels = self._panels()
        index, count = self._index(), self._count()
        keep = near(index, count, wrap=self.wrap)
        released = 0
        for i in [i for i in panels if i not in keep]:
            panel = panels[i]
            if not shiboken6.isValid(panel):
                continue
            if panel.keep_when_far or not self.release_whole:
                panel.release_caches()
                continue
            del panels[i]
            release_panel(panel)
            self._released_ids.add(i)
            released += 1
        if released:
            self.released += released
            trim_heap()
            log.debug("released %d far panel(s); %d kept", released, len(panels))
        self._prebuild(index, count, panels)

    def _prebuild(self, index: int, count: int, panels: dict[int, Panel]) -> None:
        """Build a released neighbour again once the current panel rests (one per idle turn)."""
        following = (index + 1) % count if count else 0
        missing = [i for i in sorted(near(index, count, wrap=self.wrap), key=lambda i: i != following)
                   if i not in panels and i in self._released_ids]
        if not missing:
            return
        current = panels.get(index)
        if current is not None and current.animating and self._retries < MAX_RETRIES:
            self._retries += 1
            self._later(IDLE_RETRY_MS)
            return
        target = missing[0]
        try:
            self._build(target)
        except Exception:  # a broken panel shows its error when it is shown; not here
            log.debug("could not build panel %d ahead of time", target, exc_info=True)
            return
        self._released_ids.discard(target)
        self.rebuilt += 1
        if len(missing) > 1:
            self._later(0)
