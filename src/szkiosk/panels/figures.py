"""Key numbers on cards: the number (counted up), its unit, one line saying what it is, and a
chart of its sourced series where it has one. A tap on a card opens its details.

Layout comes from rules. A card stacks number, label and chart ("stack"), or sets the chart
beside the number ("side", for a tall stage). The panel offers arrangements from widest to
narrowest: all cards in one row, then fewer per row, then one card per row beside its chart.
A chart is never drawn below its minimum size (:func:`~szkiosk.charts.series.chart_min_size`)
nor taller than :data:`CHART_ASPECT` of its width: a lone figure on a portrait stage stacks
its chart under the number, wide, and the card stands in the middle of the body. Where no
chart fits, the charts go, each card says so and the detail layer lists the chart's data.
Figures without charts are drawn as large numbers on cards that fill the body. Siblings
share one size: every number is drawn at one display size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.catalogue import ui_text
from szkiosk.charts.countup import count_text, format_number, render_figure
from szkiosk.content import PanelModel
from szkiosk.content.panel_types import Figure, FiguresPanelModel, Series
from szkiosk.kit.items import Card, TapArea
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Grid, Node, Row, Space, Text, Visual
from szkiosk.kit.text import TextItem
from szkiosk.panels.base import BODY_GAP, FOOTER, FOOTER_PORTRAIT, HEADER_TOP, Panel, ease_out, phase

STAGGER_MS = 140.0
CARD_MS = 400.0
COUNT_MS = 650.0
CHART_DELAY_MS = 200.0
CHART_MS = 550.0
CARD_GAP = 32.0
#: Numbers on cards without charts are the visual: one step up the scale.
HERO_STEP = 1.4
#: A chart grows no taller than this share of its width (about 4:3: a trend reads as a trend,
#: not as a cliff).
CHART_ASPECT = 0.75


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


def series_as_text(series: Series, language: str) -> str:
    """A chart's data as one line for the detail layer: ``2016: 4.10; 2018: no published value``."""
    parts = []
    for x, y in series.values().items():
        if y is None:
            parts.append(f"{x}{'：' if language == 'zh' else ': '}{ui_text('describe.no_value', language)}")
        else:
            shown, decimals = series.shown(y, language)
            parts.append(f"{x}{'：' if language == 'zh' else ': '}{format_number(shown, decimals, language)}")
    text = ("；" if language == "zh" else "; ").join(parts)
    if series.note is not None:
        note = series.note.get(language)
        text += f"（{note}）" if language == "zh" else f" ({note})"
    return text


class OneLine(Text):
    """A number: never broken or cut, so an arrangement too narrow for it is not chosen."""

    def min_width(self) -> float:
        return self.natural_width()


@dataclass
class FigureCard:
    """One figure's nodes and, once placed, its items."""

    figure: Figure
    index: int
    node: Node
    number: Text
    visual: Visual | None
    #: True when the figure has a series but this arrangement leaves its chart out.
    dropped: bool = False

    @property
    def chart(self):  # a SeriesChart: charts are imported on demand
        """The chart drawn on this card, once placed (None without one)."""
        return self.visual.result if self.visual is not None else None


class FiguresPanel(Panel):
    """A grid of figure cards; numbers land in reading order, charts grow after them."""

    model: FiguresPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        n = len(self.model.figures)
        return (n - 1) * STAGGER_MS + self.stage_length(0)

    # -- layout -----------------------------------------------------------------------------
    def _number(self, figure: Figure, i: int, *, hero: bool, unit_below: bool = False) -> tuple[Node, Text]:
        colour = self.ctx.theme.series(i)
        step = HERO_STEP if hero else 1.0
        final = figure_text(figure, figure.value, self.ctx.language, landed=True)
        number = OneLine(final, self.ctx.theme.style("display", colour, self.ctx.language, step=step),
                         group="figure-number", on_place=_field(f"figures[{i}].value"))
        if figure.unit is None:
            return number, number
        unit = Text(self.tr(figure.unit), self.ctx.theme.style("title", colour, self.ctx.language, step=step),
                    group="figure-unit", on_place=_field(f"figures[{i}].unit"))
        if unit_below:  # a narrow column beside a chart: the unit goes under the number
            return Column([number, unit], gap=4), number
        return Row([number, unit], gap=16, basis=["natural", 0.0], grow=[0.0, 1.0], valign="end"), number

    def _chart_parts(self, figure: Figure, i: int) -> tuple[list[Node], Visual]:
        s = figure.series
        assert s is not None
        from szkiosk.charts.series import chart_min_size

        scale, decimals = s.shown(1.0, self.ctx.language)
        min_w, min_h = chart_min_size(s.values(), self._chart_style(), scale=scale, decimals=decimals,
                                      language=self.ctx.language)
        visual = Visual(lambda rect, parent, f=figure, k=i: self._make_chart(f, k, rect, parent),
                        min_h=min_h, min_w=min_w, aspect=CHART_ASPECT)
        parts: list[Node] = [self.text(s.title, "data", "muted", field=f"figures[{i}].series.title",
                                       group="chart-title"), visual]
        if s.note is not None:
            parts.append(self.text(s.note, "caption", "muted", field=f"figures[{i}].series.note", group="chart-note"))
        return parts, visual

    def _card(self, figure: Figure, i: int, *, chart: bool, shape: str = "stack", hero: bool = False) -> FigureCard:
        theme = self.ctx.theme
        number_node, number = self._number(figure, i, hero=hero, unit_below=shape == "side")
        label = self.text(figure.label, "body", field=f"figures[{i}].label", group="figure-label")
        visual = None
        dropped = figure.series is not None and not chart
        if figure.series is not None and chart:
            chart_parts, visual = self._chart_parts(figure, i)
            if shape == "side":
                head = Column([number_node, label], gap=14, justify="center")
                # the number's column is never narrower than the number; the chart takes most of the
                # rest (charts are not narrowed to line up across cards: each keeps all its room)
                body: Node = Row([head, Column(chart_parts, gap=12)], gap=40, basis=[head.min_width(), 0.0],
                                 grow=[0.2, 0.8])
            else:
                body = Column([number_node, label, Space(6), *chart_parts], gap=14)
        else:
            words: list[Node] = [label]
            if dropped and self._has_more():
                words.append(self.text(ui_text("figures.chart_in_details", self.ctx.language), "caption", "muted",
                                       field=f"figures[{i}].series", group="chart-note"))
            if shape == "line":
                # one card per row: the number, and beside it what it is (large text, a low stage)
                body = Row([number_node, Column(words, gap=8, justify="center")], gap=32,
                           basis=["natural", 0.0], grow=[0.0, 1.0], valign="center")
                card = CardNode(body, theme.colour("surface"), accent=theme.series(i),
                                padding=(32.0, 14.0, 28.0, 14.0))
                return FigureCard(figure, i, card, number, None, dropped)
            # without a chart the number is the visual: the cards share the body, content centred
            body = Column([Space(flex=1), number_node, *words, Space(flex=1)], gap=14)
        card = CardNode(body, theme.colour("surface"), accent=theme.series(i), padding=(32.0, 26.0, 28.0, 24.0))
        return FigureCard(figure, i, card, number, visual, dropped)

    def _has_more(self) -> bool:
        return self.more_button is not None

    def _chart_style(self):  # ChartStyle lives with pyqtgraph, imported on demand
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

    def _arrangements(self) -> list[Callable[[], Node]]:
        n = len(self.model.figures)
        figures = self.model.figures
        has_charts = any(f.series is not None for f in figures)

        def grid(columns: int, *, chart: bool = True, shape: str = "stack", hero: bool = False):
            def make() -> Node:
                self.cards = [self._card(f, i, chart=chart, shape=shape, hero=hero) for i, f in enumerate(figures)]
                gap = CARD_GAP if shape != "line" else CARD_GAP / 2
                return Column([Grid([c.node for c in self.cards], columns, gap=gap)], justify="center")

            return make

        half = (n + 1) // 2
        if not has_charts:
            if self.ctx.portrait:
                return [grid(1, hero=True), grid(1), grid(1, shape="line"), grid(2)]
            return [grid(n, hero=True), grid(n), grid(half, hero=True), grid(half), grid(1, shape="line")]
        if self.ctx.portrait:
            # a lone figure has the room to put its chart under it, wide; several stand beside theirs
            tall = [grid(1), grid(1, shape="side")] if n == 1 else [grid(1, shape="side"), grid(1)]
            return [*tall, grid(1, chart=False), grid(2, chart=False), grid(1, chart=False, shape="line")]
        options = [grid(n)]
        if n == 1:
            options.append(grid(1, shape="side"))
        options += [grid(half), grid(1, shape="side"), grid(n, chart=False), grid(half, chart=False),
                    grid(1, chart=False, shape="line")]
        return options

    def build_body(self, rect: QRectF) -> None:
        self.cards: list[FigureCard] = []
        self.charts: dict[int, object] = {}
        self.place_body(self._arrangements(), rect)
        for card in self.cards:
            item = card.node.item if isinstance(card.node, CardNode) else None
            if item is None:
                continue
            about = self._about(card)
            if about is not None:
                TapArea(item.rect, lambda key=about: self.open_details(key), item)

    def _about(self, card: FigureCard) -> str | None:
        """The details section a tap on ``card`` opens: its chart's data when the chart was left
        out, else the section about its figure."""
        key = card.figure.key
        if card.dropped:
            return f"chart-{card.index}"
        if key and any(d.about == key for d in self.model.details):
            return key
        return None

    # -- the detail layer ---------------------------------------------------------------------
    def open_details(self, about: str | None = None) -> None:
        """The detail layer, with a section of data for every chart this arrangement left out."""
        dropped = [(f"chart-{c.index}", f"figures[{c.index}].series", c.figure.series)
                   for c in self.cards if c.dropped and c.figure.series is not None]
        open_details_with_data(self, dropped, about)

    # -- animation ----------------------------------------------------------------------------
    def stage_count(self) -> int:
        return len(self.model.figures)

    def stage_length(self, stage: int) -> float:
        return max(CARD_MS, 80 + COUNT_MS, CHART_DELAY_MS + CHART_MS)

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
                chart.set_progress(ease_out(phase(t_ms, start + CHART_DELAY_MS, CHART_MS)))  # type: ignore[attr-defined]

    def shown_numbers(self) -> list[str]:
        """The numbers as currently drawn (tests)."""
        return [c.number.item.text for c in self.cards if c.number.item is not None]


def open_details_with_data(panel: Panel, charts: list[tuple[str, str, Series]], about: str | None) -> None:
    """Open ``panel``'s detail layer with, before its sources, a section listing the data of each
    chart the layout left out (``(about key, content field, series)``)."""
    if not charts or panel.details_open or not isinstance(panel.model, PanelModel):
        Panel.open_details(panel, about)
        return
    from szkiosk.panels.details import DetailsLayer, Section, sections_for

    model = panel.model
    lang = panel.ctx.language
    sections = sections_for(model.details, model.sources(), panel.ctx.sources, lang)
    extra = [Section(panel.tr(s.title), series_as_text(s, lang), "", key, where) for key, where, s in charts]
    tail = [s for s in sections if s.about == "sources"]  # the sources stay last
    sections = [s for s in sections if s.about != "sources"] + extra + tail
    footer = FOOTER_PORTRAIT if panel.ctx.portrait else FOOTER
    rect = QRectF(panel.margin, HEADER_TOP, panel.width - 2 * panel.margin,
                  panel.height - footer - BODY_GAP - HEADER_TOP)
    layer = DetailsLayer(panel.ctx.theme, rect, panel.tr(model.title), sections, lang,
                         1 if panel.ctx.portrait else 2, panel.close_details, panel)
    panel._details = layer  # the base class owns the layer from here (close, Esc, idle reset)
    if about is not None:
        layer.show_about(about)


def align_heads(rows: list[Row]) -> None:
    """Give every row's first column (a number, its unit) the width of the widest, so what
    follows starts on one vertical line down a column of rows."""
    if len(rows) > 1 and rows[0].basis is not None:
        widest = max(float(r.basis[0]) for r in rows if r.basis is not None)
        for r in rows:
            if r.basis is not None:
                r.basis = [widest, *list(r.basis)[1:]]


def _field(name: str):
    def tag(item: TextItem) -> None:
        item.field = name

    return tag
