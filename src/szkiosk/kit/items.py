"""Vector graphics items for the stage: wrapped text that fits its box, cards, pills.

Everything is drawn in logical stage pixels and scaled by the view, so text stays crisp at
any window size (no bitmap scaling).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.kit.ownership import release_children, retain
from szkiosk.kit.text import ROLES, TextItem, TextStyle

__all__ = ["ALIGN_CENTER", "ALIGN_LEFT", "ALIGN_RIGHT", "Card", "ClipBox", "Pill", "TapArea", "release_children",
           "retain", "vector_text"]

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft
ALIGN_CENTER = Qt.AlignmentFlag.AlignHCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight


def vector_text(items: list[QGraphicsItem]) -> None:
    """Draw these items directly, without their pixmap caches (PDF: text stays vector)."""
    for item in items:
        if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)


class Card(QGraphicsObject):
    """A rounded panel surface, optionally outlined; the backdrop for a figure or an item."""

    def __init__(
        self,
        rect: QRectF,
        fill: QColor,
        *,
        outline: QColor | None = None,
        radius: float = 18,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self._fill = QColor(fill)
        self._outline = outline
        self._radius = radius

    def set_fill(self, colour: QColor) -> None:
        """Change the fill colour."""
        self._fill = QColor(colour)
        self.update()

    def set_outline(self, colour: QColor | None) -> None:
        """Change (or remove) the outline."""
        self._outline = colour
        self.update()

    @property
    def rect(self) -> QRectF:
        """The card's rectangle in parent coordinates."""
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, self._radius, self._radius)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(self._fill)
        painter.setPen(QPen(self._outline, 3) if self._outline else Qt.PenStyle.NoPen)
        painter.drawRoundedRect(self._rect, self._radius, self._radius)


class Pill(Card):
    """A tappable rounded button with a centred one-line label (>= 64 logical px high).

    ``font`` is a :class:`~szkiosk.kit.text.TextStyle` (or, for old callers, a QFont drawn as a
    label of that size). The label never shrinks; a label wider than the pill is reported by
    the audit (``TextItem.overflow``), so the layout must give the pill room.
    """

    def __init__(
        self,
        rect: QRectF,
        label: str,
        font: QFont | TextStyle,
        fill: QColor,
        text_colour: QColor,
        on_tap: Callable[[], None] | None = None,
        *,
        outline: QColor | None = None,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(rect, fill, outline=outline, radius=rect.height() / 2, parent=parent)
        if isinstance(font, TextStyle):
            style = font.with_colour(text_colour)
        else:
            style = TextStyle(ROLES["control"], float(font.pixelSize()), QColor(text_colour),
                              "zh" if _has_cjk(label) else "en", font.bold(), font.family())
        self.label = TextItem(label, style, rect.adjusted(12, 0, -12, 0), align=ALIGN_CENTER,
                              valign=Qt.AlignmentFlag.AlignVCenter, max_lines=1, parent=self)
        self._on_tap = on_tap
        if on_tap is not None:
            self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self._on_tap is not None and self.shape().contains(event.pos()):
            self._on_tap()
        event.accept()


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class TapArea(QGraphicsObject):
    """An invisible touch target: calls ``on_tap`` when a press is released inside it."""

    def __init__(self, rect: QRectF, on_tap: Callable[[], None], parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self._on_tap = on_tap
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Invisible."""

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self._rect.contains(event.pos()):
            self._on_tap()
        event.accept()

    def tap(self) -> None:
        """Act as if tapped (keyboard, tests)."""
        self._on_tap()


class ClipBox(QGraphicsObject):
    """An empty item that clips its children to a rectangle (the stage, the map window)."""

    def __init__(self, rect: QRectF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Only clips."""
