"""The overview grid: a thumbnail of every panel; arrows or a tap choose, Enter jumps."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.content import LoadedDeck
from szkiosk.kit.items import TapArea, retain
from szkiosk.kit.text import TextItem
from szkiosk.kit.theme import QtTheme

THUMB = QSize(480, 270)


def render_thumbnails(deck: LoadedDeck, language: str, size: QSize = THUMB) -> list[QPixmap]:
    """Every panel at its final state, small; rendered on a stage of its own (offscreen)."""
    from szkiosk.show.stage import Stage  # stage imports this module's users

    stage = Stage(deck, language)
    stage.resize(1920, 1080)
    stage.fit_to(1920, 1080)
    stage.animate_transitions = False
    stage.show_controls = False
    images: list[QPixmap] = []
    try:
        for i in range(len(deck.panels)):
            panel = stage.show_panel(i, animate=False)
            panel.finish()
            image = stage.render_image(QSize(1920, 1080)).scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            images.append(QPixmap.fromImage(image))
            panel.deactivate()
    finally:
        stage.stop()
        stage.deleteLater()
    return images


class Thumbnail(QGraphicsObject):
    """One cell: the panel's picture, its number and title, a highlight when selected."""

    def __init__(self, rect: QRectF, pixmap: QPixmap, theme: QtTheme, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = rect
        self._pixmap = pixmap
        self._theme = theme
        self.selected = False
        self.current = False

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-8, -8, 8, 8)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self._rect, self._pixmap, QRectF(self._pixmap.rect()))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.selected or self.current:
            colour = self._theme.colour("accent" if self.selected else "data")
            painter.setPen(QPen(colour, 6 if self.selected else 3))
            painter.drawRect(self._rect.adjusted(-3, -3, 3, 3))
        else:  # a panel's backdrop is the grid's own colour: a thin frame marks where each one ends
            painter.setPen(QPen(self._theme.colour("muted", 0.35), 2))
            painter.drawRect(self._rect.adjusted(-1, -1, 1, 1))


class Overview(QGraphicsObject):
    """Grid overlay over the stage, with keyboard selection and tap to jump."""

    def __init__(self, deck: LoadedDeck, theme: QtTheme, size: QSizeF, language: str, current: int,
                 thumbnails: list[QPixmap], on_choose: Callable[[int], None]) -> None:
        super().__init__()
        self.setZValue(260)
        self._rect = QRectF(0, 0, size.width(), size.height())
        self._theme = theme
        self._on_choose = on_choose
        n = len(deck.panels)
        self.columns = max(1, math.ceil(math.sqrt(n * size.width() / size.height() * 9 / 16)))
        rows = math.ceil(n / self.columns)
        margin, gap, caption = 64.0, 24.0, 44.0
        w = (size.width() - 2 * margin - gap * (self.columns - 1)) / self.columns
        h = min(w * 9 / 16, (size.height() - 2 * margin - rows * caption - gap * (rows - 1)) / rows)
        w = h * 16 / 9
        left = (size.width() - (w * self.columns + gap * (self.columns - 1))) / 2
        top = (size.height() - (rows * (h + caption) + gap * (rows - 1))) / 2
        self.cells: list[Thumbnail] = []
        for i, model in enumerate(deck.panels):
            r, c = divmod(i, self.columns)
            box = QRectF(left + c * (w + gap), top + r * (h + caption + gap), w, h)
            cell = Thumbnail(box, thumbnails[i], theme, self)
            cell.current = i == current
            title = getattr(model, "title", None)
            label = f"{i + 1}  {title.get(language) if title is not None else model.id}"
            TextItem(label, theme.style("caption", "text", language), QRectF(box.left(), box.bottom() + 6,
                     box.width(), caption - 6), max_lines=1, parent=self)
            TapArea(box.adjusted(0, 0, 0, caption), lambda i=i: self._on_choose(i), self)
            self.cells.append(cell)
        self.selected = current
        self._mark()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        # opaque: the panel and footer underneath showing through read as noise between the cells
        painter.fillRect(self._rect, self._theme.colour("background"))

    def mousePressEvent(self, event) -> None:
        # a press beside the cells is the grid's: the panel and footer it covers must not get it
        event.accept()

    def _mark(self) -> None:
        for i, cell in enumerate(self.cells):
            cell.selected = i == self.selected
            cell.update()

    def move(self, dx: int, dy: int) -> None:
        """Move the selection by columns and rows, staying inside the grid."""
        target = self.selected + dx + dy * self.columns
        self.selected = max(0, min(len(self.cells) - 1, target))
        self._mark()

    def choose(self) -> None:
        """Jump to the selected panel."""
        self._on_choose(self.selected)
