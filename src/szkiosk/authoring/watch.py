"""Live reload while authoring (``szkiosk run DECK --watch``).

:func:`watch_window` wires a :class:`~szkiosk.show.reload.ContentWatcher` to a show window:
a good deck replaces the one on screen (same panel), a broken one leaves the last good
render up under an author overlay that names file:line: field, until the file is fixed.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.catalogue import ui_text
from szkiosk.content import ContentError
from szkiosk.kit.items import Card
from szkiosk.kit.text import TextItem
from szkiosk.kit.theme import QtTheme
from szkiosk.show.reload import WindowWatch
from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

MAX_SHOWN_ERRORS = 8


class AuthorOverlay(QGraphicsObject):
    """Content errors over the last good render: for the author at the screen, never a visitor."""

    def __init__(self, theme: QtTheme, size: QSizeF, errors: list[ContentError], language: str = "en") -> None:
        super().__init__()
        self.setZValue(400)
        self.errors = [str(e) for e in errors]
        self._size = size
        shown = self.errors[:MAX_SHOWN_ERRORS]
        more = len(self.errors) - len(shown)
        lines = shown + ([ui_text("author.more", language, more=more)] if more else [])
        width = size.width() - 2 * 64
        row = 44.0
        height = 96 + row * len(lines) * (2 if size.height() > size.width() else 1) + 24
        self._rect = QRectF(64, 48, width, min(height, size.height() * 0.6))
        Card(self._rect, theme.colour("background", 0.94), outline=theme.colour("accent"), radius=12, parent=self)
        inner = self._rect.adjusted(32, 20, -32, -20)
        TextItem(ui_text("author.error", language, count=len(self.errors)), theme.style("body", "accent", language),
                 QRectF(inner.left(), inner.top(), inner.width(), 56), max_lines=1, parent=self)
        self.text = TextItem("\n".join(lines), theme.style("caption", "text", language),
                             QRectF(inner.left(), inner.top() + 64, inner.width(), inner.height() - 64),
                             max_lines=max(1, int((inner.height() - 64) // 36)), parent=self)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Children draw."""


class AuthorWatch(WindowWatch):
    """Reloads for an author at the screen: errors show over the last good render."""

    def __init__(self, window: ShowWindow, root: str | Path, *, only: str | None = None) -> None:
        super().__init__(window, root, only=only)
        self.overlay: AuthorOverlay | None = None

    def show_errors(self, errors: list[ContentError]) -> None:
        """Show the problems over the last good render."""
        self.clear_errors()
        stage = self.window.stage
        self.overlay = AuthorOverlay(stage.theme, stage.logical, errors, stage.language)
        stage.scene().addItem(self.overlay)
        super().show_errors(errors)

    def clear_errors(self) -> None:
        """Remove the error overlay, if any."""
        if self.overlay is not None and shiboken6.isValid(self.overlay):
            scene = self.overlay.scene()
            if scene is not None:
                scene.removeItem(self.overlay)
            self.overlay.deleteLater()
        self.overlay = None


def watch_window(window: ShowWindow, root: str | Path, *, only: str | None = None) -> AuthorWatch:
    """Reload ``window``'s deck from ``root`` whenever its content changes; returns the link."""
    window.watch = AuthorWatch(window, root, only=only)
    return window.watch
