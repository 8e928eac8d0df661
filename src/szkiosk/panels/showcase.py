"""Counting figures with their sentences, a sourced bar chart, and a row of named cards
(the investment conference and the exhibitions)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from szkiosk.charts.countup import count_value, render_figure
from szkiosk.content.panel_types import ShowcasePanelModel
from szkiosk.kit.items import Card, TextBox
from szkiosk.panels.base import Panel, ease_out, phase

VCENTER = Qt.AlignmentFlag.AlignVCenter
COUNT_MS = 1300.0
STAGGER_MS = 250.0
CHART_MS = 1500.0


class ShowcasePanel(Panel):
    """Figures count up left to right, the chart grows beside them, then the cards come in."""

    model: ShowcasePanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return self._cards_start() + len(self.model.cards) * STAGGER_MS + 500

    def _cards_start(self) -> float:
        return len(self.model.figures) * STAGGER_MS + COUNT_MS

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        lang = self.ctx.language
        portrait = self.ctx.portrait
        has_chart = m.series is not None
        figures_w = rect.width() if portrait else rect.width() * (0.62 if has_chart else 1.0)
        n = len(m.figures)
        gap = 24.0
        fw = (figures_w - gap * (n - 1)) / n
        self.figures: list[tuple[Card, TextBox, str | None]] = []
        top = rect.top()
        fig_h = 0.0
        # large text: the big numbers are legible at their usual size; their height goes to the words
        number_factor = 0.86 / self.ctx.access.text_scale
        for i, fig in enumerate(m.figures):
            colour = theme.series(i)
            box = QRectF(rect.left() + i * (fw + gap), top, fw, 0)
            template = fig.format.get(lang) if fig.format else None
            card = Card(QRectF(box.left(), top, fw, 10), theme.colour("background"), radius=0, parent=self)
            number = TextBox(render_figure(fig.value, fig.decimals, template, lang),
                             theme.font("number", number_factor), colour, QRectF(box.left(), top - 10, fw, 124),
                             max_lines=1, min_scale=0.8, parent=card)
            y = top - 10 + number.used_height
            if fig.unit is not None:
                unit = TextBox(self.tr(fig.unit), theme.font("body", 1.0, bold=True), colour,
                               QRectF(box.left(), y, fw, 46), max_lines=1, min_scale=0.85, parent=card)
                y += unit.used_height + 2
            label = TextBox(self.tr(fig.label), theme.font("body", 0.88), theme.colour("text"),
                            QRectF(box.left(), y, fw, 140 if portrait else 92), max_lines=3 if portrait else 2,
                            min_scale=0.95, parent=card)
            fig_h = max(fig_h, y + label.used_height - top)
            self.figures.append((card, number, template))
        y = top + fig_h + 10
        self.statements: list[TextBox] = []
        joined = (" " if lang != "zh" else "").join(self.tr(t) for t in m.statements)
        for text in [joined] if joined else []:
            st = TextBox(text, theme.font("body", 0.85), theme.colour("muted"),
                         QRectF(rect.left(), y, figures_w, 150), max_lines=4, min_scale=1.0, parent=self)
            y += st.used_height + 6
            self.statements.append(st)
        # access modes, landscape: the cards' lead sentence goes in the figures column, beside the
        # chart, so the exhibition cards below keep their height
        lead_beside = False
        self.cards_lead = None
        if lead_beside:
            self.cards_lead = TextBox(self.tr(m.cards_lead), theme.font("body", 0.85), theme.colour("text"),
                                      QRectF(rect.left(), y + 8, figures_w, 240), max_lines=5, min_scale=0.95,
                                      parent=self)
            y += 8 + self.cards_lead.used_height + 6
        upper_bottom = y
        self.chart = None
        if has_chart:
            from szkiosk.charts.series import SeriesChart

            s = m.series
            assert s is not None
            if portrait:
                chart_box = QRectF(rect.left(), y + 16, rect.width(), 340)
                upper_bottom = chart_box.bottom()
            else:
                chart_box = QRectF(rect.left() + figures_w + 48, top, rect.width() - figures_w - 48,
                                   max(upper_bottom - top, 330))
                upper_bottom = max(upper_bottom, chart_box.bottom())
            self.chart_card = Card(chart_box, theme.colour("surface"), parent=self)
            inner = chart_box.adjusted(20, 14, -20, -10)
            title = TextBox(self.tr(m.series_title), theme.font("body", 0.85, bold=True), theme.colour("text"),
                            QRectF(inner.left(), inner.top(), inner.width(), 44), max_lines=1, min_scale=0.85,
                            parent=self.chart_card)
            chart_rect = QRectF(inner.left(), inner.top() + title.used_height + 6, inner.width(),
                                inner.height() - title.used_height - 6)
            note = self.tr(s.note)
            if note:
                nb = TextBox(note, theme.font("caption"), theme.colour("muted"),
                             QRectF(chart_rect.left(), chart_rect.bottom() - 60, chart_rect.width(), 60),
                             max_lines=2, min_scale=0.85, valign=Qt.AlignmentFlag.AlignBottom,
                             parent=self.chart_card)
                chart_rect.setBottom(chart_rect.bottom() - nb.used_height - 6)
            self.chart = SeriesChart(
                self.chart_card, chart_rect, s.points, kind=s.kind, colour=theme.colour("data", 0.75),
                highlight_colour=theme.colour("accent"), text_colour=theme.colour("muted"),
                axis_colour=theme.colour("muted", 0.6), font=theme.font("caption", 0.95, bold=False),
                unit=self.tr(s.unit), decimals=s.decimals, highlight=s.highlight, language=lang,
                patterned=self.ctx.access.high_contrast,
            )
        y = upper_bottom + 18
        if m.cards_lead is not None and not lead_beside:
            lead_h = 240.0
            if self.ctx.access.active and m.cards:
                # keep room for the cards (one row of 150 px, or a stack on a tall stage)
                need = 118.0 if not portrait else len(m.cards) * 112.0
                lead_h = max(60.0, min(lead_h, rect.bottom() - y - 10 - need))
            self.cards_lead = TextBox(self.tr(m.cards_lead), theme.font("body", 0.88), theme.colour("text"),
                                      QRectF(rect.left(), y, rect.width(), lead_h), max_lines=6, min_scale=0.95,
                                      parent=self)
            y += self.cards_lead.used_height + 10
        self.cards: list[Card] = []
        k = len(m.cards)
        if k:
            if portrait:
                ch = min(200.0, (rect.bottom() - y - 12 * (k - 1)) / k)
                gap = 12.0
                boxes = [QRectF(rect.left(), y + j * (ch + gap), rect.width(), ch) for j in range(k)]
            else:
                cw = (rect.width() - gap * (k - 1)) / k
                boxes = [QRectF(rect.left() + j * (cw + gap), y, cw, rect.bottom() - y) for j in range(k)]
            for j, (card_model, box) in enumerate(zip(m.cards, boxes, strict=False)):
                colour = theme.series(j + 3)
                card = Card(box, theme.colour("surface"), parent=self)
                Card(QRectF(box.left(), box.top(), 10, box.height()), colour, radius=5, parent=card)
                inner = box.adjusted(30, 6, -16, -6)
                short_w = min(140.0, inner.width() * 0.3)
                short_font = theme.font("headline", 0.9)
                if self.ctx.access.large_text:
                    # the short name is display type: its usual size, the full name gets the width
                    short_w = min(120.0, inner.width() * 0.26)
                    short_font = theme.font("headline", 0.9 / self.ctx.access.text_scale)
                TextBox(self.tr(card_model.short), short_font, colour,
                        QRectF(inner.left(), inner.top(), short_w, inner.height()), valign=VCENTER,
                        max_lines=1, min_scale=0.7, parent=card)
                TextBox(self.tr(card_model.name), theme.font("body", 0.85), theme.colour("text"),
                        QRectF(inner.left() + short_w + 12, inner.top(), inner.width() - short_w - 12,
                               inner.height()),
                        valign=VCENTER, min_scale=1.0, parent=card)
                self.cards.append(card)

    def apply(self, t_ms: float) -> None:
        lang = self.ctx.language
        for i, (card, number, template) in enumerate(self.figures):
            fig = self.model.figures[i]
            start = i * STAGGER_MS
            card.setOpacity(ease_out(phase(t_ms, start, 400)))
            p = ease_out(phase(t_ms, start, COUNT_MS))
            number.set_text(render_figure(count_value(fig.value, p, fig.decimals), fig.decimals, template, lang))
        for j, st in enumerate(self.statements):
            st.setOpacity(ease_out(phase(t_ms, 500 + j * 200, 500)))
        if self.chart is not None:
            self.chart_card.setOpacity(ease_out(phase(t_ms, 200, 400)))
            self.chart.set_progress(ease_out(phase(t_ms, 500, CHART_MS)))
        start = self._cards_start()
        if self.cards_lead is not None:
            self.cards_lead.setOpacity(ease_out(phase(t_ms, start - 300, 500)))
        for j, card in enumerate(self.cards):
            a = ease_out(phase(t_ms, start + j * STAGGER_MS, 450))
            card.setOpacity(a)
            card.setPos(0, 40 * (1 - a))

    def shown_numbers(self) -> list[str]:
        """The figures as drawn (tests)."""
        return [number.text for _, number, _ in self.figures]
