"""Counting figures over a sourced bar chart (one visual), and a row of named cards (the
investment conference and the exhibitions).

Layout comes from rules: the figures stand in a row along the top; below them the chart and
the cards sit side by side where they fit, else one under the other; on a tall stage
everything stacks (figures one a line, their labels starting on one vertical line; the cards
side by side before the chart is given up). A chart never drawn below its minimum size nor
taller than :data:`~szkiosk.panels.figures.CHART_ASPECT` of its width: where it does not
fit, it goes, a line says so and the detail layer lists its data. A tap on a figure or the chart
opens the details about them, a tap on a card the details about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.catalogue import ui_text
from szkiosk.charts.countup import count_text
from szkiosk.content.panel_types import Figure, ShowcaseCard, ShowcasePanelModel
from szkiosk.kit.items import Card, TapArea
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Grid, Node, Row, Text, Visual
from szkiosk.kit.text import TextItem
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.panels.figures import CHART_ASPECT, OneLine, align_heads, counts_up, figure_text, open_details_with_data

STAGGER_MS = 120.0
FIGURE_MS = 400.0
COUNT_MS = 650.0
CHART_START_MS = 150.0
CHART_MS = 600.0
CARDS_START_MS = 450.0
CARD_MS = 400.0
GAP = 32.0


@dataclass
class FigureBlock:
    """One figure's nodes (number, unit, label) and the number node that counts."""

    figure: Figure
    index: int
    node: Node
    number: Text
    parts: list[Text]


@dataclass
class NamedCard:
    """One named card (an exhibition) and its node."""

    card: ShowcaseCard
    index: int
    node: CardNode


class ShowcasePanel(Panel):
    """Figures count up left to right, the chart grows under them, then the cards come in."""

    model: ShowcasePanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        n = len(self.model.figures)
        k = len(self.model.cards)
        figures = (n - 1) * STAGGER_MS + max(FIGURE_MS, 80 + COUNT_MS)
        chart = CHART_START_MS + 150 + CHART_MS if self.model.series is not None else 0.0
        cards = CARDS_START_MS + max(0, k - 1) * STAGGER_MS + CARD_MS if k else 0.0
        return max(figures, chart, cards)

    # -- layout -------------------------------------------------------------------------------
    def _figure(self, figure: Figure, i: int, *, line: bool) -> FigureBlock:
        theme = self.ctx.theme
        lang = self.ctx.language
        colour = theme.series(i)
        number = OneLine(figure_text(figure, figure.value, lang, landed=True), self.style("display", colour),
                         group="figure-number", on_place=_field(f"figures[{i}].value"))
        parts = [number]
        head: Node = number
        if figure.unit is not None:
            unit = self.text(figure.unit, "title", colour, field=f"figures[{i}].unit", group="figure-unit")
            parts.append(unit)
            head = Row([number, unit], gap=14, basis=["natural", 0.0], grow=[0.0, 1.0], valign="end")
        label = self.text(figure.label, "body", field=f"figures[{i}].label", group="figure-label")
        parts.append(label)
        if line:
            # the arrangement widens every head to the widest (see _arrangement): labels on one line
            node: Node = Row([head, label], gap=28, basis=[head.natural_width(), 0.0], grow=[0.0, 1.0],
                             valign="center")
        else:
            node = Column([head, label], gap=10)
        return FigureBlock(figure, i, node, number, parts)

    def _align_labels(self, rows: list[Row], width: float) -> None:
        """Start the figures' labels on one vertical line, unless that makes them longer at
        ``width`` (large text: the widest number would leave the others' labels too narrow)."""
        before = sum(r.min_height(width) for r in rows)
        bases = [r.basis for r in rows]
        align_heads(rows)
        if sum(r.min_height(width) for r in rows) > before + 0.5:
            for r, basis in zip(rows, bases, strict=True):
                r.basis = basis

    def _chart_card(self) -> Node | None:
        s = self.model.series
        if s is None:
            return None
        from szkiosk.charts.series import chart_min_size

        scale, decimals = s.shown(1.0, self.ctx.language)
        style = self._chart_style()
        min_w, min_h = chart_min_size(s.values(), style, scale=scale, decimals=decimals, language=self.ctx.language)
        self.chart_visual = Visual(self._make_chart, min_h=min_h, min_w=min_w, aspect=CHART_ASPECT)
        parts: list[Node] = [self.text(s.title, "data", "muted", field="series.title", group="chart-title"),
                             self.chart_visual]
        if s.note is not None:
            parts.append(self.text(s.note, "caption", "muted", field="series.note", group="chart-note"))
        node = CardNode(Column(parts, gap=12), self.ctx.theme.colour("surface"), padding=(28.0, 20.0, 28.0, 18.0))
        self.chart_card = node
        return node

    def _card(self, card: ShowcaseCard, j: int) -> NamedCard:
        theme = self.ctx.theme
        colour = theme.series(j + 3)
        body = Column([self.text(card.short, "title", colour, field=f"cards[{j}].short", group="card-short"),
                       self.text(card.name, "body", field=f"cards[{j}].name", group="card-name")], gap=6)
        node = CardNode(body, theme.colour("surface"), accent=colour, padding=(28.0, 16.0, 24.0, 16.0))
        return NamedCard(card, j, node)

    def _cards_column(self, columns: int) -> Node | None:
        m = self.model
        if not m.cards:
            return None
        self.named = [self._card(c, j) for j, c in enumerate(m.cards)]
        parts: list[Node] = []
        if m.cards_lead is not None:
            parts.append(self.text(m.cards_lead, "body", "muted", field="cards_lead"))
        parts.append(Grid([c.node for c in self.named], columns, gap=20))
        return Column(parts, gap=14)

    def _arrangement(self, *, figures_line: bool, figure_columns: int, chart: bool, beside: bool | str,
                     card_columns: int) -> Callable[[], Node]:
        def make() -> Node:
            m = self.model
            self.blocks = [self._figure(f, i, line=figures_line) for i, f in enumerate(m.figures)]
            if figures_line:
                # the figures take the whole width, or their share of it beside the cards
                width = self._body_width if beside != "columns" else (self._body_width - GAP) * 0.6
                self._align_labels([b.node for b in self.blocks if isinstance(b.node, Row)], width)
            self.chart_card = None
            self.chart_visual = None
            self.chart_dropped = m.series is not None and not chart
            self.named = []
            nodes = [b.node for b in self.blocks]
            top: list[Node] = [Grid(nodes, figure_columns, gap=GAP) if figure_columns > 1 else Column(nodes, gap=16)]
            for s in m.statements:
                top.append(self.text(s, "body", "muted", field="statements"))
            if self.chart_dropped and self.more_button is not None:
                top.append(self.text(ui_text("figures.chart_in_details", self.ctx.language), "caption", "muted",
                                     field="series"))
            chart_node = self._chart_card() if chart else None
            cards = self._cards_column(card_columns)
            if beside == "columns" and cards is not None and chart_node is None:
                # large text on a low stage: the figures down the left, the cards down the right
                return Row([Column(top, gap=14, justify="center"), cards], gap=GAP, grow=[0.6, 0.4])
            below = [n for n in (chart_node, cards) if n is not None]
            if beside and len(below) == 2:
                rest: list[Node] = [Row(below, gap=GAP, grow=[0.58, 0.42])]
            else:
                rest = below
            # what is left is shared evenly (above, between, below) rather than opening one
            # void between the figures and the cards
            return Column([Column(top, gap=14), *rest], gap=GAP, justify="even")

        return make

    def _arrangements(self) -> list[Callable[[], Node]]:
        n = len(self.model.figures)
        k = max(1, len(self.model.cards))
        a = self._arrangement
        if self.ctx.portrait:
            return [a(figures_line=False, figure_columns=n, chart=True, beside=False, card_columns=1),
                    a(figures_line=True, figure_columns=1, chart=True, beside=False, card_columns=1),
                    # large text: the cards side by side keep the chart on the face
                    a(figures_line=True, figure_columns=1, chart=True, beside=False, card_columns=k),
                    a(figures_line=True, figure_columns=1, chart=False, beside=False, card_columns=1),
                    a(figures_line=True, figure_columns=1, chart=False, beside=False, card_columns=k)]
        return [a(figures_line=False, figure_columns=n, chart=True, beside=True, card_columns=1),
                a(figures_line=False, figure_columns=n, chart=True, beside=False, card_columns=k),
                a(figures_line=False, figure_columns=n, chart=False, beside=False, card_columns=k),
                a(figures_line=True, figure_columns=1, chart=False, beside="columns", card_columns=1),
                a(figures_line=True, figure_columns=1, chart=False, beside=False, card_columns=k)]

    def _chart_style(self):  # ChartStyle lives with pyqtgraph, imported on demand
        from szkiosk.charts.series import ChartStyle

        theme = self.ctx.theme
        return ChartStyle(theme.colour("data", 0.8), theme.colour("accent"), theme.colour("muted", 0.6),
                          self.style("data", "text"), self.style("data", "muted"),
                          patterned=self.ctx.access.high_contrast)

    def _make_chart(self, rect: QRectF, parent: QGraphicsItem) -> object:
        from szkiosk.charts.series import SeriesChart

        s = self.model.series
        assert s is not None
        scale, decimals = s.shown(1.0, self.ctx.language)
        self.chart = SeriesChart(parent, rect, s.values(), kind=s.kind, style=self._chart_style(),
                                 language=self.ctx.language, highlight=s.highlight, decimals=decimals, scale=scale,
                                 break_before=s.break_before, field="series")
        return self.chart

    def build_body(self, rect: QRectF) -> None:
        self.blocks: list[FigureBlock] = []
        self.named: list[NamedCard] = []
        self.chart = None
        self.chart_card: CardNode | None = None
        self.chart_dropped = False
        self._body_width = rect.width()
        self.place_body(self._arrangements(), rect)
        about = {d.about for d in self.model.details if d.about}
        for block in self.blocks:
            key = block.figure.key
            items = [p.item for p in block.parts if p.item is not None]
            if key in about and items:
                box = items[0].mapRectToParent(items[0].text_rect())
                for it in items[1:]:
                    box = box.united(it.mapRectToParent(it.text_rect()))
                TapArea(box, lambda k=key: self.open_details(k), self)
        if self.chart_card is not None and self.chart_card.item is not None:
            key = next((f.key for f in self.model.figures if f.key in about), None)
            if key is not None:
                TapArea(self.chart_card.item.rect, lambda k=key: self.open_details(k), self.chart_card.item)
        if self.chart_dropped:
            for item in self.childItems():
                if isinstance(item, TextItem) and item.field == "series":
                    TapArea(item.text_rect().adjusted(-8, -8, 8, 8), lambda: self.open_details("chart"), item)
        for named in self.named:
            if named.node.item is not None and named.card.key in about:
                TapArea(named.node.item.rect, lambda k=named.card.key: self.open_details(k), named.node.item)

    def open_details(self, about: str | None = None) -> None:
        """The detail layer, with the chart's data when this arrangement left the chart out."""
        s = self.model.series
        charts = [("chart", "series", s)] if self.chart_dropped and s is not None else []
        open_details_with_data(self, charts, about)

    # -- animation ----------------------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        lang = self.ctx.language
        for block in self.blocks:
            start = block.index * STAGGER_MS
            a = ease_out(phase(t_ms, start, FIGURE_MS))
            for part in block.parts:
                if part.item is not None:
                    part.item.setOpacity(a)
            number: TextItem | None = block.number.item
            if number is not None:
                f = block.figure
                if counts_up(f):
                    scaled, decimals = f.shown(f.value, lang)
                    template = f.format.get(lang) if f.format is not None else None
                    number.set_text(count_text(scaled, ease_out(phase(t_ms, start + 80, COUNT_MS)), decimals,
                                               template, lang))
                else:
                    number.set_text(figure_text(f, f.value, lang, landed=True))
        card_item: Card | None = self.chart_card.item if self.chart_card is not None else None
        if card_item is not None:
            card_item.setOpacity(ease_out(phase(t_ms, CHART_START_MS, 300)))
        if self.chart is not None:
            self.chart.set_progress(ease_out(phase(t_ms, CHART_START_MS + 150, CHART_MS)))
        for named in self.named:
            item = named.node.item
            if item is not None:
                a = ease_out(phase(t_ms, CARDS_START_MS + named.index * STAGGER_MS, CARD_MS))
                item.setOpacity(a)
                item.setPos(0, 24 * (1 - a))
        lead = [i for i in self._lead_items()]
        for item in lead:
            item.setOpacity(ease_out(phase(t_ms, CARDS_START_MS - 100, CARD_MS)))

    def _lead_items(self) -> list[TextItem]:
        return [i for i in self.childItems() if isinstance(i, TextItem) and getattr(i, "field", "") == "cards_lead"]

    def shown_numbers(self) -> list[str]:
        """The figures as drawn (tests)."""
        return [b.number.item.text for b in self.blocks if b.number.item is not None]


def _field(name: str):
    def tag(item: TextItem) -> None:
        item.field = name

    return tag
