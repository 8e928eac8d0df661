"""The Greater Bay Area as a schematic map drawn from city coordinates: links run out from
the hub, the highlighted places pop, a pulse marks the engine; sentences and fields beside it."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsLineItem

from szkiosk.content.panel_types import GbaPanelModel, Place
from szkiosk.panels.base import Panel, ease_out, phase, register
from szkiosk.ui.items import ALIGN_CENTER, ALIGN_RIGHT, Card, TextBox

VCENTER = Qt.AlignmentFlag.AlignVCenter
LINK_MS = 1400.0
PULSE_MS = 1400.0
PULSES = 2


def project(places: list[Place], box: QRectF) -> list[QPointF]:
    """Equirectangular projection (x scaled by cos of the mean latitude) fitted into ``box``."""
    lat0 = math.radians(sum(p.lat for p in places) / len(places))
    xs = [p.lon * math.cos(lat0) for p in places]
    ys = [-p.lat for p in places]
    w = max(xs) - min(xs) or 1.0
    h = max(ys) - min(ys) or 1.0
    scale = min(box.width() / w, box.height() / h)
    ox = box.left() + (box.width() - w * scale) / 2
    oy = box.top() + (box.height() - h * scale) / 2
    return [QPointF(ox + (x - min(xs)) * scale, oy + (y - min(ys)) * scale) for x, y in zip(xs, ys, strict=False)]


@register("gba")
class GbaPanel(Panel):
    """Map on the left (top in portrait), the text and cooperation fields beside it."""

    model: GbaPanelModel
    build_ms = LINK_MS + 600 + PULSES * PULSE_MS + 200

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        portrait = self.ctx.portrait
        if portrait:
            map_box = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.36)
            text_box = QRectF(rect.left(), map_box.bottom() + 28, rect.width(), rect.bottom() - map_box.bottom() - 28)
        else:
            map_box = QRectF(rect.left(), rect.top(), rect.width() * 0.33, rect.height())
            text_box = QRectF(map_box.right() + 44, rect.top(), rect.right() - map_box.right() - 44, rect.height())
        self.map_card = Card(map_box, theme.colour("surface"), parent=self)
        inner = map_box.adjusted(95, 60, -140, -60)
        points = project(m.places, inner)
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
        metrics = QFontMetricsF(chip_font)
        widths = [metrics.horizontalAdvance(self.tr(f)) + 56 for f in m.fields]
        gap = 14.0
        rows, x = 1, 0.0
        for w in widths:
            if x and x + w > text_box.width():
                rows, x = rows + 1, 0.0
            x += w + gap
        chips_h = rows * (70 + gap) + 56
        body_font = theme.font("body", 0.9 if portrait else 0.88)
        avail = text_box.bottom() - chips_h - 16 - y
        lengths = [len(self.tr(st)) for st in m.statements]
        for st, length in zip(m.statements, lengths, strict=False):
            per = avail * length / sum(lengths)
            tb = TextBox(self.tr(st), body_font, theme.colour("text"),
                         QRectF(text_box.left(), y, text_box.width(), per - 14), min_scale=0.9, parent=self)
            y += tb.used_height + 16
            self.texts.append(tb)
        y += 8
        fl = TextBox(self.tr(m.fields_label), theme.font("body", 0.9, bold=True), theme.colour("data"),
                     QRectF(text_box.left(), y, text_box.width(), 50), max_lines=1, min_scale=0.85, parent=self)
        self.texts.append(fl)
        y += fl.used_height + 12
        self.chips: list[Card] = []
        x = text_box.left()
        for k, (field, w) in enumerate(zip(m.fields, widths, strict=False)):
            if x > text_box.left() and x + w > text_box.right():
                x, y = text_box.left(), y + 70 + gap
            chip = Card(QRectF(x, y, min(w, text_box.width()), 70), theme.colour("background"),
                        outline=theme.series(k), radius=35, parent=self)
            TextBox(self.tr(field), chip_font, theme.colour("text"), chip.rect.adjusted(10, 0, -10, 0),
                    align=ALIGN_CENTER, valign=VCENTER, max_lines=1, min_scale=0.9, parent=chip)
            self.chips.append(chip)
            x += w + gap
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

