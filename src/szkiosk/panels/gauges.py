"""Ring gauges that fill in turn, each with its label; a tap on a gauge opens its details.

When every gauge shows the same value (the six "more than 90%"), the number is said once,
large, beside the rings, and counts up while they fill; otherwise each ring carries its own
number. Either way a number counts in digits only, and its qualifier ("more than", 以上) and
unit appear when it lands (:func:`~szkiosk.charts.countup.count_text`).

Layout comes from rules: the gauge cards sit in a grid of equal cells (every ring one size,
every label one size), with the ring beside its label or above it, in as many columns as
fit; the figure stands to the left of the grid or above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.charts.countup import count_text
from szkiosk.charts.gauges import RingGauge
from szkiosk.content.panel_types import Gauge, GaugesPanelModel
from szkiosk.kit.items import Card, TapArea
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Grid, Node, Row, Text
from szkiosk.kit.text import ALIGN_CENTER, TextItem, lay_out, natural_width
from szkiosk.panels.base import Panel, ease_out, phase

VCENTER = Qt.AlignmentFlag.AlignVCenter
#: Cards come in one after another, each ring fills after its card, the figure counts meanwhile.
CARD_START_MS = 100.0
STAGGER_MS = 90.0
CARD_MS = 400.0
FILL_DELAY_MS = 150.0
FILL_MS = 600.0
COUNT_START_MS = 100.0
COUNT_MS = 700.0
#: The qualifier and unit fade in once the number has landed.
LANDED_MS = 300.0
#: Ring sizes: never smaller than legible at 3 m, never larger than worth the room.
RING_MIN = 96.0
RING_MAX = 240.0
TRACK = 16.0
CARD_GAP = 24.0
CARD_PAD = (24.0, 18.0, 24.0, 18.0)


@dataclass
class GaugeCard:
    """One gauge's nodes and, once placed, its items."""

    gauge: Gauge
    index: int
    node: CardNode | None = None
    ring: RingGauge | None = None
    number: Text | None = None
    qualifier: Text | None = None
    extras: list[TextItem] = field(default_factory=list)


@dataclass
class Ring(Node):
    """A ring gauge of diameter ``size`` (centred in the room it gets), with its number inside
    when ``number`` is given."""

    panel: GaugesPanel
    card: GaugeCard
    size: float
    number: Text | None = None
    qualifier: Text | None = None
    flex: float = 0.0

    def min_height(self, width: float) -> float:
        return self.size

    def min_width(self) -> float:
        return self.size

    def natural_width(self) -> float:
        return self.size

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        d = min(rect.width(), rect.height(), max(self.size, RING_MAX))
        box = QRectF(rect.center().x() - d / 2, rect.center().y() - d / 2, d, d)
        theme = self.panel.ctx.theme
        ring = RingGauge(box, self.card.gauge.value / 100, theme.series(self.card.index),
                         theme.colour("background", 0.9), width=TRACK, parent=parent)
        ring.field = f"gauges[{self.card.index}].value"
        self.card.ring = ring
        if self.number is not None:
            hole = ring.hole()
            parts: list[Node] = [self.number]
            if self.qualifier is not None:
                parts.insert(0 if self.panel.qualifier_first else 1, self.qualifier)
            block = Column(parts, gap=0)
            h = block.min_height(hole.width())
            block.place(QRectF(hole.left(), hole.center().y() - h / 2, hole.width(), h), parent)


class GaugesPanel(Panel):
    """A card per gauge: a ring filling to its value, its label beside or under it."""

    model: GaugesPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        n = len(self.model.gauges)
        fills = CARD_START_MS + (n - 1) * STAGGER_MS + FILL_DELAY_MS + FILL_MS
        return max(fills, COUNT_START_MS + COUNT_MS + LANDED_MS)

    @property
    def qualifier_first(self) -> bool:
        """Whether the qualifier goes before (above) the number in this language."""
        return self.ctx.language not in self.model.qualifier_after

    # -- pieces -------------------------------------------------------------------------------
    def _template(self) -> str:
        return self.tr(self.model.format)

    def _final(self, value: float) -> str:
        return count_text(value, 1.0, 0, self._template(), self.ctx.language)

    def _hero(self, value: float) -> tuple[Node, Text, Text | None]:
        """The figure all gauges share: the number (counted up) and its qualifier."""
        number = self.text(self._final(value), "display", "accent", field="gauges[*].value", max_lines=1,
                           group="gauge-figure")
        qualifier = None
        parts: list[Node] = [number]
        if self.model.qualifier is not None:
            qualifier = self.text(self.model.qualifier, "title", field="qualifier", group="gauge-qualifier")
            parts.insert(0 if self.qualifier_first else 1, qualifier)
        return Column(parts, gap=4), number, qualifier

    def _ring_size(self, number_role: str | None) -> float:
        """The smallest ring for this panel: its hole must hold the number (in ``number_role``)
        and the qualifier."""
        if number_role is None:
            return RING_MIN
        number = self.style(number_role, "text")
        widest = max(natural_width(self._final(g.value), number) for g in self.model.gauges)
        height = lay_out("0", number, 1e6).height
        if self.model.qualifier is not None:
            q = self.style("label")
            widest = max(widest, natural_width(self.tr(self.model.qualifier), q))
            height += lay_out(self.tr(self.model.qualifier), q, 1e6).height
        return max(RING_MIN, RingGauge.diameter_for(widest + 8, height + 8, TRACK))

    def _card(self, gauge: Gauge, i: int, *, stacked: bool, ring: float, number_role: str | None) -> GaugeCard:
        theme = self.ctx.theme
        number = qualifier = None
        if number_role is not None:
            number = self.text(self._final(gauge.value), number_role, theme.series(i), field=f"gauges[{i}].value",
                               align=ALIGN_CENTER, max_lines=1, group="gauge-number")
            if self.model.qualifier is not None:
                qualifier = self.text(self.model.qualifier, "label", field="qualifier", align=ALIGN_CENTER,
                                      group="gauge-qualifier")
        label_align = ALIGN_CENTER if stacked else Qt.AlignmentFlag.AlignLeft
        label = self.text(gauge.label, "label", field=f"gauges[{i}].label", group="gauge-label", align=label_align,
                          valign=VCENTER)
        card = GaugeCard(gauge, i, number=number, qualifier=qualifier)
        visual = Ring(self, card, ring, number, qualifier)
        if stacked:
            inner: Node = Column([visual, label], gap=14, justify="center")
        else:
            inner = Row([visual, label], gap=24, basis=[ring, 0.0], grow=[0.0, 1.0])
        card.node = CardNode(inner, theme.colour("surface"), padding=CARD_PAD)
        return card

    # -- arrangements --------------------------------------------------------------------------
    def _arrangement(self, columns: int, *, stacked: bool, ring: float, hero: str | None,
                     number_role: str | None) -> Callable[[], Node]:
        """A grid of ``columns`` cards; with the shared figure to the left or on top (``hero``),
        or a number in each ring (``number_role``)."""
        def make() -> Node:
            value = self.model.shared_value()
            cards = [self._card(g, i, stacked=stacked, ring=ring, number_role=number_role)
                     for i, g in enumerate(self.model.gauges)]
            grid: Node = Column([Grid([c.node for c in cards], columns, gap=CARD_GAP)], justify="center")
            face: Node = grid
            number = qualifier = None
            if value is not None and hero is not None:
                block, number, qualifier = self._hero(value)
                if hero == "left":
                    face = Row([Column([block], justify="center"), grid], gap=56, basis=["natural", 0.0],
                               grow=[0.0, 1.0])
                else:
                    face = Column([block, grid], gap=28, justify="center")
            face.parts = (cards, number, qualifier)  # type: ignore[attr-defined]
            return face

        return make

    def _columns(self) -> list[int]:
        """Column counts to try, best first: wide cards (short labels read best), then more columns."""
        n = len(self.model.gauges)
        if self.ctx.portrait:
            wanted = [2, 1] if n > 2 else [1, n]
        else:
            wanted = [n, 2, 1] if n <= 3 else [2, -(-n // 2), n, 1]
        return [c for c in dict.fromkeys(wanted) if 1 <= c <= n]

    def _options(self) -> list[Callable[[], Node]]:
        shared = self.model.shared_value() is not None
        heroes: tuple[str | None, ...] = ("top", "left") if self.ctx.portrait else ("left", "top")
        # a shared figure stands beside plain rings; otherwise each ring holds its number
        roles: tuple[str | None, ...] = (None,) if shared else ("headline", "title")
        if not shared:
            heroes = (None,)
        looks = (True, False) if self.ctx.portrait else (False, True)
        options: list[Callable[[], Node]] = []
        for hero in heroes:
            for role in roles:
                small = self._ring_size(role)
                rings = dict.fromkeys(r for r in (RING_MAX, max(small, min(RING_MAX, 1.6 * small)), small)
                                      if r >= small)
                options += [self._arrangement(cols, stacked=stacked, ring=ring, hero=hero, number_role=role)
                            for ring in rings for cols in self._columns() for stacked in looks]
        return options

    def build_body(self, rect: QRectF) -> None:
        self.cards: list[GaugeCard] = []
        face = self.place_body(self._options(), rect)
        self.cards, number, qualifier = face.parts  # type: ignore[attr-defined]
        self.hero_number: TextItem | None = number.item if number is not None else None
        self.hero_qualifier: TextItem | None = qualifier.item if qualifier is not None else None
        self.rings = [c.ring for c in self.cards if c.ring is not None]
        keys = {d.about for d in self.model.details if d.about}
        for card in self.cards:
            item = card.node.item
            if item is None or not self.model.details:
                continue
            key = card.gauge.key if card.gauge.key in keys else None
            tap = TapArea(item.rect, lambda key=key: self.open_details(key), item)
            tap.label = self.tr(card.gauge.label)

    @property
    def numbers(self) -> list[TextItem]:
        """The numbers drawn: the shared figure, or each ring's (tests)."""
        if self.hero_number is not None:
            return [self.hero_number]
        return [c.number.item for c in self.cards if c.number is not None and c.number.item is not None]

    # -- animation ----------------------------------------------------------------------------
    def card_start(self, i: int) -> float:
        """When gauge ``i``'s card starts to come in."""
        return CARD_START_MS + i * STAGGER_MS

    def apply(self, t_ms: float) -> None:
        lang = self.ctx.language
        template = self._template()
        for card in self.cards:
            start = self.card_start(card.index)
            a = ease_out(phase(t_ms, start, CARD_MS))
            item: Card | None = card.node.item
            if item is not None:
                item.setOpacity(a)
                item.setPos(0, 24 * (1 - a))
            p = ease_out(phase(t_ms, start + FILL_DELAY_MS, FILL_MS))
            if card.ring is not None:
                card.ring.set_progress(p)
            if card.number is not None and card.number.item is not None:
                card.number.item.set_text(count_text(card.gauge.value, p, 0, template, lang))
            if card.qualifier is not None and card.qualifier.item is not None:
                card.qualifier.item.setOpacity(1.0 if p >= 1.0 else 0.0)
        value = self.model.shared_value()
        if self.hero_number is not None and value is not None:
            p = ease_out(phase(t_ms, COUNT_START_MS, COUNT_MS))
            self.hero_number.set_text(count_text(value, p, 0, template, lang))
            if self.hero_qualifier is not None:
                landed = COUNT_START_MS + COUNT_MS
                self.hero_qualifier.setOpacity(ease_out(phase(t_ms, landed, LANDED_MS)) if t_ms >= landed else 0.0)

    def fills(self) -> list[float]:
        """How far each ring is filled, 0..1 of the circle (tests)."""
        return [ring.shown for ring in self.rings]
