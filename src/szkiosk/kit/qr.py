"""A panel's ``link:`` as a QR code, generated locally with segno and drawn as vectors."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.kit.items import retain

#: Bumped when the cached matrix format or the error-correction level changes.
QR_FORMAT = "segno-m-v1"


def qr_modules(data: str, border: int = 2) -> list[list[bool]]:
    """The QR symbol for ``data`` as rows of dark (True) / light modules, quiet zone included."""
    return [list(row) for row in _qr_matrix(data, border)]


def _cache_file(data: str, border: int) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "szkiosk" / "qr"
    key = hashlib.sha256(f"{QR_FORMAT}|{border}|{data}".encode()).hexdigest()[:32]
    return base / f"{key}.txt"


@functools.lru_cache(maxsize=64)
def _qr_matrix(data: str, border: int) -> tuple[tuple[bool, ...], ...]:
    # segno is pure Python (~70 ms to import, ~30 ms a code) and the title panel has a link,
    # so a code is kept on disk: a restarted booth paints its first panel without segno
    cache = _cache_file(data, border)
    try:
        rows = cache.read_text(encoding="ascii").split()
        if rows and all(set(r) <= {"0", "1"} and len(r) == len(rows) for r in rows):
            return tuple(tuple(c == "1" for c in r) for r in rows)
    except OSError:
        pass
    import segno  # only decks with links pay for it

    code = segno.make(data, error="m", micro=False)
    matrix = tuple(tuple(bool(v) for v in row) for row in code.matrix_iter(scale=1, border=border))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text("\n".join("".join("1" if v else "0" for v in row) for row in matrix), encoding="ascii")
    except OSError:
        pass  # a read-only home only costs the next start its 0.1 s
    return matrix


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

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, QColor("white"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        painter.drawPath(self._path)
