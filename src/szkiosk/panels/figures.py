"""Key numbers that count up, each on a card with unit, label, source and optional chart."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF

from szkiosk.charts.countup import count_value, render_figure
from szkiosk.content.panel_types import Figure, FiguresPanelModel
from szkiosk.kit.items import Card, TextBox
from szkiosk.panels.base import Panel, ease_out, phase

STAGGER_MS = 260.0
COUNT_MS = 1300.0
CHART_MS = 1500.0


class FigureCard:
    """One figure: a card, the counting number, unit, label, detail or names, and a chart."""

    def __init__(self, panel: Panel, figure: Figure, box: QRectF, index: int) -> None:
        theme = panel.ctx.theme
        lang = panel.ctx.language
        self.figure = figure
        self.template = figure.format.get(lang) if figure.format else None
        self.card = Card(box, theme.colour("surface"), parent=panel)
        colour = theme.series(index)
        Card(QRectF(box.left(), box.top(), 10, box.height()), colour, radius=5, parent=self.card)
        inner = box.adjusted(40, 26, -28, -22)
        chart_h = 0.0
        if figure.series is not None:
            chart_h = max(inner.height() * 0.5, 220.0) if inner.height() > 440 else 0.0
        wide = figure.series is not None and chart_h == 0.0 and inner.width() > 1000
        text_w = inner.width() * (0.42 if wide else 1.0)
        number_scale = 1.0 if inner.height() > 330 else 0.8
        if figure.series is not None and not chart_h and not wide:
            number_scale = 0.75  # leave the chart room under the text
        self.number = TextBox(
            render_figure(figure.value, figure.decimals, self.template, lang),
            theme.font("number", number_scale), colour,
            QRectF(inner.left(), inner.top(), text_w * (0.78 if figure.unit else 1.0), theme.model.number_size * 1.35),
            max_lines=1, min_scale=0.5, parent=self.card,
        )
        number_rect = self.number.text_rect()
        self.unit = None
        if figure.unit is not None:
            self.unit = TextBox(
                panel.tr(figure.unit), theme.font("body", 1.1, bold=True), colour,
                QRectF(number_rect.right() + 14, number_rect.top() + number_rect.height() * 0.42,
                       inner.left() + text_w - number_rect.right() - 14, number_rect.height() * 0.55),
                max_lines=2, min_scale=0.7, parent=self.card,
            )
        y = number_rect.bottom() + 4
        self.label = TextBox(panel.tr(figure.label), theme.font("body", 1.0, bold=True), theme.colour("text"),
                             QRectF(inner.left(), y, text_w, 146), max_lines=3, min_scale=0.85, parent=self.card)
        y += self.label.used_height + 8
        extra = panel.tr(figure.detail)
        if figure.names:
            names = " · ".join(panel.tr(n) for n in figure.names)
            extra = f"{extra}\n{names}" if extra else names
        if figure.series is not None and not chart_h and not wide and inner.bottom() - y >= 110:
            # a short card (portrait, two rows): the chart takes what the text leaves, with
            # a gap for the value labels that sit above its bars
            chart_h = inner.bottom() - y - 24
        bottom = inner.bottom() - chart_h - (12 if chart_h else 0)
        self.detail = None
        if extra and (bottom - y) > 30:
            # body size where the card has room (read from 3 m), shrinking in a crowded card
            self.detail = TextBox(extra, theme.font("body", 0.9), theme.colour("muted"),
                                  QRectF(inner.left(), y, text_w, bottom - y), min_scale=0.7, parent=self.card)
        self.chart = None
        if figure.series is not None and (chart_h or wide):
            from szkiosk.charts.series import SeriesChart  # noqa: PLC0415  (pyqtgraph on demand)

            s = figure.series
            rect = (QRectF(inner.left(), inner.bottom() - chart_h, inner.width(), chart_h) if chart_h
                    else QRectF(inner.left() + text_w + 30, inner.top(), inner.width() - text_w - 30, inner.height()))
            note = panel.tr(s.note)
            if note:
                note_h = 40.0
                TextBox(note, theme.font("caption"), theme.colour("muted"),
                        QRectF(rect.left(), rect.bottom() - note_h, rect.width(), note_h),
                        max_lines=1, min_scale=0.7, parent=self.card)
                rect.setBottom(rect.bottom() - note_h - 4)
            self.chart = SeriesChart(
                self.card, rect, s.points, kind=s.kind, colour=theme.colour("data", 0.75),
                highlight_colour=theme.colour("accent"), text_colour=theme.colour("muted"),
                axis_colour=theme.colour("muted", 0.6), font=theme.font("caption", 0.95, bold=False),
                unit=panel.tr(s.unit), decimals=s.decimals, highlight=s.highlight, language=lang,
                patterned=panel.ctx.access.high_contrast, compact=rect.height() < 240,
            )
        self.lang = lang

    def apply(self, t_ms: float, start: float) -> None:
        a = ease_out(phase(t_ms, start, 450))
        self.card.setOpacity(a)
        self.card.setPos(0, 40 * (1 - a))
        p = ease_out(phase(t_ms, start + 150, COUNT_MS))
        shown = count_value(self.figure.value, p, self.figure.decimals)
        self.number.set_text(render_figure(shown, self.figure.decimals, self.template, self.lang))
        if self.chart is not None:
            self.chart.set_progress(ease_out(phase(t_ms, start + 400, CHART_MS)))


class FiguresPanel(Panel):
    """A grid of figure cards; numbers count up in reading order, charts grow after them."""

    model: FiguresPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return (len(self.model.figures) - 1) * STAGGER_MS + 400 + CHART_MS + 100

    def build_body(self, rect: QRectF) -> None:
        figures = self.model.figures
        n = len(figures)
        if self.ctx.portrait:
            cols = 1 if n <= 3 else 2
        else:
            cols = n if n <= 3 else math.ceil(n / 2)
        rows = math.ceil(n / cols)
        gap = 32.0
        w = (rect.width() - gap * (cols - 1)) / cols
        h = (rect.height() - gap * (rows - 1)) / rows
        self.cards: list[FigureCard] = []
        for i, fig in enumerate(figures):
            r, c = divmod(i, cols)
            # a short last row is centred, so the grid has no empty corner
            in_row = min(cols, n - r * cols)
            offset = (cols - in_row) * (w + gap) / 2
            box = QRectF(rect.left() + offset + c * (w + gap), rect.top() + r * (h + gap), w, h)
            self.cards.append(FigureCard(self, fig, box, i))

    def stage_count(self) -> int:
        return len(self.model.figures)

    def stage_length(self, stage: int) -> float:
        return 400 + CHART_MS

    def apply(self, t_ms: float) -> None:
        for i, card in enumerate(self.cards):
            card.apply(t_ms, self.stage_start(i, i * STAGGER_MS))

    def shown_numbers(self) -> list[str]:
        """The numbers as currently drawn (tests)."""
        return [card.number.text for card in self.cards]
