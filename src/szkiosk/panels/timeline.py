"""Dated milestones on a line that draws itself: as the line reaches a milestone its dot pops,
its card rises, its numbers count up and land with their words.

A milestone's face is its date, its numbers and a short headline; what the source says in
full lives in the detail layer, and a tap on the milestone opens its section there.

Layout comes from rules: on a landscape stage the cards hang in a row from a horizontal line
(each as tall as its own content, so no card has a hole where another has an extra line);
where that does not fit (portrait, large text) they stack beside a vertical line. Milestones
that all fall in one year are no timeline: the cards stand side by side with no time axis.
Spare room gives the cards a bounded amount of air, shared evenly above, between and below
their parts, and the group stands in the middle of the body. Siblings share one size: every
date, every number, every headline at its role; dates side by side share one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.catalogue import ui_text
from szkiosk.charts.countup import count_text, render_figure
from szkiosk.content.panel_types import Count, Milestone, TimelinePanelModel
from szkiosk.kit.items import Card, retain
from szkiosk.kit.layout import Breathe, Column, Grid, Node, Row, Space, Text, Visual
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.text import INK_DESCENT, TextItem
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.panels.columns import Synced

#: When the line reaches the first milestone (ms after the panel arrives).
LINE_LEAD_MS = 100.0
#: Longest pause between two milestones; more milestones share the same 600 ms.
STAGGER_MS = 250.0
STAGGER_SPAN_MS = 600.0
DOT_MS = 300.0
CARD_MS = 400.0
#: A milestone's numbers start counting this long after its dot pops, and count this long.
COUNT_DELAY_MS = 60.0
COUNT_MS = 440.0
#: Words land with their number and fade in over this long.
WORDS_MS = 300.0
#: Everything of one milestone has built this long after it starts (a step of a step build).
MILESTONE_MS = COUNT_DELAY_MS + COUNT_MS + WORDS_MS
#: Thickness of the band the line and its dots take beside the cards, and a dot's diameter.
AXIS_BAND = 56.0
DOT = 28.0
LINE_WIDTH = 6.0
CARD_GAP = 28.0
CARD_PADDING = (24.0, 20.0, 24.0, 22.0)
#: Most air a card gains above, between and below its parts when the body has room.
CARD_AIR = 40.0
#: The card's accent bar adds this to its left padding (kit.layout.Card).
ACCENT = 10.0
#: Numbers under this simply appear (a count from 0 to 4 says nothing).
COUNT_FROM = 10


def _symbol(ch: str) -> bool:
    return not ch.isalnum() and not ch.isspace()


def split_format(template: str | None) -> tuple[str, str, str]:
    """A count's format split into words before, the number (with the symbols that touch it)
    and words after: ``'{value} measures'`` -> ``('', '{value}', 'measures')``,
    ``'{value}+'`` -> ``('', '{value}+', '')``, ``'{value}条'`` -> ``('', '{value}', '条')``."""
    if not template or "{value}" not in template:
        return "", "{value}", ""
    head, _, tail = template.partition("{value}")
    i = len(head)
    while i > 0 and _symbol(head[i - 1]):
        i -= 1
    j = 0
    while j < len(tail) and _symbol(tail[j]):
        j += 1
    return head[:i].strip(), head[i:] + "{value}" + tail[:j], tail[j:].strip()


@dataclass
class CountNodes:
    """One count's nodes: the number and the words it lands with."""

    count: Count
    template: str
    number: Text
    words: list[Text]

    @property
    def counts_up(self) -> bool:
        """A quantity counts up; a small number simply appears when its milestone lands."""
        return self.count.value >= COUNT_FROM


@dataclass
class MilestoneCard:
    """One milestone's card node and, once placed, its items."""

    milestone: Milestone
    index: int
    node: CardNode
    when: Text
    counts: list[CountNodes] = field(default_factory=list)


#: A balanced row moves this share of its width at a time from its shortest card to its tallest.
BALANCE_STEP = 0.02


@dataclass
class HangingRow(Node):
    """Cards in columns hanging from one line, each as tall as its own content (a card with a
    line more makes no hole in the others).

    The columns are equal, or with ``balanced`` as wide as makes the tallest card shortest:
    width goes from the shortest card to the tallest while that helps. A layout tries the
    balanced row only where equal columns do not fit (one long milestone text at large
    text sizes), so that the cards stay even wherever they can.
    """

    children: list[Node]
    gap: float = CARD_GAP
    balanced: bool = False
    _widths: dict[float, list[float]] = field(default_factory=dict, repr=False)

    def _cells(self, width: float) -> list[float]:
        n = max(1, len(self.children))
        room = width - self.gap * (n - 1)
        if not self.balanced or n < 2:
            return [room / n] * n
        known = self._widths.get(width)
        if known is not None:
            return known
        widths = [room / n] * n
        heights = [c.min_height(w) for c, w in zip(self.children, widths, strict=True)]
        step = room * BALANCE_STEP
        for _ in range(40):
            tall = max(range(n), key=heights.__getitem__)
            short = min(range(n), key=heights.__getitem__)
            if tall == short or widths[short] - step < self.children[short].min_width():
                break
            trial = list(widths)
            trial[tall] += step
            trial[short] -= step
            trial_heights = list(heights)
            trial_heights[tall] = self.children[tall].min_height(trial[tall])
            trial_heights[short] = self.children[short].min_height(trial[short])
            if max(trial_heights) >= max(heights):
                break
            widths, heights = trial, trial_heights
        self._widths[width] = widths
        return widths

    def min_height(self, width: float) -> float:
        return max((c.min_height(w) for c, w in zip(self.children, self._cells(width), strict=True)),
                   default=0.0)

    def min_width(self) -> float:
        n = len(self.children)
        return max((c.min_width() for c in self.children), default=0.0) * n + self.gap * max(0, n - 1)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        x = rect.left()
        for child, w in zip(self.children, self._cells(rect.width()), strict=True):
            child.place(QRectF(x, rect.top(), w, child.min_height(w)), parent)
            x += w + self.gap


class TimeAxis(QGraphicsObject):
    """The line that draws itself and a dot per milestone; reports both to the layout audit."""

    def __init__(self, start: QPointF, end: QPointF, dots: list[tuple[QPointF, QColor]], colour: QColor,
                 outline: QColor, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self.full = QLineF(start, end)
        self.dots = dots
        self.colour = QColor(colour)
        self.outline = QColor(outline)
        self.reach = 1.0
        self.scales = [1.0] * len(dots)

    def set_state(self, reach: float, scales: list[float]) -> None:
        """How much of the line is drawn (0..1) and how big each dot is (1 = full size)."""
        if reach != self.reach or scales != self.scales:
            self.reach = reach
            self.scales = list(scales)
            self.update()

    def drawn_line(self) -> QLineF:
        """The part of the line drawn now."""
        return QLineF(self.full.p1(), self.full.pointAt(max(0.0, min(1.0, self.reach))))

    def audit_marks(self) -> list[QRectF]:
        """The drawn line and the dots that show: the audit keeps text off them."""
        line = self.drawn_line()
        half = LINE_WIDTH / 2
        marks = [QRectF(line.p1(), line.p2()).normalized().adjusted(-half, -half, half, half)]
        marks += [QRectF(p.x() - DOT / 2, p.y() - DOT / 2, DOT, DOT)
                  for (p, _), s in zip(self.dots, self.scales, strict=True) if s > 0.01]
        return marks

    def boundingRect(self) -> QRectF:
        box = QRectF(self.full.p1(), self.full.p2()).normalized()
        for p, _ in self.dots:
            box = box.united(QRectF(p.x() - DOT, p.y() - DOT, 2 * DOT, 2 * DOT))
        return box.adjusted(-LINE_WIDTH, -LINE_WIDTH, LINE_WIDTH, LINE_WIDTH)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.reach > 0.001:
            pen = QPen(self.colour, LINE_WIDTH)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(self.drawn_line())
        painter.setPen(QPen(self.outline, 4))
        for (p, colour), s in zip(self.dots, self.scales, strict=True):
            if s > 0.01:
                painter.setBrush(colour)
                r = DOT / 2 * s
                painter.drawEllipse(p, r, r)


class TimelinePanel(Panel):
    """Milestone cards under (or beside) a line that draws itself; see the module docstring."""

    model: TimelinePanelModel

    # -- timing -------------------------------------------------------------------------------
    @property
    def stagger_ms(self) -> float:
        """Pause between two milestones: the whole build settles within 1.5 s."""
        n = len(self.model.milestones)
        return min(STAGGER_MS, STAGGER_SPAN_MS / (n - 1)) if n > 1 else 0.0

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return LINE_LEAD_MS + (len(self.model.milestones) - 1) * self.stagger_ms + MILESTONE_MS

    def milestone_start(self, i: int) -> float:
        """When milestone ``i`` pops (ms after activation): the line reaches it then."""
        return self.stage_start(i, LINE_LEAD_MS + i * self.stagger_ms)

    def stage_count(self) -> int:
        return len(self.model.milestones)

    def stage_length(self, stage: int) -> float:
        return MILESTONE_MS

    # -- layout -------------------------------------------------------------------------------
    def _count(self, count: Count, i: int, k: int, colour: QColor, *, compact: bool,
               milestone_year: int) -> tuple[Node, CountNodes]:
        lang = self.ctx.language
        primary = k == 0
        before, template, after = split_format(self.tr(count.format) if count.format is not None else None)
        where = f"milestones[{i}].counts[{k}]"
        # compact: the numbers at their role's smallest size (large text on a small stage)
        number_style = self.style("display" if primary else "title", colour, step=0.0 if compact else 1.0)
        number = Text(render_figure(count.value, count.decimals, template, lang), number_style, max_lines=1,
                      group="milestone-number" if primary else "milestone-minor-number",
                      on_place=_field(f"{where}.value"))
        words_style = self.style("title", "text")
        words: list[Text] = []
        row_parts: list[Node] = [number]
        if after:
            after_text = Text(after, words_style, group="milestone-words", on_place=_field(f"{where}.format"))
            words.append(after_text)
            # bottoms of the boxes meet; lift the words so both baselines sit on one line
            lift = (number_style.px - words_style.px) * INK_DESCENT
            row_parts.append(Column([after_text, Space(height=lift)]))
        # a quarter em between a Chinese number and its unit, a third of a space in English
        gap = words_style.px * (0.2 if lang == "zh" else 0.3)
        row: Node = Row(row_parts, gap=gap, basis=["natural", 0.0][: len(row_parts)],
                        grow=[0.0, 1.0][: len(row_parts)], valign="end") if len(row_parts) > 1 else number
        if before:
            before_text = Text(before, self.style("title", "muted"), group="milestone-words",
                               on_place=_field(f"{where}.format"))
            words.insert(0, before_text)
            row = Column([before_text, row], gap=4)
        if count.year is not None and count.year != milestone_year:
            # a number of another year than its milestone's says so (a running total reported later)
            as_of = Text(ui_text("timeline.as_of", lang, year=count.year), self.style("body", "muted"),
                         group="milestone-as-of", on_place=_field(f"{where}.year"))
            words.append(as_of)
            row = Column([row, as_of], gap=2)
        return row, CountNodes(count, template, number, words)

    def _card(self, ms: Milestone, i: int, *, minor_inline: bool, compact: bool = False,
              air: list[tuple[Space, float]] | None = None, dates: list[Node] | None = None) -> MilestoneCard:
        """A milestone's card: date, numbers, headline, line. With ``dates`` (cards side by side)
        every date is as tall as the tallest, so dates and the numbers under them line up
        across the row; the rest of a card follows its own number (no hole where another card
        has a line more). ``air`` collects the spaces above, between and below the parts, which
        widen together where the body has room (:class:`~szkiosk.kit.layout.Breathe`)."""
        theme = self.ctx.theme
        colour = theme.series(i)
        where = f"milestones[{i}]"
        when = self.text(ms.when, "title", colour, field=f"{where}.when", group="milestone-when")
        slots: dict[str, Node] = {"when": when}
        counts: list[CountNodes] = []
        minors: list[Node] = []
        for k, count in enumerate(ms.counts):
            node, nodes = self._count(count, i, k, colour, compact=compact, milestone_year=ms.year)
            counts.append(nodes)
            if k == 0:
                slots["number"] = node
            else:
                minors.append(node)
        if minors:
            if minor_inline:
                slots["minors"] = Row(minors, gap=36.0, basis=["natural"] * len(minors), grow=[0.0] * len(minors))
            else:
                slots["minors"] = Column(minors, gap=8.0)
        slots["headline"] = self.text(ms.headline, "label", field=f"{where}.headline", group="milestone-headline")
        if ms.text is not None:
            slots["text"] = Column([Space(height=6.0), self.text(ms.text, "body", "muted", field=f"{where}.text",
                                                                 group="milestone-text")])
        if "number" in slots:
            # a number row placed in a taller slot would sink to its foot: keep it at the top
            slots["number"] = Column([slots["number"]])
        if dates is not None:
            dates.append(when)
            slots["when"] = Synced(when, dates)
        content = _aired(list(slots.values()), 10.0 if compact else 14.0, air)
        node = CardNode(content, theme.colour("surface"), accent=colour, padding=CARD_PADDING)
        return MilestoneCard(ms, i, node, when, counts)

    def _arrangements(self) -> list:
        portrait = self.ctx.portrait
        n = len(self.model.milestones)
        axis = self.model.spans_years

        def make(kind: str, minor_inline: bool, compact: bool):
            def build() -> Node:
                side_by_side = kind in ("row", "row-balanced", "cards")
                dates: list[Node] | None = [] if side_by_side else None
                # cards hanging from a line keep to their content; cards that stand alone or
                # in a stack gain some air where the body has room
                air: list[tuple[Space, float]] | None = None if kind.startswith("row") or compact else []
                cards = [self._card(m, i, minor_inline=minor_inline, compact=compact, air=air, dates=dates)
                         for i, m in enumerate(self.model.milestones)]
                nodes = [c.node for c in cards]
                if kind.startswith("row"):
                    band = Visual(self._keep_band, min_h=AXIS_BAND, min_w=0.0, flex=0.0)
                    body: Node = Column([band, HangingRow(nodes, gap=CARD_GAP, balanced=kind == "row-balanced")])
                elif kind == "stack":
                    band = Visual(self._keep_band, min_h=0.0, min_w=AXIS_BAND, flex=0.0)
                    body = Row([band, Column(nodes, gap=CARD_GAP)], gap=20.0, basis=[AXIS_BAND, 0.0],
                               grow=[0.0, 1.0])
                elif kind == "cards-stacked":  # one above the other, each as tall as its content
                    body = Column(nodes, gap=CARD_GAP)
                else:  # side by side, one height, no time axis
                    body = Grid(nodes, n, gap=CARD_GAP)
                if air:
                    body = Breathe(body, lambda amount, air=air: _widen(air, amount), CARD_AIR)
                parts: list[Node] = []
                if self.model.lead is not None:
                    parts += [self.text(self.model.lead, "body", "muted", field="lead"), Space(height=CARD_GAP)]
                # the cards take the air they are worth; the group stands in the middle of the rest
                node = Column([*parts, Column([body], justify="center", fill=True)])
                self._built.append((node, kind, cards))
                return node

            return build

        if axis:
            kinds = ["stack"] if portrait else ["row", "stack"]
        else:
            kinds = ["cards-stacked"] if portrait or n == 1 else ["cards", "cards-stacked"]
        made = [make(kind, inline, compact) for compact in (False, True) for kind in kinds
                for inline in (True, False)]
        if axis and not portrait and n > 1:  # the last resort before "nothing fits": uneven columns
            made += [make("row-balanced", inline, True) for inline in (True, False)]
        return made

    def _keep_band(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self._band = QRectF(rect)

    def build_body(self, rect: QRectF) -> None:
        self._built: list[tuple[Node, str, list[MilestoneCard]]] = []
        self._band: QRectF | None = None
        self.axis: TimeAxis | None = None
        chosen = self.place_body(self._arrangements(), rect)
        kind, self.cards = next((k, c) for node, k, c in self._built if node is chosen)
        self._built = []
        if kind in ("row", "row-balanced", "stack") and self._band is not None:
            self._make_axis(kind, self._band)
        self.taps_to_details((card.milestone.key, card.node.item, card.node.item.rect)
                             for card in self.cards if card.node.item is not None)

    def _make_axis(self, kind: str, band: QRectF) -> None:
        theme = self.ctx.theme
        dots: list[tuple[QPointF, QColor]] = []
        for card in self.cards:
            rect = card.node.item.rect if card.node.item is not None else QRectF()
            colour = theme.series(card.index)
            if kind.startswith("row"):
                dots.append((QPointF(rect.left() + ACCENT + CARD_PADDING[0] + DOT / 2, band.center().y()), colour))
            else:
                when = card.when.item
                lines = when.line_rects() if when is not None else []
                y = lines[0].center().y() if lines else rect.top() + CARD_PADDING[1] + DOT / 2
                dots.append((QPointF(band.center().x(), y), colour))
        if kind.startswith("row"):
            start, end = QPointF(band.left(), band.center().y()), QPointF(band.right(), band.center().y())
        else:
            first = self.cards[0].node.item
            last = self.cards[-1].node.item
            top = first.rect.top() if first is not None else band.top()
            bottom = last.rect.bottom() if last is not None else band.bottom()
            start, end = QPointF(band.center().x(), top), QPointF(band.center().x(), bottom)
        self.axis = TimeAxis(start, end, dots, theme.colour("data", 0.7), theme.colour("background"), self)

    # -- animation ------------------------------------------------------------------------------
    def _line_reach(self, t_ms: float) -> float:
        """Share of the line drawn at ``t_ms``: it reaches each milestone's dot as it pops."""
        axis = self.axis
        if axis is None or not axis.dots:
            return 0.0
        length = axis.full.length() or 1.0
        at = [QLineF(axis.full.p1(), p).length() / length for p, _ in axis.dots]
        step_mode = self._step_starts is not None
        reach = 0.0
        for i in range(len(at)):
            start = self.milestone_start(i)
            if start == float("inf"):
                break
            begin = start if step_mode else start - LINE_LEAD_MS
            frm = at[i - 1] if i else 0.0
            reach = max(reach, frm + (at[i] - frm) * ease_out(phase(t_ms, begin, LINE_LEAD_MS)))
            if i == len(at) - 1:
                reach = max(reach, at[i] + (1.0 - at[i]) * ease_out(phase(t_ms, start, DOT_MS)))
        return reach

    def apply(self, t_ms: float) -> None:
        lang = self.ctx.language
        scales: list[float] = []
        for card in self.cards:
            start = self.milestone_start(card.index)
            a = phase(t_ms, start, DOT_MS)
            # the dot overshoots a little as it pops, then settles
            scales.append(0.0 if a <= 0 else ease_out(a) * (1.0 + 0.35 * (1.0 - a)))
            item = card.node.item
            b = ease_out(phase(t_ms, start, CARD_MS))
            if item is not None:
                item.setOpacity(b)
                item.setPos(0, 24 * (1 - b))
            landing = start + COUNT_DELAY_MS + COUNT_MS
            p = ease_out(phase(t_ms, start + COUNT_DELAY_MS, COUNT_MS))
            words = ease_out(phase(t_ms, landing, WORDS_MS))
            for nodes in card.counts:
                number: TextItem | None = nodes.number.item
                c = nodes.count
                if number is not None:
                    if nodes.counts_up:
                        number.set_text(count_text(c.value, p, c.decimals, nodes.template, lang))
                    else:
                        number.set_text(render_figure(c.value, c.decimals, nodes.template, lang) if p >= 1 else "")
                for w in nodes.words:
                    if w.item is not None:
                        w.item.setOpacity(words)
        if self.axis is not None:
            self.axis.set_state(self._line_reach(t_ms), scales)

    # -- for tests ------------------------------------------------------------------------------
    def shown_numbers(self) -> list[str]:
        """The numbers as drawn now, in reading order."""
        return [n.number.item.text for c in self.cards for n in c.counts if n.number.item is not None]

    def shown_words(self) -> list[str]:
        """The words of every count that can be seen now."""
        return [w.item.text for c in self.cards for n in c.counts for w in n.words
                if w.item is not None and w.item.opacity() > 0.01]

    def axis_length(self) -> float:
        """How much of the line is drawn, in px (0 without a time axis)."""
        return self.axis.drawn_line().length() if self.axis is not None and self.axis.reach > 0 else 0.0

    def card_items(self) -> list[Card]:
        """The milestone cards as placed."""
        return [c.node.item for c in self.cards if c.node.item is not None]


def _widen(spaces: list[tuple[Space, float]], amount: float) -> None:
    """Every space of the cards ``amount`` taller than its own height."""
    for space, base in spaces:
        space.height = base + amount


def _aired(parts: list[Node], gap: float, air: list[tuple[Space, float]] | None) -> Node:
    """``parts`` stacked ``gap`` apart; with ``air``, with a space above, between and below
    them (each noted in ``air`` with its own height, for :func:`_widen`)."""
    if air is None:
        return Column(parts, gap=gap)
    nodes: list[Node] = []
    for k, part in enumerate(parts):
        space = Space(height=gap if k else 0.0)
        air.append((space, space.height))
        nodes += [space, part]
    space = Space()
    air.append((space, 0.0))
    return Column([*nodes, space])


def _field(name: str):
    def tag(item: TextItem) -> None:
        item.field = name

    return tag
