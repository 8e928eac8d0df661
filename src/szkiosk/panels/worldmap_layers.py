"""Graphics layers of the world map: the framed map, cached land, arcs trimmed by progress,
partner markers that cluster where they crowd, labels placed clear of them, and chips.

Land and arcs live in "world" coordinates (stage pixels of the unzoomed map) under one
transform that zooms; markers, clusters and labels are drawn at a fixed size wherever that
transform puts them. The :class:`MapFrame` clips all of it to the map's rectangle and
reports the rectangle and every mark (arcs, markers, clusters, labels) to the layout audit.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
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
from szkiosk.geo.cluster import Cluster, bubble_radius, cluster_points
from szkiosk.geo.labels import Box, LabelRequest, place_labels
from szkiosk.kit.items import Card, TapArea, retain
from szkiosk.kit.text import ALIGN_CENTER, INK_ASCENT, INK_DESCENT, Runs, TextItem, TextStyle

Point = tuple[float, float]

#: Marker sizes in stage px: sister cities are diamonds, friendly exchange cities circles.
MARKER_R = 9.0
#: Radius a marker takes up (the diamond's tips and the outline), for clusters and labels.
MARKER_EXTENT = 13.0
#: Markers closer than this (edge to edge) merge: a finger could not tell them apart.
CLUSTER_GAP = 16.0
#: Smallest cluster disc (it must hold a two-digit count).
CLUSTER_R = 24.0
HIT_RADIUS = 40.0
#: Air around a label's text inside its plate.
LABEL_PAD = (10.0, 5.0)
#: Smallest height of a chip (a touch target).
CHIP_MIN_H = 64.0


@functools.lru_cache(maxsize=2)
def projected_land(path: str) -> tuple[np.ndarray, ...]:
    """Land rings of a TopoJSON file projected with Equal Earth, one (n, 2) float array each
    (cached: it takes ~0.3 s; arrays hold the 40,000 points in 0.6 MB, tuples took 7 MB)."""
    return tuple(np.asarray(r, dtype=np.float64).reshape(-1, 2)
                 for r in project_rings(drop_antarctica(load_land(Path(path)))))


def land_path(path: str, tf: ScreenTransform) -> QPainterPath:
    """All land as one even-odd QPainterPath in the pixels of ``tf``."""
    out = QPainterPath()
    out.setFillRule(Qt.FillRule.OddEvenFill)
    s, ox, oy = tf.scale, tf.offset_x, tf.offset_y
    for ring in projected_land(path):
        # the same float64 operations, element by element, as ox + s * x one point at a time
        xs = (ox + s * ring[:, 0]).tolist()
        ys = (oy - s * ring[:, 1]).tolist()
        out.addPolygon(QPolygonF([QPointF(x, y) for x, y in zip(xs, ys, strict=True)]))
    return out


class MapFrame(QGraphicsObject):
    """The map's rectangle: clips land, arcs, markers and labels to it, and tells the audit
    what must stay inside (``audit_frame``) and what is drawn there (``audit_marks``)."""

    def __init__(self, rect: QRectF, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        #: Set by the panel: functions giving marks in this item's (the panel's) coordinates.
        self.mark_sources: list[Callable[[], list[QRectF]]] = []

    @property
    def rect(self) -> QRectF:
        """The frame in panel coordinates."""
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Only clips."""

    def audit_frame(self) -> QRectF:
        """Arcs, markers and labels must stay inside the map's rectangle."""
        return QRectF(self._rect)

    def audit_marks(self) -> list[QRectF]:
        """Every arc piece, marker, cluster and label drawn now."""
        return [r for source in self.mark_sources for r in source()]


class LandLayer(QGraphicsObject):
    """Land, pre-rendered into a pixmap at device resolution.

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

    def drop_image(self) -> None:
        """Forget the pre-rendered land (the panel is far away); the next paint draws it again."""
        self._pixmap = None
        self._key = None

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
        pixmap = self._pixmap
        origin = device.map(self._rect.topLeft())
        if (device.type().value <= QTransform.TransformationType.TxScale.value
                and abs(device.m11() - scale) < 1e-9 and abs(device.m22() - scale) < 1e-9
                and abs(self._rect.width() * scale - pixmap.width()) < 1e-6
                and abs(self._rect.height() * scale - pixmap.height()) < 1e-6
                and abs(origin.x() - round(origin.x())) < 1e-6 and abs(origin.y() - round(origin.y())) < 1e-6):
            # the image has the device's pixels at a whole-pixel origin: a plain blit (drawn
            # through the scale transform, a 4K frame spent ~20 ms resampling it to itself)
            painter.save()
            painter.resetTransform()
            painter.drawPixmap(round(origin.x()), round(origin.y()), pixmap)
            painter.restore()
            return
        painter.drawPixmap(self._rect, pixmap, QRectF(pixmap.rect()))


@dataclass
class Arc:
    """One arc in world px: its points, their running lengths, and its state."""

    points: list[QPointF]
    colour: QColor
    lengths: list[float] = field(default_factory=list)
    total: float = 0.0
    progress: float = 0.0
    visible: bool = True

    def __post_init__(self) -> None:
        run = 0.0
        acc = [run]
        for a, b in itertools.pairwise(self.points):
            run += math.hypot(b.x() - a.x(), b.y() - a.y())
            acc.append(run)
        self.lengths = acc
        self.total = run
        self.polygons = [QPolygonF(self.points)] if len(self.points) > 1 else []

    def drawn_points(self, progress: float) -> list[QPointF]:
        """The points of the arc drawn up to ``progress`` (0..1), the tip last."""
        goal = self.total * max(0.0, min(1.0, progress))
        out: list[QPointF] = []
        for k, p in enumerate(self.points):
            if self.lengths[k] <= goal:
                out.append(p)
                continue
            if k > 0:
                seg = self.lengths[k] - self.lengths[k - 1]
                f = (goal - self.lengths[k - 1]) / seg if seg > 0 else 1.0
                a = self.points[k - 1]
                out.append(QPointF(a.x() + (p.x() - a.x()) * f, a.y() + (p.y() - a.y()) * f))
            break
        return out


class ArcLayer(QGraphicsObject):
    """Every partner arc; finished ones come from one cached image, growing ones are trimmed."""

    #: Stroke width in stage px (at any zoom).
    WIDTH = 2.6

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

    def marks(self, view: QTransform, clip: QRectF | None) -> list[QRectF]:
        """Boxes around the drawn part of every shown arc, a few points at a time, in the
        coordinates ``view`` maps to (cut to ``clip`` when zoomed in: the frame clips them)."""
        pad = self.WIDTH / 2
        out = []
        for arc in self.arcs:
            if not arc.visible or arc.progress <= 0:
                continue
            pts = [view.map(p) for p in arc.drawn_points(arc.progress)]
            for k in range(0, max(1, len(pts) - 1), 6):
                chunk = pts[k:k + 7]
                xs, ys = [p.x() for p in chunk], [p.y() for p in chunk]
                box = QRectF(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)
                if clip is not None:
                    box = box.intersected(clip)
                    if box.isEmpty():
                        continue
                out.append(box)
        return out

    def _finished(self) -> list[tuple[QColor, list[QPolygonF]]]:
        key = tuple((a.visible and a.progress >= 1.0) for a in self.arcs)
        if key != self._done_key:
            self._done_key = key
            self._done = [(arc.colour, arc.polygons) for arc, done in zip(self.arcs, key, strict=True) if done]
        return self._done

    def _draw_finished(self, painter: QPainter, arcs: Sequence[tuple[QColor, list[QPolygonF]]]) -> None:
        width = self.WIDTH / self.zoom
        # one polyline per arc: stroking one big path of overlapping arcs is ~5x slower
        for colour, polygons in arcs:
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            for polygon in polygons:
                painter.drawPolyline(polygon)

    def drop_image(self) -> None:
        """Forget the image of finished arcs (the panel is far away); the next paint strokes them
        into a new one, pixel for pixel the same."""
        self.__dict__.pop("_image_cache", None)

    def _paint_finished_cached(self, painter: QPainter) -> bool:
        """Blit the finished arcs from a device-pixel image, stroking only newly finished ones.

        The image is drawn with the painter's own device transform shifted by whole pixels, so
        each arc is rasterised exactly as if stroked straight onto the stage. Under a fade (the
        map fading in while its first arcs draw) the image is blitted at the painter's opacity,
        so the arcs fade as one layer: where arcs cross, as near the hub, they do not darken
        each other as strokes drawn one by one at that opacity would. Only for raster painting
        (the PDF export keeps drawing directly); returns False then.
        """
        engine = painter.paintEngine()
        if engine is None or engine.type() != engine.Type.Raster:
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
            cache = [key, area, image, [], area != full, dx, dy, {}]
            self._image_cache = cache
        area, image, drawn, growing = cache[1], cache[2], cache[3], cache[7]
        origin = QTransform.fromTranslate(cache[5] - dx - area.left(), cache[6] - dy - area.top())
        done_set = set(done)
        grow_now = {i: arc.progress for i, arc in enumerate(self.arcs) if arc.visible and 0.0 < arc.progress < 1.0}
        if (not done_set.issuperset(drawn)  # an arc was hidden or restarted: draw them all again
                or any(i not in done_set and grow_now.get(i, 0.0) < f for i, f in growing.items())):
            image.fill(Qt.GlobalColor.transparent)
            drawn.clear()
            growing.clear()
        new = [i for i in done if i not in set(drawn)]
        steps = [(i, f) for i, f in grow_now.items() if f > growing.get(i, 0.0)]
        if new or steps:
            p = QPainter(image)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setTransform(transform * origin)
            # growing arcs (and those that have just landed) gain only their new stretch: a
            # frame strokes a few px per arc, not every growing arc whole
            for i, f in [*steps, *[(i, 1.0) for i in new if i in growing]]:
                self._draw_stretch(p, self.arcs[i], growing.get(i, 0.0), f)
                growing[i] = f
            self._draw_finished(p, [(self.arcs[i].colour, self.arcs[i].polygons) for i in new if i not in growing])
            p.end()
            for i in new:
                growing.pop(i, None)
            drawn.extend(new)
        self._growing_cached = True
        if drawn or growing:
            painter.save()
            painter.resetTransform()
            painter.drawImage(area.topLeft(), image)
            painter.restore()
        return True

    def _draw_stretch(self, painter: QPainter, arc: Arc, start: float, end: float) -> None:
        """Stroke ``arc`` from ``start`` to ``end`` (0..1) as :meth:`paint` strokes a growing arc."""
        pts = arc.drawn_points(end)
        if start > 0.0:
            before = arc.drawn_points(start)
            pts = [before[-1], *pts[len(before) - 1:]] if before else pts
        if len(pts) > 1:
            painter.setPen(QPen(arc.colour, self.WIDTH / self.zoom, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawPolyline(QPolygonF(pts))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._growing_cached = False
        if not self._paint_finished_cached(painter):
            self._draw_finished(painter, self._finished())
        for arc in self.arcs:
            if arc.visible and 0.0 < arc.progress < 1.0:
                pts = arc.drawn_points(arc.progress)
                tip = pts[-1] if pts else None
                if not self._growing_cached:
                    self._draw_stretch(painter, arc, 0.0, arc.progress)
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


@dataclass(frozen=True)
class PlacedLabel:
    """A label the placer found room for: its plate, its text and whose it is (-1: the hub)."""

    rect: QRectF
    text: str
    owner: int


class MarkerLayer(QGraphicsObject):
    """Partner markers (diamond = sister, circle = friendly), clusters with their count, the
    hub, focus rings and labels.

    :meth:`relayout` (after a change of view, filter or selection, never per frame) merges
    markers that would overlap into clusters and places labels clear of markers, clusters
    and each other; painting then only draws what popped in. A tap picks the cluster or the
    nearest marker within a finger's reach.
    """

    def __init__(
        self,
        rect: QRectF,
        markers: Sequence[Marker],
        hub: QPointF,
        hub_label: str,
        label_style: TextStyle,
        count_style: TextStyle,
        colours: dict[str, QColor],
        on_tap: Callable[[str, int | None], None],
        parent: QGraphicsItem,
    ) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.markers = list(markers)
        self.hub_world = hub
        self.hub_label = hub_label
        self.hub_pop = 0.0
        self.label_style = label_style
        self.count_style = count_style
        self._label_runs = Runs(label_style)
        self._count_runs = Runs(count_style)
        self.colours = colours
        self.on_tap = on_tap
        self.view = QTransform()
        self.focused: int | None = None
        self.selected: int | None = None
        self.clusters: list[Cluster] = []
        self.labels: list[PlacedLabel] = []
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

    def _in_frame(self, p: QPointF) -> bool:
        return self._rect.contains(p)

    # -- clusters and labels --------------------------------------------------------------
    def relayout(self) -> None:
        """Cluster the visible markers at the current view and place the labels."""
        pinned = {i for i in (self.selected, self.focused) if i is not None}
        free = [i for i, m in enumerate(self.markers)
                if m.visible and i not in pinned and self._in_frame(self.position(i))]
        points = [(self.position(i).x(), self.position(i).y()) for i in free]
        found = cluster_points(points, CLUSTER_GAP, self._disc_radius)
        self.clusters = [Cluster(tuple(free[k] for k in c.members), c.x, c.y, c.radius) for c in found]
        self.clusters += [Cluster((i,), self.position(i).x(), self.position(i).y(), MARKER_EXTENT)
                          for i in sorted(pinned) if self.markers[i].visible]
        self.clusters = [self._inside(c) for c in self.clusters]
        self._place_labels()
        self.update()

    def _disc_radius(self, count: int) -> float:
        if count <= 1:
            return MARKER_EXTENT
        text = str(count)
        return max(bubble_radius(count, MARKER_EXTENT, CLUSTER_R), self._count_runs.width(text) / 2 + 12)

    def _inside(self, c: Cluster) -> Cluster:
        """A cluster disc moved (never its markers) so that it stays inside the frame."""
        if c.single:
            return c
        r = c.radius + 2
        x = min(max(c.x, self._rect.left() + r), self._rect.right() - r)
        y = min(max(c.y, self._rect.top() + r), self._rect.bottom() - r)
        return Cluster(c.members, x, y, c.radius)

    def _label_size(self, text: str) -> tuple[float, float]:
        px = self.label_style.px
        return (self._label_runs.width(text) + 2 * LABEL_PAD[0],
                px * (INK_ASCENT + INK_DESCENT) + 2 * LABEL_PAD[1])

    def _place_labels(self) -> None:
        obstacles = [Box(c.x - c.radius, c.y - c.radius, 2 * c.radius, 2 * c.radius) for c in self.clusters]
        hub = self.hub_position()
        hub_r = 22.0
        obstacles.append(Box(hub.x() - hub_r, hub.y() - hub_r, 2 * hub_r, 2 * hub_r))
        requests: list[LabelRequest] = []
        owners: list[tuple[int, str]] = []
        if self._in_frame(hub):
            w, h = self._label_size(self.hub_label)
            requests.append(LabelRequest(hub.x(), hub.y(), w, h, hub_r, forced=True))
            owners.append((-1, self.hub_label))
        singles = [c.members[0] for c in self.clusters if c.single]
        pinned = [i for i in (self.selected, self.focused) if i is not None and i in singles]
        rest = sorted((i for i in singles if i not in pinned), key=lambda i: (not self.markers[i].sister, i))
        for i in dict.fromkeys(pinned + rest):
            p = self.position(i)
            w, h = self._label_size(self.markers[i].label)
            requests.append(LabelRequest(p.x(), p.y(), w, h, MARKER_EXTENT, forced=i in pinned))
            owners.append((i, self.markers[i].label))
        frame = Box(self._rect.left() + 4, self._rect.top() + 4, self._rect.width() - 8, self._rect.height() - 8)
        boxes = place_labels(requests, obstacles, frame)
        self.labels = [PlacedLabel(QRectF(b.x, b.y, b.w, b.h), text, owner)
                       for b, (owner, text) in zip(boxes, owners, strict=True) if b is not None]

    # -- what is drawn now ----------------------------------------------------------------
    def _pop(self, c: Cluster) -> float:
        return max(self.markers[i].pop for i in c.members)

    def _landed(self, c: Cluster) -> bool:
        """True once every member's arc has arrived: only then is a cluster's count true."""
        return min(self.markers[i].pop for i in c.members) > 0.5

    def shown(self, index: int) -> bool:
        """True when marker ``index`` is visible, has popped in and is in the frame."""
        m = self.markers[index]
        return m.visible and m.pop > 0.5 and self._in_frame(self.position(index))

    def cluster_of(self, index: int) -> Cluster | None:
        """The cluster (or single) that stands for marker ``index`` now."""
        return next((c for c in self.clusters if index in c.members), None)

    def cluster_counts(self) -> list[tuple[int, tuple[int, ...]]]:
        """(count drawn, members) of every cluster showing its count now."""
        return [(len(c.members), c.members) for c in self.clusters if not c.single and self._landed(c)]

    def label_rects(self) -> list[tuple[QRectF, str]]:
        """Labels drawn now (the hub's and those of markers that popped in)."""
        out = []
        for label in self.labels:
            up = self.hub_pop > 0.5 if label.owner < 0 else self.shown(label.owner)
            if up:
                out.append((QRectF(label.rect), label.text))
        return out

    def marks(self) -> list[QRectF]:
        """Boxes of the markers, clusters, hub and labels drawn now (panel coordinates)."""
        out = []
        for c in self.clusters:
            if self._pop(c) > 0:
                r = c.radius
                out.append(QRectF(c.x - r, c.y - r, 2 * r, 2 * r))
        if self.hub_pop > 0:
            p = self.hub_position()
            out.append(QRectF(p.x() - 21, p.y() - 21, 42, 42))
        out += [r for r, _ in self.label_rects()]
        return out

    def hit(self, pos: QPointF, reach: float = HIT_RADIUS) -> tuple[str, int | None]:
        """What a tap at ``pos`` means: ("cluster", k), ("marker", i) or ("sea", None)."""
        best: tuple[float, str, int] | None = None
        for k, c in enumerate(self.clusters):
            if self._pop(c) <= 0.5:
                continue
            d = math.hypot(c.x - pos.x(), c.y - pos.y()) - (c.radius if not c.single else 0.0)
            if d <= (reach if c.single else 16.0) and (best is None or d < best[0]):
                best = (d, "marker" if c.single else "cluster", c.members[0] if c.single else k)
        if best is None:
            return "sea", None
        return best[1], best[2]

    def nearest(self, pos: QPointF, reach: float = HIT_RADIUS) -> int | None:
        """The shown single marker closest to ``pos`` within ``reach`` px, if any."""
        kind, value = self.hit(pos, reach)
        return value if kind == "marker" else None

    # -- painting -----------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QPen(self.colours["outline"], 2.5)
        for c in self.clusters:
            pop = self._pop(c)
            if pop <= 0.0:
                continue
            if c.single:
                self._paint_marker(painter, c.members[0], outline)
            else:
                self._paint_cluster(painter, c, pop)
        self._paint_hub(painter)
        for i in (self.selected, self.focused):
            if i is not None and self.markers[i].visible and self.markers[i].pop > 0:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(self.colours["focus"], 4))
                painter.drawEllipse(self.position(i), 20, 20)
        self._paint_labels(painter)

    def _paint_marker(self, painter: QPainter, i: int, outline: QPen) -> None:
        m = self.markers[i]
        p = self.position(i)
        r = MARKER_R * m.pop * (1.3 if i == self.selected else 1.0)
        painter.setPen(outline)
        painter.setBrush(m.colour)
        if m.sister:
            d = r * 1.35
            painter.drawPolygon(QPolygonF([QPointF(p.x(), p.y() - d), QPointF(p.x() + d, p.y()),
                                           QPointF(p.x(), p.y() + d), QPointF(p.x() - d, p.y())]))
        else:
            painter.drawEllipse(p, r, r)

    def _paint_cluster(self, painter: QPainter, c: Cluster, pop: float) -> None:
        r = c.radius * pop
        centre = QPointF(c.x, c.y)
        painter.setPen(QPen(self.colours["cluster_ring"], 3))
        painter.setBrush(self.colours["cluster"])
        painter.drawEllipse(centre, r, r)
        if self._landed(c):
            text = str(len(c.members))
            px = self.count_style.px
            painter.setPen(self.colours["label"])
            self._count_runs.draw(painter, c.x - self._count_runs.width(text) / 2,
                                  c.y + px * (INK_ASCENT - INK_DESCENT) / 2 - 1, text)

    def _paint_hub(self, painter: QPainter) -> None:
        if self.hub_pop <= 0:
            return
        p = self.hub_position()
        r = 12 * self.hub_pop
        painter.setPen(QPen(self.colours["hub"], 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(p, r + 6, r + 6)
        painter.setPen(QPen(self.colours["outline"], 2))
        painter.setBrush(self.colours["hub"])
        painter.drawEllipse(p, r * 0.75, r * 0.75)

    def _paint_labels(self, painter: QPainter) -> None:
        ascent = self.label_style.px * INK_ASCENT
        for rect, text in self.label_rects():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.colours["label_bg"])
            painter.drawRoundedRect(rect, 8, 8)
            painter.setPen(self.colours["label"])
            self._label_runs.draw(painter, rect.left() + LABEL_PAD[0], rect.top() + LABEL_PAD[1] + ascent, text)

    # -- touch ----------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        kind, value = self.hit(event.pos())
        self.on_tap(kind, value)
        event.accept()


class Chip(Card):
    """A tappable rounded control whose label is a text item of one role (never shrunk).

    The tap area under the label carries the label's words, so the reach bar and the
    keyboard find the chip like any other labelled control.
    """

    def __init__(self, rect: QRectF, label: str, style: TextStyle, fill: QColor, on_tap: Callable[[], None], *,
                 outline: QColor | None = None, field: str = "", group: str | None = None,
                 parent: QGraphicsItem) -> None:
        super().__init__(rect, fill, outline=outline, radius=min(rect.height() / 2, 32.0), parent=parent)
        pad = chip_padding(style)
        box = QRectF(rect.left() + pad, rect.top(), rect.width() - 2 * pad, rect.height())
        self.label = TextItem(label, style, box, align=ALIGN_CENTER, valign=Qt.AlignmentFlag.AlignVCenter,
                              max_lines=1, group=group, parent=self)
        self.label.field = field
        self.area = TapArea(rect, on_tap, self)
        self.area.label = label  # type: ignore[attr-defined]

    def tap(self) -> None:
        """Act as if tapped (keyboard, tests)."""
        self.area.tap()

    def set_label(self, text: str) -> None:
        """New words on the chip (same box)."""
        self.label.set_text(text)
        self.area.label = text  # type: ignore[attr-defined]

    def set_on(self, on: bool, fill_on: QColor, fill_off: QColor, outline_on: QColor) -> None:
        """Show the chip as selected (a filter in force) or not."""
        self.set_fill(fill_on if on else fill_off)
        self.set_outline(outline_on if on else None)


def chip_padding(style: TextStyle) -> float:
    """Air left and right of a chip's label."""
    return max(18.0, style.px * 0.6)


def chip_height(style: TextStyle) -> float:
    """A chip's height: a touch target, and at least its label's line with air."""
    return max(CHIP_MIN_H, style.px * (INK_ASCENT + INK_DESCENT) + 30)


def chip_width(label: str, style: TextStyle) -> float:
    """The narrowest chip that holds ``label`` on one line."""
    return Runs(style).width(label) + 2 * chip_padding(style) + 4
