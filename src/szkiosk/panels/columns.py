"""Lists revealed one column after another (five actions / five forces / five places).

The lists are the panel's visual: each column is a card with its heading and numbered items
that slide in, in reading order. Layout comes from rules: the columns stand side by side on
a landscape stage and stack on a portrait one (their items in two columns where one does not
fit); text never shrinks, and every heading, item and number shares its role's size. A tap
on a column opens its section of the detail layer (``key`` / ``about:``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.content.panel_types import Column as ListColumn
from szkiosk.content.panel_types import ColumnsPanelModel
from szkiosk.kit.items import Card
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Grid, Node, Row, Space, Text
from szkiosk.kit.text import TextItem, natural_width
from szkiosk.panels.base import Panel, ease_out, phase

#: A column starts this long after the one before it.
COLUMN_STAGGER_MS = 350.0
#: A column's card fades in over this long; its items follow one after another.
COLUMN_MS = 400.0
ITEMS_DELAY_MS = 150.0
ITEM_STAGGER_MS = 80.0
ITEM_MS = 300.0
CARD_GAP = 28.0
ITEM_GAP = 10.0


VCENTER = Qt.AlignmentFlag.AlignVCenter


@dataclass
class Synced(Node):
    """A node as tall as the tallest of its peers at the same width: side by side, the k-th
    item of every column lines up with the k-th of the others (the lists read across)."""

    child: Node
    peers: list[Node] = field(default_factory=list)
    grow: float = 0.0

    def __post_init__(self) -> None:
        self.flex = self.grow

    def min_height(self, width: float) -> float:
        return max((p.min_height(width) for p in self.peers or [self.child]), default=0.0)

    def min_width(self) -> float:
        return self.child.min_width()

    def natural_width(self) -> float:
        return self.child.natural_width()

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self.child.place(rect, parent)


@dataclass
class ListCard:
    """One column's card node and its item nodes."""

    column: ListColumn
    index: int
    node: CardNode
    items: list[CardNode]


class ColumnsPanel(Panel):
    """Column cards side by side (landscape) or stacked (portrait); see the module docstring."""

    model: ColumnsPanelModel

    # -- timing ------------------------------------------------------------------------------
    def _items_ms(self, ci: int) -> float:
        n = len(self.model.columns[ci].items)
        return ITEMS_DELAY_MS + (n - 1) * ITEM_STAGGER_MS + ITEM_MS

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        n = len(self.model.columns)
        return max(ci * COLUMN_STAGGER_MS + max(COLUMN_MS, self._items_ms(ci)) for ci in range(n))

    def column_start(self, ci: int) -> float:
        """When column ``ci`` starts to build (ms after activation)."""
        return self.stage_start(ci, ci * COLUMN_STAGGER_MS)

    def stage_count(self) -> int:
        return len(self.model.columns)

    def stage_length(self, stage: int) -> float:
        return max(COLUMN_MS, self._items_ms(stage))

    # -- layout ------------------------------------------------------------------------------
    def _list_card(self, column: ListColumn, ci: int, *, role: str = "label", split: bool = False,
                   dense: bool = False, rows: list[list[Node]] | None = None) -> ListCard:
        """A column's card: heading and numbered items (of ``role``). ``split`` puts the items in
        two columns (first half left, read down); ``dense`` drops the items' own backgrounds and
        most air; ``rows`` lines the items up with the other columns' (see :class:`Synced`)."""
        theme = self.ctx.theme
        colour = theme.series(ci)
        badge_style = self.style(role, colour)
        # one badge width for every number, so the items' text starts on one line
        badge = max(natural_width(str(k + 1), badge_style) for k in range(len(column.items))) + 4
        items: list[CardNode] = []
        for ii, item in enumerate(column.items):
            number = Text(str(ii + 1), badge_style, max_lines=1, group="column-number",
                          on_place=_field(f"columns[{ci}].items[{ii}]"))
            number.valign = VCENTER
            words = self.text(item, role, field=f"columns[{ci}].items[{ii}]", group="column-item", valign=VCENTER)
            row = Row([number, words], gap=12.0 if dense else 16.0, basis=[badge, 0.0], grow=[0.0, 1.0])
            fill = theme.colour("background", 0.0 if dense else 0.55)
            padding = (4.0, 2.0, 4.0, 2.0) if dense else (18.0, 12.0, 18.0, 12.0)
            items.append(CardNode(row, fill, padding=padding, radius=12.0))
        heading: Node = self.text(column.heading, "title", colour, field=f"columns[{ci}].heading",
                                  group="column-heading")
        listed: list[Node] = list(items)
        if rows is not None:
            # row 0 is the heading, row k the k-th item: each as tall as the tallest of its row
            heading = self._sync(rows, 0, heading)
            listed = [self._sync(rows, ii + 1, item, grow=1.0) for ii, item in enumerate(items)]
        gap = 2.0 if dense else ITEM_GAP
        if split and len(listed) > 1:
            half = (len(listed) + 1) // 2
            body: Node = Row([Column(listed[:half], gap=gap), Column(listed[half:], gap=gap)], gap=24.0)
        else:
            body = Column(listed, gap=gap)
        parts = [heading, body] if rows is not None else [heading, body, Space(flex=1.0)]
        padding = (16.0, 12.0, 16.0, 12.0) if dense else (24.0, 22.0, 24.0, 22.0)
        node = CardNode(Column(parts, gap=8.0 if dense else 18.0), theme.colour("surface"), accent=colour,
                        padding=padding)
        return ListCard(column, ci, node, items)

    @staticmethod
    def _sync(rows: list[list[Node]], k: int, node: Node, grow: float = 0.0) -> Synced:
        while len(rows) <= k:
            rows.append([])
        rows[k].append(node)
        return Synced(node, rows[k], grow)

    def _arrangements(self) -> list:
        n = len(self.model.columns)
        columns = self.model.columns

        def make(kind: str, *, role: str = "label", split: bool = False, dense: bool = False):
            def build() -> Node:
                rows: list[list[Node]] | None = [] if kind == "aligned" else None
                cards = [self._list_card(c, ci, role=role, split=split, dense=dense, rows=rows)
                         for ci, c in enumerate(columns)]
                nodes = [c.node for c in cards]
                gap = CARD_GAP * (0.6 if dense else 1.0)
                if kind == "aligned":
                    node: Node = Grid(nodes, n, gap=gap)
                elif kind == "weighted":
                    # a column of long items gets more of the width than one of short ones: each
                    # gets its card's own room, then the rest in proportion to its longest item
                    weights = [max(self._longest(c), 1.0) for c in columns]
                    room = [max(0.0, card.natural_width() - w) for card, w in zip(nodes, weights, strict=True)]
                    node = Row(nodes, gap=gap, basis=room, grow=weights)
                else:
                    node = Column([Space(flex=1.0), Grid(nodes, 1, gap=gap), Space(flex=1.0)])
                self._built.append((node, cards))
                return node

            return build

        # larger items where there is room (legible from further away), then tighter arrangements
        stacked = [make("stacked", role="title"), make("stacked"), make("stacked", dense=True),
                   make("stacked", split=True, dense=True)]
        if self.ctx.portrait or n == 1:
            return stacked
        return [make("aligned", role="title"), make("aligned"), make("aligned", dense=True),
                make("weighted", dense=True), *stacked]

    def _longest(self, column: ListColumn) -> float:
        """One-line width of a column's longest item (how much room the column would like)."""
        style = self.style("label")
        return max(natural_width(self.tr(item), style) for item in column.items)

    def build_body(self, rect: QRectF) -> None:
        self._built: list[tuple[Node, list[ListCard]]] = []
        chosen = self.place_body(self._arrangements(), rect)
        self.cards = next(cards for node, cards in self._built if node is chosen)
        self._built = []
        self.taps_to_details((card.column.key, card.node.item, card.node.item.rect)
                             for card in self.cards if card.node.item is not None)

    # -- animation ---------------------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        for card in self.cards:
            start = self.column_start(card.index)
            item = card.node.item
            a = ease_out(phase(t_ms, start, COLUMN_MS))
            if item is not None:
                item.setOpacity(a)
                item.setPos(0, 40 * (1 - a))
            for ii, row in enumerate(card.items):
                b = ease_out(phase(t_ms, start + ITEMS_DELAY_MS + ii * ITEM_STAGGER_MS, ITEM_MS))
                if row.item is not None:
                    row.item.setOpacity(b)
                    row.item.setPos(-24 * (1 - b), 0)

    # -- for tests ---------------------------------------------------------------------------
    def revealed_columns(self) -> int:
        """How many columns are fully shown."""
        return sum(1 for c in self.cards if c.node.item is not None and c.node.item.opacity() >= 0.999)

    def card_items(self) -> list[Card]:
        """The column cards as placed."""
        return [c.node.item for c in self.cards if c.node.item is not None]


def _field(name: str):
    def tag(item: TextItem) -> None:
        item.field = name

    return tag
