"""The Greater Bay Area as a schematic map drawn from city coordinates: links run out from
the hub, the highlighted places pop, a pulse marks the engine; sentences and fields beside it."""

from __future__ import annotations

import math
from functools import cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsLineItem, QGraphicsPathItem

from szkiosk.content.panel_types import GbaPanelModel, Place
from szkiosk.kit.items import ALIGN_CENTER, ALIGN_RIGHT, Card, TextBox, layout_lines
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.resources import asset

VCENTER = Qt.AlignmentFlag.AlignVCenter
LINK_MS = 1400.0
PULSE_MS = 1400.0
PULSES = 2


class MapFit:
    """Equirectangular projection (x scaled by cos of the mean latitude) fitted into a box."""

    def __init__(self, places: list[Place], box: QRectF) -> None:
        self.k = math.cos(math.radians(sum(p.lat for p in places) / len(places)))
        xs = [p.lon * self.k for p in places]
        ys = [-p.lat for p in places]
        w = max(xs) - min(xs) or 1.0
        h = max(ys) - min(ys) or 1.0
        self.scale = min(box.width() / w, box.height() / h)
        self.x0, self.y0 = min(xs), min(ys)
        self.ox = box.left() + (box.width() - w * self.scale) / 2
        self.oy = box.top() + (box.height() - h * self.scale) / 2

    def point(self, lon: float, lat: float) -> QPointF:
        """Where ``(lon, lat)`` lands in the box's coordinates."""
        return QPointF(self.ox + (lon * self.k - self.x0) * self.scale, self.oy + (-lat - self.y0) * self.scale)


#: Natural Earth 1:50m land (assets/map): enough to show the Pearl River estuary's shape.
LAND_FILE = asset("map/land-50m.json")


@cache
def coast_rings(west: float, south: float, east: float, north: float) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Land rings that touch a lon/lat box (loaded once; empty when the map file is missing)."""
    from szkiosk.geo import load_land  # noqa: PLC0415  (numpy; only the GBA panel needs it here)

    try:
        rings = load_land(LAND_FILE)
    except (OSError, ValueError):
        return ()
    return tuple(
        tuple(r) for r in rings if any(west <= x <= east and south <= y <= north for x, y in r)
    )


def land_path(fit: MapFit, view: QRectF, places: list[Place]) -> QPainterPath:
    """The coastline around the places, as one path clipped to ``view``."""
    pad = 0.6
    lons = [p.lon for p in places]
    lats = [p.lat for p in places]
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in coast_rings(min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad):
        polygon = QPolygonF([fit.point(x, y) for x, y in ring])
        path.addPolygon(polygon)
        path.closeSubpath()
    clip = QPainterPath()
    clip.addRoundedRect(view, 18, 18)
    return path.intersected(clip)


class GbaPanel(Panel):
    """Map on the left (top in portrait), the text and cooperation fields beside it."""

    model: GbaPanelModel
    build_ms = LINK_MS + 600 + PULSES * PULSE_MS + 200

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        portrait = self.ctx.portrait
        if portrait:
            # the map takes what the text leaves (Chinese is shorter), between 30 % and 50 %
            body = theme.font("body", 0.9)
            text_h = sum(layout_lines(self.tr(st), body, rect.width())[1] + 16 for st in m.statements)
            chips = 3 * (70 + 14) + 110
            map_h = min(rect.height() * 0.5, max(rect.height() * 0.3, rect.height() - text_h - chips - 28))
            map_box = QRectF(rect.left(), rect.top(), rect.width(), map_h)
            text_box = QRectF(rect.left(), map_box.bottom() + 28, rect.width(), rect.bottom() - map_box.bottom() - 28)
            chips_box = None
        else:
            # the map with the cooperation chips under it on the left, the two statements right
            column = rect.width() * 0.46
            chips_h = self._chip_rows(column) * (70 + 14) + 64
            map_box = QRectF(rect.left(), rect.top(), column, rect.height() - chips_h - 12)
            chips_box = QRectF(rect.left(), map_box.bottom() + 12, column, chips_h)
            text_box = QRectF(map_box.right() + 44, rect.top(), rect.right() - map_box.right() - 44, rect.height())
        self.map_card = Card(map_box, theme.colour("surface"), parent=self)
        inner = map_box.adjusted(130, 90, -170, -90)
        fit = MapFit(m.places, inner)
        points = [fit.point(p.lon, p.lat) for p in m.places]
        self.land = QGraphicsPathItem(land_path(fit, map_box, m.places), self.map_card)
        self.land.setBrush(theme.colour("muted", 0.16))
        self.land.setPen(QPen(theme.colour("muted", 0.35), 2))
        hub_index = next((i for i, p in enumerate(m.places) if p.name.get("en") == m.hub.get("en")), 0)
        hub = points[hub_index]
        self.hub = hub
        link_pen = QPen(theme.colour("data", 0.45), 4)
        link_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.links: list[tuple[QGraphicsLineItem, QLineF]] = []
        self.dots: list[tuple[Card, float]] = []
        self.labels: list[TextBox] = []
        far = max(QLineF(hub, p).length() for p in points) or 1.0
        for i, (place, pt) in enumerate(zip(m.places, points, strict=False)):
            if i != hub_index and place.kind == "city":
                full = QLineF(hub, pt)
                item = QGraphicsLineItem(full, self.map_card)
                item.setPen(link_pen)
                self.links.append((item, full))
        for place, pt in zip(m.places, points, strict=False):
            big = place.highlight
            zone = place.kind == "zone"
            r = (13.0 if big else 9.0) if not zone else 11.0
            role = "data" if zone else "accent" if big else "muted"
            colour = theme.colour(role)
            dot = Card(QRectF(pt.x() - r, pt.y() - r, 2 * r, 2 * r), colour if not zone else theme.colour("surface"),
                       outline=colour if zone else theme.colour("background"), radius=r, parent=self.map_card)
            dot.setTransformOriginPoint(pt)
            dot.setZValue(3)
            delay = QLineF(hub, pt).length() / far
            self.dots.append((dot, delay))
            font = theme.font("body", 0.95 if big else 0.85, bold=big)
            tc = theme.colour("text") if big else theme.colour("muted")
            if zone:
                tc = theme.colour("data")
            w, h = 320.0, 48.0
            anchor = place.anchor
            if anchor == "right":
                lr, align = QRectF(pt.x() + r + 10, pt.y() - h / 2, w, h), Qt.AlignmentFlag.AlignLeft
            elif anchor == "left":
                lr, align = QRectF(pt.x() - r - 10 - w, pt.y() - h / 2, w, h), ALIGN_RIGHT
            elif anchor == "above":
                lr, align = QRectF(pt.x() - w / 2, pt.y() - r - 6 - h, w, h), ALIGN_CENTER
            else:
                lr, align = QRectF(pt.x() - w / 2, pt.y() + r + 4, w, h), ALIGN_CENTER
            label = TextBox(self.tr(place.name), font, tc, lr, align=align, valign=VCENTER, max_lines=1,
                            min_scale=0.9, parent=self.map_card)
            label.setZValue(4)
            self.labels.append(label)
        self.pulses: list[QGraphicsEllipseItem] = []
        for _ in range(PULSES):
            ring = QGraphicsEllipseItem(-1, -1, 2, 2, self.map_card)
            ring.setPen(QPen(theme.colour("accent"), 4))
            ring.setBrush(Qt.BrushStyle.NoBrush)
            ring.setPos(hub)
            ring.setZValue(2)
            self.pulses.append(ring)
        self.caption = TextBox(self.tr(m.title), theme.font("caption", 1.0), theme.colour("muted"),
                               QRectF(map_box.left() + 24, map_box.bottom() - 48, map_box.width() - 48, 40),
                               max_lines=1, parent=self.map_card)
        self.caption.setVisible(False)
        # text column
        y = text_box.top()
        self.texts: list[TextBox] = []
        chip_font = theme.font("body", 0.85, bold=True)
        widths = self._chip_widths()
        gap = 14.0
        # in portrait the chips follow the statements (label above them, and their gaps)
        below = self._chip_rows(text_box.width()) * (70 + gap) + 96 if chips_box is None else 0.0
        avail = text_box.bottom() - below - 16 - y
        # both statements at one size: the largest (down to 28 px) at which they fit together
        texts = [self.tr(st) for st in m.statements]
        scale = 0.95 if portrait else 1.0
        while True:
            body_font = theme.font("body", scale)
            heights = [layout_lines(t, body_font, text_box.width())[1] for t in texts]
            if sum(heights) + 16 * len(texts) <= avail or body_font.pixelSize() <= 28:
                break
            scale -= 0.02
        for text, h in zip(texts, heights, strict=True):
            tb = TextBox(text, body_font, theme.colour("text"),
                         QRectF(text_box.left(), y, text_box.width(), h + 4), min_scale=0.95, parent=self)
            y += tb.used_height + 16
            self.texts.append(tb)
        y += 8
        cbox = chips_box if chips_box is not None else QRectF(text_box.left(), y, text_box.width(), 0)
        y = cbox.top()
        fl = TextBox(self.tr(m.fields_label), theme.font("body", 0.9, bold=True), theme.colour("data"),
                     QRectF(cbox.left(), y, cbox.width(), 50), max_lines=1, min_scale=0.85, parent=self)
        self.texts.append(fl)
        y += fl.used_height + 12
        self.chips: list[Card] = []
        x = cbox.left()
        for k, (field, w) in enumerate(zip(m.fields, widths, strict=False)):
            if x > cbox.left() and x + w > cbox.right():
                x, y = cbox.left(), y + 70 + gap
            chip = Card(QRectF(x, y, min(w, cbox.width()), 70), theme.colour("background"),
                        outline=theme.series(k), radius=35, parent=self)
            TextBox(self.tr(field), chip_font, theme.colour("text"), chip.rect.adjusted(10, 0, -10, 0),
                    align=ALIGN_CENTER, valign=VCENTER, max_lines=1, min_scale=0.9, parent=chip)
            self.chips.append(chip)
            x += w + gap

    def _chip_widths(self) -> list[float]:
        metrics = QFontMetricsF(self.ctx.theme.font("body", 0.85, bold=True))
        return [metrics.horizontalAdvance(self.tr(f)) + 56 for f in self.model.fields]

    def _chip_rows(self, width: float) -> int:
        """Rows the cooperation chips need in ``width`` (they wrap like words)."""
        rows, x = 1, 0.0
        for w in self._chip_widths():
            if x and x + w > width:
                rows, x = rows + 1, 0.0
            x += w + 14
        return rows

    def apply(self, t_ms: float) -> None:
        self.map_card.setOpacity(ease_out(phase(t_ms, 0, 400)))
        for item, full in self.links:
            p = ease_out(phase(t_ms, 300, LINK_MS))
            item.setLine(QLineF(full.p1(), full.pointAt(max(0.001, p))))
        for (dot, delay), label in zip(self.dots, self.labels, strict=False):
            a = ease_out(phase(t_ms, 300 + delay * LINK_MS, 350))
            dot.setScale(max(0.001, a))
            label.setOpacity(a)
        pulse_start = LINK_MS + 600
        for k, ring in enumerate(self.pulses):
            f = phase(t_ms, pulse_start + k * PULSE_MS, PULSE_MS)
            on = 0 < f < 1
            ring.setVisible(on)
            if on:
                radius = 14 + 90 * ease_out(f)
                ring.setRect(-radius, -radius, 2 * radius, 2 * radius)
                ring.setOpacity(1 - f)
        for j, tb in enumerate(self.texts):
            tb.setOpacity(ease_out(phase(t_ms, 500 + j * 250, 500)))
        for k, chip in enumerate(self.chips):
            a = ease_out(phase(t_ms, 1400 + k * 120, 400))
            chip.setOpacity(a)
            chip.setScale(1.0)
            chip.setPos(0, 20 * (1 - a))

    def drawn_link_length(self) -> float:
        """Total length of the links drawn so far (tests)."""
        return sum(item.line().length() for item, _ in self.links)

    def pulse_visible(self) -> bool:
        """True while a pulse ring shows around the hub (tests)."""
        return any(r.isVisible() for r in self.pulses)

