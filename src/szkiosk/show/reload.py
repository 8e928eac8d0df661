"""Content that changes on disk, picked up while the show runs.

:class:`ContentWatcher` watches a deck folder and, a moment after the last change, loads it
again: ``reloaded`` carries a clean deck, ``failed`` the problems. It knows nothing about
windows. :class:`WindowWatch` connects one to a show window: a clean deck replaces the one on
screen (same panel); what to do with errors is up to the subclass (the author's overlay in
:mod:`szkiosk.authoring.watch`, the booth's log and staff menu in :mod:`szkiosk.booth.reload`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from szkiosk.content import ContentError, ContentFileError, LoadedDeck, load_deck

if TYPE_CHECKING:
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

#: Wait this long after the last file event before reloading (editors write in bursts).
DEBOUNCE_MS = 150
#: Files in a deck folder whose change triggers a reload.
CONTENT_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".txt"}


class ContentWatcher(QObject):
    """Reloads a deck folder when any content file in it changes (debounced)."""

    reloaded = Signal(object)  # LoadedDeck without errors
    failed = Signal(list)  # list[ContentError]

    def __init__(self, root: str | Path, parent: QObject | None = None, *, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.root = Path(root)
        if self.root.is_file():
            self.root = self.root.parent
        self._fs = QFileSystemWatcher(self)
        self._fs.fileChanged.connect(self._changed)
        self._fs.directoryChanged.connect(self._changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.reload)
        self._watch_paths()

    def _watch_paths(self) -> None:
        """(Re-)watch every folder and content file: editors often replace a file, which drops its watch."""
        dirs = [self.root, *(p for p in self.root.rglob("*") if p.is_dir())]
        files = [p for p in self.root.rglob("*") if p.is_file() and p.suffix.lower() in CONTENT_SUFFIXES]
        watched = set(self._fs.files()) | set(self._fs.directories())
        new = [str(p) for p in dirs + files if str(p) not in watched]
        if new:
            self._fs.addPaths(new)

    def _changed(self, path: str) -> None:
        log.debug("content changed: %s", path)
        self._timer.start()

    def stop(self) -> None:
        """Stop watching (window closing)."""
        self._timer.stop()
        paths = self._fs.files() + self._fs.directories()
        if paths:
            self._fs.removePaths(paths)

    def reload(self) -> LoadedDeck | None:
        """Load the deck now; emit ``reloaded`` or ``failed``; return the deck when it is clean."""
        self._watch_paths()
        try:
            loaded = load_deck(self.root)
        except ContentFileError as exc:
            self.failed.emit(list(exc.errors))
            return None
        if loaded.errors:
            self.failed.emit(list(loaded.errors))
            return None
        self.reloaded.emit(loaded)
        return loaded


class WindowWatch(QObject):
    """Connects a :class:`ContentWatcher` to a show window: clean decks go on screen.

    Subclasses decide what broken content does (:meth:`show_errors`) and how to take back
    what it showed (:meth:`clear_errors`).
    """

    def __init__(self, window: ShowWindow, root: str | Path, *, only: str | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.only = only
        self.watcher = ContentWatcher(root, self)
        self.watcher.reloaded.connect(self.apply)
        self.watcher.failed.connect(self.show_errors)
        window.destroyed.connect(self.watcher.stop)

    def apply(self, deck: LoadedDeck) -> None:
        """Put the reloaded deck on screen, on the same panel, and take back any error display."""
        window = self.window
        if self.only:
            index = deck.index_of(self.only)
            if index is not None:
                deck.panels = [deck.panels[index]]
        self.clear_errors()
        presentation = window.presentation
        presentation.replace_panels([p.id for p in deck.panels])
        window.deck = deck
        window.stage.replace_deck(deck, presentation.index)
        window.setWindowTitle(deck.model.title.get(presentation.language))
        log.info("reloaded %s (%d panels)", self.watcher.root, len(deck.panels))

    def show_errors(self, errors: list[ContentError]) -> None:
        """Broken content: the last good deck stays up; the problems go to the log."""
        for err in errors:
            log.warning("content: %s", err)

    def clear_errors(self) -> None:
        """Take back whatever :meth:`show_errors` put up (nothing here)."""
