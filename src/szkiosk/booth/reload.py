"""Booth hot reload: staff edit the deck folder, the booth picks the change up on its own.

Built on :class:`~szkiosk.show.reload.ContentWatcher` (file-system watches re-armed after every
look, a periodic rescan, a settle time, loading in a worker with a timeout). A clean deck
replaces the one on screen, on the same panel id. A deck with any error is *not* shown: the
last good deck stays up, the errors go to the log with their file:line, and the staff menu
lists them with when the folder was last checked and last loaded. Visitors never see an error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal

from szkiosk.content import ContentError, LoadedDeck
from szkiosk.show.reload import WindowWatch

if TYPE_CHECKING:
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

#: Booth content often arrives by network copy or a USB stick: wait a little longer than an editor needs.
BOOTH_DEBOUNCE_MS = 600
#: A changed file must have stayed the same this long before the booth reads it (no half-copied file on screen).
BOOTH_SETTLE_MS = 1500
#: The booth looks at its folder this often even when no file event came.
BOOTH_RESCAN_MS = 10_000
#: A load that takes longer than this is abandoned; the last good deck stays.
BOOTH_TIMEOUT_MS = 20_000

Say = Callable[..., str]


def clock_time(when: float, now: float | None = None) -> str:
    """Wall-clock time for staff: ``14:02:31`` today, ``2024-05-01 14:02`` on another day."""
    now = time.time() if now is None else now
    if time.strftime("%Y-%m-%d", time.localtime(when)) == time.strftime("%Y-%m-%d", time.localtime(now)):
        return time.strftime("%H:%M:%S", time.localtime(when))
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(when))


class BoothReload(WindowWatch):
    """Watches the deck folder of a kiosk window; keeps the errors for staff, not visitors."""

    applied = Signal(object)

    def __init__(self, window: ShowWindow, root: str | Path, *, debounce_ms: int = BOOTH_DEBOUNCE_MS,
                 settle_ms: int = BOOTH_SETTLE_MS, rescan_ms: int = BOOTH_RESCAN_MS,
                 timeout_ms: int = BOOTH_TIMEOUT_MS, **options: Any) -> None:
        super().__init__(window, root, debounce_ms=debounce_ms, settle_ms=settle_ms, rescan_ms=rescan_ms,
                         timeout_ms=timeout_ms, **options)
        #: Problems of the content on disk right now (empty when it is clean).
        self.errors: list[str] = [str(e) for e in window.deck.errors]
        self.reloads = 0
        self.rejected = 0
        #: Wall-clock time the deck on screen was loaded (start-up counts).
        self.last_loaded = time.time()
        #: The last problem staff should know of, and when: (time, text), kept after a fix.
        self.last_error: tuple[float, str] | None = None
        #: What happened last: (time, catalogue key under ``staff.reload_event``, values).
        self.last_event: tuple[float, str, dict[str, object]] = (self.last_loaded, "started",
                                                                 {"panels": len(window.deck.panels)})
        if self.errors:
            self.last_error = (self.last_loaded, self.errors[0])

    def _event(self, key: str, **values: object) -> None:
        self.last_event = (time.time(), key, values)

    def apply(self, deck: LoadedDeck) -> None:
        """A clean deck: show it (unless nothing changed), on the same panel."""
        had_errors, self.errors = bool(self.errors), []
        window = self.window
        if deck.model == window.deck.model and deck.panels == window.deck.panels:
            self._event("unchanged")
            if had_errors:
                log.info("hot reload: the content is clean again; the deck on screen is current")
            return
        try:
            super().apply(deck)
        except Exception as exc:
            log.exception("hot reload: could not show the new deck; keeping the old one")
            self.last_error = (time.time(), f"could not show the new deck: {exc}")
            return
        self.reloads += 1
        self.last_loaded = time.time()
        self._event("reloaded", panels=len(deck.panels))
        self.applied.emit(deck)

    def show_errors(self, errors: list[ContentError]) -> None:
        """Broken content: keep the last good deck on screen and log every problem."""
        self.errors = [str(e) for e in errors]
        self.rejected += 1
        self._event("rejected", count=len(errors))
        if self.errors:
            self.last_error = (time.time(), self.errors[0])
        log.error("hot reload: %d content error(s); keeping the last good deck", len(errors))
        for err in self.errors:
            log.error("content: %s", err)

    def reload_now(self) -> None:
        """Reload at once (staff menu): in the background, watching goes on as before."""
        self._event("loading")
        self.watcher.reload()

    def stop(self) -> None:
        """Stop watching."""
        self.watcher.stop()

    def status_rows(self, say: Say) -> list[tuple[str, str]]:
        """Rows for the staff status text: (``staff.row`` key, value), in the staff's language."""
        watcher = self.watcher
        checked = watcher.last_checked
        when, key, values = self.last_event
        rows = [
            ("checked", say("staff.reload_checked", time=clock_time(checked)) if checked else say("staff.not_yet")),
            ("loaded", say("staff.reload_loaded", time=clock_time(self.last_loaded), reloads=self.reloads)),
            ("reload", f"{clock_time(when)}: {say('staff.reload_event.' + key, **values)}"),
        ]
        if watcher.problem:  # watching itself is in trouble now (a stalled share)
            rows.append(("last_error", watcher.problem))
        elif self.last_error is not None:
            rows.append(("last_error", f"{clock_time(self.last_error[0])}: {self.last_error[1]}"))
        return rows
