"""Booth hot reload: staff edit the deck folder, the booth picks the change up on its own.

Built on :class:`~szkiosk.authoring.watch.ContentWatcher` (debounced QFileSystemWatcher plus
``load_deck``). A clean deck replaces the one on screen, on the same panel id. A deck with
any error is *not* shown: the last good deck stays up, the errors go to the log with their
file:line, and the admin overlay lists them. Visitors never see an error.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import Signal

from szkiosk.content import ContentError, LoadedDeck
from szkiosk.show.reload import WindowWatch

log = logging.getLogger(__name__)

#: Booth content often arrives by network copy or a USB stick: wait a little longer than an editor needs.
BOOTH_DEBOUNCE_MS = 600


class BoothReload(WindowWatch):
    """Watches the deck folder of a kiosk window; keeps the errors for staff, not visitors."""

    applied = Signal(object)

    def __init__(self, window, root: str | Path, *, debounce_ms: int = BOOTH_DEBOUNCE_MS) -> None:
        super().__init__(window, root)
        self.watcher._timer.setInterval(debounce_ms)
        #: Problems of the content on disk right now (empty when it is clean).
        self.errors: list[str] = [str(e) for e in window.deck.errors]
        self.reloads = 0
        self.rejected = 0
        self.last_event = "watching " + str(self.watcher.root)

    def apply(self, deck: LoadedDeck) -> None:
        """A clean deck: show it (unless nothing changed), on the same panel."""
        self.errors = []
        window = self.window
        if deck.model == window.deck.model and deck.panels == window.deck.panels:
            self.last_event = f"{time.strftime('%H:%M:%S')}: content unchanged"
            return
        try:
            super().apply(deck)
        except Exception:
            log.exception("hot reload: could not show the new deck; keeping the old one")
            return
        self.reloads += 1
        self.last_event = f"{time.strftime('%H:%M:%S')}: reloaded, {len(deck.panels)} panels"
        self.applied.emit(deck)

    def show_errors(self, errors: list[ContentError]) -> None:
        """Broken content: keep the last good deck on screen and log every problem."""
        self.errors = [str(e) for e in errors]
        self.rejected += 1
        self.last_event = (f"{time.strftime('%H:%M:%S')}: {len(errors)} content error(s); "
                           "showing the last good version")
        log.error("hot reload: %d content error(s); keeping the last good deck", len(errors))
        for err in self.errors:
            log.error("content: %s", err)

    def reload_now(self) -> None:
        """Reload at once (admin menu)."""
        self.watcher.reload()

    def stop(self) -> None:
        """Stop watching."""
        self.watcher.stop()
