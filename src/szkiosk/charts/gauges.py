"""Gauges drawn with QPainter: a ring that fills to a share, animated by ``set_progress``.

Plain QGraphicsItems (no pyqtgraph): a ring is one arc, cheaper and crisper than a plot. A
ring reports its track to the layout audit, so text may sit in its hole but not on it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.kit.items import retain


class RingGauge(QGraphicsObject):
    """A circular track with an arc filled to ``fraction`` of the circle (clockwise from 12).

    ``set_progress(p)`` shows ``p * fraction``; the item is created once and only repainted.
    """

    def __init__(
        self,
        rect: QRectF,
        fraction: float,
        colour: QColor,
        track: QColor,
        *,
        width: float = 24,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.fraction = max(0.0, min(1.0, fraction))
        self._colour = QColor(colour)
        self._track = QColor(track)
        self._width = width
        self._shown = 0.0

    @property
    def shown(self) -> float:
        """Share of the circle currently filled (0..1)."""
        return self._shown

    def set_progress(self, progress: float) -> None:
        """Fill to ``progress`` (0..1) of the target fraction."""
        shown = self.fraction * max(0.0, min(1.0, progress))
        if shown != self._shown:
            self._shown = shown
            self.update()

    @property
    def rect(self) -> QRectF:
        """The ring's square (parent coordinates)."""
        return QRectF(self._rect)

    def hole(self) -> QRectF:
        """The largest square inside the ring's hole: where a number may go."""
        c = self._rect.center()
        inner = min(self._rect.width(), self._rect.height()) / 2 - self._width
        half = max(0.0, inner / math.sqrt(2))
        return QRectF(c.x() - half, c.y() - half, 2 * half, 2 * half)

    @staticmethod
    def diameter_for(width: float, height: float, track: float) -> float:
        """The smallest ring whose :meth:`hole` holds a ``width`` x ``height`` block of text."""
        return math.sqrt(2) * max(width, height) + 2 * track

    def audit_marks(self) -> list[QRectF]:
        """The track as four boxes around the hole's square (conservative: the corners of the
        hole count as track)."""
        outer = self._rect
        hole = self.hole()
        return [QRectF(outer.left(), outer.top(), outer.width(), hole.top() - outer.top()),
                QRectF(outer.left(), hole.bottom(), outer.width(), outer.bottom() - hole.bottom()),
                QRectF(outer.left(), hole.top(), hole.left() - outer.left(), hole.height()),
                QRectF(hole.right(), hole.top(), outer.right() - hole.right(), hole.height())]

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        half = self._width / 2
        arc = self._rect.adjusted(half, half, -half, -half)
        pen = QPen(self._track, self._width)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(arc)
        if self._shown > 0:
            pen = QPen(self._colour, self._width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawArc(arc, 90 * 16, -round(self._shown * 360 * 16))
