"""Key numbers on cards: the number (counted up), its unit, one line saying what it is, and a
chart of its sourced series where it has one. A tap on a card opens its details.

Layout comes from rules: the cards sit in one row when they fit, then two rows, then one
column (portrait); a chart that cannot get its minimum size goes, and the card says so in
its details. Siblings share one size: every number is drawn at the display size.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.charts.countup import count_text, format_number, render_figure
from szkiosk.content.panel_types import Figure, FiguresPanelModel
from szkiosk.kit.items import Card, TapArea
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Grid, Node, Row, Text, Visual
from szkiosk.kit.text import TextItem
from szkiosk.panels.base import Panel, ease_out, phase

STAGGER_MS = 140.0
CARD_MS = 400.0
COUNT_MS = 700.0
CHART_MS = 650.0
CARD_GAP = 32.0


def figure_text(figure: Figure, value: float, language: str, *, landed: bool) -> str:
    """The figure as drawn: digits while counting, its full ``format`` once it has landed."""
    shown, decimals = figure.shown(value, language)
    if landed or figure.format is None:
        template = figure.format.get(language) if figure.format is not None else None
        return render_figure(shown, decimals, template, language)
    return format_number(shown, decimals, language)


def counts_up(figure: Figure) -> bool:
    """A plain quantity counts up; a rank, a date or a small number simply appears."""
    return figure.format is None and figure.value >= 10


@dataclass
class FigureCard:
    """One figure's nodes and, once placed, its items."""

    figure: Figure
    index: int
    node: Node
    number: Text
    chart: Visual | None


class FiguresPanel(Panel):
    """A grid of figure cards; numbers land in reading order, charts grow after them."""

    model: FiguresPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        n = len(self.model.figures)
        return (n - 1) * STAGGER_MS + max(COUNT_MS, 250 + CHART_MS) + 50

    # -- layout -----------------------------------------------------------------------------
    def _card(self, figure: Figure, i: int, *, chart: bool, compact: bool) -> FigureCard:
        theme = self.ctx.theme
        lang = self.ctx.language
        colour = theme.series(i)
        final = figure_text(figure, figure.value, lang, landed=True)
        number = Text(final, self.style("display", colour), max_lines=1, group="figure-number",
                      on_place=_field(f"figures[{i}].value"))
        parts: list[Node] = []
        if figure.unit is not None:
            unit = Text(self.tr(figure.unit), self.style("title", colour), group="figure-unit",
                        on_place=_field(f"figures[{i}].unit"))
            parts.append(Row([number, unit], gap=16, basis=["natural", 0.0], grow=[0.0, 1.0], valign="end"))
        else:
            parts.append(number)
        parts.append(self.text(figure.label, "body", field=f"figures[{i}].label", group="figure-label"))
        visual = None
        s = figure.series
        if s is not None and chart:
            from szkiosk.charts.series import chart_min_size

            style = self._chart_style()
            min_w, min_h = chart_min_size(s.values(), style)
            parts.append(self.text(s.title, "data", "muted", field=f"figures[{i}].series.title", group="chart-title"))
            visual = Visual(lambda rect, parent, f=figure, k=i: self._make_chart(f, k, rect, parent),
                            min_h=min_h * (0.85 if compact else 1.0), min_w=min_w)
            parts.append(visual)
            if s.note is not None:
                parts.append(self.text(s.note, "caption", "muted", field=f"figures[{i}].series.note",
                                       group="chart-note"))
        card = CardNode(Column(parts, gap=14), theme.colour("surface"), accent=colour,
                        padding=(32.0, 26.0, 28.0, 24.0))
        return FigureCard(figure, i, card, number, visual)

    def _chart_style(self):  # noqa: ANN202  (ChartStyle lives with pyqtgraph, imported on demand)
        from szkiosk.charts.series import ChartStyle

        theme = self.ctx.theme
        return ChartStyle(theme.colour("data", 0.8), theme.colour("accent"), theme.colour("muted", 0.6),
                          self.style("data", "text"), self.style("data", "muted"),
                          patterned=self.ctx.access.high_contrast)

    def _make_chart(self, figure: Figure, i: int, rect: QRectF, parent: QGraphicsItem) -> object:
        from szkiosk.charts.series import SeriesChart

        s = figure.series
        assert s is not None
        scale, decimals = s.shown(1.0, self.ctx.language)
        chart = SeriesChart(parent, rect, s.values(), kind=s.kind, style=self._chart_style(),
                            language=self.ctx.language, highlight=s.highlight, decimals=decimals, scale=scale,
                            break_before=s.break_before, field=f"figures[{i}].series")
        self.charts[i] = chart
        return chart

    def _arrangements(self, rect: QRectF) -> list:
        n = len(self.model.figures)
        figures = self.model.figures

        def grid(columns: int, *, chart: bool = True, compact: bool = False):  # noqa: ANN202
            def make() -> Node:
                self.cards = [self._card(f, i, chart=chart, compact=compact) for i, f in enumerate(figures)]
                return Grid([c.node for c in self.cards], columns, gap=CARD_GAP)

            return make

        if self.ctx.portrait:
            options = [grid(1), grid(1, compact=True), grid(2, chart=False), grid(1, chart=False)]
        else:
            options = [grid(n), grid((n + 1) // 2), grid(n, compact=True), grid(n, chart=False),
                       grid((n + 1) // 2, chart=False)]
        return options

    def build_body(self, rect: QRectF) -> None:
        self.cards: list[FigureCard] = []
        self.charts: dict[int, object] = {}
        self.place_body(self._arrangements(rect), rect)
        for card in self.cards:
            item = card.node.item if isinstance(card.node, CardNode) else None
            if item is not None and any(d.about == card.figure.key for d in self.model.details if card.figure.key):
                TapArea(item.rect, lambda key=card.figure.key: self.open_details(key), item)

    # -- animation ----------------------------------------------------------------------------
    def stage_count(self) -> int:
        return len(self.model.figures)

    def stage_length(self, stage: int) -> float:
        return max(COUNT_MS, 250 + CHART_MS) + 50

    def apply(self, t_ms: float) -> None:
        lang = self.ctx.language
        for card in self.cards:
            start = self.stage_start(card.index, card.index * STAGGER_MS)
            item: Card | None = card.node.item if isinstance(card.node, CardNode) else None
            a = ease_out(phase(t_ms, start, CARD_MS))
            if item is not None:
                item.setOpacity(a)
                item.setPos(0, 24 * (1 - a))
            number: TextItem | None = card.number.item
            if number is not None:
                f = card.figure
                if counts_up(f):
                    p = ease_out(phase(t_ms, start + 80, COUNT_MS))
                    scaled, decimals = f.shown(f.value, lang)
                    template = f.format.get(lang) if f.format is not None else None
                    number.set_text(count_text(scaled, p, decimals, template, lang))
                else:
                    number.set_text(figure_text(f, f.value, lang, landed=True))
            chart = self.charts.get(card.index)
            if chart is not None:
                chart.set_progress(ease_out(phase(t_ms, start + 250, CHART_MS)))  # type: ignore[attr-defined]

    def shown_numbers(self) -> list[str]:
        """The numbers as currently drawn (tests)."""
        return [c.number.item.text for c in self.cards if c.number.item is not None]


def _field(name: str):  # noqa: ANN202
    def tag(item: TextItem) -> None:
        item.field = name

    return tag
