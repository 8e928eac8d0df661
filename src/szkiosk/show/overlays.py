"""Screen-wide overlays above the panels: black/white screen and the key help card."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.catalogue import ui_text
from szkiosk.keymap import help_rows
from szkiosk.kit.items import Card
from szkiosk.kit.layout import Column, Masonry, Row, Text, fit
from szkiosk.kit.text import TextItem, natural_width
from szkiosk.kit.theme import QtTheme

#: Room kept free around the help card (logical px).
OUTER = 96.0


class Blackout(QGraphicsObject):
    """A plain black (or white) screen for pauses in a talk."""

    def __init__(self, size: QSizeF, colour: QColor) -> None:
        super().__init__()
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.colour = QColor(colour)
        self.setZValue(300)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self.colour)


class HelpCard(QGraphicsObject):
    """The keys of the show (from :mod:`szkiosk.keymap`) in the current language, over a dimmed stage.

    The key column is as wide as its widest label (up to 45 %), the words wrap beside it; when
    the rows do not fit the stage's height in one column they go into two. Nothing shrinks.
    """

    def __init__(self, theme: QtTheme, size: QSizeF, language: str, *, kiosk: bool = False) -> None:
        super().__init__()
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.setZValue(250)
        rows = help_rows(language, kiosk=kiosk)
        keys_style = theme.style("label", "data", language)
        words_style = theme.style("body", "text", language)
        pad, gap = 44.0, 32.0
        width = min(size.width() - 96.0, 1728.0)
        title = Text(ui_text("keys.title", language), theme.style("title", "text", language), max_lines=1)
        self.rows: list[tuple[Text, Text]] = []

        def table(columns: int, *, stacked: bool = False) -> Column:
            col_w = (width - 2 * pad - gap * (columns - 1)) / columns
            key_w = min(max(natural_width(k, keys_style) for k, _ in rows) + 8, col_w * 0.45)
            self.rows = [(Text(k, keys_style), Text(w, words_style)) for k, w in rows]
            if stacked:  # a narrow stage: each key above its words, both the full width
                cells: list = [Column([k, w], gap=2) for k, w in self.rows]
            else:
                cells = [Row([k, w], gap=gap, basis=[key_w, 0.0], grow=[0.0, 1.0]) for k, w in self.rows]
            return Column([title, Masonry(cells, columns, gap=gap * 2, row_gap=8)], gap=20)

        limit = size.height() - 48.0
        inner = QRectF(0, 0, width - 2 * pad, limit - 2 * pad)
        options = [(1, False), (2, False), (2, True), (1, True)] if size.width() > size.height() \
            else [(1, False), (1, True)]
        fits = [(fit(table(c, stacked=st), inner), c, st) for c, st in options]
        chosen = next(((c, st) for f, c, st in fits if f.ok), None)
        if chosen is None:  # nothing fits: the least overflowing arrangement (the audit reports it)
            chosen = min(fits, key=lambda x: x[0].excess)[1:]
        body = table(chosen[0], stacked=chosen[1])
        height = body.min_height(width - 2 * pad) + 2 * pad
        box = QRectF(0, 0, width, min(height, limit))
        box.moveCenter(self._rect.center())
        Card(box, theme.colour("surface"), outline=theme.colour("data", 0.7), parent=self)
        body.place(box.adjusted(pad, pad, -pad, -pad), self)
        self.dim = theme.colour("background", 0.75)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self.dim)


class GotoPrompt(QGraphicsObject):
    """After G: the letters typed so far and the panel ids they match."""

    def __init__(self, theme: QtTheme, size: QSizeF, language: str) -> None:
        super().__init__()
        self.setZValue(270)
        self._language = language
        self._rect = QRectF((size.width() - 900) / 2, 120, 900, 420)
        Card(self._rect, theme.colour("surface"), outline=theme.colour("accent", 0.8), parent=self)
        self.query = TextItem("", theme.style("headline", "text", language), self._rect.adjusted(48, 36, -48, -300),
                              max_lines=1, parent=self)
        self.matches = TextItem("", theme.style("body", "data", language), self._rect.adjusted(48, 140, -48, -30),
                                max_lines=5, parent=self)

    def show_query(self, query: str, matches: list[str]) -> None:
        """Show what was typed and the first matching ids."""
        self.query.set_text(f"{ui_text('keys.goto_prompt', self._language)} {query}▏")
        self.matches.set_text("\n".join(matches) if matches else "—")

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """The card child draws."""
