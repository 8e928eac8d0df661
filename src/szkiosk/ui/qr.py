"""A panel's ``link:`` as a QR code, generated locally with segno and drawn as vectors."""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.ui.items import retain

TAKE_AWAY = {"en": "Scan to take it with you", "zh": "扫码带走"}


def qr_modules(data: str, border: int = 2) -> list[list[bool]]:
    """The QR symbol for ``data`` as rows of dark (True) / light modules, quiet zone included."""
    return [list(row) for row in _qr_matrix(data, border)]


@functools.lru_cache(maxsize=64)
def _qr_matrix(data: str, border: int) -> tuple[tuple[bool, ...], ...]:
    # segno is pure Python (~50 ms a code): the footer is rebuilt on every panel change
    import segno  # noqa: PLC0415  (only decks with links pay for it)

    code = segno.make(data, error="m", micro=False)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix_iter(scale=1, border=border))


@functools.lru_cache(maxsize=64)
def _qr_path(data: str, left: float, top: float, width: float) -> tuple[QPainterPath, int]:
    modules = _qr_matrix(data, 2)
    n = len(modules)
    step = width / n
    path = QPainterPath()
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                path.addRect(QRectF(left + x * step, top + y * step, step, step))
    return path, n


class QrCode(QGraphicsObject):
    """Dark modules on a white square (scanners need the contrast), as one path."""

    def __init__(self, data: str, rect: QRectF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        retain(parent, self)
        self.data = data
        self._rect = QRectF(rect)
        path, n = _qr_path(data, rect.left(), rect.top(), rect.width())
        self._path = QPainterPath(path)
        self.modules = n

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, QColor("white"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        painter.drawPath(self._path)
