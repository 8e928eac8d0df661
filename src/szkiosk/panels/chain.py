"""The innovation chain: stages that light up in order, pulses flowing along the links, and
an explanation card for the stage a visitor taps.

The face is the chain (the visual), the hint, the key phrases and the examples; the source's
full sentences live in the detail layer. Layout comes from rules: a row of stages when their
labels fit side by side (landscape), else a column of stages that shares the height evenly
(portrait); every stage label is drawn in one role at one size.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsLineItem

from szkiosk.content.panel_types import ChainPanelModel
from szkiosk.kit.items import Card, TapArea
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Grid, Node, Row, Text
from szkiosk.kit.text import ALIGN_CENTER, TextItem, lay_out, natural_width, widest_word
from szkiosk.panels.base import Panel, ease_out, phase

VCENTER = Qt.AlignmentFlag.AlignVCenter
#: When stage ``i`` starts to light up: ``STAGE_OFFSET_MS + i * STAGE_STAGGER_MS``.
STAGE_OFFSET_MS = 80.0
STAGE_STAGGER_MS = 140.0
#: How long a stage takes to light up (and its label to fade in).
STAGE_MS = 380.0
LINK_MS = 260.0
PULSE_PERIOD_MS = 700.0
PULSES_PER_LINK = 2
#: The panel settles by then: pulses have faded, the hint and the phrases are in.
BUILD_MS = 1500.0
PULSE_FADE_MS = 300.0
#: Supporting items (each phrase, the examples as one group) start after the first stages, one
#: every ``LATE_STAGGER_MS``; with step builds they come with the last stage.
LATE_START_MS = 600.0
LATE_STAGGER_MS = 90.0
LATE_MS = 400.0
HINT_MS = 350.0
#: Diameter of a stage's circle: from the smallest legible badge to the largest worth drawing.
NODE_MIN = 96.0
NODE_MAX = 150.0
GAP = 24.0
#: Air between a label and the right end of its row (vertical).
ROW_PAD = 32.0
ROW_VPAD = 10.0


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

    def add_background_tap(self) -> None:
        """Lay ``background``, a tap area under everything the panel draws: a tap beside the
        items clears the selection."""
        panel = cast(Panel, self)
        self.background = TapArea(QRectF(0, 0, panel.width, panel.height), lambda: self.select(None), panel)
        self.background.setZValue(-1)
        self.background.setCursor(Qt.CursorShape.ArrowCursor)


@dataclass
class Explanation(Node):
    """The slot under a tappable visual: the hint until an item is tapped, then a card with the
    item's name and what it means.

    The card is as tall as the tallest name plus the tallest meaning at its width, so no
    explanation is ever cut. Normally the slot reserves that height and a tap never reflows
    the face; with ``below`` (a compact arrangement) the slot is only as tall as the hint,
    the nodes of ``below`` follow it, and the card covers them while it shows.
    """

    panel: Panel
    hint: str
    #: (name, meaning) of every tappable item, in order.
    entries: Sequence[tuple[str, str]]
    #: Content fields of an entry's name and meaning, e.g. ``stages[{i}].label``.
    name_field: str = "stages[{i}].label"
    meaning_field: str = "stages[{i}].explain"
    #: Nodes under the hint that the card may cover (compact arrangements).
    below: Sequence[Node] = ()
    gap: float = 28.0
    padding: tuple[float, float, float, float] = (32.0, 20.0, 32.0, 22.0)
    index: int | None = field(default=None, init=False)
    card: Card | None = field(default=None, init=False, repr=False)
    title: TextItem | None = field(default=None, init=False, repr=False)
    line: TextItem | None = field(default=None, init=False, repr=False)
    hint_item: TextItem | None = field(default=None, init=False, repr=False)
    slot: Card | None = field(default=None, init=False, repr=False)

    def _hint_style(self):
        return self.panel.style("label", "muted")

    def _title_style(self):
        return self.panel.style("label", "data")

    def _line_style(self):
        return self.panel.style("body")

    def _parts(self, width: float) -> tuple[float, float]:
        """Heights of the tallest name and the tallest meaning inside a card of ``width``."""
        left, _, right, _ = self.padding
        inner = width - left - right
        title = max((lay_out(n, self._title_style(), inner).height for n, _ in self.entries), default=0.0)
        line = max((lay_out(m, self._line_style(), inner).height for _, m in self.entries), default=0.0)
        return title, line

    def card_height(self, width: float) -> float:
        """Height of the card at ``width``: room for every entry."""
        _, top, _, bottom = self.padding
        title, line = self._parts(width)
        return top + title + 10 + line + bottom

    def hint_height(self, width: float) -> float:
        """Height of the hint's slot at ``width``."""
        left, top, right, bottom = self.padding
        if not self.hint:
            return 0.0
        return lay_out(self.hint, self._hint_style(), width - left - right).height + top + bottom

    def _below(self) -> Column:
        return Column(list(self.below), gap=self.gap)

    def min_height(self, width: float) -> float:
        if self.below:
            stacked = self.hint_height(width) + self.gap + self._below().min_height(width)
            return max(self.card_height(width), stacked)
        return max(self.hint_height(width), self.card_height(width))

    def min_width(self) -> float:
        left, _, right, _ = self.padding
        words = [widest_word(self.hint, self._hint_style()) + left + right] if self.hint else []
        for name, meaning in self.entries:
            words += [widest_word(name, self._title_style()) + left + right,
                      widest_word(meaning, self._line_style()) + left + right]
        if self.below:
            words.append(self._below().min_width())
        return max(words, default=0.0)

    def natural_width(self) -> float:
        return self.min_width()

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        theme = self.panel.ctx.theme
        left, top, right, bottom = self.padding
        slot = QRectF(rect)
        card = QRectF(rect)
        if self.below:
            slot.setHeight(self.hint_height(rect.width()))
            card.setHeight(self.card_height(rect.width()))
            below_top = slot.bottom() + self.gap
            below = QRectF(rect.left(), below_top, rect.width(), rect.bottom() - below_top)
            self._below().place(below, parent)
        # the empty slot is drawn faintly, so the face keeps its shape before and after a tap
        self.slot = Card(slot, theme.colour("surface", 0.5), parent=parent)
        self.hint_item = TextItem(self.hint, self._hint_style(), slot.adjusted(left, 0, -right, 0),
                                  align=ALIGN_CENTER, valign=VCENTER, parent=self.slot)
        self.hint_item.field = "hint"
        self.card = Card(card, theme.colour("surface"), outline=theme.colour("data", 0.9), parent=parent)
        self.card.setZValue(8)
        inner = card.adjusted(left, top, -right, -bottom)
        title_h, _ = self._parts(card.width())
        self.title = TextItem("", self._title_style(), QRectF(inner.left(), inner.top(), inner.width(), title_h),
                              parent=self.card)
        line_top = inner.top() + title_h + 10
        self.line = TextItem("", self._line_style(),
                             QRectF(inner.left(), line_top, inner.width(), inner.bottom() - line_top),
                             parent=self.card)
        self.show(self.index)

    def show(self, index: int | None) -> None:
        """Show the card for entry ``index`` (None hides it and brings back the hint)."""
        self.index = index
        if self.card is None or self.title is None or self.line is None or self.hint_item is None:
            return
        shown = index is not None and 0 <= index < len(self.entries)
        self.card.setVisible(shown)
        self.hint_item.setVisible(not shown)
        # in a compact arrangement the card covers what follows the hint: hide what it covers
        # (a covered item must not read through, nor count as drawn)
        area = self.card.sceneBoundingRect()
        for item in (i for node in self.below for i in _items(node)):
            item.setVisible(not (shown and item.sceneBoundingRect().intersects(area)))
        if shown:
            assert index is not None
            name, meaning = self.entries[index]
            self.title.set_text(name)
            self.title.field = self.name_field.format(i=index)
            self.line.set_text(meaning)
            self.line.field = self.meaning_field.format(i=index)


@dataclass
class StageChain(Node):
    """The chain itself: numbered circles joined by links, each with its label.

    ``vertical`` puts the stages in a column (labels beside the circles) and shares out spare
    height between them; otherwise they sit in a row with their labels under the circles.
    """

    panel: ChainPanel
    labels: Sequence[str]
    vertical: bool
    #: Role of the stage labels (a column of stages has the width for "title").
    role: str = "label"
    flex: float = 1.0
    nodes: list[Card] = field(default_factory=list, init=False, repr=False)
    #: The row behind each stage (vertical only): a wide target that fills the column.
    rows: list[Card] = field(default_factory=list, init=False, repr=False)
    label_items: list[TextItem] = field(default_factory=list, init=False, repr=False)
    taps: list[TapArea] = field(default_factory=list, init=False, repr=False)
    links: list[tuple[QGraphicsLineItem, QLineF]] = field(default_factory=list, init=False, repr=False)
    pulses: list[list[QGraphicsEllipseItem]] = field(default_factory=list, init=False, repr=False)

    def _label_style(self):
        return self.panel.style(self.role)

    def _number_style(self, colour):
        return self.panel.style("title", colour)

    def _diameter(self) -> float:
        """The circle must hold its number with air around it."""
        digits = self._number_style("text")
        return max(NODE_MIN, digits.px * 1.9)

    # -- measuring ----------------------------------------------------------------------------
    def _slot(self, width: float) -> float:
        return (width - GAP * (len(self.labels) - 1)) / len(self.labels)

    def _label_height(self, width: float) -> float:
        return max((lay_out(t, self._label_style(), width).height for t in self.labels), default=0.0)

    def _side_width(self, width: float, d: float | None = None) -> float:
        """Width of the labels beside the circles, inside their row (vertical)."""
        return width - (self._diameter() if d is None else d) - GAP - ROW_PAD

    def min_height(self, width: float) -> float:
        d = self._diameter()
        if self.vertical:
            row = max(d, self._label_height(self._side_width(width)) + 2 * ROW_VPAD)
            return row * len(self.labels) + GAP * (len(self.labels) - 1)
        return d + 16 + self._label_height(self._slot(width))

    def min_width(self) -> float:
        words = max((widest_word(t, self._label_style()) for t in self.labels), default=0.0)
        d = self._diameter()
        if self.vertical:
            return d + GAP + words + ROW_PAD
        return len(self.labels) * max(words, d) + GAP * (len(self.labels) - 1)

    def natural_width(self) -> float:
        if self.vertical:
            longest = max((natural_width(t, self._label_style()) for t in self.labels), default=0.0)
            return self._diameter() + GAP + longest + ROW_PAD
        return self.min_width()

    # -- placing ------------------------------------------------------------------------------
    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        theme = self.panel.ctx.theme
        n = len(self.labels)
        d0 = self._diameter()
        centres: list[QPointF] = []
        if self.vertical:
            pitch = (rect.height() + GAP) / n
            # a taller body gives the circles more room too, up to the largest worth drawing
            d = min(NODE_MAX, max(d0, min(pitch - GAP, pitch * 0.62)))
            side = self._side_width(rect.width(), d)
            label_h = self._label_height(side)
            for i, text in enumerate(self.labels):
                cy = rect.top() + pitch * i + (pitch - GAP) / 2
                centres.append(QPointF(rect.left() + d / 2, cy))
                row_h = max(d, label_h + 2 * ROW_VPAD)
                row = Card(QRectF(rect.left(), cy - row_h / 2, rect.width(), row_h), theme.colour("surface"),
                           radius=d / 2, parent=parent)
                row.setZValue(1)
                self.rows.append(row)
                box = QRectF(rect.left() + d + GAP, cy - label_h / 2, side, label_h)
                self._label(i, text, box, Qt.AlignmentFlag.AlignLeft, row)
                self._tap(i, QRectF(rect.left(), cy - pitch / 2 + GAP / 2, rect.width(), pitch - GAP / 2), text,
                          parent)
        else:
            slot = self._slot(rect.width())
            label_h = self._label_height(slot)
            spare = rect.height() - (d0 + 16 + label_h)
            d = min(NODE_MAX, d0 + max(0.0, spare) * 0.5, slot * 0.6)
            d = max(d, d0)
            top = rect.top() + max(0.0, rect.height() - (d + 16 + label_h)) / 2
            for i, text in enumerate(self.labels):
                cx = rect.left() + i * (slot + GAP) + slot / 2
                centres.append(QPointF(cx, top + d / 2))
                box = QRectF(cx - slot / 2, top + d + 16, slot, label_h)
                self._label(i, text, box, ALIGN_CENTER, parent)
                self._tap(i, QRectF(cx - slot / 2, top, slot, d + 16 + label_h), text, parent)
        self._links(centres, d / 2, parent)
        for i, c in enumerate(centres):
            node = Card(QRectF(c.x() - d / 2, c.y() - d / 2, d, d), theme.colour("surface"),
                        outline=theme.series(i), radius=d / 2, parent=parent)
            node.setTransformOriginPoint(c)
            node.setZValue(3)
            number = TextItem(str(i + 1), self._number_style(theme.series(i)), node.rect, align=ALIGN_CENTER,
                              valign=VCENTER, group="stage-number", parent=node)
            number.field = f"stages[{i}]"
            self.nodes.append(node)

    def _label(self, i: int, text: str, box: QRectF, align: Qt.AlignmentFlag, parent: QGraphicsItem) -> None:
        item = TextItem(text, self._label_style(), box, align=align, valign=VCENTER, group="stage-label",
                        parent=parent)
        item.field = f"stages[{i}].label"
        self.label_items.append(item)

    def _tap(self, i: int, box: QRectF, text: str, parent: QGraphicsItem) -> None:
        tap = TapArea(box, lambda i=i: self.panel.select(i), parent)
        tap.label = text  # the reach bar repeats the control under this name
        tap.setZValue(6)
        self.taps.append(tap)

    def _links(self, centres: list[QPointF], r: float, parent: QGraphicsItem) -> None:
        theme = self.panel.ctx.theme
        pen = QPen(theme.colour("data", 0.55), 6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        for a, b in itertools.pairwise(centres):
            unit = QLineF(a, b).unitVector()
            off = QPointF(unit.dx() * (r + 10), unit.dy() * (r + 10))
            full = QLineF(a + off, b - off)
            item = QGraphicsLineItem(full, parent)
            item.setPen(pen)
            self.links.append((item, full))
            dots = []
            for _ in range(PULSES_PER_LINK):
                dot = QGraphicsEllipseItem(-8, -8, 16, 16, parent)
                dot.setBrush(theme.colour("data"))
                dot.setPen(Qt.PenStyle.NoPen)
                dot.setZValue(2)
                dot.setVisible(False)
                dots.append(dot)
            self.pulses.append(dots)


class ChainPanel(TapToExplain, Panel):
    """Numbered stage nodes joined by links; pulses run along the links while the chain builds."""

    model: ChainPanelModel
    build_ms = BUILD_MS

    # -- layout -------------------------------------------------------------------------------
    def _supporting(self, *, wide: bool) -> list[Node]:
        """The key phrases and the examples (side by side when ``wide``)."""
        theme = self.ctx.theme
        m = self.model
        badges: list[Node] = []
        for k, badge in enumerate(m.badges):
            text = self.text(badge, "label", field=f"badges[{k}]", group="badge")
            badges.append(CardNode(text, theme.colour("surface"), padding=(26.0, 16.0, 26.0, 18.0),
                                   accent=theme.colour("accent")))
        examples: list[Node] = []
        if m.examples_label is not None:
            examples.append(self.text(m.examples_label, "label", "muted", field="examples_label"))
        if m.examples:
            chips = [CardNode(self.text(name, "label", field=f"examples[{k}]", group="example", align=ALIGN_CENTER),
                              theme.colour("background"), padding=(18.0, 12.0, 18.0, 14.0),
                              outline=theme.series(k), radius=30.0)
                     for k, name in enumerate(m.examples)]
            examples.append(_Chips(chips))
        parts: list[Node] = []
        if m.statement is not None:
            parts.append(self.text(m.statement, "body", field="statement"))
        if wide and badges and examples:
            parts.append(Row([Column(badges, gap=14), Column(examples, gap=14)], gap=40, grow=[1.0, 1.0]))
        else:
            if badges:
                parts.append(Column(badges, gap=14))
            parts.extend(examples)
        return parts

    def _arrangement(self, *, vertical: bool, wide: bool, compact: bool = False, beside: bool = False,
                     role: str = "label") -> Callable[[], Node]:
        """One way to lay the face out: the chain in a row or a column; the explanation with its
        own slot or (``compact``) over the phrases; the rest under the chain or (``beside``) to
        its right."""
        def make() -> Node:
            chain = StageChain(self, [self.tr(s.label) for s in self.model.stages], vertical, role)
            late = self._supporting(wide=wide)
            entries = [(self.tr(s.label), self.tr(s.explain)) for s in self.model.stages]
            explanation = Explanation(self, self.tr(self.model.hint), entries, below=late if compact else ())
            rest: list[Node] = [explanation] if compact else [explanation, *late]
            if beside:
                # the stages keep their labels on one line; the rest takes what is left
                face: Node = Row([chain, Column(rest, gap=28)], gap=48, basis=["natural", 0.0], grow=[0.0, 1.0])
            else:
                face = Column([chain, *rest], gap=28)
            face.parts = (chain, explanation, late)  # type: ignore[attr-defined]
            return face

        return make

    def build_body(self, rect: QRectF) -> None:
        self.add_background_tap()
        arrange = self._arrangement
        if self.ctx.portrait:
            options = [arrange(vertical=True, wide=False, role="title"), arrange(vertical=True, wide=False),
                       arrange(vertical=True, wide=False, compact=True, role="title"),
                       arrange(vertical=True, wide=False, compact=True)]
        else:
            options = [arrange(vertical=False, wide=True), arrange(vertical=False, wide=False),
                       arrange(vertical=True, wide=False, beside=True),
                       arrange(vertical=True, wide=False, beside=True, compact=True)]
        face = self.place_body(options, rect)
        self.chain, self.explanation, late = face.parts  # type: ignore[attr-defined]
        self.nodes = self.chain.nodes
        self.rows = self.chain.rows
        self.stage_labels = self.chain.label_items
        self.stage_taps = self.chain.taps
        self.links = self.chain.links
        self.pulses = self.chain.pulses
        # one group per phrase, and the examples (label and chips) together
        self.late: list[list[QGraphicsItem]] = [_items(node) for node in late]
        self.select(self._selected)

    # -- interaction -------------------------------------------------------------------------
    def select(self, index: int | None) -> None:
        """Show the explanation card for stage ``index`` (None: hide it)."""
        self._selected = index
        explanation = getattr(self, "explanation", None)
        if explanation is None:
            return
        explanation.show(index)
        theme = self.ctx.theme
        for i, node in enumerate(getattr(self, "nodes", [])):
            node.set_fill(theme.colour(f"palette:{i}", 0.35) if i == index else theme.colour("surface"))
        for i, row in enumerate(getattr(self, "rows", [])):
            row.set_outline(theme.series(i) if i == index else None)

    # -- animation ---------------------------------------------------------------------------
    def stage_start(self, stage: int, natural_ms: float | None = None) -> float:  # type: ignore[override]
        """When stage ``stage`` starts to light up (ms after activation; in step builds, when its
        Next came)."""
        natural = STAGE_OFFSET_MS + stage * STAGE_STAGGER_MS if natural_ms is None else natural_ms
        return super().stage_start(stage, natural)

    def stage_count(self) -> int:
        """One build step per stage of the chain (presenter step builds)."""
        return len(self.model.stages)

    def stage_length(self, stage: int) -> float:
        """A stage and the link after it; the last stage brings the hint and the phrases too."""
        if stage < len(self.model.stages) - 1:
            return max(STAGE_MS, 200 + LINK_MS)
        return max(STAGE_MS + HINT_MS, self._late_span())

    def _late_span(self) -> float:
        return (max(1, len(getattr(self, "late", []))) - 1) * LATE_STAGGER_MS + LATE_MS

    def _late_start(self) -> float:
        return self.stage_start(len(self.model.stages) - 1, LATE_START_MS)

    def apply(self, t_ms: float) -> None:
        for i, node in enumerate(self.nodes):
            a = ease_out(phase(t_ms, self.stage_start(i), STAGE_MS))
            node.setScale(0.4 + 0.6 * a if a > 0 else 0.001)
            node.setOpacity(a)
            if i < len(self.rows):
                self.rows[i].setOpacity(a)
            self.stage_labels[i].setOpacity(ease_out(phase(t_ms, self.stage_start(i) + 100, STAGE_MS - 100)))
        pulse_end = self.build_ms - 50
        for i, ((item, full), dots) in enumerate(zip(self.links, self.pulses, strict=False)):
            p = ease_out(phase(t_ms, self.stage_start(i) + 200, LINK_MS))
            item.setLine(QLineF(full.p1(), full.pointAt(max(0.001, p))))
            item.setVisible(p > 0)
            flow_start = self.stage_start(i + 1) + 150
            fade = 1 - phase(t_ms, pulse_end - PULSE_FADE_MS, PULSE_FADE_MS)
            for k, dot in enumerate(dots):
                on = flow_start <= t_ms < pulse_end
                dot.setVisible(on)
                if on:
                    f = ((t_ms - flow_start) / PULSE_PERIOD_MS + k / PULSES_PER_LINK) % 1.0
                    dot.setPos(full.pointAt(f))
                    dot.setOpacity(fade * min(1.0, 4 * min(f, 1 - f) + 0.2))
        # the hint points at the stages: it comes once the last one has lit up
        hint_start = self.hint_start()
        slot = self.explanation.slot
        if slot is not None:
            slot.setOpacity(ease_out(phase(t_ms, hint_start, HINT_MS)))
        late_start = self._late_start()
        for k, group in enumerate(self.late):
            b = ease_out(phase(t_ms, late_start + k * LATE_STAGGER_MS, LATE_MS))
            for item in group:
                item.setOpacity(b)
                item.setPos(0, 20 * (1 - b))

    def hint_start(self) -> float:
        """When the hint starts to appear (after the last stage has lit up)."""
        return self.stage_start(len(self.model.stages) - 1) + STAGE_MS

    def pulse_positions(self) -> list[tuple[float, float]]:
        """Where the visible pulses are (tests)."""
        return [(d.pos().x(), d.pos().y()) for dots in self.pulses for d in dots if d.isVisible()]


@dataclass
class _Chips(Node):
    """Example chips in one row when they fit, else in rows of two (all one size)."""

    chips: Sequence[Node]

    def _grid(self, width: float) -> Grid:
        n = len(self.chips)
        for columns in (n, (n + 1) // 2, 1):
            grid = Grid(list(self.chips), columns, gap=16.0)
            if grid.min_width() <= width + 0.5:
                return grid
        return Grid(list(self.chips), 1, gap=16.0)

    def min_height(self, width: float) -> float:
        return self._grid(width).min_height(width)

    def min_width(self) -> float:
        return Grid(list(self.chips), 1, gap=16.0).min_width()

    def natural_width(self) -> float:
        return Grid(list(self.chips), len(self.chips), gap=16.0).min_width()

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self._grid(rect.width()).place(rect, parent)


def _items(node: Node) -> list[QGraphicsItem]:
    """The top-level Qt items a placed node made (cards and free text), in reading order."""
    if isinstance(node, CardNode):
        return [node.item] if node.item is not None else []
    if isinstance(node, Text):
        return [node.item] if node.item is not None else []
    if isinstance(node, _Chips):
        return [item for chip in node.chips for item in _items(chip)]
    children = getattr(node, "children", None)
    if children is not None:
        return [item for child in children for item in _items(child)]
    return []
