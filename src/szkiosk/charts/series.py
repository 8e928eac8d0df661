"""A bar or line chart of a sourced series, labelled the way a newsroom would print it.

* Bars start at zero; a line may crop to its range.
* No axes titles, no y axis: the unit is in the chart's title line (drawn by the panel) and
  values are labelled directly, coloured like their mark.
* Year labels are thinned by their measured width so they never touch; the first, the last
  and the highlighted year are always labelled.
* Value labels are placed by priority (highlight, last, first, then the rest) and dropped
  when they would touch another label or a mark.
* Missing years are gaps on the axis (their year is written, faint) and breaks in the line;
  a change of definition (``break_before``) breaks the line too.

pyqtgraph draws the marks (``BarGraphItem``, ``PlotDataItem``), created once and animated
through their data; labels are :class:`~szkiosk.kit.text.TextItem` so the layout audit sees
them. The chart reports its marks and frame to the audit (``audit_marks``/``audit_frame``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.charts.countup import format_number
from szkiosk.kit.items import retain
from szkiosk.kit.text import ALIGN_CENTER, TextItem, TextStyle, natural_width

pg.setConfigOptions(antialias=True, background=None, foreground="w")

#: Air between two labels, as a share of the label size.
LABEL_GAP = 0.45
#: Smallest plot height worth drawing (logical px), without the labels.
MIN_PLOT_H = 120.0
#: Width of a bar as a share of one year's slot.
BAR_WIDTH = 0.62


@dataclass(frozen=True)
class ChartStyle:
    """Colours and text styles a chart draws with (from the panel's theme)."""

    mark: QColor
    highlight: QColor
    axis: QColor
    label: TextStyle
    faint: TextStyle
    patterned: bool = False


def chart_min_size(values: Mapping[int, float | None], style: ChartStyle) -> tuple[float, float]:
    """Smallest (width, height) at which the chart stays legible: every year gets a slot at
    least as wide as the widest value label, and the plot at least :data:`MIN_PLOT_H`."""
    n = max(1, len(values))
    widest = max((natural_width(str(x), style.faint) for x in values), default=40.0)
    slot = max(widest * 0.7, 46.0)
    label_h = style.label.px * 1.2
    return slot * n, MIN_PLOT_H + 2 * label_h + 16


class _Frame(QGraphicsObject):
    """The chart's rectangle: parent of its labels, and the frame the audit checks them against."""

    def __init__(self, rect: QRectF, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.marks: list[QRectF] = []

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Draws nothing: the plot and labels are children."""

    def audit_frame(self) -> QRectF:
        """Marks and labels of the chart must stay inside this rectangle."""
        return QRectF(self._rect)

    def audit_marks(self) -> list[QRectF]:
        """Bars and points as drawn now (item coordinates)."""
        return [QRectF(r) for r in self.marks]


class _Baseline(QGraphicsItem):
    """The zero line under the bars (or the floor of a line chart)."""

    def __init__(self, line: QLineF, colour: QColor, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._line = QLineF(line)
        self._pen = QPen(colour, 2)

    def boundingRect(self) -> QRectF:
        return QRectF(self._line.p1(), self._line.p2()).normalized().adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(self._pen)
        painter.drawLine(self._line)


class SeriesChart:
    """A series drawn in ``rect`` under ``parent``; :meth:`set_progress` animates it."""

    def __init__(
        self,
        parent: QGraphicsItem,
        rect: QRectF,
        values: Mapping[int, float | None],
        *,
        kind: str,
        style: ChartStyle,
        language: str,
        highlight: int | None = None,
        decimals: int = 0,
        scale: float = 1.0,
        break_before: int | None = None,
        field: str = "",
    ) -> None:
        self.kind = kind
        self.style = style
        self.language = language
        self.field = field
        self.xs = np.array(list(values.keys()), dtype=float)
        self.present = np.array([v is not None for v in values.values()])
        self.ys = np.array([float(v) if v is not None else 0.0 for v in values.values()])
        self.highlight = highlight
        self.break_before = break_before
        self._scale = scale
        self._decimals = decimals
        self._progress = -1.0
        self.frame = _Frame(rect, parent)
        label_h = style.label.px * 1.2
        tick_h = style.faint.px * 1.2
        n = len(self.xs)
        self._slot = rect.width() / max(1, n)
        # plot area: room above for value labels, below for the years
        head = label_h + (18 if kind == "line" else 8)
        self.plot_rect = QRectF(rect.left(), rect.top() + head, rect.width(), rect.height() - head - tick_h - 14)
        top = float(self.ys[self.present].max()) if self.present.any() else 1.0
        bottom = 0.0
        if kind == "line" and self.present.any():
            lo = float(self.ys[self.present].min())
            if lo > 0.45 * top:  # crop a line whose values sit far above zero
                bottom = lo - (top - lo) * 0.25
        self._y0, self._y1 = bottom, top if top > bottom else bottom + 1.0
        self.plot = pg.PlotItem(enableMenu=False)
        self.plot.setParentItem(self.frame)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.layout.setContentsMargins(0, 0, 0, 0)
        self.plot.setGeometry(self.plot_rect)
        self.plot.setXRange(self.xs.min() - 0.5, self.xs.max() + 0.5, padding=0)
        self.plot.setYRange(self._y0, self._y1, padding=0)
        self.plot.disableAutoRange()
        self.plot.layout.activate()
        colours = [style.highlight if int(x) == highlight else style.mark for x in self.xs]
        self._colours = colours
        if kind == "bar":
            brushes = [pg.mkBrush(c) for c in colours]
            pens = [pg.mkPen(None)] * n
            if style.patterned:
                # high contrast: the highlighted bar is hatched and outlined, not only recoloured
                brushes = [QBrush(c, Qt.BrushStyle.BDiagPattern) if c == style.highlight else b
                           for c, b in zip(colours, brushes, strict=True)]
                pens = [pg.mkPen(style.highlight, width=3) if c == style.highlight else p
                        for c, p in zip(colours, pens, strict=True)]
            self.bars = pg.BarGraphItem(x=self.xs, height=np.zeros(n), width=BAR_WIDTH, brushes=brushes, pens=pens)
            self.plot.addItem(self.bars)
            self.lines: list[pg.PlotDataItem] = []
        else:
            self.bars = None
            self.lines = []
            for seg in self._segments():
                item = pg.PlotDataItem(pen=pg.mkPen(style.mark, width=6), symbol="o", symbolSize=18,
                                       symbolPen=pg.mkPen(None),
                                       symbolBrush=[pg.mkBrush(colours[i]) for i in seg])
                self.plot.addItem(item)
                self.lines.append(item)
        baseline_y = self._map(self.xs.min(), self._y0).y()
        _Baseline(QLineF(rect.left(), baseline_y, rect.right(), baseline_y), style.axis, self.frame)
        self.tick_labels = self._year_labels(rect)
        self.value_labels: dict[int, TextItem] = {}
        self._plan_value_labels(rect)
        self.set_progress(0.0)

    # -- geometry -----------------------------------------------------------------------------
    def _map(self, x: float, y: float) -> QPointF:
        """Data -> frame (parent) coordinates."""
        r = self.plot_rect
        fx = (x - (self.xs.min() - 0.5)) / (len(self.xs))
        fy = (y - self._y0) / (self._y1 - self._y0)
        return QPointF(r.left() + fx * r.width(), r.bottom() - fy * r.height())

    def _segments(self) -> list[list[int]]:
        """Runs of consecutive present points, cut at gaps and at a change of definition."""
        segs: list[list[int]] = []
        current: list[int] = []
        for i, x in enumerate(self.xs):
            cut = not self.present[i] or (self.break_before is not None and int(x) == self.break_before)
            if cut and current:
                segs.append(current)
                current = []
            if self.present[i]:
                current.append(i)
        if current:
            segs.append(current)
        return segs

    def _mark_rect(self, i: int, height: float) -> QRectF | None:
        """The drawn rectangle of mark ``i`` at ``height`` (None for a gap)."""
        if not self.present[i]:
            return None
        x = float(self.xs[i])
        if self.kind == "bar":
            if height <= self._y0:
                return None
            tl = self._map(x - BAR_WIDTH / 2, height)
            br = self._map(x + BAR_WIDTH / 2, self._y0)
            return QRectF(tl, br).normalized()
        p = self._map(x, height)
        return QRectF(p.x() - 10, p.y() - 10, 20, 20)

    # -- labels ---------------------------------------------------------------------------------
    def _year_labels(self, rect: QRectF) -> list[TextItem]:
        """Years under the axis, every ``k``-th so that none touch; first, last, highlight always."""
        style = self.style
        n = len(self.xs)
        widths = [natural_width(str(int(x)), style.faint) for x in self.xs]
        gap = style.faint.px * LABEL_GAP
        step = 1
        while step < n and max(widths) + gap > self._slot * step:
            step += 1
        must = {0, n - 1}
        if self.highlight is not None:
            must |= {i for i, x in enumerate(self.xs) if int(x) == self.highlight}
        chosen: list[int] = []
        for i in sorted(set(range(0, n, step)) | must):
            centre = self._map(float(self.xs[i]), self._y0).x()
            left = centre - widths[i] / 2
            if chosen:
                prev = chosen[-1]
                prev_right = self._map(float(self.xs[prev]), self._y0).x() + widths[prev] / 2
                if left < prev_right + gap:
                    if i in must and prev not in must:
                        chosen.pop()
                    else:
                        continue
            chosen.append(i)
        out = []
        y = self.plot_rect.bottom() + 8
        for i in chosen:
            x = self._map(float(self.xs[i]), self._y0).x()
            w = max(widths[i] + 4, 10.0)
            item_style = style.faint if self.present[i] else style.faint.with_colour(_faded(style.faint.colour))
            item = TextItem(str(int(self.xs[i])), item_style, QRectF(x - w / 2, y, w, 0), align=ALIGN_CENTER,
                            group="chart-years", parent=self.frame)
            item.field = self.field
            out.append(item)
        return out

    def _plan_value_labels(self, rect: QRectF) -> None:
        """Choose which values get a label: by priority, never touching another label or a mark."""
        style = self.style
        n = len(self.xs)
        order = []
        hi = [i for i, x in enumerate(self.xs) if int(x) == self.highlight]
        order += hi
        order += [i for i in (n - 1, 0) if i not in order]
        order += [i for i in range(n) if i not in order]
        placed: list[QRectF] = []
        marks = [r for i in range(n) if (r := self._mark_rect(i, float(self.ys[i]))) is not None]
        gap = style.label.px * LABEL_GAP
        for i in order:
            if not self.present[i]:
                continue
            text = format_number(float(self.ys[i]) * self._scale, self._decimals, self.language)
            w = natural_width(text, style.label) + 4
            h = style.label.px * 1.16
            anchor = self._map(float(self.xs[i]), float(self.ys[i]))
            lift = 16 if self.kind == "line" else 8
            box = None
            # above the mark; nudged up one label; for a line, beside the point
            candidates = [QRectF(anchor.x() - w / 2, anchor.y() - lift - h, w, h),
                          QRectF(anchor.x() - w / 2, anchor.y() - lift - 2 * h - 4, w, h)]
            if self.kind == "line":
                candidates += [QRectF(anchor.x() - w - 16, anchor.y() - h / 2, w, h),
                               QRectF(anchor.x() + 16, anchor.y() - h / 2, w, h)]
            for cand in candidates:
                if cand.left() < rect.left():
                    cand.moveLeft(rect.left())
                if cand.right() > rect.right():
                    cand.moveRight(rect.right())
                grown = cand.adjusted(-gap / 2, -2, gap / 2, 2)
                if cand.top() < rect.top() - 0.5 or cand.bottom() > self.plot_rect.bottom():
                    continue
                if any(grown.intersects(p) for p in placed) or any(grown.intersects(m) for m in marks):
                    continue
                box = cand
                break
            if box is None:
                continue
            placed.append(box)
            colour = style.highlight if int(self.xs[i]) == self.highlight else style.label.colour
            item = TextItem(text, style.label.with_colour(colour), QRectF(box.left(), box.top(), box.width(), 0),
                            align=ALIGN_CENTER, group="chart-values", parent=self.frame)
            item.field = self.field
            self.value_labels[i] = item

    # -- animation --------------------------------------------------------------------------------
    def set_progress(self, progress: float) -> None:
        """Show the chart at ``progress`` (0..1) of its build; cheap to call every frame."""
        progress = max(0.0, min(1.0, progress))
        if progress == self._progress:
            return
        self._progress = progress
        n = len(self.xs)
        grow = np.clip(progress * n - np.arange(n) * 0.6, 0, 1) if n else np.array([])
        grow = np.minimum(1.0, grow * (1 + 0.6 * (n - 1) / max(1, n)))
        if progress >= 1.0:
            grow = np.ones(n)
        heights = np.where(self.present, self._y0 + (self.ys - self._y0) * grow, self._y0)
        if self.bars is not None:
            self.bars.setOpts(height=np.where(self.present, self.ys * grow, 0.0))
        else:
            for item, seg in zip(self.lines, self._segments(), strict=True):
                shown = [i for i in seg if grow[i] > 0]
                if not shown:
                    item.setData([], [])
                    continue
                item.setData(self.xs[shown], heights[shown],
                             symbolBrush=[pg.mkBrush(self._colours[i]) for i in shown])
        marks = []
        for i in range(n):
            r = self._mark_rect(i, float(heights[i])) if grow[i] > 0 else None
            if r is not None:
                marks.append(r)
        self.frame.marks = marks
        for i, label in self.value_labels.items():
            label.setVisible(bool(grow[i] >= 1.0))

    @property
    def progress(self) -> float:
        """Last progress shown."""
        return self._progress

    def bar_heights(self) -> list[float]:
        """Current bar heights, or line values drawn (tests)."""
        if self.bars is not None:
            return [float(v) for v in self.bars.opts["height"]]
        out: list[float] = []
        for item in self.lines:
            _, y = item.getData()
            if y is not None:
                out.extend(float(v) for v in y)
        return out

    def labelled_values(self) -> list[str]:
        """The value labels drawn (tests, audit)."""
        return [label.text for label in self.value_labels.values() if label.isVisible()]


def _faded(colour: QColor) -> QColor:
    c = QColor(colour)
    c.setAlphaF(max(0.35, c.alphaF() * 0.55))
    return c

