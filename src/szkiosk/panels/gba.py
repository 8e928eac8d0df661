"""The Greater Bay Area as a schematic map on a real coastline: links run out from the hub to
every city, a close-up shows the places too near one another to tell apart on the whole map
(Shenzhen, Qianhai, Hetao, Hong Kong), and the cooperation fields sit beside it as chips.

Labels are placed, not positioned: each name tries the sides of its marker (the content's
``anchor:`` first) and takes the first spot inside the map frame that touches no marker, no
link, no other label (a greedy placer, hub and highlighted places first). A map whose names do
not all fit at a size asks the layout for more room (:meth:`MapNode.min_height`), so the panel
takes another arrangement rather than letting names pile up. Each map reports its frame and
marks (markers and links) to the layout audit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from szkiosk.content.panel_types import GbaPanelModel, Place
from szkiosk.kit.items import Card, TapArea, retain
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Node, Row, Text
from szkiosk.kit.text import ALIGN_CENTER, INK_ASCENT, INK_DESCENT, TextItem, TextStyle, natural_width
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.resources import asset

#: Natural Earth 1:50m land (assets/map): enough to show the Pearl River estuary's shape.
LAND_FILE = asset("map/land-50m.json")

# -- spacing tokens (logical px) ----------------------------------------------------------------
#: Air between the panel's blocks, and between the two maps.
GAP = 32.0
#: Air between a marker's edge and its label, and around every label.
LABEL_GAP = 8.0
LABEL_PAD = 4.0
#: Labels keep this far inside their map's frame.
FRAME_PAD = 14.0
#: Air between two markers' edges below which they read as one (the map needs more room).
MARKER_GAP = 10.0
#: Marker radii: the hub, highlighted places, other cities, zones (rings).
HUB_R, MAJOR_R, MINOR_R, ZONE_R = 14.0, 12.0, 9.0, 11.0
LINK_WIDTH = 4.0
#: A link keeps this far from the markers it passes (or bows away from them).
LINK_CLEARANCE = 18.0
#: Side of the squares a link is reported to the audit as, and their spacing along it.
LINK_MARK = 6.0
#: Chips: padding around the name, air between chips.
CHIP_PAD = (24.0, 12.0)
CHIP_GAP = 16.0
#: Smallest map worth drawing.
MAP_MIN_W = 360.0
MAP_MIN_H = 240.0
#: Steps in which a map's minimum height is searched.
HEIGHT_STEP = 16.0
#: The height a map reports when no height lets every name fit at its width (the layout
#: then takes another arrangement).
UNFIT = 10_000.0

# -- build timing (ms): every element 300-800 ms, all settled by 1500 --------------------------------
MAP_FADE_MS = 350.0
LINK_START, LINK_MS = 150.0, 700.0
INSET_START = 450.0
MARK_MS = 300.0
PULSE_START, PULSE_MS = 900.0, 600.0
TEXT_START, TEXT_MS = 400.0, 400.0
FIELDS_START = 650.0
CHIP_START, CHIP_MS, CHIP_SPREAD = 750.0, 350.0, 400.0
BUILD_MS = 1500.0


# -- geometry --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Projection:
    """Equirectangular with x scaled by the cosine of a middle latitude: true shapes at a
    city region's scale. ``scale`` is px per degree of latitude."""

    k: float
    scale: float
    x0: float
    y0: float
    #: True when the box's height set the scale (a taller box would show the places larger).
    height_bound: bool = False

    @classmethod
    def fit(cls, points: Sequence[tuple[float, float]], box: QRectF, lat0: float) -> Projection:
        """The projection that fits ``(lon, lat)`` points into ``box``, centred."""
        k = math.cos(math.radians(lat0))
        xs = [lon * k for lon, _ in points] or [0.0]
        ys = [-lat for _, lat in points] or [0.0]
        # a single place (or a line of them) still gets a region around it
        w = max(max(xs) - min(xs), 0.05)
        h = max(max(ys) - min(ys), 0.05)
        scale = max(1e-6, min(box.width() / w, box.height() / h))
        cx = (max(xs) + min(xs)) / 2
        cy = (max(ys) + min(ys)) / 2
        return cls(k, scale, cx - box.center().x() / scale, cy - box.center().y() / scale,
                   box.height() / h < box.width() / w)

    def point(self, lon: float, lat: float) -> QPointF:
        """Where ``(lon, lat)`` lands."""
        return QPointF((lon * self.k - self.x0) * self.scale, (-lat - self.y0) * self.scale)

    def lonlat(self, p: QPointF) -> tuple[float, float]:
        """The ``(lon, lat)`` at a point."""
        return (p.x() / self.scale + self.x0) / self.k, -(p.y() / self.scale + self.y0)

    def bounds(self, rect: QRectF) -> tuple[float, float, float, float]:
        """West, south, east, north of what ``rect`` shows."""
        west, north = self.lonlat(rect.topLeft())
        east, south = self.lonlat(rect.bottomRight())
        return west, south, east, north


def polyline_segments(points: Sequence[QPointF]) -> list[QLineF]:
    """The segments joining successive points."""
    return [QLineF(points[i], points[i + 1]) for i in range(len(points) - 1)]


# -- coastline ---------------------------------------------------------------------------------------
@cache
def _land() -> tuple[tuple[tuple[float, float, float, float], Any], ...]:
    """Every land ring as (its lon/lat box, an (n, 2) float array): the world's 40,000 points
    in 0.6 MB (as tuples of floats they took about 5 MB for as long as the process lived)."""
    import numpy as np  # only the maps need it

    from szkiosk.geo import load_land

    try:
        rings = [np.asarray(ring, dtype=np.float64).reshape(-1, 2) for ring in load_land(LAND_FILE)]
    except (OSError, ValueError):
        return ()
    return tuple(((float(r[:, 0].min()), float(r[:, 1].min()), float(r[:, 0].max()), float(r[:, 1].max())), r)
                 for r in rings if len(r))


@cache
def coast_rings(west: float, south: float, east: float, north: float) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Land rings whose box meets a lon/lat box (loaded once; empty when the map file is missing)."""
    out = []
    for (x0, y0, x1, y1), ring in _land():
        if x0 <= east and x1 >= west and y0 <= north and y1 >= south:
            out.append(tuple((x, y) for x, y in ring.tolist()))
    return tuple(out)


def clip_ring(ring: Sequence[tuple[float, float]], west: float, south: float, east: float,
              north: float) -> list[tuple[float, float]]:
    """The part of a polygon inside a lon/lat box (Sutherland-Hodgman, one side at a time).

    Clipping before projecting keeps coordinates small: Qt's path operations go wrong on a
    continent projected at a city region's scale."""
    pts = list(ring)
    for axis, bound, keep_above in ((0, west, True), (0, east, False), (1, south, True), (1, north, False)):
        if not pts:
            break
        out: list[tuple[float, float]] = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            cur_in = cur[axis] >= bound if keep_above else cur[axis] <= bound
            prev_in = prev[axis] >= bound if keep_above else prev[axis] <= bound
            if cur_in != prev_in:
                t = (bound - prev[axis]) / (cur[axis] - prev[axis])
                out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
            if cur_in:
                out.append(cur)
        pts = out
    return pts


def land_path(proj: Projection, frame: QRectF, radius: float) -> QPainterPath:
    """The coastline inside ``frame`` as one path (clipped to the frame's rounded rectangle)."""
    west, south, east, north = proj.bounds(frame)
    pad = 0.05
    box = (west - pad, south - pad, east + pad, north + pad)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in coast_rings(*(round(v, 2) for v in box)):
        clipped = clip_ring(ring, *box)
        if len(clipped) >= 3:
            path.addPolygon(QPolygonF([proj.point(x, y) for x, y in clipped]))
            path.closeSubpath()
    clip = QPainterPath()
    clip.addRoundedRect(frame, radius, radius)
    return path.intersected(clip)


# -- planning a map: markers, links, labels ---------------------------------------------------------
@dataclass(frozen=True)
class MapPlace:
    """A place as one map draws it."""

    index: int
    place: Place
    name: str
    style: TextStyle
    radius: float
    hub: bool


#: Label sides in the order tried after the content's ``anchor:`` (right first: names read on
#: from their point; diagonals before straight above and below, which sit on links).
SIDES = ("right", "left", "upper-right", "lower-right", "upper-left", "lower-left", "above", "below",
         "above-from", "above-to", "below-from", "below-to")


def _candidate(side: str, c: QPointF, d: float, w: float, h: float) -> QRectF:
    # a diagonal spot's corner keeps ``d`` from the centre on both axes: clear of the marker
    diag = d
    x, y = c.x(), c.y()
    return {
        "right": QRectF(x + d, y - h / 2, w, h),
        "left": QRectF(x - d - w, y - h / 2, w, h),
        "above": QRectF(x - w / 2, y - d - h, w, h),
        "below": QRectF(x - w / 2, y + d, w, h),
        "upper-right": QRectF(x + diag, y - diag - h, w, h),
        "lower-right": QRectF(x + diag, y + diag, w, h),
        "upper-left": QRectF(x - diag - w, y - diag - h, w, h),
        "lower-left": QRectF(x - diag - w, y + diag, w, h),
        # above or below, starting at the marker or ending at it
        "above-from": QRectF(x - h / 2, y - d - h, w, h),
        "above-to": QRectF(x + h / 2 - w, y - d - h, w, h),
        "below-from": QRectF(x - h / 2, y + d, w, h),
        "below-to": QRectF(x + h / 2 - w, y + d, w, h),
    }[side]


#: Direction of each side (screen y grows downwards).
SIDE_ANGLES = {"right": 0.0, "upper-right": 45.0, "above-from": 70.0, "above": 90.0, "above-to": 110.0,
               "upper-left": 135.0, "left": 180.0, "lower-left": 225.0, "below-to": 250.0, "below": 270.0,
               "below-from": 290.0, "lower-right": 315.0}


def _sides(c: QPointF, hub: QPointF | None, anchor: str | None) -> list[str]:
    """Sides to try for a label: the content's anchor, then those facing away from the hub
    (its own link arrives from there), then the rest in :data:`SIDES` order."""
    order = list(SIDES)
    if hub is not None and QLineF(hub, c).length() > 0:
        away = math.degrees(math.atan2(hub.y() - c.y(), c.x() - hub.x()))

        def turn(side: str) -> float:
            return abs((SIDE_ANGLES[side] - away + 180) % 360 - 180)

        order.sort(key=lambda side: (round(turn(side) / 45), SIDES.index(side)))
    if anchor:
        order.remove(anchor)
        order.insert(0, anchor)
    return order


def label_size(name: str, style: TextStyle) -> tuple[float, float]:
    """Width and height of a one-line name as a text item draws it (its ink box)."""
    return natural_width(name, style) + 1.0, style.px * (INK_ASCENT + INK_DESCENT)


@dataclass
class MapPlan:
    """Where everything of one map goes inside its frame (frame coordinates = parent's)."""

    frame: QRectF
    proj: Projection
    places: list[MapPlace]
    centres: dict[int, QPointF]
    links: dict[int, list[QPointF]]
    labels: dict[int, QRectF]
    blocked: list[QRectF]
    locator: QRectF | None
    ok: bool
    #: Places whose label found no free spot (drawn where it collides least).
    misses: list[int] = field(default_factory=list)
    #: Every spot tried per place: (rank, rect, collision with what does not move).
    spots: dict[int, list[tuple[int, QRectF, float]]] = field(default_factory=dict)

    def link_segments(self) -> list[QLineF]:
        """Every straight piece of every link."""
        return [s for pts in self.links.values() for s in polyline_segments(pts)]

    def mark_rects(self) -> list[QRectF]:
        """What the audit checks text against: markers and squares along the links."""
        out = [QRectF(c.x() - p.radius, c.y() - p.radius, 2 * p.radius, 2 * p.radius)
               for p in self.places for c in (self.centres[p.index],)]
        half = LINK_MARK / 2
        for seg in self.link_segments():
            n = max(1, math.ceil(seg.length() / (LINK_MARK * 0.75)))  # squares overlap: no gaps
            for i in range(n + 1):
                q = seg.pointAt(i / n)
                out.append(QRectF(q.x() - half, q.y() - half, LINK_MARK, LINK_MARK))
        return out


def plan_map(places: Sequence[MapPlace], frame: QRectF, *, reserved: Sequence[QRectF] = (),
             locator: tuple[float, float, float, float] | None = None, fit: QRectF | None = None,
             linked: Callable[[MapPlace], bool] | None = None) -> MapPlan:
    """Fit ``places`` into ``frame``, draw links from the hub, place every label.

    The places are fitted with room at the edges for names, generous first, then tight (edge
    places name themselves inwards or sideways) where room is short; the first plan that
    places every name is taken, else the one with the fewest misses.
    """
    best: MapPlan | None = None
    for pads in PADS:
        plan = _plan_map(places, frame, reserved=reserved, locator=locator, fit=fit, linked=linked, pads=pads)
        if plan.ok:
            return plan
        if best is None or len(plan.misses) < len(best.misses):
            best = plan
    assert best is not None
    return best


#: Room kept at the frame's sides for names: (share of the widest name, share of the tallest).
PADS = ((0.5, 1.0), (0.3, 0.5))


def _plan_map(places: Sequence[MapPlace], frame: QRectF, *, reserved: Sequence[QRectF],
              locator: tuple[float, float, float, float] | None, fit: QRectF | None,
              linked: Callable[[MapPlace], bool] | None, pads: tuple[float, float]) -> MapPlan:
    """One try of :func:`plan_map` with the given edge room.

    ``reserved`` are rectangles nothing may cover (the close-up's caption); ``locator`` is a
    lon/lat box tinted on this map (where the close-up is). The plan is ``ok`` when every
    label found a free spot. ``fit`` (inside ``frame``) is the box the places are fitted to
    when the frame is larger than the size at which they were measured. ``linked`` says which
    places get a link from the hub (all by default).
    """
    hub = next((p for p in places if p.hub), None)
    box_fit = fit if fit is not None else frame
    sizes = {p.index: label_size(p.name, p.style) for p in places}
    widest = max((w for w, _ in sizes.values()), default=0.0)
    tallest = max((h for _, h in sizes.values()), default=0.0)
    # reserved boxes are captions along the top: the places go below them
    top = max([box_fit.top(), *(r.bottom() for r in reserved)])
    pad_x = widest * pads[0] + FRAME_PAD
    pad_y = tallest * pads[1] + MAJOR_R + FRAME_PAD
    inner = QRectF(box_fit.left() + pad_x, top + pad_y, box_fit.width() - 2 * pad_x,
                   box_fit.bottom() - pad_y - top - pad_y)
    if inner.width() < 10 or inner.height() < 10:
        inner = box_fit.adjusted(box_fit.width() * 0.3, box_fit.height() * 0.3, -box_fit.width() * 0.3,
                                 -box_fit.height() * 0.3)
    coords = [(p.place.lon, p.place.lat) for p in places]
    if locator is not None:
        coords += [(locator[0], locator[1]), (locator[2], locator[3])]
    lat0 = sum(lat for _, lat in coords) / len(coords) if coords else 0.0
    proj = Projection.fit(coords, inner, lat0)
    centres = {p.index: proj.point(p.place.lon, p.place.lat) for p in places}
    box = None
    if locator is not None:
        a, b = proj.point(locator[0], locator[3]), proj.point(locator[2], locator[1])
        box = QRectF(a, b).normalized()
    layout = _Layout(places, {i: (c.x(), c.y()) for i, c in centres.items()}, sizes,
                     _box(frame.adjusted(FRAME_PAD, FRAME_PAD, -FRAME_PAD, -FRAME_PAD)),
                     [_box(r) for r in reserved], hub, linked)
    links, labels, misses, spots = layout.solve()
    crowded = any(QLineF(centres[a.index], centres[b.index]).length() < a.radius + b.radius + MARKER_GAP
                  for k, a in enumerate(places) for b in places[k + 1:])
    plan = MapPlan(frame, proj, list(places), centres,
                   {i: [QPointF(x, y) for x, y in pts] for i, pts in links.items()},
                   {i: QRectF(b[0], b[1], b[2] - b[0], b[3] - b[1]) for i, b in labels.items()},
                   list(reserved), box, ok=not misses and not crowded, misses=misses,
                   spots={i: [(rank, QRectF(b[0], b[1], b[2] - b[0], b[3] - b[1]), clash) for rank, b, clash in found]
                          for i, found in spots.items()})
    return plan


# The placer works on plain floats: it runs many times while the layout measures a map.
Box = tuple[float, float, float, float]
Pt = tuple[float, float]
Seg = tuple[float, float, float, float]


def _box(r: QRectF) -> Box:
    return r.left(), r.top(), r.right(), r.bottom()


def _meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _grow(b: Box, d: float) -> Box:
    return b[0] - d, b[1] - d, b[2] + d, b[3] + d


def _seg_hits(seg: Seg, b: Box) -> bool:
    """True when the segment crosses or lies in the box (Liang-Barsky)."""
    x0, y0 = seg[0], seg[1]
    dx, dy = seg[2] - x0, seg[3] - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - b[0]), (dx, b[2] - x0), (-dy, y0 - b[1]), (dy, b[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _box_distance(b: Box, p: Pt) -> float:
    return math.hypot(max(b[0] - p[0], 0.0, p[0] - b[2]), max(b[1] - p[1], 0.0, p[1] - b[3]))


def _point_seg_distance(p: Pt, seg: Seg) -> float:
    dx, dy = seg[2] - seg[0], seg[3] - seg[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - seg[0]) * dx + (p[1] - seg[1]) * dy) / length2))
    return math.hypot(p[0] - seg[0] - t * dx, p[1] - seg[1] - t * dy)


def _bow(a: Pt, b: Pt, bend: float, n: int = 10) -> list[Pt]:
    """A quadratic curve from ``a`` to ``b`` bowed sideways by ``bend`` x its length (two
    points when straight)."""
    if bend == 0:
        return [a, b]
    cx = (a[0] + b[0]) / 2 - (b[1] - a[1]) * bend
    cy = (a[1] + b[1]) / 2 + (b[0] - a[0]) * bend
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append((u * u * a[0] + 2 * t * u * cx + t * t * b[0], u * u * a[1] + 2 * t * u * cy + t * t * b[1]))
    return out


def _segs(pts: Sequence[Pt]) -> list[Seg]:
    return [(pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1]) for i in range(len(pts) - 1)]


#: Bends a link may take, gentlest first (share of its length, either side).
BENDS = (0.0, 0.12, -0.12, 0.22, -0.22, 0.32, -0.32)
#: How many other link bends the placer tries to free a name that found no spot.
REBEND_TRIES = 12


class _Layout:
    """Links and labels of one map, solved together: each link takes the gentlest bend that
    clears the markers it passes; names are placed most-constrained first; a name left
    without a spot makes the links across its spots try their other admissible bends."""

    def __init__(self, places: Sequence[MapPlace], centres: dict[int, Pt], sizes: dict[int, tuple[float, float]],
                 frame: Box, blocked: list[Box], hub: MapPlace | None,
                 linked: Callable[[MapPlace], bool] | None = None) -> None:
        self.places = list(places)
        self.by_index = {p.index: p for p in places}
        self.centres = centres
        self.sizes = sizes
        self.frame = frame
        self.blocked = blocked
        self.hub = hub
        self.linked = linked
        self.markers = {p.index: (centres[p.index][0] - p.radius - 3, centres[p.index][1] - p.radius - 3,
                                  centres[p.index][0] + p.radius + 3, centres[p.index][1] + p.radius + 3)
                        for p in places}
        self.reach = LINK_WIDTH / 2 + LINK_MARK / 2 + 1
        self.options = self._link_options()
        self.spots = {p.index: self._spots(p) for p in places}

    # -- links -------------------------------------------------------------------------------
    def _link_options(self) -> dict[int, list[list[Pt]]]:
        """For each place, the admissible curves of its link, gentlest first."""
        hub = self.hub
        if hub is None:
            return {}
        a = self.centres[hub.index]
        out: dict[int, list[list[Pt]]] = {}
        for p in self.places:
            if p.hub or (self.linked is not None and not self.linked(p)):
                continue
            b = self.centres[p.index]
            if math.hypot(b[0] - a[0], b[1] - a[1]) < hub.radius + p.radius + 4:
                continue
            others = [(self.centres[o.index], o.radius) for o in self.places if o.index not in (p.index, hub.index)]
            good: list[list[Pt]] = []
            best: tuple[float, list[Pt]] | None = None
            for bend in BENDS:
                pts = _bow(a, b, bend)
                segs = _segs(pts)
                clearance = min((min(_point_seg_distance(c, sg) for sg in segs) - r for c, r in others), default=1e9)
                if clearance >= LINK_CLEARANCE:
                    good.append(pts)
                if best is None or clearance > best[0]:
                    best = (clearance, pts)
            out[p.index] = good or ([best[1]] if best is not None else [[a, b]])
        return out

    # -- labels ------------------------------------------------------------------------------
    def _spots(self, p: MapPlace) -> list[tuple[int, Box, float]]:
        """Every spot for a name with its collision with markers, reserved boxes, the frame
        and being misread for a neighbour (links and other names are checked later)."""
        w, h = self.sizes[p.index]
        c = self.centres[p.index]
        hub = None if p.hub or self.hub is None else self.centres[self.hub.index]
        sides = _sides(QPointF(*c), QPointF(*hub) if hub else None, p.place.anchor)
        out = []
        for ring in (0.0, 0.5):
            d = p.radius + LABEL_GAP + ring * h
            for side in sides:
                r = _candidate(side, QPointF(*c), d, w, h)
                b = (r.left(), r.top(), r.right(), r.bottom())
                out.append((len(out), b, self._static_clash(b, p)))
        return out

    def _static_clash(self, b: Box, p: MapPlace) -> float:
        f = self.frame
        if b[0] < f[0] or b[1] < f[1] or b[2] > f[2] or b[3] > f[3]:
            return 1e6
        hit = 0.0
        grown = _grow(b, 3)
        for m in self.markers.values():
            hit += _overlap(grown, m)
        for r in self.blocked:
            hit += _overlap(b, r)
        c = self.centres[p.index]
        own = _box_distance(b, c) - p.radius
        if any(_box_distance(b, self.centres[o.index]) - o.radius < own + LABEL_GAP
               for o in self.places if o.index != p.index):
            hit += 50.0
        return hit

    def _link_clash(self, b: Box, segs: list[tuple[Seg, Box]]) -> bool:
        wide = _grow(b, self.reach)
        return any(_meets(box, wide) and _seg_hits(sg, wide) for sg, box in segs)

    def _place(self, links: dict[int, list[Pt]]) -> tuple[dict[int, Box], list[int]]:
        """Names most constrained first (see the class docstring); returns boxes and misses."""
        segs = [(sg, (min(sg[0], sg[2]), min(sg[1], sg[3]), max(sg[0], sg[2]), max(sg[1], sg[3])))
                for pts in links.values() for sg in _segs(pts)]
        usable = {i: [(rank, b) for rank, b, clash in found if clash == 0 and not self._link_clash(b, segs)]
                  for i, found in self.spots.items()}
        taken: list[Box] = []
        labels: dict[int, Box] = {}
        misses: list[int] = []
        pending = [p.index for p in sorted(self.places, key=lambda p: (not p.hub, not p.place.highlight, p.index))]

        def free(b: Box) -> bool:
            g = _grow(b, LABEL_PAD)
            return not any(_meets(g, t) for t in taken)

        while pending:
            open_spots = {i: [s for s in usable[i] if free(s[1])] for i in pending}
            placeable = [i for i in pending if open_spots[i]]
            if self.hub is not None and self.hub.index in pending:
                index = self.hub.index
            elif placeable:
                index = min(placeable, key=lambda i: (len(open_spots[i]), not self.by_index[i].place.highlight,
                                                      pending.index(i)))
            else:
                index = pending[0]
            pending.remove(index)
            choice = open_spots[index]
            if choice:
                box = min(choice, key=lambda spot: _spot_cost(spot, [open_spots[i] for i in pending]))[1]
            else:
                misses.append(index)
                box = min(self.spots[index], key=lambda spot: spot[2] + (0 if free(spot[1]) else 500)
                          + 100 * self._link_clash(spot[1], segs) + spot[0])[1]
            labels[index] = box
            taken.append(_grow(box, LABEL_PAD))
        return labels, misses

    def solve(self) -> tuple[dict[int, list[Pt]], dict[int, Box], list[int], dict[int, list[tuple[int, Box, float]]]]:
        """Links, label boxes, the places whose name found no free spot, and every spot tried."""
        choice = dict.fromkeys(self.options, 0)
        links = {i: self.options[i][0] for i in self.options}
        labels, misses = self._place(links)
        tries = 0
        improved = True
        while misses and improved and tries < REBEND_TRIES:
            improved = False
            for m in misses:
                near = [b for rank, b, clash in self.spots[m] if clash == 0][:8]
                crossing = [i for i in self.options if len(self.options[i]) > 1 and any(
                    self._link_clash(b, [(sg, (min(sg[0], sg[2]), min(sg[1], sg[3]), max(sg[0], sg[2]),
                                               max(sg[1], sg[3]))) for sg in _segs(links[i])]) for b in near)]
                for i in crossing:
                    for k in range(len(self.options[i])):
                        if k == choice[i] or tries >= REBEND_TRIES:
                            continue
                        tries += 1
                        trial = {**links, i: self.options[i][k]}
                        trial_labels, trial_misses = self._place(trial)
                        if len(trial_misses) < len(misses):
                            choice[i], links, labels, misses = k, trial, trial_labels, trial_misses
                            improved = True
                            break
                    if improved:
                        break
                if improved:
                    break
        return links, labels, misses, self.spots


def _spot_cost(spot: tuple[int, Box], others: list[list[tuple[int, Box]]]) -> tuple[int, int, int]:
    """How much taking ``spot`` costs the names still to place: how many it leaves with no
    free spot, then its own rank (preference), then how many free spots it takes away."""
    rank, b = spot
    g = _grow(b, LABEL_PAD)
    lost = [sum(1 for _, r in spots if _meets(r, g)) for spots in others]
    zeroed = sum(1 for spots, n in zip(others, lost, strict=True) if spots and n == len(spots))
    return zeroed, rank, sum(lost)


# -- drawing a map -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MapStyle:
    """Colours a map draws with (from the panel's theme)."""

    surface: QColor
    outline: QColor
    land: QColor
    coast: QColor
    link: QColor
    hub: QColor
    major: QColor
    minor: QColor
    zone: QColor
    background: QColor
    locator: QColor


class MapFrame(QGraphicsObject):
    """One map: its card, coastline, links, markers and labels. The frame the audit checks
    labels and marks against, and the marks it checks text against."""

    def __init__(self, plan: MapPlan, style: MapStyle, parent: QGraphicsItem, *,
                 caption: TextItem | None = None, land: bool = True) -> None:
        super().__init__(parent)
        retain(parent, self)
        self.plan = plan
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        frame = plan.frame
        self.card = Card(frame, style.surface, outline=style.outline if land else style.zone, radius=18, parent=self)
        self.land: QGraphicsPathItem | None = None
        if land:
            self.land = QGraphicsPathItem(land_path(plan.proj, frame, 18), self)
            self.land.setBrush(style.land)
            self.land.setPen(QPen(style.coast, 2))
            # the coastline is thousands of points: filled and stroked once into a device
            # pixmap, then blitted while the map fades in and its links grow over it (at 4K
            # it cost ~12 ms a frame drawn as a path)
            self.land.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.caption = caption
        if caption is not None:
            caption.setParentItem(self)
            caption.setZValue(5)
        self.locator: QGraphicsPathItem | None = None
        if plan.locator is not None:
            # a soft patch, not an outline: names may cross it (the close-up shows its places)
            patch = QPainterPath()
            patch.addRoundedRect(plan.locator, 14, 14)
            self.locator = QGraphicsPathItem(patch, self)
            self.locator.setBrush(style.locator)
            self.locator.setPen(Qt.PenStyle.NoPen)
            self.locator.setZValue(1)
        pen = QPen(style.link, LINK_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.links: dict[int, tuple[QGraphicsPathItem, list[QPointF]]] = {}
        for index, pts in plan.links.items():
            item = QGraphicsPathItem(self)
            item.setPen(pen)
            item.setBrush(Qt.BrushStyle.NoBrush)
            item.setZValue(2)
            self.links[index] = (item, pts)
        self._lengths = {i: sum(seg.length() for seg in polyline_segments(pts)) for i, pts in plan.links.items()}
        self._longest = max(self._lengths.values(), default=0.0)
        self.markers: dict[int, Card] = {}
        for p in plan.places:
            c = plan.centres[p.index]
            r = p.radius
            rect = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
            if p.place.kind == "zone":
                dot = Card(rect, style.background, outline=style.zone, radius=r, parent=self)
            else:
                colour = style.hub if p.hub else style.major if p.place.highlight else style.minor
                dot = Card(rect, colour, outline=style.background, radius=r, parent=self)
            dot.setTransformOriginPoint(c)
            dot.setZValue(3)
            self.markers[p.index] = dot
        self.labels: dict[int, TextItem] = {}
        for p in plan.places:
            rect = plan.labels[p.index]
            label = TextItem(p.name, p.style, QRectF(rect.left(), rect.top(), rect.width() + 1, 0),
                             max_lines=1, group=f"place-{'major' if p.place.highlight else 'minor'}", parent=self)
            label.field = f"places[{p.index}].name"
            label.setZValue(4)
            self.labels[p.index] = label
        self.set_links(1.0)

    def set_links(self, progress: float) -> None:
        """Draw the links out from the hub at one speed: the longest is whole at ``progress`` 1."""
        reach = self._longest * min(1.0, max(0.0, progress))
        for item, pts in self.links.values():
            path = QPainterPath()
            if reach > 0 and len(pts) > 1:
                path.moveTo(pts[0])
                left = reach
                for a, b in pairwise(pts):
                    step = QLineF(a, b).length()
                    if step >= left:
                        path.lineTo(a + (b - a) * (left / step if step else 1.0))
                        break
                    path.lineTo(b)
                    left -= step
            item.setPath(path)

    def link_length(self) -> float:
        """Length of the links as drawn now."""
        return sum(item.path().length() for item, _ in self.links.values())

    def arrival(self, index: int) -> float:
        """Share of the link growth at which a link reaches place ``index`` (0 for the hub)."""
        return self._lengths.get(index, 0.0) / (self._longest or 1.0)

    def boundingRect(self) -> QRectF:
        return QRectF(self.plan.frame)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """The children draw."""

    def audit_frame(self) -> QRectF:
        """Labels, markers and links must stay inside the map's card."""
        return QRectF(self.plan.frame)

    def audit_marks(self) -> list[QRectF]:
        """Markers and links: no text may lie on them."""
        return self.plan.mark_rects()


class MapNode(Node):
    """A map as a layout node: as tall as it must be for every label to find a free spot."""

    def __init__(self, plan_at: Callable[[QRectF, QRectF | None], MapPlan],
                 build: Callable[[MapPlan, QGraphicsItem], MapFrame],
                 *, flex: float = 1.0) -> None:
        self.plan_at = plan_at
        self.build = build
        self.flex = flex
        self._heights: dict[float, float] = {}
        self._plans: dict[tuple[float, ...], MapPlan] = {}
        self.frame: MapFrame | None = None

    def _plan(self, rect: QRectF, fit: QRectF | None = None) -> MapPlan:
        key = tuple(round(v, 1) for v in (rect.x(), rect.y(), rect.width(), rect.height(),
                                           *((fit.y(), fit.height()) if fit is not None else ())))
        if key not in self._plans:
            self._plans[key] = self.plan_at(rect, fit)
        return self._plans[key]

    def min_height(self, width: float) -> float:
        """The least height at which every name finds a free spot; :data:`UNFIT` when none
        does at this width (past the height where the width sets the scale, taller gains nothing)."""
        key = round(width, 1)
        if key not in self._heights:
            found = None
            h = MAP_MIN_H
            coarse = 3 * HEIGHT_STEP
            while found is None:
                plan = self._plan(QRectF(0, 0, width, h))
                if plan.ok:
                    found = h
                elif not plan.proj.height_bound or h > 4 * width:
                    break
                else:
                    h += coarse
            if found is not None:
                # refine between the last failure and the first success
                for finer in (found - coarse + HEIGHT_STEP * k for k in (1, 2)):
                    if finer >= MAP_MIN_H and self._plan(QRectF(0, 0, width, finer)).ok:
                        found = finer
                        break
            self._heights[key] = found if found is not None else UNFIT
        return self._heights[key]

    def min_width(self) -> float:
        return MAP_MIN_W

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self.frame = self.build(self.plan_for(rect), parent)

    def plan_for(self, rect: QRectF) -> MapPlan:
        """The plan for ``rect``: fitted to the whole of it when every label finds a spot there,
        else to the largest box inside it (centred) at which they do; the frame stays ``rect``."""
        plan = self._plan(rect)
        if plan.ok:
            return plan
        least = self.min_height(rect.width())
        h = rect.height() - HEIGHT_STEP
        while h >= least:
            fit = QRectF(rect.left(), rect.top() + (rect.height() - h) / 2, rect.width(), h)
            trial = self._plan(rect, fit)
            if trial.ok:
                return trial
            h -= HEIGHT_STEP
        return plan


# -- chips -------------------------------------------------------------------------------------------
class ChipFlow(Node):
    """Names on outlined chips that wrap like words, rows as tall as their tallest chip; an
    optional ``lead`` (the fields' heading) runs in front of the first chip, unboxed."""

    def __init__(self, texts: Sequence[Text], outlines: Sequence[QColor], fill: QColor,
                 lead: Text | None = None) -> None:
        self.texts = list(texts)
        self.outlines = list(outlines)
        self.fill = fill
        self.lead = lead
        self.cards: list[CardNode] = []

    def _width(self, i: int, width: float) -> float:
        """Width of item ``i`` (-1: the lead) at a flow width of ``width``."""
        if i < 0:
            assert self.lead is not None
            return min(width, self.lead.natural_width() + 1)
        return min(width, self.texts[i].natural_width() + 2 * CHIP_PAD[0] + 1)

    def _items(self) -> list[int]:
        return ([-1] if self.lead is not None else []) + list(range(len(self.texts)))

    def _rows(self, width: float) -> list[list[tuple[int, float]]]:
        """Items in rows, balanced: as few rows as ``width`` allows, wrapped at the narrowest
        width that still needs no more (no lone chip on a last row)."""
        rows = self._wrap(width, width)
        lo, hi = max((w for row in rows for _, w in row), default=0.0), width
        while hi - lo > 4:
            mid = (lo + hi) / 2
            if len(self._wrap(mid, width)) <= len(rows):
                hi = mid
            else:
                lo = mid
        return self._wrap(hi, width)

    def _wrap(self, limit: float, width: float) -> list[list[tuple[int, float]]]:
        """Items wrapped like words at ``limit`` (none wider than ``width``)."""
        rows: list[list[tuple[int, float]]] = [[]]
        x = 0.0
        for i in self._items():
            w = self._width(i, width)
            if rows[-1] and x + w > limit + 0.5:
                rows.append([])
                x = 0.0
            rows[-1].append((i, w))
            x += w + CHIP_GAP
        return rows if rows[0] else []

    def _height(self, i: int, w: float) -> float:
        if i < 0:
            assert self.lead is not None
            return self.lead.min_height(w)
        return self.texts[i].min_height(w - 2 * CHIP_PAD[0]) + 2 * CHIP_PAD[1]

    def _row_height(self, row: list[tuple[int, float]]) -> float:
        return max(self._height(i, w) for i, w in row)

    def min_height(self, width: float) -> float:
        rows = self._rows(width)
        return sum(self._row_height(r) for r in rows) + CHIP_GAP * max(0, len(rows) - 1)

    def min_width(self) -> float:
        chips = [t.min_width() + 2 * CHIP_PAD[0] + 1 for t in self.texts]
        lead = [self.lead.min_width()] if self.lead is not None else []
        return max(chips + lead, default=0.0)

    def natural_width(self) -> float:
        items = self._items()
        return sum(self._width(i, 1e9) for i in items) + CHIP_GAP * max(0, len(items) - 1)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self.cards = []
        y = rect.top()
        for row in self._rows(rect.width()):
            h = self._row_height(row)
            x = rect.left()
            for i, w in row:
                if i < 0:
                    assert self.lead is not None
                    need = self.lead.min_height(w)
                    self.lead.place(QRectF(x, y + (h - need) / 2, w, need), parent)
                else:
                    card = CardNode(self.texts[i], self.fill,
                                    padding=(CHIP_PAD[0], CHIP_PAD[1], CHIP_PAD[0], CHIP_PAD[1]),
                                    outline=self.outlines[i % len(self.outlines)], radius=h / 2)
                    card.place(QRectF(x, y, w, h), parent)
                    self.cards.append(card)
                x += w + CHIP_GAP
            y += h + CHIP_GAP


# -- the panel ------------------------------------------------------------------------------------------
@dataclass
class _Face:
    """The nodes of one arrangement (filled in as it is built)."""

    overview: MapNode
    inset: MapNode | None
    statements: list[Text] = field(default_factory=list)
    fields_label: Text | None = None
    chips: ChipFlow | None = None
    #: The fields' heading runs in front of the chips rather than over them.
    inline: bool = False


class GbaPanel(Panel):
    """Map and close-up, one supporting line and the cooperation chips; landscape puts the two
    maps side by side over the text, portrait stacks everything."""

    model: GbaPanelModel
    build_ms = BUILD_MS
    #: A build searches the map heights at which every label finds a spot (about 1 s): far from
    #: the current panel it stays built and drops only its text caches.
    keep_when_far = True

    # -- content ------------------------------------------------------------------------------
    def _hub_index(self) -> int | None:
        hub = self.tr(self.model.hub) if self.model.hub is not None else ""
        hub_en = self.model.hub.get("en") if self.model.hub is not None else ""
        for i, p in enumerate(self.model.places):
            if p.name.get("en") == hub_en or self.tr(p.name) == hub:
                return i
        return None

    def _inset_indices(self) -> list[int]:
        inset = self.model.inset
        if inset is None:
            return []
        wanted = set(inset.places)
        found = [i for i, p in enumerate(self.model.places) if p.name.get("en") in wanted]
        return found if len(found) >= 2 else []

    def _map_places(self, indices: Sequence[int]) -> list[MapPlace]:
        hub = self._hub_index()
        out = []
        for i in indices:
            p = self.model.places[i]
            is_hub = i == hub
            if p.kind == "zone":
                style, r = self.style("label", "data", bold=True), ZONE_R
            elif is_hub or p.highlight:
                style, r = self.style("label", "text", bold=True), HUB_R if is_hub else MAJOR_R
            else:
                # the other cities are context, named a step smaller (as on a printed map): the
                # places the panel is about keep the label role
                style, r = self.style("caption", "muted"), MINOR_R
            out.append(MapPlace(i, p, self.tr(p.name), style, r, is_hub))
        return out

    def _map_style(self) -> MapStyle:
        t = self.ctx.theme
        return MapStyle(t.colour("surface"), t.colour("muted", 0.35), t.colour("muted", 0.16), t.colour("muted", 0.4),
                        t.colour("data", 0.55), t.colour("accent"), t.colour("accent"), t.colour("muted"),
                        t.colour("data"), t.colour("background"), t.colour("data", 0.16))

    # -- the maps -----------------------------------------------------------------------------------
    def _overview_node(self, links: str = "all") -> MapNode:
        """The whole area; ``links`` "all" (a link to every place) or "major" (to the highlighted
        places only: fewer lines for the names to keep clear of, when room is short)."""
        inset = self._inset_indices()
        shown = [i for i, p in enumerate(self.model.places) if not (i in inset and p.kind == "zone")]
        places = self._map_places(shown)
        locator = self._locator(inset)
        linked = None if links == "all" else (lambda p: p.place.highlight)

        def plan_at(rect: QRectF, fit: QRectF | None) -> MapPlan:
            return plan_map(places, rect, locator=locator, fit=fit, linked=linked)

        def build(plan: MapPlan, parent: QGraphicsItem) -> MapFrame:
            self.overview = MapFrame(plan, self._map_style(), parent)
            return self.overview

        return MapNode(plan_at, build)

    def _locator(self, indices: Sequence[int]) -> tuple[float, float, float, float] | None:
        if not indices:
            return None
        lons = [self.model.places[i].lon for i in indices]
        lats = [self.model.places[i].lat for i in indices]
        pad = 0.04
        return min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad

    def _inset_node(self) -> MapNode | None:
        indices = self._inset_indices()
        if not indices or self.model.inset is None:
            return None
        places = self._map_places(indices)
        title = self.tr(self.model.inset.title)
        title_style = self.style("label", "data", bold=True)

        def caption_rect(rect: QRectF) -> QRectF:
            w, h = label_size(title, title_style)
            return QRectF(rect.left() + FRAME_PAD + 8, rect.top() + FRAME_PAD, min(w, rect.width() - 2 * FRAME_PAD), h)

        def plan_at(rect: QRectF, fit: QRectF | None) -> MapPlan:
            reserved = [caption_rect(rect).adjusted(-LABEL_PAD, -LABEL_PAD, LABEL_PAD, LABEL_PAD)]
            plan = plan_map(places, rect, reserved=reserved, fit=fit)
            if natural_width(title, title_style) > rect.width() - 2 * FRAME_PAD - 8:
                plan.ok = False
            return plan

        def build(plan: MapPlan, parent: QGraphicsItem) -> MapFrame:
            box = caption_rect(plan.frame)
            caption = TextItem(title, title_style, QRectF(box.left(), box.top(), box.width() + 1, 0), max_lines=1,
                               group="inset-title")
            caption.field = "inset.title"
            # no coastline: at this scale the 1:50m one is too coarse (it drops the Nanshan
            # peninsula and would put Qianhai offshore); the close-up is a diagram
            self.inset = MapFrame(plan, self._map_style(), parent, caption=caption, land=False)
            return self.inset

        # in a stack the close-up takes less of the spare height than the whole area
        return MapNode(plan_at, build, flex=0.4)

    # -- arrangements ---------------------------------------------------------------------------------
    def _face(self, links: str = "all", inline: bool = False) -> _Face:
        m = self.model
        theme = self.ctx.theme
        face = _Face(self._overview_node(links), self._inset_node())
        face.statements = [self.text(s, "body", field=f"statements[{i}]") for i, s in enumerate(m.statements)]
        face.fields_label = self.text(m.fields_label, "label", "data", field="fields_label", group="fields-label")
        chip_style = self.style("label", "text", bold=True)
        chips = [Text(self.tr(f), chip_style, align=ALIGN_CENTER, group="chip", on_place=_field(f"fields[{i}]"))
                 for i, f in enumerate(m.fields)]
        face.chips = ChipFlow(chips, [theme.series(k) for k in range(len(chips))], theme.colour("background"),
                              lead=face.fields_label if inline else None)
        face.inline = inline
        return face

    def _maps(self, face: _Face, *, side_by_side: bool) -> Node:
        if face.inset is None:
            return face.overview
        if side_by_side:
            return Row([face.overview, face.inset], gap=GAP, grow=[0.62, 0.38])
        return Column([face.overview, face.inset], gap=GAP)

    def _fields(self, face: _Face) -> Node:
        parts: list[Node] = []
        if face.fields_label is not None and self.model.fields and not face.inline:
            parts.append(face.fields_label)
        if face.chips is not None and self.model.fields:
            parts.append(face.chips)
        return Column(parts, gap=14)

    def _arrangements(self) -> list[Callable[[], Node]]:
        """Widest first. Landscape: the two maps side by side over the text, or the whole area
        beside a column of close-up and text; portrait: everything stacked. Where the names do
        not fit, the whole area keeps only the links to its highlighted places; last, the
        supporting line goes (it is in the details too)."""

        def make(shape: str, links: str = "all", statements: bool = True, inline: bool = False) -> Callable[[], Node]:
            def build() -> Node:
                face = self._face(links, inline)
                self._current = face
                said: list[Node] = [Column(face.statements, gap=12)] if statements else []
                fields = self._fields(face)
                if shape == "over":  # maps side by side, the text in a row under them
                    text = Row([*said, fields], gap=GAP * 2, grow=[0.42, 0.58]) if said else fields
                    return Column([self._maps(face, side_by_side=True), text], gap=GAP)
                if shape == "beside":  # the whole area, and a column of close-up and text
                    column = [n for n in (face.inset, *said, fields) if n is not None]
                    return Row([face.overview, Column(column, gap=GAP)], gap=GAP, grow=[0.6, 0.4])
                return Column([self._maps(face, side_by_side=False), *said, fields], gap=GAP)

            return build

        if self.ctx.portrait:
            return [make("stack"), make("stack", "major"), make("stack", "major", inline=True),
                    make("stack", "major", statements=False, inline=True)]
        return [make("over"), make("beside"), make("over", "major"), make("beside", "major"),
                make("over", "major", inline=True), make("over", "major", statements=False, inline=True),
                make("beside", "major", statements=False, inline=True)]

    def build_body(self, rect: QRectF) -> None:
        self.overview: MapFrame | None = None
        self.inset: MapFrame | None = None
        self._current: _Face | None = None
        self.place_body(self._arrangements(), rect)
        face = self._current
        self.statement_items = [t.item for t in (face.statements if face else []) if t.item is not None]
        self.fields_item = face.fields_label.item if face and face.fields_label else None
        self.chip_cards = [c.item for c in (face.chips.cards if face and face.chips else []) if c.item is not None]
        self._pulse = self._make_pulse()
        self._add_taps()

    def _make_pulse(self) -> QGraphicsEllipseItem | None:
        frame = self.overview
        hub = self._hub_index()
        if frame is None or hub is None or hub not in frame.plan.centres:
            return None
        ring = QGraphicsEllipseItem(-1, -1, 2, 2, frame)
        ring.setPen(QPen(self.ctx.theme.colour("accent"), 4))
        ring.setBrush(Qt.BrushStyle.NoBrush)
        ring.setPos(frame.plan.centres[hub])
        ring.setZValue(2.5)
        ring.setVisible(False)
        return ring

    def _add_taps(self) -> None:
        """A tap on a place with details about it, or on the fields, opens the details there."""
        about = {d.about for d in self.model.details if d.about}
        for frame in (self.inset, self.overview):
            if frame is None:
                continue
            for p in frame.plan.places:
                key = p.place.key
                if key is None or key not in about:
                    continue
                area = frame.plan.labels[p.index].united(frame.markers[p.index].rect)
                grow = max(0.0, (64 - area.height()) / 2)
                tap = TapArea(area.adjusted(-8, -grow, 8, grow), lambda k=key: self.open_details(k), frame)
                tap.label = p.name
        if "fields" in about and self.chip_cards:
            area = self.chip_cards[0].rect
            for chip in self.chip_cards[1:]:
                area = area.united(chip.rect)
            tap = TapArea(area, lambda: self.open_details("fields"), self)
            tap.label = self.tr(self.model.fields_label)

    # -- animation ---------------------------------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        for frame, start in ((self.overview, LINK_START), (self.inset, INSET_START)):
            if frame is None:
                continue
            frame.setOpacity(ease_out(phase(t_ms, start - LINK_START, MAP_FADE_MS)))
            grow = phase(t_ms, start, LINK_MS)
            frame.set_links(max(0.0, ease_out(grow)))
            for p in frame.plan.places:
                # a place appears when its link reaches it; its name after it
                arrive = start + LINK_MS * _time_to_reach(frame.arrival(p.index))
                pop = ease_out(phase(t_ms, arrive - MARK_MS / 2 if not p.hub else start - 100, MARK_MS))
                frame.markers[p.index].setScale(max(0.001, pop))
                frame.labels[p.index].setOpacity(ease_out(phase(t_ms, arrive if not p.hub else start, MARK_MS)))
            if frame.caption is not None:
                frame.caption.setOpacity(ease_out(phase(t_ms, start, MARK_MS)))
        if self._pulse is not None:
            f = phase(t_ms, PULSE_START, PULSE_MS)
            on = 0 < f < 1
            self._pulse.setVisible(on)
            if on:
                radius = HUB_R + 70 * ease_out(f)
                self._pulse.setRect(-radius, -radius, 2 * radius, 2 * radius)
                self._pulse.setOpacity(1 - f)
        for j, item in enumerate(self.statement_items):
            a = ease_out(phase(t_ms, TEXT_START + j * 120, TEXT_MS))
            item.setOpacity(a)
        if self.fields_item is not None:
            self.fields_item.setOpacity(ease_out(phase(t_ms, FIELDS_START, TEXT_MS)))
        n = len(self.chip_cards)
        stagger = CHIP_SPREAD / max(1, n - 1)
        for k, chip in enumerate(self.chip_cards):
            a = ease_out(phase(t_ms, CHIP_START + k * stagger, CHIP_MS))
            chip.setOpacity(a)
            chip.setPos(0, 16 * (1 - a))

    # -- for tests ---------------------------------------------------------------------------------------
    def drawn_link_length(self) -> float:
        """Total length of the links drawn so far (tests)."""
        return sum(f.link_length() for f in (self.overview, self.inset) if f is not None)

    def pulse_visible(self) -> bool:
        """True while the pulse ring shows around the hub (tests)."""
        return self._pulse is not None and self._pulse.isVisible()

    def maps(self) -> list[MapFrame]:
        """The maps drawn: the whole area, then the close-up (tests)."""
        return [f for f in (self.overview, self.inset) if f is not None]


def _time_to_reach(share: float) -> float:
    """Share of the link animation after which an eased link has grown to ``share`` of its
    full length (the inverse of the cubic ease-out)."""
    share = min(1.0, max(0.0, share))
    return 1 - (1 - share) ** (1 / 3)


def _field(name: str) -> Callable[[TextItem], None]:
    """Tags a placed text item with the content field it shows (the audit names it)."""

    def tag(item: TextItem) -> None:
        item.field = name

    return tag
