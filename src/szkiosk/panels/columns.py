"""Lists revealed one column after another (five actions / five forces / five places)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from szkiosk.content.panel_types import ColumnsPanelModel
from szkiosk.kit.items import Card, TextBox
from szkiosk.panels.base import Panel, ease_out, phase

VCENTER = Qt.AlignmentFlag.AlignVCenter
COLUMN_MS = 700.0
ITEM_MS = 140.0


class ColumnsPanel(Panel):
    """Each column is a card with a heading and numbered items that slide in, in reading order."""

    model: ColumnsPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        longest = max(len(c.items) for c in self.model.columns)
        return len(self.model.columns) * COLUMN_MS + longest * ITEM_MS + 500

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        cols = self.model.columns
        n = len(cols)
        portrait = self.ctx.portrait
        # a portrait stage stacks the columns: tighter spacing keeps 15 items at full size
        gap, pad, row_gap = (18.0, 18.0, 6.0) if portrait else (36.0, 34.0, 10.0)
        self.columns: list[tuple[Card, list[Card]]] = []
        # columns with longer items get more room, so none has to shrink its text below size
        if portrait:
            weights = [sum(len(self.tr(i)) for i in col.items) + 360.0 for col in cols]
        else:
            weights = [max(len(self.tr(i)) for i in col.items) + 20.0 for col in cols]
        span = (rect.height() if portrait else rect.width()) - gap * (n - 1)
        sizes = [w / sum(weights) * span for w in weights]
        for ci, col in enumerate(cols):
            offset = sum(sizes[:ci]) + ci * gap
            if portrait:
                box = QRectF(rect.left(), rect.top() + offset, rect.width(), sizes[ci])
            else:
                box = QRectF(rect.left() + offset, rect.top(), sizes[ci], rect.height())
            card = Card(box, theme.colour("surface"), parent=self)
            colour = theme.series(ci)
            Card(QRectF(box.left(), box.top(), box.width(), 10), colour, radius=5, parent=card)
            heading = TextBox(self.tr(col.heading), theme.font("body", 1.25, bold=True), colour,
                              QRectF(box.left() + 32, box.top() + pad, box.width() - 64, 110),
                              max_lines=2, parent=card)
            y = box.top() + pad + heading.used_height + (12 if portrait else 26)
            avail = box.bottom() - (14 if portrait else 24) - y
            # longer items get taller rows
            shares = [len(self.tr(item)) + 40.0 for item in col.items]
            rows: list[Card] = []
            for ii, item in enumerate(col.items):
                row_h = avail * shares[ii] / sum(shares)
                row_top = y + avail * sum(shares[:ii]) / sum(shares)
                row = Card(QRectF(box.left() + 20, row_top, box.width() - 40, row_h - row_gap),
                           theme.colour("background", 0.55), radius=12, parent=card)
                r = row.rect
                TextBox(str(ii + 1), theme.font("body", 1.0, bold=True), colour,
                        QRectF(r.left() + 16, r.top(), 40, r.height()),
                        valign=VCENTER, max_lines=1, parent=row)
                TextBox(self.tr(item), theme.font("body", 0.92), theme.colour("text"),
                        QRectF(r.left() + 62, r.top() + 2, r.width() - 74, r.height() - 4),
                        valign=VCENTER, min_scale=0.9, parent=row)
                rows.append(row)
            self.columns.append((card, rows))

    def stage_count(self) -> int:
        return len(self.model.columns)

    def stage_length(self, stage: int) -> float:
        return 250 + len(self.model.columns[stage].items) * ITEM_MS + 380

    def apply(self, t_ms: float) -> None:
        for ci, (card, rows) in enumerate(self.columns):
            start = self.stage_start(ci, ci * COLUMN_MS)
            a = ease_out(phase(t_ms, start, 500))
            card.setOpacity(a)
            card.setPos(0, 50 * (1 - a))
            for ii, row in enumerate(rows):
                b = ease_out(phase(t_ms, start + 250 + ii * ITEM_MS, 380))
                row.setOpacity(b)
                row.setPos(-30 * (1 - b), 0)

    def revealed_columns(self) -> int:
        """How many columns are fully shown (tests)."""
        return sum(1 for card, _ in self.columns if card.opacity() >= 0.999)

