"""Chains as interlocking links that close together; tap a link for what it means.

The links are sized from their names: a name sits in the straight part of its link's hole,
clear of its own ends and of the neighbours' ends that loop through them. In a row when the
names fit side by side (landscape), else in a column beside the text (portrait).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.content.panel_types import LinksPanelModel
from szkiosk.kit.items import TapArea, retain
from szkiosk.kit.layout import Column, Node, Row
from szkiosk.kit.text import ALIGN_CENTER, TextItem, lay_out, natural_width, widest_word
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.panels.chain import Explanation, TapToExplain

VCENTER = Qt.AlignmentFlag.AlignVCenter
#: The links slide together over this long, then a glow runs along them, one link at a time.
CLOSE_MS = 700.0
WAVE_MS = 120.0
GLOW_MS = 320.0
NAME_MS = 350.0
#: The statement and the hint follow once the links have closed.
TEXT_MS = 400.0
#: How far apart the links start (px per step from the middle).
SPREAD = 90.0
#: Stroke width of a link, and the air between a name and the stroke around it.
PEN = 30.0
PAD = 12.0
#: Height of a horizontal link as a share of its width (flatter when names need the room),
#: and how far neighbours loop into each other, as a share of the link's short side.
ASPECTS = (0.56, 0.45)
OVERLAP = 0.42
#: In a column the links loop deeper (just short of a full end), which saves height.
OVERLAP_TALL = 0.48
#: A link is never wider than this (landscape), nor taller than this many times its width (portrait).
MAX_LINK = 520.0
MAX_TALL = 2.4
#: A link in a column is at least this many times its name's font size wide.
MIN_LINK_EM = 6.0


class LinkShape(QGraphicsObject):
    """One chain link: a thick stadium outline; optionally only the part inside ``clip``.

    The clipped copy is laid over the next link so the pair looks interlocked (over at one
    crossing, under at the other). The whole link reports its stroke to the audit.
    """

    def __init__(self, rect: QRectF, colour: QColor, width: float, *, clip: QRectF | None = None,
                 parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self._colour = QColor(colour)
        self._width = width
        self._clip = clip
        self._fill: QColor | None = None

    @property
    def rect(self) -> QRectF:
        """The stadium's rectangle (the centre line of its stroke)."""
        return QRectF(self._rect)

    def set_colour(self, colour: QColor) -> None:
        """Repaint in ``colour`` (the glow wave)."""
        if colour != self._colour:
            self._colour = QColor(colour)
            self.update()

    def set_fill(self, colour: QColor | None) -> None:
        """Tint the link's hole (the link a visitor tapped), or clear it."""
        self._fill = QColor(colour) if colour is not None else None
        self.update()

    def audit_marks(self) -> list[QRectF]:
        """The stroke as the audit sees it: both long sides, and each rounded end as a whole box.

        Only the uncut link reports (its clipped copy draws the same stroke again).
        """
        if self._clip is not None:
            return []
        r, p = min(self._rect.width(), self._rect.height()) / 2, self._width / 2
        b = self._rect
        if b.width() >= b.height():
            return [QRectF(b.left() + r, b.top() - p, b.width() - 2 * r, 2 * p),
                    QRectF(b.left() + r, b.bottom() - p, b.width() - 2 * r, 2 * p),
                    QRectF(b.left() - p, b.top() - p, r + p, b.height() + 2 * p),
                    QRectF(b.right() - r, b.top() - p, r + p, b.height() + 2 * p)]
        return [QRectF(b.left() - p, b.top() + r, 2 * p, b.height() - 2 * r),
                QRectF(b.right() - p, b.top() + r, 2 * p, b.height() - 2 * r),
                QRectF(b.left() - p, b.top() - p, b.width() + 2 * p, r + p),
                QRectF(b.left() - p, b.bottom() - r, b.width() + 2 * p, r + p)]

    def boundingRect(self) -> QRectF:
        pad = self._width / 2 + 2
        return self._rect.adjusted(-pad, -pad, pad, pad)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._clip is not None:
            painter.setClipRect(self._clip)
        painter.setPen(QPen(self._colour, self._width))
        painter.setBrush(self._fill if self._fill is not None else Qt.BrushStyle.NoBrush)
        r = min(self._rect.width(), self._rect.height()) / 2
        painter.drawRoundedRect(self._rect, r, r)


@dataclass
class LinkChain(Node):
    """The interlocking links with their names, in a row or (``vertical``) a column."""

    panel: LinksPanel
    names: Sequence[str]
    vertical: bool
    aspect: float = ASPECTS[0]
    #: In a column: links as narrow as the widest word (names on more lines), which saves height.
    narrow: bool = False
    #: Role of the names (a column of links has the room for "title").
    role: str = "label"
    flex: float = 1.0
    shapes: list[LinkShape] = field(default_factory=list, init=False, repr=False)
    patches: list[LinkShape] = field(default_factory=list, init=False, repr=False)
    name_items: list[TextItem] = field(default_factory=list, init=False, repr=False)
    taps: list[TapArea] = field(default_factory=list, init=False, repr=False)

    def _style(self):
        return self.panel.style(self.role)

    def _word(self) -> float:
        return max((widest_word(t, self._style()) for t in self.names), default=0.0)

    def _line(self) -> float:
        return max((natural_width(t, self._style()) for t in self.names), default=0.0)

    def _name_height(self, width: float) -> float:
        return max((lay_out(t, self._style(), width).height for t in self.names), default=0.0)

    # -- a row of links ---------------------------------------------------------------------
    def _span(self) -> float:
        """Total width of the row as a multiple of one link's width."""
        n = len(self.names)
        return n - (n - 1) * OVERLAP * self.aspect

    def _row_link(self, width: float) -> float:
        """Width of one link in a row ``width`` wide."""
        return min(MAX_LINK, width / self._span())

    def _inside(self, w: float, h: float) -> float:
        """Width of the straight part of a link's hole, less the air around a name."""
        return max(0.0, w - h) - 2 * PAD

    # -- a column of links -------------------------------------------------------------------
    def _column_link(self) -> float:
        """Width of one link in a column: room for the longest name on one line (or, ``narrow``,
        for the widest word)."""
        text = self._word() if self.narrow else max(self._word(), min(self._line(), 2.2 * self._word()))
        # never a thin ring around a short name: at least ``MIN_LINK_EM`` of the name's size
        return max(text + PEN + 2 * PAD, MIN_LINK_EM * self._style().px)

    def min_height(self, width: float) -> float:
        if self.vertical:
            w = self._column_link()
            inner = self._name_height(w - PEN - 2 * PAD) + 2 * PAD
            h = w + inner
            n = len(self.names)
            return n * h - (n - 1) * OVERLAP_TALL * w + PEN
        w = self._row_link(width)
        return w * self.aspect + PEN

    def min_width(self) -> float:
        if self.vertical:
            return self._column_link() + PEN
        # the widest word must fit the straight part of the hole
        w = (self._word() + 2 * PAD) / (1 - self.aspect)
        return w * self._span() + PEN

    def natural_width(self) -> float:
        return self.min_width()

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        theme = self.panel.ctx.theme
        n = len(self.names)
        boxes: list[QRectF] = []
        holes: list[QRectF] = []
        if self.vertical:
            w = self._column_link()
            o = OVERLAP_TALL * w
            h = min(MAX_TALL * w, (rect.height() - PEN + (n - 1) * o) / n)
            total = n * h - (n - 1) * o
            x0 = rect.left() + PEN / 2
            y0 = rect.top() + PEN / 2 + max(0.0, (rect.height() - PEN - total) / 2)
            for i in range(n):
                box = QRectF(x0, y0 + i * (h - o), w, h)
                boxes.append(box)
                holes.append(QRectF(box.left() + PEN / 2 + PAD, box.top() + w / 2 + PAD,
                                    w - PEN - 2 * PAD, h - w - 2 * PAD))
        else:
            w = self._row_link(rect.width() - PEN)
            h = w * self.aspect
            o = OVERLAP * h
            total = n * w - (n - 1) * o
            x0 = rect.left() + (rect.width() - total) / 2
            y0 = rect.top() + (rect.height() - h) / 2
            for i in range(n):
                box = QRectF(x0 + i * (w - o), y0, w, h)
                boxes.append(box)
                holes.append(QRectF(box.left() + h / 2 + PAD, box.top() + PEN / 2 + PAD,
                                    self._inside(w, h), h - PEN - 2 * PAD))
        for i, (box, hole) in enumerate(zip(boxes, holes, strict=True)):
            shape = LinkShape(box, theme.series(i), PEN, parent=parent)
            shape.setZValue(i)
            shape.field = f"links[{i}]"
            self.shapes.append(shape)
            if i < n - 1:
                if self.vertical:
                    clip = QRectF(box.left() - PEN, box.bottom() - o - PEN, w / 2 + PEN, o + 2 * PEN)
                else:
                    clip = QRectF(box.right() - o - PEN, box.center().y(), o + 2 * PEN, h / 2 + PEN)
                patch = LinkShape(box, theme.series(i), PEN, clip=clip, parent=parent)
                patch.setZValue(n + i)
                self.patches.append(patch)
            name = TextItem(self.names[i], self._style(), hole, align=ALIGN_CENTER, valign=VCENTER,
                            group="link-name", parent=parent)
            name.field = f"links[{i}].name"
            name.setZValue(2 * n)
            self.name_items.append(name)
            tap = TapArea(box, lambda i=i: self.panel.select(i), parent)
            tap.label = self.names[i]  # the reach bar repeats the control under this name
            tap.setZValue(3 * n)
            self.taps.append(tap)


class LinksPanel(TapToExplain, Panel):
    """Links slide together and interlock, a glow runs along the chain, names fade in."""

    model: LinksPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        n = len(self.model.links)
        return max(self.text_start() + TEXT_MS, CLOSE_MS + (n - 1) * WAVE_MS + GLOW_MS)

    def text_start(self) -> float:
        """When the statement and the hint start to appear: once the links have closed."""
        return CLOSE_MS

    # -- layout -------------------------------------------------------------------------------
    def _arrangement(self, *, vertical: bool, aspect: float = ASPECTS[0], compact: bool = False,
                     narrow: bool = False) -> Callable[[], Node]:
        def make() -> Node:
            m = self.model
            role = "title" if vertical and not narrow else "label"
            chain = LinkChain(self, [self.tr(link.name) for link in m.links], vertical, aspect, narrow, role)
            # beside a column of links the statement has a column of its own: set it larger
            statement = self.text(m.statement, "title" if vertical and not narrow else "body", field="statement")
            entries = [(self.tr(link.name), self.tr(link.meaning)) for link in m.links]
            explanation = Explanation(self, self.tr(m.hint), entries, name_field="links[{i}].name",
                                      meaning_field="links[{i}].meaning", below=[statement] if compact else ())
            rest: list[Node] = [explanation] if compact else [statement, explanation]
            if vertical:
                side = Column(rest, gap=40, justify="center")
                face: Node = Row([chain, side], gap=48, basis=["natural", 0.0], grow=[0.0, 1.0])
            else:
                chain.flex = 0.0  # a row of links is as large as its width allows: centre the face instead
                face = Column([chain, *rest], gap=40, justify="center")
            face.parts = (chain, explanation, statement)  # type: ignore[attr-defined]
            return face

        return make

    def build_body(self, rect: QRectF) -> None:
        self.add_background_tap()
        arrange = self._arrangement
        if self.ctx.portrait:
            options = [arrange(vertical=True), arrange(vertical=True, narrow=True),
                       arrange(vertical=True, narrow=True, compact=True)]
        else:
            options = [arrange(vertical=False), arrange(vertical=False, aspect=ASPECTS[1]),
                       arrange(vertical=False, compact=True), arrange(vertical=False, aspect=ASPECTS[1], compact=True),
                       arrange(vertical=True), arrange(vertical=True, narrow=True),
                       arrange(vertical=True, narrow=True, compact=True)]
        face = self.place_body(options, rect)
        self.chain, self.explanation, statement = face.parts  # type: ignore[attr-defined]
        self.shapes = self.chain.shapes
        self.patches = self.chain.patches
        self.names = self.chain.name_items
        self.taps = self.chain.taps
        self.statement = statement.item
        self._axis = (0.0, 1.0) if self.chain.vertical else (1.0, 0.0)
        self.select(self._selected)

    # -- interaction -------------------------------------------------------------------------
    def select(self, index: int | None) -> None:
        """Show what link ``index`` means (None: hide the card)."""
        self._selected = index
        explanation = getattr(self, "explanation", None)
        if explanation is not None:
            explanation.show(index)
        theme = self.ctx.theme
        for i, shape in enumerate(getattr(self, "shapes", [])):
            shape.set_fill(theme.colour(f"palette:{i}", 0.22) if i == index else None)

    # -- animation ---------------------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        theme = self.ctx.theme
        n = len(self.shapes)
        close = ease_out(phase(t_ms, 0, CLOSE_MS))
        ax, ay = self._axis
        for i, shape in enumerate(self.shapes):
            spread = (i - (n - 1) / 2) * SPREAD * (1 - close)
            shape.setPos(ax * spread, ay * spread)
            shape.setOpacity(min(1.0, 0.2 + close))
            if i < len(self.patches):
                self.patches[i].setPos(shape.pos())
                self.patches[i].setOpacity(shape.opacity())
            self.taps[i].setPos(shape.pos())
            # a glow runs along the chain as it closes
            w = phase(t_ms, CLOSE_MS - GLOW_MS / 2 + i * WAVE_MS, GLOW_MS)
            glow = 1.0 - abs(2 * w - 1) if 0 < w < 1 else 0.0
            colour = theme.series(i).lighter(100 + round(45 * glow))
            shape.set_colour(colour)
            if i < len(self.patches):
                self.patches[i].set_colour(colour)
            self.names[i].setOpacity(ease_out(phase(t_ms, CLOSE_MS - 300 + i * WAVE_MS, NAME_MS)))
            self.names[i].setPos(shape.pos())
        s = ease_out(phase(t_ms, self.text_start(), TEXT_MS))
        if self.statement is not None:
            self.statement.setOpacity(s)
        if self.explanation.slot is not None:
            self.explanation.slot.setOpacity(s)

    def link_offsets(self) -> list[float]:
        """How far each link is from its interlocked place (tests)."""
        return [abs(s.pos().x()) + abs(s.pos().y()) for s in self.shapes]
