"""Screen-wide overlays above the panels: black/white screen and the key help card."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.catalogue import ui_text
from szkiosk.keymap import help_rows
from szkiosk.kit.items import Card, TextBox, layout_lines
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

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self.colour)


class HelpCard(QGraphicsObject):
    """The keys of the show (from :mod:`szkiosk.keymap`) in the current language, over a dimmed stage.

    The key column is as wide as its widest label, so a language with long key names
    (``Retroceso``) takes room from the words, which may wrap to a second line; the type
    shrinks only when the rows would not fit the stage's height.
    """

    def __init__(self, theme: QtTheme, size: QSizeF, language: str, *, kiosk: bool = False) -> None:
        super().__init__()
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.setZValue(250)
        rows = help_rows(language, kiosk=kiosk)
        width = min(size.width() - 2 * OUTER, 1400.0)
        pad, head, gap = 56.0, 124.0, 40.0
        for scale in (0.9, 0.8, 0.7, 0.6):
            keys_font = theme.font("body", scale, bold=True)
            words_font = theme.font("body", scale)
            key_w = min(max(QFontMetricsF(keys_font).horizontalAdvance(k) for k, _ in rows) + 8,
                        (width - 2 * pad) * 0.45)
            words_w = width - 2 * pad - key_w - gap
            heights = [max(_text_height(k, keys_font, key_w), _text_height(w, words_font, words_w))
                       + 0.5 * keys_font.pixelSize() for k, w in rows]
            height = head + sum(heights) + pad / 2
            if height <= size.height() - OUTER:
                break
        box = QRectF(0, 0, width, height)
        box.moveCenter(self._rect.center())
        Card(box, theme.colour("surface"), outline=theme.colour("data", 0.7), parent=self)
        TextBox(ui_text("keys.title", language), theme.font("headline", 0.8), theme.colour("text"),
                QRectF(box.left() + pad, box.top() + 36, box.width() - 2 * pad, 80), max_lines=1, parent=self)
        self.rows: list[tuple[TextBox, TextBox]] = []
        y = box.top() + head
        for (keys, words), row_h in zip(rows, heights, strict=True):
            self.rows.append((
                # each box is as tall as its text measured above: nothing shrinks or clips
                TextBox(keys, keys_font, theme.colour("data"), QRectF(box.left() + pad, y, key_w, row_h),
                        parent=self),
                TextBox(words, words_font, theme.colour("text"),
                        QRectF(box.left() + pad + key_w + gap, y, words_w, row_h), parent=self),
            ))
            y += row_h
        self.dim = theme.colour("background", 0.75)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self.dim)


def _text_height(text: str, font: QFont, width: float) -> float:
    return layout_lines(text, font, width)[1]


class GotoPrompt(QGraphicsObject):
    """After G: the letters typed so far and the panel ids they match."""

    def __init__(self, theme: QtTheme, size: QSizeF, language: str) -> None:
        super().__init__()
        self.setZValue(270)
        self._language = language
        self._rect = QRectF((size.width() - 900) / 2, 120, 900, 420)
        Card(self._rect, theme.colour("surface"), outline=theme.colour("accent", 0.8), parent=self)
        self.query = TextBox("", theme.font("headline", 0.8), theme.colour("text"),
                             self._rect.adjusted(48, 36, -48, -300), max_lines=1, parent=self)
        self.matches = TextBox("", theme.font("body"), theme.colour("data"),
                               self._rect.adjusted(48, 140, -48, -30), parent=self)

    def show_query(self, query: str, matches: list[str]) -> None:
        """Show what was typed and the first matching ids."""
        self.query.set_text(f"{ui_text('keys.goto_prompt', self._language)} {query}▏")
        self.matches.set_text("\n".join(matches) if matches else "—")

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """The card child draws."""
