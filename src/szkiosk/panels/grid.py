"""Groups of names as rows of chips that build in, e.g. the 20 industrial clusters.

Every chip's name is drawn at one size (its role's); chips are as wide as their names and flow
into as many rows as they need, each row filled edge to edge, so a long name never makes its
chip's text smaller and a short one leaves no hole. Groups stand side by side where they fit,
else one above the other. A group may have a heading (what its chips are); a tap on a group
opens its section of the detail layer (``key`` / ``about:``).

Where the body has room the chips and the air between them grow together, by one share for
every group and at most :data:`CHIP_GROW` (chips become tiles, the names centred in them), and
what is still left stands evenly above and below; on a tall stage the roomiest grid that fits
comes first (fewer chips a row, longer rows), so the chips fill the totem rather than huddle
in a band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.content.panel_types import GridGroup, GridPanelModel
from szkiosk.kit.items import Card
from szkiosk.kit.layout import Breathe, Node, Row, Space, Text
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column as ColumnNode
from szkiosk.kit.text import ALIGN_CENTER, TextItem
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.panels.columns import Synced

VCENTER = Qt.AlignmentFlag.AlignVCenter
#: Chips start this long after the panel arrives, one after another, each over CHIP_MS.
CHIPS_DELAY_MS = 150.0
CHIP_STAGGER_MS = 60.0
CHIP_SPAN_MS = 900.0
CHIP_MS = 300.0
HEAD_MS = 400.0
CHIP_GAP = 14.0
GROUP_GAP = 48.0
CHIP_PADDING = (22.0, 14.0, 20.0, 14.0)
DENSE_PADDING = (14.0, 6.0, 12.0, 6.0)
#: Most a chip row (and the air around it) grows where the body has room: this share of its height.
CHIP_GROW = 0.6


@dataclass
class Flow(Node):
    """Chips in reading order on an invisible grid of equal columns: a chip spans as many
    columns as its one-line name needs (a long name wraps inside one row's span when even the
    whole row is too narrow), rows are filled edge to edge, every chip of a row is as tall as
    the tallest. The number of columns is the one that needs the fewest rows (then the fewest
    columns, the calmer grid). Every name keeps its role's size: siblings share one size."""

    children: Sequence[Node]
    gap: float = CHIP_GAP
    row_gap: float = CHIP_GAP
    max_per_row: int | None = None
    #: Most columns of the invisible grid.
    max_units: int = 6
    #: False: chips just as wide as their names, each row's spare shared out evenly (packs
    #: tighter than the grid when room is short).
    snap: bool = True
    #: Share by which every row and every gap between rows is taller than it needs (set by
    #: the panel where the body has room).
    stretch: float = 0.0

    def __post_init__(self) -> None:
        self.children = list(self.children)
        self._cache: dict[float, list[tuple[list[int], list[float], float]]] = {}

    def _unit(self, width: float, units: int) -> float:
        return (width - self.gap * (units - 1)) / units

    def _span_width(self, width: float, units: int, span: int) -> float:
        return span * self._unit(width, units) + (span - 1) * self.gap

    def _rows(self, width: float, units: int) -> list[tuple[list[int], list[int]]]:
        """Greedy rows of (child indices, spans), every row's spans widened to fill it."""
        unit = self._unit(width, units)
        rows: list[tuple[list[int], list[int]]] = []
        used = units
        for i, child in enumerate(self.children):
            need = child.natural_width()
            span = units
            for k in range(1, units + 1):
                if self._span_width(width, units, k) + 0.5 >= need:
                    span = k
                    break
            full = self.max_per_row is not None and rows and len(rows[-1][0]) >= self.max_per_row
            if rows and not full and used + span <= units:
                rows[-1][0].append(i)
                rows[-1][1].append(span)
                used += span
            else:
                rows.append(([i], [span]))
                used = span
        del unit
        for row, spans in rows:
            # fill the row: spare columns go, one at a time, to the most cramped chip
            while sum(spans) < units:
                k = max(range(len(row)), key=lambda j: self.children[row[j]].natural_width()
                        / self._span_width(width, units, spans[j]))
                spans[k] += 1
        return rows

    def layout(self, width: float) -> list[tuple[list[int], list[float], float]]:
        """Rows at ``width``: (child indices, their widths, the row's height)."""
        key = round(width, 1)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        best: list[tuple[list[int], list[float], float]] | None = None
        best_height = float("inf")
        if not self.snap:
            best = self._free(width)
            self._cache[key] = best
            return best
        for units in range(1, max(1, self.max_units) + 1):
            if self._unit(width, units) < max((c.min_width() for c in self.children), default=0.0) and units > 1:
                break
            rows = []
            for row, spans in self._rows(width, units):
                widths = [self._span_width(width, units, k) for k in spans]
                height = max(self.children[i].min_height(w) for i, w in zip(row, widths, strict=True))
                rows.append((row, widths, height))
            height = sum(h for _, _, h in rows) + self.row_gap * max(0, len(rows) - 1)
            if height < best_height - 0.5:
                best, best_height = rows, height
        self._cache[key] = best or []
        return self._cache[key]

    def _free(self, width: float) -> list[tuple[list[int], list[float], float]]:
        rows: list[list[int]] = []
        used = 0.0
        for i, child in enumerate(self.children):
            w = min(child.natural_width(), width)
            full = self.max_per_row is not None and rows and len(rows[-1]) >= self.max_per_row
            if rows and not full and used + self.gap + w <= width + 0.5:
                rows[-1].append(i)
                used += self.gap + w
            else:
                rows.append([i])
                used = w
        out = []
        for row in rows:
            natural = [min(self.children[i].natural_width(), width) for i in row]
            spare = max(0.0, width - sum(natural) - self.gap * (len(row) - 1))
            widths = [w + spare / len(row) for w in natural]
            height = max(self.children[i].min_height(w) for i, w in zip(row, widths, strict=True))
            out.append((row, widths, height))
        return out

    def min_height(self, width: float) -> float:
        rows = self.layout(width)
        return (sum(h for _, _, h in rows) + self.row_gap * max(0, len(rows) - 1)) * (1.0 + self.stretch)

    def min_width(self) -> float:
        return max((c.min_width() for c in self.children), default=0.0)

    def natural_width(self) -> float:
        return sum(c.natural_width() for c in self.children) + self.gap * max(0, len(self.children) - 1)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        y = rect.top()
        grow = 1.0 + self.stretch
        for row, widths, height in self.layout(rect.width()):
            x = rect.left()
            for i, w in zip(row, widths, strict=True):
                self.children[i].place(QRectF(x, y, w, height * grow), parent)
                x += w + self.gap
            y += (height + self.row_gap) * grow


@dataclass
class ChipGroup:
    """One group's nodes and, once placed, its items."""

    group: GridGroup
    index: int
    node: Node
    heading: Text | None
    chips: list[CardNode] = field(default_factory=list)
    flow: Flow | None = None


class GridPanel(Panel):
    """Rows of chips per group, groups side by side or stacked; see the module docstring."""

    model: GridPanelModel

    # -- timing ------------------------------------------------------------------------------
    @property
    def chip_stagger_ms(self) -> float:
        """Pause between two chips: all of them are in within 1.5 s."""
        n = sum(len(g.names) for g in self.model.groups)
        return min(CHIP_STAGGER_MS, CHIP_SPAN_MS / max(1, n - 1))

    def _first_chip(self, gi: int) -> int:
        return sum(len(g.names) for g in self.model.groups[:gi])

    def group_start(self, gi: int) -> float:
        """When group ``gi`` starts to build (its heading; its chips follow)."""
        return self.stage_start(gi, self._first_chip(gi) * self.chip_stagger_ms)

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return max(self._group_end(gi) for gi in range(len(self.model.groups)))

    def _group_end(self, gi: int) -> float:
        natural = self._first_chip(gi) * self.chip_stagger_ms
        return natural + self.stage_length(gi)

    def stage_count(self) -> int:
        return len(self.model.groups)

    def stage_length(self, stage: int) -> float:
        n = len(self.model.groups[stage].names)
        return max(HEAD_MS, CHIPS_DELAY_MS + (n - 1) * self.chip_stagger_ms + CHIP_MS)

    # -- layout ------------------------------------------------------------------------------
    def _group(self, group: GridGroup, gi: int, *, role: str, dense: bool, floor: bool, snap: bool,
               headings: list[Node] | None = None) -> ChipGroup:
        """A group's heading and chips. ``dense``: less air in and between chips; ``floor``: the
        names at their role's smallest size (large text on a small stage, the last resort);
        ``headings``: groups side by side, whose headings take one height so their chips start
        on one line."""
        theme = self.ctx.theme
        colour = theme.series(gi)
        style = self.style(role, step=0.0 if floor else 1.0)
        padding = DENSE_PADDING if dense else CHIP_PADDING
        chips: list[CardNode] = []
        for k, name in enumerate(group.names):
            # a chip grown into a tile keeps its name in the middle
            label = Text(self.tr(name), style, align=ALIGN_CENTER, valign=VCENTER, group="grid-chip",
                         on_place=_field(f"groups[{gi}].names[{k}]"))
            chips.append(CardNode(label, theme.colour("surface"), accent=colour, padding=padding, radius=12.0))
        gap = CHIP_GAP * (0.7 if dense else 1.0)
        flow = Flow(chips, gap=gap, row_gap=gap, max_per_row=group.columns, snap=snap)
        heading = None
        parts: list[Node] = []
        if group.heading is not None:
            heading = self.text(group.heading, "title", colour, field=f"groups[{gi}].heading", group="grid-heading")
            if headings is not None:
                headings.append(heading)
                parts.append(Synced(heading, headings))
            else:
                parts.append(heading)
        parts.append(flow)
        return ChipGroup(group, gi, ColumnNode(parts, gap=12.0 if dense else 18.0), heading, chips, flow)

    def _arrangements(self) -> list:
        groups = self.model.groups

        def make(side_by_side: bool, role: str, dense: bool, floor: bool, snap: bool,
                 units: int | None = None):
            def build() -> Node:
                headings: list[Node] | None = [] if side_by_side else None
                made = [self._group(g, gi, role=role, dense=dense, floor=floor, snap=snap, headings=headings)
                        for gi, g in enumerate(groups)]
                flows = [c.flow for c in made if c.flow is not None]
                if units is not None:
                    for flow in flows:
                        flow.max_units = units
                nodes = [c.node for c in made]
                gap = GROUP_GAP * (0.6 if dense else 1.0)
                if side_by_side and len(nodes) > 1:
                    body: Node = Row(nodes, gap=gap)
                else:
                    body = ColumnNode(nodes, gap=gap)
                if not dense:
                    # where there is room every chip row and the air between the groups grow
                    # by one share: chips become tiles, the groups keep one rhythm
                    def widen(share: float, flows: list[Flow] = flows, body: Node = body, gap: float = gap) -> None:
                        for flow in flows:
                            flow.stretch = share
                        if isinstance(body, (Row, ColumnNode)):
                            body.gap = gap * (1.0 + share)

                    body = Breathe(body, widen, CHIP_GROW)
                parts: list[Node] = []
                if self.model.lead is not None:
                    parts += [self.text(self.model.lead, "body", "muted", field="lead"), Space(height=28.0)]
                node = ColumnNode([*parts, ColumnNode([body], justify="center", fill=True)])
                self._built.append((node, made))
                return node

            return build

        # one group under the other reads best (heading, then its chips); side by side saves height
        layouts = [False] if self.ctx.portrait else [False, True]
        # larger names on a calm grid where there is room; then less air, a tighter flow; the
        # role's smallest size last
        variants = [("title", False, False, True), ("label", False, False, True), ("label", True, False, True),
                    ("label", True, False, False), ("label", True, True, False)]
        roomy: list = []
        if self.ctx.portrait:
            # a totem has height to spare: first the roomiest grids (one, then two chips a row)
            # that fit at the largest names, so the chips fill it rather than huddle in a band
            roomy = [make(False, "title", False, False, True, units) for units in (1, 2)]
        return roomy + [make(side, role, dense, floor, snap) for role, dense, floor, snap in variants
                        for side in layouts]

    def build_body(self, rect: QRectF) -> None:
        self._built: list[tuple[Node, list[ChipGroup]]] = []
        chosen = self.place_body(self._arrangements(), rect)
        self.groups = next(made for node, made in self._built if node is chosen)
        self._built = []
        targets: list[tuple[str | None, QGraphicsItem | None, QRectF]] = []
        for group in self.groups:
            key = group.group.key
            targets += [(key, chip.item, chip.item.rect) for chip in group.chips if chip.item is not None]
            heading = group.heading.item if group.heading is not None else None
            if heading is not None:
                targets.append((key, heading, heading.box))
        self.taps_to_details(targets)

    # -- animation ---------------------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        for group in self.groups:
            start = self.group_start(group.index)
            if group.heading is not None and group.heading.item is not None:
                group.heading.item.setOpacity(ease_out(phase(t_ms, start, HEAD_MS)))
            for k, chip in enumerate(group.chips):
                a = ease_out(phase(t_ms, start + CHIPS_DELAY_MS + k * self.chip_stagger_ms, CHIP_MS))
                if chip.item is not None:
                    chip.item.setOpacity(a)
                    chip.item.setPos(0, 16 * (1 - a))

    # -- for tests ---------------------------------------------------------------------------
    def shown_chips(self) -> int:
        """How many chips are fully in."""
        return sum(1 for g in self.groups for c in g.chips if c.item is not None and c.item.opacity() >= 0.999)

    def chip_items(self) -> list[Card]:
        """Every chip as placed."""
        return [c.item for g in self.groups for c in g.chips if c.item is not None]

    def chip_labels(self) -> list[TextItem]:
        """Every chip's name as drawn."""
        return [t for item in self.chip_items() for t in item.childItems() if isinstance(t, TextItem)]


def _field(name: str):
    def tag(item: TextItem) -> None:
        item.field = name

    return tag
