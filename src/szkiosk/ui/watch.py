"""Live reload while authoring (``szkiosk run DECK --watch``).

:class:`ContentWatcher` watches a deck folder and, a moment after the last change, loads it
again: ``reloaded`` carries a clean deck, ``failed`` the problems. It knows nothing about
windows, so booth hot reload can reuse it. :func:`watch_window` wires it to a show window:
a good deck replaces the one on screen (same panel), a broken one leaves the last good
render up under an author overlay that names file:line: field, until the file is fixed.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, QObject, QRectF, QSizeF, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.content import ContentError, ContentFileError, LoadedDeck, load_deck
from szkiosk.ui.items import Card, TextBox
from szkiosk.ui.theme import QtTheme

log = logging.getLogger(__name__)

#: Wait this long after the last file event before reloading (editors write in bursts).
DEBOUNCE_MS = 150
#: Files in a deck folder whose change triggers a reload.
CONTENT_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".txt"}
MAX_SHOWN_ERRORS = 8


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


class AuthorOverlay(QGraphicsObject):
    """Content errors over the last good render: for the author at the screen, never a visitor."""

    def __init__(self, theme: QtTheme, size: QSizeF, errors: list[ContentError]) -> None:
        super().__init__()
        self.setZValue(400)
        self.errors = [str(e) for e in errors]
        self._size = size
        shown = self.errors[:MAX_SHOWN_ERRORS]
        more = len(self.errors) - len(shown)
        lines = shown + ([f"... and {more} more (szkiosk validate lists them all)"] if more else [])
        width = size.width() - 2 * 64
        row = 44.0
        height = 96 + row * len(lines) * (2 if size.height() > size.width() else 1) + 24
        self._rect = QRectF(64, 48, width, min(height, size.height() * 0.6))
        Card(self._rect, theme.colour("background", 0.94), outline=theme.colour("accent"), radius=12, parent=self)
        inner = self._rect.adjusted(32, 20, -32, -20)
        TextBox(f"Content error — showing the last good version ({len(self.errors)} problem(s))",
                theme.font("body", 0.9, bold=True), theme.colour("accent"),
                QRectF(inner.left(), inner.top(), inner.width(), 56), max_lines=1, min_scale=0.6, parent=self)
        self.text = TextBox("\n".join(lines), theme.font("caption", 1.0), theme.colour("text"),
                            QRectF(inner.left(), inner.top() + 64, inner.width(), inner.height() - 64),
                            min_scale=0.5, parent=self)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Children draw."""


class WindowWatch(QObject):
    """Connects a :class:`ContentWatcher` to a :class:`~szkiosk.ui.window.ShowWindow`."""

    def __init__(self, window, root: str | Path, *, only: str | None = None) -> None:  # noqa: ANN001
        super().__init__(window)
        self.window = window
        self.only = only
        self.overlay: AuthorOverlay | None = None
        self.watcher = ContentWatcher(root, self)
        self.watcher.reloaded.connect(self.apply)
        self.watcher.failed.connect(self.show_errors)
        window.destroyed.connect(self.watcher.stop)

    def apply(self, deck: LoadedDeck) -> None:
        """Put the reloaded deck on screen, on the same panel, and drop any error overlay."""
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
        """Show the problems over the last good render."""
        self.clear_errors()
        stage = self.window.stage
        self.overlay = AuthorOverlay(stage.theme, stage.logical, errors)
        stage.scene().addItem(self.overlay)
        for err in errors:
            log.warning("content: %s", err)

    def clear_errors(self) -> None:
        """Remove the error overlay, if any."""
        if self.overlay is not None and shiboken6.isValid(self.overlay):
            scene = self.overlay.scene()
            if scene is not None:
                scene.removeItem(self.overlay)
            self.overlay.deleteLater()
        self.overlay = None


def watch_window(window, root: str | Path, *, only: str | None = None) -> WindowWatch:  # noqa: ANN001
    """Reload ``window``'s deck from ``root`` whenever its content changes; returns the link."""
    window.watch = WindowWatch(window, root, only=only)
    return window.watch
