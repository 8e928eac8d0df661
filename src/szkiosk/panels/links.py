"""Four chains as interlocking links that close together; tap a link for what it means."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.content.panel_types import LinksPanelModel
from szkiosk.kit.items import ALIGN_CENTER, TapArea, TextBox, retain
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.panels.chain import Explanation, TapToExplain

VCENTER = Qt.AlignmentFlag.AlignVCenter
CLOSE_MS = 1300.0
WAVE_MS = 180.0


class LinkShape(QGraphicsObject):
    """One chain link: a thick stadium outline; optionally only the part inside ``clip``.

    The clipped copy is laid over the next link so the pair looks interlocked (over at one
    crossing, under at the other).
    """

    def __init__(self, rect: QRectF, colour: QColor, width: float, *, clip: QRectF | None = None,
                 parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self._colour = QColor(colour)
        self._width = width
        self._clip = clip

    def set_colour(self, colour: QColor) -> None:
        """Repaint in ``colour`` (the glow wave)."""
        if colour != self._colour:
            self._colour = QColor(colour)
            self.update()

    def boundingRect(self) -> QRectF:
        pad = self._width / 2 + 2
        return self._rect.adjusted(-pad, -pad, pad, pad)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._clip is not None:
            painter.setClipRect(self._clip)
        painter.setPen(QPen(self._colour, self._width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = min(self._rect.width(), self._rect.height()) / 2
        painter.drawRoundedRect(self._rect, r, r)


class LinksPanel(TapToExplain, Panel):
    """Links slide together and interlock, a glow runs along the chain, names fade in."""

    model: LinksPanelModel

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return CLOSE_MS + len(self.model.links) * WAVE_MS + 900

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        n = len(m.links)
        portrait = self.ctx.portrait
        self.background = TapArea(QRectF(0, 0, self.width, self.height), lambda: self.select(None), self)
        self.background.setZValue(-1)
        self.background.setCursor(Qt.CursorShape.ArrowCursor)
        pen = 30.0
        if portrait:
            lw, lh, overlap = 320.0, min(400.0, (rect.height() + 300) / 4 - 10), 100.0
            total = n * lh - (n - 1) * overlap
            x0, y0 = rect.left() + pen / 2, rect.top() + max(0.0, (rect.height() - total) / 2)
        else:
            lw, lh, overlap = 460.0, 270.0, 110.0
            total = n * lw - (n - 1) * overlap
            x0, y0 = rect.left() + (rect.width() - total) / 2, rect.top() + pen / 2 + 6
        self.shapes: list[LinkShape] = []
        self.patches: list[LinkShape] = []
        self.names: list[TextBox] = []
        self.taps: list[TapArea] = []
        for i, link in enumerate(m.links):
            if portrait:
                box = QRectF(x0, y0 + i * (lh - overlap), lw, lh)
                hole = box.adjusted(pen, overlap * (i > 0) + pen / 2, -pen, -(overlap * (i < n - 1)) - pen / 2)
            else:
                box = QRectF(x0 + i * (lw - overlap), y0, lw, lh)
                hole = box.adjusted(overlap * (i > 0) + pen / 2, pen, -(overlap * (i < n - 1)) - pen / 2, -pen)
            shape = LinkShape(box, theme.series(i), pen, parent=self)
            shape.setZValue(i)
            self.shapes.append(shape)
            if i < n - 1:
                if portrait:
                    clip = QRectF(box.left() - pen, box.bottom() - overlap - pen, lw / 2 + pen, overlap + 2 * pen)
                else:
                    clip = QRectF(box.right() - overlap - pen, box.center().y(), overlap + 2 * pen, lh / 2 + pen)
                patch = LinkShape(box, theme.series(i), pen, clip=clip, parent=self)
                patch.setZValue(n + i)
                self.patches.append(patch)
            name = TextBox(self.tr(link.name), theme.font("body", 1.0, bold=True), theme.colour("text"),
                           hole, align=ALIGN_CENTER, valign=VCENTER, max_lines=3, min_scale=0.85, parent=self)
            name.setZValue(2 * n)
            self.names.append(name)
            self.taps.append(TapArea(box, lambda i=i: self.select(i), self))
            self.taps[-1].setZValue(3 * n)
        if portrait:
            side = QRectF(rect.left() + lw + pen + 40, rect.top(), rect.width() - lw - pen - 40, rect.height())
            self.statement = TextBox(self.tr(m.statement), theme.font("body", 1.0), theme.colour("text"),
                                     QRectF(side.left(), side.top(), side.width(), side.height() - 330),
                                     min_scale=0.85, parent=self)
            top = side.top() + self.statement.used_height + 40
            self.explanation = Explanation(self, QRectF(side.left(), top, side.width(), 260), self.tr(m.hint))
        else:
            y = y0 + lh + pen / 2 + 30
            self.explanation = Explanation(self, QRectF(rect.left(), y, rect.width(), 120), self.tr(m.hint))
            y += 150
            self.statement = TextBox(self.tr(m.statement), theme.font("body", 1.0), theme.colour("text"),
                                     QRectF(rect.left(), y, rect.width(), rect.bottom() - y),
                                     min_scale=0.85, parent=self)
        self._axis = (0.0, 1.0) if portrait else (1.0, 0.0)
        self.select(getattr(self, "_selected", None))

    # -- interaction -------------------------------------------------------------
    def select(self, index: int | None) -> None:
        """Show what link ``index`` means (None: hide the card)."""
        self._selected = index
        if index is None:
            self.explanation.show(None, "", "")
        else:
            link = self.model.links[index]
            self.explanation.show(index, self.tr(link.name), self.tr(link.meaning))


    # -- animation ---------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        theme = self.ctx.theme
        n = len(self.shapes)
        close = ease_out(phase(t_ms, 0, CLOSE_MS))
        ax, ay = self._axis
        for i, shape in enumerate(self.shapes):
            spread = (i - (n - 1) / 2) * 90 * (1 - close)
            shape.setPos(ax * spread, ay * spread)
            shape.setOpacity(min(1.0, 0.2 + close))
            if i < len(self.patches):
                self.patches[i].setPos(shape.pos())
                self.patches[i].setOpacity(shape.opacity())
            self.taps[i].setPos(shape.pos())
            # a glow runs along the chain once it has closed
            w = phase(t_ms, CLOSE_MS + i * WAVE_MS, 2 * WAVE_MS + 200)
            glow = 1.0 - abs(2 * w - 1) if 0 < w < 1 else 0.0
            colour = theme.series(i)
            colour = colour.lighter(100 + round(45 * glow))
            shape.set_colour(colour)
            if i < len(self.patches):
                self.patches[i].set_colour(colour)
            self.names[i].setOpacity(ease_out(phase(t_ms, CLOSE_MS - 200 + i * WAVE_MS, 400)))
            self.names[i].setPos(shape.pos())
        s = ease_out(phase(t_ms, CLOSE_MS + n * WAVE_MS, 600))
        self.statement.setOpacity(s)

    def link_offsets(self) -> list[float]:
        """How far each link is from its interlocked place (tests)."""
        return [abs(s.pos().x()) + abs(s.pos().y()) for s in self.shapes]
