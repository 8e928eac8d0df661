"""Layout from rules: panels declare rows, columns, grids and cards; the layout measures text
and places items.

A node answers two questions, *how tall must you be at this width* (:meth:`Node.min_height`)
and *how narrow can you be without breaking a word* (:meth:`Node.min_width`), and then
places its Qt items in a rectangle (:meth:`Node.place`). Spare height goes to nodes with a
``flex`` share (charts, maps, spacers) up to the most each is worth (:meth:`Node.max_height`:
a chart's sensible aspect, a card's bounded air); what none of them takes is placed by the
column's ``justify`` (centred, spread, even air), so a group never huddles at the top of a void.
Text never shrinks. When a layout does not fit, :func:`choose` takes the next arrangement a
panel offers (more rows, a portrait stack, fewer items on the face), so panels describe
structure, not pixel positions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.kit.items import Card as CardItem
from szkiosk.kit.text import ALIGN_LEFT, TextItem, TextStyle, lay_out, natural_width, widest_word

#: An item of :func:`pages_that_fit`.
T = TypeVar("T")

log = logging.getLogger(__name__)


class Node:
    """Something a layout places: text, a card, a chart, a group of nodes."""

    #: Share of spare height this node takes in a column (0 = only what it needs).
    flex: float = 0.0

    def min_height(self, width: float) -> float:
        """Height this node needs at ``width``."""
        raise NotImplementedError

    def min_width(self) -> float:
        """Narrowest width at which nothing breaks inside a word."""
        return 0.0

    def natural_width(self) -> float:
        """Width this node would like on one line (defaults to its minimum)."""
        return self.min_width()

    def max_height(self, width: float) -> float | None:
        """The tallest this node is worth being at ``width`` (None: any height).

        A node without ``flex`` takes no spare height, so its most is its least; a flex node
        takes any unless it says otherwise (a chart at its widest sensible aspect).
        """
        return None if self.flex > 0 else self.min_height(width)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        """Create this node's items inside ``rect`` (parent coordinates)."""
        raise NotImplementedError


def _cap(value: float | None) -> float:
    return float("inf") if value is None else value


def _bounded(parts: Sequence[float | None]) -> list[float] | None:
    """``parts`` when every one is bounded, else None."""
    return None if any(p is None for p in parts) else [p for p in parts if p is not None]


def share_out(spare: float, wants: Sequence[tuple[float, float]]) -> tuple[list[float], float]:
    """Spare height shared by ``(flex, room)`` claimants in proportion to flex, none beyond its
    room; returns each one's share and what none could take."""
    shares = [0.0] * len(wants)
    active = [i for i, (f, room) in enumerate(wants) if f > 0 and room > 0]
    left = spare
    while active and left > 1e-6:
        total = sum(wants[i][0] for i in active)
        full = [i for i in active if wants[i][1] - shares[i] <= left * wants[i][0] / total]
        if not full:
            for i in active:
                shares[i] += left * wants[i][0] / total
            return shares, 0.0
        for i in full:
            left -= wants[i][1] - shares[i]
            shares[i] = wants[i][1]
            active.remove(i)
    return shares, max(0.0, left)


# -- leaves -----------------------------------------------------------------------------------
@dataclass
class Text(Node):
    """A text item of one role; as tall as its lines at the width it gets."""

    text: str
    style: TextStyle
    align: Qt.AlignmentFlag = ALIGN_LEFT
    valign: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignTop
    max_lines: int | None = None
    group: str | None = None
    #: Filled in by :meth:`place`: the item drawn.
    item: TextItem | None = field(default=None, init=False, repr=False)
    on_place: Callable[[TextItem], None] | None = None

    def min_height(self, width: float) -> float:
        if not self.text:
            return 0.0
        lay = lay_out(self.text, self.style, width)
        n = len(lay.lines) if self.max_lines is None else min(len(lay.lines), self.max_lines)
        return lay.step * (n - 1) + lay.ascent + lay.descent if n else 0.0

    def min_width(self) -> float:
        return widest_word(self.text, self.style) if self.text else 0.0

    def natural_width(self) -> float:
        return natural_width(self.text, self.style) if self.text else 0.0

    def lines_at(self, width: float) -> int:
        """How many lines the text takes at ``width``."""
        return len(lay_out(self.text, self.style, width).lines) if self.text else 0

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        if not self.text:
            return
        self.item = TextItem(self.text, self.style, rect, align=self.align, valign=self.valign,
                             max_lines=self.max_lines, group=self.group, parent=parent)
        if self.on_place is not None:
            self.on_place(self.item)


@dataclass
class Visual(Node):
    """A chart, map or drawing: at least ``min_w`` x ``min_h``, grows by ``flex``.

    ``build(rect, parent)`` creates its items when it is placed. It grows no taller than
    ``max_h`` nor than ``aspect`` times its width (a line chart reads best about 4:3 or wider,
    ``aspect=0.75``); a column gives what it does not take to its other children or to its air.
    """

    build: Callable[[QRectF, QGraphicsItem], object]
    min_h: float = 120.0
    min_w: float = 120.0
    flex: float = 1.0
    #: Largest height worth giving it (a ring need not be taller than wide).
    max_h: float | None = None
    #: Largest height per unit of width (None: any).
    aspect: float | None = None
    result: object = field(default=None, init=False, repr=False)

    def min_height(self, width: float) -> float:
        return self.min_h

    def min_width(self) -> float:
        return self.min_w

    def max_height(self, width: float) -> float | None:
        if self.flex <= 0:
            return self.min_h
        limits = [v for v in (self.max_h, width * self.aspect if self.aspect is not None else None) if v is not None]
        return max(self.min_h, min(limits)) if limits else None

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        most = self.max_height(rect.width())
        if self.flex > 0 and most is not None and rect.height() > most:
            rect = QRectF(rect.left(), rect.top() + (rect.height() - most) / 2, rect.width(), most)
        self.result = self.build(rect, parent)


@dataclass
class Space(Node):
    """Fixed air, or (with ``flex``) a share of the spare height, at most ``max_h`` in all."""

    height: float = 0.0
    flex: float = 0.0
    max_h: float | None = None

    def min_height(self, width: float) -> float:
        return self.height

    def max_height(self, width: float) -> float | None:
        if self.flex <= 0:
            return self.height
        return None if self.max_h is None else max(self.height, self.max_h)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        """Nothing to draw."""


# -- groups -------------------------------------------------------------------------------------
@dataclass
class Column(Node):
    """Children stacked top to bottom with ``gap``; spare height goes to flex children (each
    up to its :meth:`~Node.max_height`), and what they leave to the air ``justify`` says:
    "start" (below), "center", "end" (above), "spread" (between the children) or "even" (equal
    air above, between and below). With ``fill`` the column itself takes any spare height its
    parent has (a region of the body whose group stands in its middle)."""

    children: Sequence[Node]
    gap: float = 0.0
    justify: str = "start"
    fill: bool = False

    def __post_init__(self) -> None:
        self.children = [c for c in self.children if c is not None]
        self.flex = max((c.flex for c in self.children), default=0.0)
        if self.fill:
            self.flex = max(self.flex, 1.0)

    def _visible(self, width: float) -> list[tuple[Node, float]]:
        return [(c, c.min_height(width)) for c in self.children]

    def min_height(self, width: float) -> float:
        parts = [h for _, h in self._visible(width)]
        gaps = self.gap * max(0, sum(1 for h in parts if h > 0) - 1)
        return sum(parts) + gaps

    def min_width(self) -> float:
        return max((c.min_width() for c in self.children), default=0.0)

    def natural_width(self) -> float:
        return max((c.natural_width() for c in self.children), default=0.0)

    def max_height(self, width: float) -> float | None:
        parts = _bounded([c.max_height(width) for c in self.children])
        if parts is None or self.fill:
            return None
        gaps = self.gap * max(0, sum(1 for c in self.children if c.min_height(width) > 0 or c.flex > 0) - 1)
        return max(self.min_height(width), sum(parts) + gaps)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        width = rect.width()
        parts = self._visible(width)
        shown = [(c, h) for c, h in parts if h > 0 or c.flex > 0]
        gaps = self.gap * max(0, len(shown) - 1)
        spare = rect.height() - sum(h for _, h in shown) - gaps
        extra = [0.0] * len(shown)
        left = spare
        if spare > 0:
            extra, left = share_out(spare, [(c.flex, _cap(c.max_height(width)) - h) for c, h in shown])
        y = rect.top()
        between = self.gap
        if left > 0.5:
            if self.justify == "center":
                y += left / 2
            elif self.justify == "end":
                y += left
            elif self.justify == "spread" and len(shown) > 1:
                between += left / (len(shown) - 1)
            elif self.justify == "even":
                y += left / (len(shown) + 1)
                between += left / (len(shown) + 1)
        for (child, h), more in zip(shown, extra, strict=True):
            h += more
            child.place(QRectF(rect.left(), y, width, h), parent)
            y += h + between


@dataclass
class Row(Node):
    """Children side by side with ``gap``. Each child gets ``basis`` px ("natural": its one-line
    width) plus a ``grow`` share of what is left; all get the row's full height."""

    children: Sequence[Node]
    gap: float = 0.0
    grow: Sequence[float] | None = None
    basis: Sequence[float | str] | None = None
    valign: str = "stretch"

    def __post_init__(self) -> None:
        self.children = list(self.children)
        n = len(self.children)
        self.grow = list(self.grow) if self.grow is not None else [1.0] * n
        self.basis = list(self.basis) if self.basis is not None else [0.0] * n
        self.flex = max((c.flex for c in self.children), default=0.0)

    def widths(self, width: float) -> list[float]:
        """The width each child gets at a row width of ``width``."""
        base = [c.natural_width() if b == "natural" else float(b)
                for c, b in zip(self.children, self.basis, strict=True)]
        spare = width - sum(base) - self.gap * max(0, len(self.children) - 1)
        total = sum(self.grow) or 1.0
        return [b + max(0.0, spare) * g / total for b, g in zip(base, self.grow, strict=True)]

    def min_height(self, width: float) -> float:
        return max((c.min_height(w) for c, w in zip(self.children, self.widths(width), strict=True)), default=0.0)

    def min_width(self) -> float:
        fixed = [c.natural_width() if b == "natural" else max(float(b), c.min_width())
                 for c, b in zip(self.children, self.basis, strict=True)]
        return sum(fixed) + self.gap * max(0, len(self.children) - 1)

    def natural_width(self) -> float:
        return sum(c.natural_width() for c in self.children) + self.gap * max(0, len(self.children) - 1)

    def max_height(self, width: float) -> float | None:
        parts = _bounded([c.max_height(w) for c, w in zip(self.children, self.widths(width), strict=True)])
        return None if parts is None else max([self.min_height(width), *parts])

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        x = rect.left()
        for child, w in zip(self.children, self.widths(rect.width()), strict=True):
            h = rect.height()
            top = rect.top()
            if self.valign != "stretch":
                need = child.min_height(w)
                if self.valign == "center":
                    top += (h - need) / 2
                elif self.valign == "end":
                    top += h - need
                h = need
            child.place(QRectF(x, top, w, h), parent)
            x += w + self.gap


@dataclass
class Grid(Node):
    """Children in ``columns`` equal columns, every row as tall as the tallest cell (siblings
    share one size), spare height shared by the rows when cells flex. A short last row is
    centred so the grid has no empty corner."""

    children: Sequence[Node]
    columns: int
    gap: float = 32.0
    row_gap: float | None = None
    center_last: bool = True

    def __post_init__(self) -> None:
        self.children = list(self.children)
        self.columns = max(1, min(self.columns, len(self.children) or 1))
        self.flex = max((c.flex for c in self.children), default=0.0)

    @property
    def rows(self) -> int:
        """Number of rows."""
        return -(-len(self.children) // self.columns)

    def cell_width(self, width: float) -> float:
        """Width of one column."""
        return (width - self.gap * (self.columns - 1)) / self.columns

    def cell_height(self, width: float) -> float:
        """Height of the tallest cell at ``width``: every row gets it."""
        w = self.cell_width(width)
        return max((c.min_height(w) for c in self.children), default=0.0)

    def min_height(self, width: float) -> float:
        rows = self.rows
        return self.cell_height(width) * rows + (self.row_gap if self.row_gap is not None else self.gap) * (rows - 1)

    def min_width(self) -> float:
        return max((c.min_width() for c in self.children), default=0.0) * self.columns + self.gap * (self.columns - 1)

    def cell_max_height(self, width: float) -> float | None:
        """The tallest a row is worth being (None: any): the most any of its cells is worth."""
        w = self.cell_width(width)
        parts = _bounded([c.max_height(w) for c in self.children])
        return None if parts is None else max([self.cell_height(width), *parts])

    def max_height(self, width: float) -> float | None:
        cell = self.cell_max_height(width)
        if cell is None:
            return None
        rows = self.rows
        return cell * rows + (self.row_gap if self.row_gap is not None else self.gap) * (rows - 1)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        rows = self.rows
        row_gap = self.row_gap if self.row_gap is not None else self.gap
        w = self.cell_width(rect.width())
        h = self.cell_height(rect.width())
        if self.flex > 0:
            h = max(h, min((rect.height() - row_gap * (rows - 1)) / rows, _cap(self.cell_max_height(rect.width()))))
        n = len(self.children)
        for i, child in enumerate(self.children):
            r, c = divmod(i, self.columns)
            in_row = min(self.columns, n - r * self.columns)
            offset = (self.columns - in_row) * (w + self.gap) / 2 if self.center_last else 0.0
            child.place(QRectF(rect.left() + offset + c * (w + self.gap), rect.top() + r * (h + row_gap), w, h), parent)


@dataclass
class Masonry(Node):
    """Children of different heights in ``columns`` columns, each child going to the shortest
    column in reading order (the detail layer's sections, lists of uneven items)."""

    children: Sequence[Node]
    columns: int
    gap: float = 32.0
    row_gap: float = 24.0

    def __post_init__(self) -> None:
        self.children = list(self.children)
        self.columns = max(1, min(self.columns, len(self.children) or 1))

    def _assign(self, width: float) -> tuple[float, list[list[tuple[Node, float]]]]:
        w = (width - self.gap * (self.columns - 1)) / self.columns
        cols: list[list[tuple[Node, float]]] = [[] for _ in range(self.columns)]
        heights = [0.0] * self.columns
        for child in self.children:
            h = child.min_height(w)
            k = heights.index(min(heights))
            heights[k] += h + (self.row_gap if cols[k] else 0.0)
            cols[k].append((child, h))
        return w, cols

    def min_height(self, width: float) -> float:
        _, cols = self._assign(width)
        return max((sum(h for _, h in col) + self.row_gap * max(0, len(col) - 1) for col in cols), default=0.0)

    def min_width(self) -> float:
        return max((c.min_width() for c in self.children), default=0.0) * self.columns + self.gap * (self.columns - 1)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        w, cols = self._assign(rect.width())
        for k, col in enumerate(cols):
            y = rect.top()
            for child, h in col:
                child.place(QRectF(rect.left() + k * (w + self.gap), y, w, h), parent)
                y += h + self.row_gap


@dataclass
class Card(Node):
    """A surface with padding around one child; optional outline and accent bar on the left."""

    child: Node
    fill: QColor
    padding: tuple[float, float, float, float] = (32.0, 28.0, 32.0, 28.0)
    outline: QColor | None = None
    accent: QColor | None = None
    radius: float = 18.0
    #: Filled in by :meth:`place`.
    item: CardItem | None = field(default=None, init=False, repr=False)
    on_place: Callable[[CardItem], None] | None = None

    def __post_init__(self) -> None:
        self.flex = self.child.flex

    def _pad(self) -> tuple[float, float, float, float]:
        left, top, right, bottom = self.padding
        return left + (10.0 if self.accent is not None else 0.0), top, right, bottom

    def min_height(self, width: float) -> float:
        left, top, right, bottom = self._pad()
        return self.child.min_height(width - left - right) + top + bottom

    def min_width(self) -> float:
        left, _, right, _ = self._pad()
        return self.child.min_width() + left + right

    def natural_width(self) -> float:
        left, _, right, _ = self._pad()
        return self.child.natural_width() + left + right

    def max_height(self, width: float) -> float | None:
        left, top, right, bottom = self._pad()
        inner = self.child.max_height(width - left - right)
        return None if inner is None else inner + top + bottom

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self.item = CardItem(rect, self.fill, outline=self.outline, radius=self.radius, parent=parent)
        if self.accent is not None:
            CardItem(QRectF(rect.left(), rect.top(), 10, rect.height()), self.accent, radius=5, parent=self.item)
        left, top, right, bottom = self._pad()
        inner = rect.adjusted(left, top, -right, -bottom)
        self.child.place(inner, self.item)
        if self.on_place is not None:
            self.on_place(self.item)


@dataclass
class Breathe(Node):
    """A group that gains air in one rhythm: ``widen(amount)`` sets every space the group
    governs (paddings, gaps) for an amount from 0 to ``most``, and the group takes the largest
    amount that fits the height it is given. Its most is its height at ``most``, so a column
    places what is left by its ``justify``.

    One amount for all keeps cards side by side on one line and gives a stack one rhythm,
    where spreading spare height child by child would give each its own."""

    child: Node
    widen: Callable[[float], None]
    most: float
    flex: float = 1.0

    def _height(self, width: float, amount: float) -> float:
        self.widen(amount)
        h = self.child.min_height(width)
        self.widen(0.0)
        return h

    def min_height(self, width: float) -> float:
        return self._height(width, 0.0)

    def max_height(self, width: float) -> float | None:
        return self._height(width, self.most)

    def min_width(self) -> float:
        return self.child.min_width()

    def natural_width(self) -> float:
        return self.child.natural_width()

    def amount(self, rect: QRectF) -> float:
        """The largest amount whose height fits ``rect`` (at most ``most``)."""
        width = rect.width()
        if self._height(width, self.most) <= rect.height() + 0.5:
            return self.most
        lo, hi = 0.0, self.most
        for _ in range(16):  # the height grows with the amount: halve the interval
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if self._height(width, mid) <= rect.height() + 0.5 else (lo, mid)
        return lo

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self.widen(self.amount(rect))
        self.child.place(QRectF(rect.left(), rect.top(), rect.width(), self.child.min_height(rect.width())), parent)


# -- choosing an arrangement ------------------------------------------------------------------------
@dataclass(frozen=True)
class Fit:
    """How well a node fits a rectangle."""

    height: float
    width: float
    available: QRectF

    @property
    def ok(self) -> bool:
        """True when it fits both ways."""
        return self.height <= self.available.height() + 0.5 and self.width <= self.available.width() + 0.5

    @property
    def excess(self) -> float:
        """How much too tall or too wide (0 when it fits)."""
        return max(0.0, self.height - self.available.height()) + max(0.0, self.width - self.available.width())


def fit(node: Node, rect: QRectF) -> Fit:
    """Measure ``node`` against ``rect``."""
    return Fit(node.min_height(rect.width()), node.min_width(), rect)


def pages_that_fit(items: Iterable[T], fits: Callable[[list[T]], bool]) -> list[list[T]]:
    """``items`` in order, cut into runs (pages) each as long as ``fits`` still accepts it.

    A run of one item is kept even when it does not fit: nothing is ever left out.
    """
    pages: list[list[T]] = []
    current: list[T] = []
    for item in items:
        trial = [*current, item]
        if current and not fits(trial):
            pages.append(current)
            current = [item]
        else:
            current = trial
    if current:
        pages.append(current)
    return pages


def choose(alternatives: Sequence[Node | Callable[[], Node]], rect: QRectF, *, what: str = "") -> tuple[Node, Fit]:
    """The first arrangement that fits ``rect``; else the one that overflows least (logged).

    Alternatives may be nodes or functions that make one (built only when tried).
    """
    best: tuple[Node, Fit] | None = None
    for alt in alternatives:
        node = alt() if callable(alt) and not isinstance(alt, Node) else alt
        result = fit(node, rect)
        if result.ok:
            return node, result
        if best is None or result.excess < best[1].excess:
            best = (node, result)
    if best is None:
        raise ValueError("choose() needs at least one arrangement")
    log.info("layout %s: nothing fits %.0fx%.0f; using the closest (%.0f px over)", what or "?",
             rect.width(), rect.height(), best[1].excess)
    return best


def place(node: Node, rect: QRectF, parent: QGraphicsItem) -> Node:
    """Place ``node`` in ``rect`` under ``parent``; returns the node (for its items)."""
    node.place(rect, parent)
    return node
