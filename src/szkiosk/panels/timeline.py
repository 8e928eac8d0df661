"""A timeline that draws itself; each milestone pops as the line reaches it and its numbers
count up."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsLineItem

from szkiosk.charts.countup import count_value, render_figure
from szkiosk.content.panel_types import Count, TimelinePanelModel
from szkiosk.kit.items import ALIGN_RIGHT, Card, TextBox
from szkiosk.panels.base import Panel, ease_out, phase

STEP_MS = 900.0
COUNT_MS = 1000.0
NODE = 36.0


class TimelinePanel(Panel):
    """Landscape: a horizontal line with a column per milestone; portrait: a vertical line."""

    model: TimelinePanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return 300 + len(self.model.milestones) * STEP_MS + COUNT_MS

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        n = len(m.milestones)
        portrait = self.ctx.portrait
        self.lead = None
        if m.lead is not None:
            self.lead = TextBox(self.tr(m.lead), theme.font("body", 0.88), theme.colour("text"),
                                QRectF(rect.left(), rect.top(), rect.width(), 200), max_lines=5,
                                min_scale=0.9, parent=self)
            rect = rect.adjusted(0, self.lead.used_height + 24, 0, 0)
        pen = QPen(theme.colour("data", 0.7), 6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if portrait:
            x = rect.left() + NODE / 2
            self.axis_full = QLineF(x, rect.top(), x, rect.bottom())
        else:
            y = rect.top() + NODE / 2
            self.axis_full = QLineF(rect.left(), y, rect.right(), y)
        self.axis = QGraphicsLineItem(self.axis_full, self)
        self.axis.setPen(pen)
        self.nodes: list[Card] = []
        self.cards: list[Card] = []
        self.counters: list[list[tuple[TextBox, Count, str]]] = []
        self.node_at: list[float] = []
        gap = 28.0
        # longer sentences get more room, so no column overflows while another idles
        weights = [len(self.tr(ms.text)) + 40 * len(ms.counts) + 100 for ms in m.milestones]
        total = sum(weights)
        span = (rect.height() if portrait else rect.width()) - gap * (n - 1)
        starts = [sum(weights[:i]) / total * span + i * gap for i in range(n)]
        for i, ms in enumerate(m.milestones):
            colour = theme.series(i)
            if portrait:
                h = weights[i] / total * span
                col = QRectF(rect.left() + NODE + 28, rect.top() + starts[i], rect.width() - NODE - 28, h)
                centre = QPointF(self.axis_full.x1(), col.top() + NODE / 2 + 6)
                self.node_at.append((centre.y() - rect.top()) / rect.height())
            else:
                w = weights[i] / total * span
                col = QRectF(rect.left() + starts[i], rect.top() + NODE + 14, w, rect.height() - NODE - 14)
                centre = QPointF(col.left() + NODE / 2 + 8, self.axis_full.y1())
                self.node_at.append((centre.x() - rect.left()) / rect.width())
            node = Card(QRectF(centre.x() - NODE / 2, centre.y() - NODE / 2, NODE, NODE), colour,
                        outline=theme.colour("background"), radius=NODE / 2, parent=self)
            node.setTransformOriginPoint(centre)
            node.setZValue(2)
            self.nodes.append(node)
            card = Card(col, theme.colour("surface"), parent=self)
            Card(QRectF(col.left(), col.top(), col.width(), 8), colour, radius=4, parent=card)
            inner = col.adjusted(24, 18, -20, -10)
            top = inner.top()
            left_w = inner.width() * (0.5 if ms.counts else 1.0)
            when = TextBox(self.tr(ms.when), theme.font("body", 1.0, bold=True), colour,
                           QRectF(inner.left(), top, left_w, 50), max_lines=1, min_scale=0.85, parent=card)
            y = top + when.used_height + 4
            x = inner.left()
            big_bottom = top
            counters: list[tuple[TextBox, Count, str]] = []
            for k, count in enumerate(ms.counts):
                template = self.tr(count.format)
                text = render_figure(count.value, count.decimals, template, self.ctx.language)
                if k == 0:
                    box = TextBox(text, theme.font("number", 0.86), colour,
                                  QRectF(inner.left() + left_w, top - 14, inner.width() - left_w, 128),
                                  align=ALIGN_RIGHT, max_lines=1, min_scale=0.6, parent=card)
                    big_bottom = top - 14 + box.used_height
                else:
                    if k > 1 and x + 150 > inner.left() + left_w:
                        x, y = inner.left(), y + 46
                    box = TextBox(text, theme.font("body", 0.95, bold=True), theme.colour("text"),
                                  QRectF(x, y, inner.left() + left_w - x, 46), max_lines=1, min_scale=0.85,
                                  parent=card)
                    x = box.text_rect().right() + 26
                counters.append((box, count, template))
            if len(ms.counts) > 1:
                y += 46
            self.counters.append(counters)
            y = max(y, big_bottom)
            y += 4
            headline = TextBox(self.tr(ms.headline), theme.font("body", 0.9, bold=True), theme.colour("text"),
                               QRectF(inner.left(), y, inner.width(), 100), max_lines=2, min_scale=0.85,
                               parent=card)
            y += headline.used_height + 6
            TextBox(self.tr(ms.text), theme.font("body", 0.88), theme.colour("muted"),
                    QRectF(inner.left(), y, inner.width(), inner.bottom() - y), min_scale=0.93, parent=card)
            self.cards.append(card)

    def milestone_start(self, i: int) -> float:
        """When the line reaches milestone ``i`` (ms after activation)."""
        return self.stage_start(i, 300 + self.node_at[i] * len(self.nodes) * STEP_MS)

    def stage_count(self) -> int:
        return len(self.model.milestones)

    def stage_length(self, stage: int) -> float:
        return 200 + COUNT_MS

    def apply(self, t_ms: float) -> None:
        n = len(self.nodes)
        if self.lead is not None:
            self.lead.setOpacity(ease_out(phase(t_ms, 0, 400)))
        p = phase(t_ms, 300, n * STEP_MS)
        if self._step_starts is not None:
            # step mode: the line reaches just past the newest milestone shown
            p = max(min(1.0, self.node_at[k] + 0.5 / n) * ease_out(phase(t_ms, start, 400))
                    for k, start in self._step_starts.items())
        self.axis.setLine(QLineF(self.axis_full.p1(), self.axis_full.pointAt(max(0.002, p))))
        for i, (node, card) in enumerate(zip(self.nodes, self.cards, strict=False)):
            start = self.milestone_start(i)
            a = ease_out(phase(t_ms, start, 350))
            pop = 1.0 + 0.5 * (1 - abs(2 * a - 1)) if 0 < a < 1 else 1.0
            node.setScale(max(0.001, a * pop))
            b = ease_out(phase(t_ms, start + 100, 500))
            card.setOpacity(b)
            card.setPos(0, 30 * (1 - b))
            c = ease_out(phase(t_ms, start + 200, COUNT_MS))
            for box, count, template in self.counters[i]:
                shown = count_value(count.value, c, count.decimals)
                box.set_text(render_figure(shown, count.decimals, template, self.ctx.language))

    def shown_numbers(self) -> list[str]:
        """The counting numbers as drawn (tests)."""
        return [box.text for counters in self.counters for box, _, _ in counters]

    def axis_length(self) -> float:
        """How much of the line is drawn, in px (tests)."""
        return self.axis.line().length()
