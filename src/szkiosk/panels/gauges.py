"""Ring gauges that fill in turn, each with a counting number and its sentence."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt

from szkiosk.charts.countup import count_value, render_figure
from szkiosk.charts.gauges import RingGauge
from szkiosk.content.panel_types import GaugesPanelModel
from szkiosk.kit.items import ALIGN_CENTER, Card, TextBox
from szkiosk.panels.base import Panel, ease_out, phase

VCENTER = Qt.AlignmentFlag.AlignVCenter
STAGGER_MS = 320.0
FILL_MS = 1400.0


class GaugesPanel(Panel):
    """A card per gauge: ring on the left filling to its value, the sentence beside it."""

    model: GaugesPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return (len(self.model.gauges) - 1) * STAGGER_MS + 300 + FILL_MS

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        n = len(m.gauges)
        cols = 1 if self.ctx.portrait or n <= 2 else math.ceil(n / 2)
        rows = math.ceil(n / cols)
        gap = 24.0
        w = (rect.width() - gap * (cols - 1)) / cols
        h = (rect.height() - gap * (rows - 1)) / rows
        # one or two gauges: cards of a sensible height, centred, instead of one tall empty card
        h = min(h, 440.0)
        w = min(w, 1100.0) if n == 1 else w
        top = rect.top() + (rect.height() - rows * h - gap * (rows - 1)) / 2
        left = rect.left() + (rect.width() - cols * w - gap * (cols - 1)) / 2
        self.template = self.tr(m.format)
        self.cards: list[Card] = []
        self.rings: list[RingGauge] = []
        self.numbers: list[TextBox] = []
        for i, gauge in enumerate(m.gauges):
            r, c = divmod(i, cols)
            box = QRectF(left + c * (w + gap), top + r * (h + gap), w, h)
            card = Card(box, theme.colour("surface"), parent=self)
            d = min(h - 24, w * 0.42, 230.0 if n > 2 else 340.0)
            ring_rect = QRectF(box.left() + 20, box.center().y() - d / 2, d, d)
            colour = theme.series(i)
            ring = RingGauge(ring_rect, gauge.value / 100, colour, theme.colour("background", 0.9),
                             width=20, parent=card)
            inner = ring_rect.adjusted(28, 28, -28, -28)
            number = TextBox(render_figure(gauge.value, 0, self.template, self.ctx.language),
                             theme.font("number", 0.86), colour, inner, align=ALIGN_CENTER,
                             valign=VCENTER, max_lines=1, min_scale=0.7, parent=card)
            if m.qualifier is not None:
                q_top = number.text_rect().bottom() - 14
                TextBox(self.tr(m.qualifier), theme.font("caption", 1.0, bold=True), theme.colour("text"),
                        QRectF(inner.left(), q_top, inner.width(),
                               max(inner.bottom() + 16 - q_top, theme.model.caption_size * 1.3)),
                        align=ALIGN_CENTER, max_lines=1, min_scale=0.8, parent=card)
            label_left = ring_rect.right() + 28
            TextBox(self.tr(gauge.label), theme.font("body", 0.95 if n > 2 else 1.2), theme.colour("text"),
                    QRectF(label_left, box.top() + 14, box.right() - 22 - label_left, box.height() - 28),
                    valign=VCENTER, min_scale=0.85, parent=card)
            self.cards.append(card)
            self.rings.append(ring)
            self.numbers.append(number)

    def apply(self, t_ms: float) -> None:
        for i, (card, ring, number) in enumerate(zip(self.cards, self.rings, self.numbers, strict=False)):
            start = i * STAGGER_MS
            a = ease_out(phase(t_ms, start, 400))
            card.setOpacity(a)
            card.setPos(0, 30 * (1 - a))
            p = ease_out(phase(t_ms, start + 300, FILL_MS))
            ring.set_progress(p)
            value = self.model.gauges[i].value
            number.set_text(render_figure(count_value(value, p, 0), 0, self.template, self.ctx.language))

    def fills(self) -> list[float]:
        """How far each ring is filled, 0..1 of the circle (tests)."""
        return [ring.shown for ring in self.rings]
