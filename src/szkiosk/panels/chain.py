"""The innovation chain: stages that light up in order, pulses flowing along the links, and
a one-line explanation card for the stage a visitor taps."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
)

from szkiosk.content.panel_types import ChainPanelModel
from szkiosk.kit.items import ALIGN_CENTER, Card, TapArea, TextBox, layout_lines
from szkiosk.panels.base import Panel, ease_out, phase

VCENTER = Qt.AlignmentFlag.AlignVCenter
STAGE_MS = 600.0
PULSE_PERIOD_MS = 1300.0
PULSES_PER_LINK = 3


class TapToExplain:
    """Mixin for panels whose items explain themselves on a tap (chain stages, chain links).

    The panel provides ``select(index | None)``; a replay starts with nothing selected.
    """

    _selected: int | None = None

    def select(self, index: int | None) -> None:  # pragma: no cover - provided by the panel
        raise NotImplementedError

    @property
    def selected(self) -> int | None:
        """Index of the item whose explanation shows, if any."""
        return self._selected

    def activate(self, step: int | None = None) -> None:
        """Replay the build with nothing selected."""
        self.select(None)
        super().activate(step)  # type: ignore[misc]


class Explanation:
    """A card that appears with a title and one line; shared by tappable panels."""

    def __init__(self, panel: Panel, rect: QRectF, hint: str) -> None:
        theme = panel.ctx.theme
        self.hint = TextBox(hint, theme.font("body", 0.9), theme.colour("muted"), rect,
                            align=ALIGN_CENTER, valign=VCENTER, max_lines=2, min_scale=0.85, parent=panel)
        self.card = Card(rect, theme.colour("surface"), outline=theme.colour("data", 0.9), parent=panel)
        self.card.setZValue(5)
        inner = rect.adjusted(32, 10, -32, -10)
        self.title = TextBox("", theme.font("body", 1.0, bold=True), theme.colour("data"),
                             QRectF(inner.left(), inner.top(), inner.width(), 48), max_lines=1,
                             min_scale=0.85, parent=self.card)
        self.line = TextBox("", theme.font("body", 0.9), theme.colour("text"),
                            QRectF(inner.left(), inner.top() + 50, inner.width(), inner.height() - 50),
                            max_lines=3, min_scale=0.85, valign=VCENTER, parent=self.card)
        self.show(None, "", "")

    def show(self, index: int | None, title: str, line: str) -> None:
        """Show the card for ``index`` (None hides it and brings back the hint)."""
        self.index = index
        self.card.setVisible(index is not None)
        self.hint.setVisible(index is None)
        if index is not None:
            self.title.set_text(title)
            self.line.set_text(line)


class ChainPanel(TapToExplain, Panel):
    """Numbered stage nodes joined by links; pulses run along the links until the build ends."""

    model: ChainPanelModel
    build_ms = 8000.0

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        n = len(m.stages)
        portrait = self.ctx.portrait
        self.background = TapArea(QRectF(0, 0, self.width, self.height), lambda: self.select(None), self)
        self.background.setZValue(-1)
        self.background.setCursor(Qt.CursorShape.ArrowCursor)
        self.nodes: list[Card] = []
        self.stage_labels: list[TextBox] = []
        self.stage_taps: list[TapArea] = []
        centres: list[QPointF] = []
        expl_h = 128.0 if portrait else 104.0
        # reach mode: the stage row (the panel's controls) goes to the bottom of the body, within
        # reach, with the explanation above it and the text on top
        low = self.ctx.access.reach
        if portrait:
            d = 110.0
            row = min(140.0, rect.height() * 0.4 / n)
            stages_h = n * row + 8
        else:
            d = 120.0
            stages_h = d + 116
        stage_top = rect.bottom() - stages_h if low else rect.top()
        if portrait:
            for i, stage in enumerate(m.stages):
                cy = stage_top + i * row + d / 2
                centres.append(QPointF(rect.left() + d / 2, cy))
                self.stage_labels.append(TextBox(
                    self.tr(stage.label), theme.font("body", 1.0, bold=True), theme.colour("text"),
                    QRectF(rect.left() + d + 28, cy - 50, rect.width() - d - 28, 100),
                    valign=VCENTER, max_lines=2, min_scale=0.85, parent=self))
                self.stage_taps.append(TapArea(QRectF(rect.left(), cy - row / 2, rect.width(), row),
                                               lambda i=i: self.select(i), self))
        else:
            slot = rect.width() / n
            for i, stage in enumerate(m.stages):
                cx = rect.left() + slot * (i + 0.5)
                centres.append(QPointF(cx, stage_top + d / 2))
                self.stage_labels.append(TextBox(
                    self.tr(stage.label), theme.font("body", 1.0, bold=True), theme.colour("text"),
                    QRectF(cx - slot / 2 + 10, stage_top + d + 12, slot - 20, 96),
                    align=ALIGN_CENTER, max_lines=2, min_scale=0.85, parent=self))
                self.stage_taps.append(TapArea(QRectF(cx - slot / 2, stage_top, slot, d + 112),
                                               lambda i=i: self.select(i), self))
        y = stage_top + stages_h
        content_bottom = rect.bottom()
        if low:
            y = rect.top()
            content_bottom = stage_top - expl_h - 18
        r = d / 2
        self.links: list[tuple[QGraphicsLineItem, QLineF]] = []
        self.pulses: list[list[QGraphicsEllipseItem]] = []
        link_pen = QPen(theme.colour("data", 0.55), 6)
        link_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        for a, b in itertools.pairwise(centres):
            line = QLineF(a, b)
            unit = line.unitVector()
            off = QPointF(unit.dx() * (r + 10), unit.dy() * (r + 10))
            full = QLineF(a + off, b - off)
            item = QGraphicsLineItem(full, self)
            item.setPen(link_pen)
            self.links.append((item, full))
            dots = []
            for _ in range(PULSES_PER_LINK):
                dot = QGraphicsEllipseItem(-9, -9, 18, 18, self)
                dot.setBrush(theme.colour("data"))
                dot.setPen(Qt.PenStyle.NoPen)
                dot.setZValue(2)
                dots.append(dot)
            self.pulses.append(dots)
        for i, c in enumerate(centres):
            node = Card(QRectF(c.x() - r, c.y() - r, d, d), theme.colour("surface"),
                        outline=theme.series(i), radius=r, parent=self)
            node.setTransformOriginPoint(c)
            node.setZValue(3)
            TextBox(str(i + 1), theme.font("number", 0.5), theme.series(i), node.rect,
                    align=ALIGN_CENTER, valign=VCENTER, max_lines=1, parent=node)
            self.nodes.append(node)
        expl_y = content_bottom if low else y
        self.explanation = Explanation(self, QRectF(rect.left(), expl_y, rect.width(), expl_h), self.tr(m.hint))
        if not low:
            y += expl_h + 18
        self.late: list[QGraphicsItem] = []
        if portrait:
            left = QRectF(rect.left(), y, rect.width(), 0)
            right_x, right_w = rect.left(), rect.width()
        else:
            left = QRectF(rect.left(), y, rect.width() * 0.6, 0)
            right_x, right_w = rect.left() + rect.width() * 0.6 + 40, rect.width() * 0.4 - 40
        avail = (content_bottom - y) * (0.6 if portrait else 1.0)
        avail = avail if not portrait else avail + 30
        if portrait and self.ctx.access.active:
            # what the badges and example chips below the text need, exactly
            below = 28 + len(m.badges) * (76.0 + 14) + (76.0 if m.examples else 0.0)
            avail = content_bottom - y - below
        text_scale = 0.95
        statement_h = avail - 100
        if self.ctx.access.active and m.examples_label is not None:
            # statement and examples share the column: one size for both that fits them together
            text_scale, statement_h = self._shared_fit(left.width(), avail)
        statement = TextBox(self.tr(m.statement), theme.font("body", text_scale), theme.colour("text"),
                            QRectF(left.left(), y, left.width(), statement_h), min_scale=0.87, parent=self)
        self.late.append(statement)
        ly = y + statement.used_height + 18
        if m.examples_label is not None:
            ex = TextBox(self.tr(m.examples_label), theme.font("body", text_scale), theme.colour("muted"),
                         QRectF(left.left(), ly, left.width(), y + avail - ly), min_scale=0.87, parent=self)
            self.late.append(ex)
            ly += ex.used_height
        ry = ly + 28 if portrait else y
        for badge in m.badges:
            bh = 76.0 if portrait else 100.0
            card = Card(QRectF(right_x, ry, right_w, bh), theme.colour("surface"), parent=self)
            Card(QRectF(right_x, ry, 10, bh), theme.colour("accent"), radius=5, parent=card)
            TextBox(self.tr(badge), theme.font("body", 0.95, bold=True), theme.colour("text"),
                    QRectF(right_x + 30, ry + 4, right_w - 44, bh - 8), valign=VCENTER, max_lines=2,
                    min_scale=0.87, parent=card)
            self.late.append(card)
            ry += bh + 14
        if m.examples:
            gap = 16.0
            w = (right_w - gap * (len(m.examples) - 1)) / len(m.examples)
            ry += 8
            for k, name in enumerate(m.examples):
                chip = Card(QRectF(right_x + k * (w + gap), ry, w, 68), theme.colour("background"),
                            outline=theme.series(k), radius=34, parent=self)
                TextBox(self.tr(name), theme.font("body", 0.95, bold=True), theme.colour("text"),
                        chip.rect.adjusted(8, 0, -8, 0), align=ALIGN_CENTER, valign=VCENTER,
                        max_lines=1, min_scale=0.85, parent=chip)
                self.late.append(chip)
        selected = getattr(self, "_selected", None)
        self.select(selected)

    def _shared_fit(self, width: float, height: float) -> tuple[float, float]:
        """Largest body-font factor (down to the default-mode floor) at which the statement and
        the examples line fit ``height`` together; returns it and the statement's height."""
        theme = self.ctx.theme
        floor = 0.95 * 0.87 / self.ctx.access.text_scale
        factor = 0.95
        while True:
            font = theme.font("body", factor)
            _, h1 = layout_lines(self.tr(self.model.statement), font, width)
            _, h2 = layout_lines(self.tr(self.model.examples_label), font, width)
            if h1 + 18 + h2 <= height or factor <= floor:
                return factor, max(h1 + 1, height - h2 - 18)
            factor = max(floor, factor - 0.025)

    # -- interaction -------------------------------------------------------------
    def select(self, index: int | None) -> None:
        """Show the explanation card for stage ``index`` (None: hide it)."""
        self._selected = index
        theme = self.ctx.theme
        if index is None:
            self.explanation.show(None, "", "")
        else:
            stage = self.model.stages[index]
            self.explanation.show(index, self.tr(stage.label), self.tr(stage.explain))
        for i, node in enumerate(self.nodes):
            node.set_fill(theme.colour(f"palette:{i}", 0.35) if i == index else theme.colour("surface"))


    # -- animation ---------------------------------------------------------------
    def stage_start(self, i: int) -> float:
        """When stage ``i`` lights up (ms after activation)."""
        return 250 + i * STAGE_MS

    def apply(self, t_ms: float) -> None:
        n = len(self.nodes)
        for i, node in enumerate(self.nodes):
            a = ease_out(phase(t_ms, self.stage_start(i), 420))
            node.setScale(max(0.001, 0.4 + 0.6 * a) if a > 0 else 0.001)
            node.setOpacity(a)
            self.stage_labels[i].setOpacity(ease_out(phase(t_ms, self.stage_start(i) + 120, 400)))
        pulse_end = self.build_ms - 500
        for i, ((item, full), dots) in enumerate(zip(self.links, self.pulses, strict=False)):
            start = self.stage_start(i) + 300
            p = ease_out(phase(t_ms, start, STAGE_MS - 200))
            item.setLine(QLineF(full.p1(), full.pointAt(max(0.001, p))))
            item.setVisible(p > 0)
            flow_start = self.stage_start(i + 1) + 200
            fade = 1 - phase(t_ms, pulse_end - 600, 600)
            for k, dot in enumerate(dots):
                on = flow_start <= t_ms < pulse_end
                dot.setVisible(on)
                if on:
                    f = ((t_ms - flow_start) / PULSE_PERIOD_MS + k / PULSES_PER_LINK) % 1.0
                    dot.setPos(full.pointAt(f))
                    dot.setOpacity(fade * min(1.0, 4 * min(f, 1 - f) + 0.2))
        late_start = self.stage_start(n - 1) + 500
        for k, item in enumerate(self.late):
            b = ease_out(phase(t_ms, late_start + k * 160, 450))
            item.setOpacity(b)
            item.setPos(0, 24 * (1 - b))

    def pulse_positions(self) -> list[tuple[float, float]]:
        """Where the visible pulses are (tests)."""
        return [(d.pos().x(), d.pos().y()) for dots in self.pulses for d in dots if d.isVisible()]
