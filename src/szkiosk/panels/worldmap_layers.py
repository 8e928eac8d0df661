"""Graphics layers of the world map: cached land, arcs trimmed by progress, partner markers.

Land and arcs live in "world" coordinates (stage pixels of the unzoomed map) under one
transform that zooms; markers are drawn at a fixed size wherever that transform puts them.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.geo import ScreenTransform, drop_antarctica, load_land, project_rings
from szkiosk.kit.items import retain

Point = tuple[float, float]

#: Marker sizes in stage px: sister cities are diamonds, friendly exchange cities circles.
MARKER_R = 9.0
HIT_RADIUS = 40.0


@functools.lru_cache(maxsize=2)
def projected_land(path: str) -> tuple[tuple[Point, ...], ...]:
    """Land rings of a TopoJSON file projected with Equal Earth (cached: it takes ~0.3 s)."""
    return tuple(tuple(r) for r in project_rings(drop_antarctica(load_land(Path(path)))))


def land_path(path: str, tf: ScreenTransform) -> QPainterPath:
    """All land as one even-odd QPainterPath in the pixels of ``tf``."""
    out = QPainterPath()
    out.setFillRule(Qt.FillRule.OddEvenFill)
    s, ox, oy = tf.scale, tf.offset_x, tf.offset_y
    for ring in projected_land(path):
        out.addPolygon(QPolygonF([QPointF(ox + s * x, oy - s * y) for x, y in ring]))
    return out


class LandLayer(QGraphicsObject):
    """Sea outline and land, pre-rendered into a pixmap at device resolution.

    The pixmap is redrawn only when the zoom or the device scale changes, so a frame of
    the arc animation costs one blit instead of filling ~40,000 coastline points.
    """

    def __init__(self, rect: QRectF, paths: Sequence[tuple[QPainterPath, QColor]], parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self._paths = list(paths)
        self.view = QTransform()
        self._pixmap: QPixmap | None = None
        self._key: tuple[float, ...] | None = None
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def set_view(self, view: QTransform) -> None:
        """Where world coordinates go (zoom); drops the pixmap."""
        self.view = QTransform(view)
        self._key = None
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        device = painter.worldTransform()
        scale = max(0.05, math.hypot(device.m11(), device.m12()))
        key = (scale, self.view.m11(), self.view.dx(), self.view.dy())
        if key != self._key or self._pixmap is None:
            w = max(1, math.ceil(self._rect.width() * scale))
            h = max(1, math.ceil(self._rect.height() * scale))
            pixmap = QPixmap(w, h)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.scale(scale, scale)
            p.translate(-self._rect.left(), -self._rect.top())
            p.setTransform(self.view, True)
            p.setPen(Qt.PenStyle.NoPen)
            for path, colour in self._paths:
                p.setBrush(colour)
                p.drawPath(path)
            p.end()
            self._pixmap, self._key = pixmap, key
        painter.drawPixmap(self._rect, self._pixmap, QRectF(self._pixmap.rect()))


@dataclass
class Arc:
    """One great-circle arc in world px: its seam-split pieces and their running lengths."""

    pieces: list[list[QPointF]]
    colour: QColor
    lengths: list[list[float]] = field(default_factory=list)
    total: float = 0.0
    progress: float = 0.0
    visible: bool = True

    def __post_init__(self) -> None:
        run = 0.0
        for piece in self.pieces:
            acc = [run]
            for a, b in itertools.pairwise(piece):
                run += math.hypot(b.x() - a.x(), b.y() - a.y())
                acc.append(run)
            self.lengths.append(acc)
        self.total = run
        self.polygons = [QPolygonF(piece) for piece in self.pieces if len(piece) > 1]

    def path(self, progress: float) -> tuple[QPainterPath, QPointF | None]:
        """The arc drawn up to ``progress`` (0..1) and where its tip is."""
        out = QPainterPath()
        goal = self.total * max(0.0, min(1.0, progress))
        tip: QPointF | None = None
        for piece, acc in zip(self.pieces, self.lengths, strict=True):
            if not piece or acc[0] > goal:
                break
            out.moveTo(piece[0])
            tip = piece[0]
            for k in range(1, len(piece)):
                if acc[k] <= goal:
                    out.lineTo(piece[k])
                    tip = piece[k]
                    continue
                seg = acc[k] - acc[k - 1]
                f = (goal - acc[k - 1]) / seg if seg > 0 else 1.0
                a, b = piece[k - 1], piece[k]
                tip = QPointF(a.x() + (b.x() - a.x()) * f, a.y() + (b.y() - a.y()) * f)
                out.lineTo(tip)
                return out, tip
        return out, tip


class ArcLayer(QGraphicsObject):
    """Every partner arc; finished ones come from one cached path, growing ones are trimmed."""

    def __init__(self, rect: QRectF, arcs: Sequence[Arc], parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.arcs = list(arcs)
        self.zoom = 1.0
        self._done_key: tuple[object, ...] | None = None
        self._done: list[tuple[QColor, list[QPolygonF]]] = []
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def set_state(self, progress: Sequence[float], visible: Sequence[bool]) -> None:
        """Progress (0..1) and visibility of every arc; repaints only on change."""
        changed = False
        for arc, p, v in zip(self.arcs, progress, visible, strict=True):
            if arc.progress != p or arc.visible != v:
                arc.progress, arc.visible = p, v
                changed = True
        if changed:
            self.update()

    def _finished(self) -> list[tuple[QColor, list[QPolygonF]]]:
        key = tuple((a.visible and a.progress >= 1.0) for a in self.arcs)
        if key != self._done_key:
            self._done_key = key
            self._done = [(arc.colour, arc.polygons) for arc, done in zip(self.arcs, key, strict=True) if done]
        return self._done

    def _draw_finished(self, painter: QPainter, arcs: Sequence[tuple[QColor, list[QPolygonF]]]) -> None:
        width = 2.6 / self.zoom
        # one polyline per arc: stroking one big path of overlapping arcs is ~5x slower
        for colour, polygons in arcs:
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            for polygon in polygons:
                painter.drawPolyline(polygon)

    def _paint_finished_cached(self, painter: QPainter) -> bool:
        """Blit the finished arcs from a device-pixel image, stroking only newly finished ones.

        The image is drawn with the painter's own device transform shifted by whole pixels, so
        each arc is rasterised exactly as if stroked straight onto the stage. Only for opaque
        raster painting (the PDF export and fades keep drawing directly); returns False then.
        """
        engine = painter.paintEngine()
        if engine is None or engine.type() != engine.Type.Raster or painter.opacity() < 1.0:
            return False
        device = painter.device()
        transform = painter.worldTransform()
        if not transform.isAffine() or device is None:
            return False
        self._finished()
        done = [i for i, finished in enumerate(self._done_key or ()) if finished]
        dx, dy = transform.dx(), transform.dy()
        key = (transform.m11(), transform.m12(), transform.m21(), transform.m22(), self.zoom,
               device.width(), device.height())
        still = self.__dict__.get("_last_offset") == (dx, dy)
        self._last_offset = (dx, dy)
        cache = self.__dict__.get("_image_cache")
        if cache is not None and cache[0] == key and (cache[5] != dx or cache[6] != dy):
            # the panel moved (slide transition): a whole image (nothing cut off at the edge)
            # follows it, as Qt's device caches do; at rest an inexact offset is redrawn exactly
            shift_x, shift_y = dx - cache[5], dy - cache[6]
            exact = shift_x.is_integer() and shift_y.is_integer()
            if cache[4] or (still and not exact):
                cache = None
            else:
                cache[1].translate(round(shift_x), round(shift_y))
                cache[5], cache[6] = cache[5] + round(shift_x), cache[6] + round(shift_y)
        if cache is None or cache[0] != key:
            # device rectangle that every arc can reach (computed once per view/zoom/size)
            bounds = QRectF()
            for arc in self.arcs:
                for polygon in arc.polygons:
                    bounds = bounds.united(polygon.boundingRect())
            pad = 4.0 / self.zoom
            full = transform.mapRect(bounds.adjusted(-pad, -pad, pad, pad)).toAlignedRect()
            area = full.intersected(QRect(0, 0, device.width(), device.height()))
            if area.isEmpty():
                return True
            image = QImage(area.size(), QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            cache = [key, area, image, [], area != full, dx, dy]
            self._image_cache = cache
        area, image, drawn = cache[1], cache[2], cache[3]
        origin = QTransform.fromTranslate(cache[5] - dx - area.left(), cache[6] - dy - area.top())
        if drawn != done[: len(drawn)]:  # an arc was hidden or restarted: draw them all again
            image.fill(Qt.GlobalColor.transparent)
            drawn.clear()
        if len(done) > len(drawn):
            p = QPainter(image)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setTransform(transform * origin)
            self._draw_finished(p, [(self.arcs[i].colour, self.arcs[i].polygons) for i in done[len(drawn):]])
            p.end()
            drawn.extend(done[len(drawn):])
        if drawn:
            painter.save()
            painter.resetTransform()
            painter.drawImage(area.topLeft(), image)
            painter.restore()
        return True

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        width = 2.6 / self.zoom
        if not self._paint_finished_cached(painter):
            self._draw_finished(painter, self._finished())
        for arc in self.arcs:
            if arc.visible and 0.0 < arc.progress < 1.0:
                path, tip = arc.path(arc.progress)
                painter.setPen(QPen(arc.colour, width * 1.3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                painter.drawPath(path)
                if tip is not None:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QColor(255, 255, 255, 230))
                    painter.drawEllipse(tip, 5.0 / self.zoom, 5.0 / self.zoom)
                    painter.setBrush(Qt.BrushStyle.NoBrush)


@dataclass
class Marker:
    """A partner's marker: world position, shape, colour and label; state set by the panel."""

    world: QPointF
    sister: bool
    colour: QColor
    label: str
    pop: float = 0.0
    visible: bool = True


class MarkerLayer(QGraphicsObject):
    """Partner markers (diamond = sister, circle = friendly), the hub, focus ring and labels.

    One item for all markers keeps painting cheap and lets a tap pick the nearest marker
    within a finger's reach even where markers crowd (Europe).
    """

    def __init__(
        self,
        rect: QRectF,
        markers: Sequence[Marker],
        hub: QPointF,
        hub_label: str,
        font: QFont,
        colours: dict[str, QColor],
        on_tap: Callable[[int | None], None],
        parent: QGraphicsItem,
    ) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.markers = list(markers)
        self.hub_world = hub
        self.hub_label = hub_label
        self.hub_pop = 0.0
        self.font = font
        self.colours = colours
        self.on_tap = on_tap
        self.view = QTransform()
        self.focused: int | None = None
        self.selected: int | None = None
        self.show_all_labels = False
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        return self._rect

    def position(self, index: int) -> QPointF:
        """Where marker ``index`` is drawn, in panel (stage) coordinates."""
        return self.view.map(self.markers[index].world)

    def hub_position(self) -> QPointF:
        """Where Shenzhen is drawn."""
        return self.view.map(self.hub_world)

    def shown(self, index: int) -> bool:
        """True when marker ``index`` is visible and has popped in."""
        m = self.markers[index]
        return m.visible and m.pop > 0.5 and self._rect.contains(self.position(index))

    def nearest(self, pos: QPointF, reach: float = HIT_RADIUS) -> int | None:
        """The shown marker closest to ``pos`` within ``reach`` px, if any."""
        best, best_d = None, reach
        for i in range(len(self.markers)):
            if self.shown(i):
                p = self.position(i)
                d = math.hypot(p.x() - pos.x(), p.y() - pos.y())
                if d <= best_d:
                    best, best_d = i, d
        return best

    # -- painting -----------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QPen(self.colours["outline"], 2.5)
        for i, m in enumerate(self.markers):
            if not m.visible or m.pop <= 0.0:
                continue
            p = self.position(i)
            r = MARKER_R * m.pop * (1.35 if i == self.selected else 1.0)
            painter.setPen(outline)
            painter.setBrush(m.colour)
            if m.sister:
                d = r * 1.35
                painter.drawPolygon(QPolygonF([QPointF(p.x(), p.y() - d), QPointF(p.x() + d, p.y()),
                                               QPointF(p.x(), p.y() + d), QPointF(p.x() - d, p.y())]))
            else:
                painter.drawEllipse(p, r, r)
        self._paint_hub(painter)
        for i in (self.selected, self.focused):
            if i is not None and self.markers[i].visible:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(self.colours["focus"], 4))
                painter.drawEllipse(self.position(i), 22, 22)
        self._paint_labels(painter)

    def _paint_hub(self, painter: QPainter) -> None:
        if self.hub_pop <= 0:
            return
        p = self.hub_position()
        r = 12 * self.hub_pop
        painter.setPen(QPen(self.colours["hub"], 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(p, r + 8, r + 8)
        painter.setPen(QPen(self.colours["outline"], 2))
        painter.setBrush(self.colours["hub"])
        painter.drawEllipse(p, r * 0.75, r * 0.75)

    def label_rects(self) -> list[tuple[QRectF, str]]:
        """Labels that fit without overlapping: hub, selected and focused first, then by order."""
        metrics = QFontMetricsF(self.font)
        placed: list[tuple[QRectF, str]] = []
        taken: list[QRectF] = []

        def place(anchor: QPointF, text: str, force: bool) -> None:
            w, h = metrics.horizontalAdvance(text) + 16, metrics.height() + 4
            for dx, dy in ((16, -h / 2), (-16 - w, -h / 2), (-w / 2, -h - 14), (-w / 2, 14)):
                rect = QRectF(anchor.x() + dx, anchor.y() + dy, w, h)
                inside = self._rect.contains(rect)
                if inside and (force or not any(rect.intersects(o) for o in taken)):
                    taken.append(rect)
                    placed.append((rect, text))
                    return

        if self.hub_pop > 0.5:
            place(self.hub_position(), self.hub_label, True)
        order = [i for i in (self.selected, self.focused) if i is not None]
        if self.show_all_labels:
            order += [i for i in range(len(self.markers)) if i not in order]
        for i in dict.fromkeys(order):
            if self.shown(i):
                place(self.position(i), self.markers[i].label, i in (self.selected, self.focused))
        return placed

    def _paint_labels(self, painter: QPainter) -> None:
        painter.setFont(self.font)
        metrics = QFontMetricsF(self.font)
        for rect, text in self.label_rects():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.colours["label_bg"])
            painter.drawRoundedRect(rect, 8, 8)
            painter.setPen(self.colours["label"])
            painter.drawText(QPointF(rect.left() + 8, rect.top() + 2 + metrics.ascent()), text)

    # -- touch ----------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        self.on_tap(self.nearest(event.pos()))
        event.accept()
