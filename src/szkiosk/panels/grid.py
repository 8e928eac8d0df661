"""Groups of names as grids of chips that build in, each group headed by its counted number."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt

from szkiosk.charts.countup import count_value, format_number
from szkiosk.content.panel_types import GridPanelModel
from szkiosk.kit.items import Card, TextBox
from szkiosk.panels.base import Panel, ease_out, phase

VCENTER = Qt.AlignmentFlag.AlignVCenter
CHIP_MS = 70.0
GROUP_GAP_MS = 400.0


class GridPanel(Panel):
    """Landscape: groups side by side, widths by chip columns; portrait: stacked."""

    model: GridPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        total = sum(len(g.names) for g in self.model.groups)
        return 300 + total * CHIP_MS + len(self.model.groups) * GROUP_GAP_MS + 600

    def _group_start(self, gi: int) -> float:
        before = sum(len(g.names) for g in self.model.groups[:gi])
        return 300 + before * CHIP_MS + gi * GROUP_GAP_MS

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        portrait = self.ctx.portrait
        top = rect.top()
        self.lead = None
        if m.lead is not None:
            self.lead = TextBox(self.tr(m.lead), theme.font("body", 0.9), theme.colour("muted"),
                                QRectF(rect.left(), top, rect.width(), 130), max_lines=3, min_scale=0.85,
                                parent=self)
            top += self.lead.used_height + 22
        area = QRectF(rect.left(), top, rect.width(), rect.bottom() - top)
        groups = m.groups
        gap = 48.0
        cols_of = [min(g.columns, 2) if portrait else g.columns for g in groups]
        rows_of = [math.ceil(len(g.names) / c) for g, c in zip(groups, cols_of, strict=False)]
        boxes: list[QRectF] = []
        if portrait:
            head = 120.0
            unit = (area.height() - gap * (len(groups) - 1) - head * len(groups)) / sum(rows_of)
            y = area.top()
            for rows in rows_of:
                h = head + rows * unit
                boxes.append(QRectF(area.left(), y, area.width(), h))
                y += h + gap
        else:
            unit = (area.width() - gap * (len(groups) - 1)) / sum(cols_of)
            x = area.left()
            for cols in cols_of:
                w = cols * unit
                boxes.append(QRectF(x, area.top(), w, area.height()))
                x += w + gap
        self.counters: list[tuple[TextBox, float]] = []
        self.headings: list[TextBox] = []
        self.chips: list[list[Card]] = []
        for gi, (group, box, cols, rows) in enumerate(zip(groups, boxes, cols_of, rows_of, strict=False)):
            colour = theme.series(gi)
            count = len(group.names)
            number = TextBox(format_number(count, 0, "en"), theme.font("number", 0.86), colour,
                             QRectF(box.left(), box.top() - 18, 170, 118), max_lines=1, parent=self)
            self.counters.append((number, float(count)))
            heading = TextBox(self.tr(group.heading), theme.font("body", 1.0, bold=True), theme.colour("text"),
                              QRectF(box.left() + 180, box.top(), box.width() - 180, 96),
                              valign=VCENTER, max_lines=2, min_scale=0.85, parent=self)
            self.headings.append(heading)
            grid_top = box.top() + 104
            chip_gap = 10.0
            cw = (box.width() - chip_gap * (cols - 1)) / cols
            ch = (box.bottom() - grid_top - chip_gap * (rows - 1)) / rows
            chips: list[Card] = []
            for k, name in enumerate(group.names):
                r, c = divmod(k, cols)
                chip = Card(QRectF(box.left() + c * (cw + chip_gap), grid_top + r * (ch + chip_gap), cw, ch),
                            theme.colour("surface"), radius=12, parent=self)
                Card(QRectF(chip.rect.left(), chip.rect.top(), 8, chip.rect.height()), colour, radius=4,
                     parent=chip)
                TextBox(self.tr(name), theme.font("body", 0.95), theme.colour("text"),
                        chip.rect.adjusted(24, 2, -10, -2), valign=VCENTER, max_lines=3, min_scale=0.87,
                        parent=chip)
                chip.setTransformOriginPoint(chip.rect.center())
                chips.append(chip)
            self.chips.append(chips)

    def apply(self, t_ms: float) -> None:
        if self.lead is not None:
            self.lead.setOpacity(ease_out(phase(t_ms, 0, 400)))
        for gi, chips in enumerate(self.chips):
            start = self._group_start(gi)
            number, count = self.counters[gi]
            p = ease_out(phase(t_ms, start - 200, len(chips) * CHIP_MS + 200))
            number.set_text(format_number(count_value(count, p, 0), 0, "en"))
            self.headings[gi].setOpacity(ease_out(phase(t_ms, start - 200, 400)))
            for k, chip in enumerate(chips):
                a = ease_out(phase(t_ms, start + k * CHIP_MS, 380))
                chip.setOpacity(a)
                chip.setScale(0.85 + 0.15 * a)

    def shown_chips(self) -> int:
        """How many chips are fully in (tests)."""
        return sum(1 for chips in self.chips for c in chips if c.opacity() >= 0.999)
