"""A bar or line chart of a sourced series, labelled the way a newsroom would print it.

* Bars start at zero; a line may crop to its range.
* No axes titles, no y axis: the unit is in the chart's title line (drawn by the panel) and
  values are labelled directly, coloured like their mark.
* Year labels are thinned by their measured width so they never touch; the first, the last
  and the highlighted year are always labelled.
* Value labels are placed by priority (highlight, last, first, then the rest) and dropped
  when they would touch another label, a mark or the line; the highlighted value (the year
  of the panel's headline figure) is always labelled.
* Missing years are gaps on the axis (their year is written, faint) and breaks in the line,
  never a join; a change of definition (``break_before``) breaks the line too and is marked
  by a faint dashed rule between the two years.
* A chart has a minimum drawable size (:func:`chart_min_size`): every year a slot wide
  enough for its label. Below it the panel gives the chart more room or leaves it out.

pyqtgraph draws the marks (``BarGraphItem``, ``PlotDataItem``), created once and animated
through their data; labels are :class:`~szkiosk.kit.text.TextItem` so the layout audit sees
them. The chart reports its marks and frame to the audit (``audit_marks``/``audit_frame``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.charts.countup import format_number
from szkiosk.kit.items import retain
from szkiosk.kit.text import ALIGN_CENTER, TextItem, TextStyle, natural_width

pg.setConfigOptions(antialias=True, background=None, foreground="w")

#: Air between two value labels, as a share of the label size.
LABEL_GAP = 0.45
#: Air between two year labels (a row of short numbers reads as separate with less).
YEAR_GAP = 0.3
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


def value_text(value: float, scale: float, decimals: int, language: str) -> str:
    """A value label as drawn: the value in the language's display scale, grouped."""
    return format_number(value * scale, decimals, language)


def slot_width(values: Mapping[int, float | None], style: ChartStyle, *, scale: float = 1.0, decimals: int = 0,
               language: str = "en") -> float:
    """Narrowest slot (one year's width) at which a value label over its bar never reaches the
    neighbouring bars and every year label fits with air around it."""
    texts = [value_text(v, scale, decimals, language) for v in values.values() if v is not None]
    widest_value = max((natural_width(t, style.label) for t in texts), default=40.0) + 4
    widest_year = max((natural_width(str(x), style.faint) for x in values), default=40.0)
    gap = style.label.px * LABEL_GAP
    # a label centred on its bar stays clear of the next bar: half the label plus half the air
    # must fit in the slot's part outside the bar
    by_value = (widest_value + gap) / (2 * (1 - BAR_WIDTH / 2))
    # every other year label at least (thinning takes care of the rest)
    by_year = (widest_year + style.faint.px * LABEL_GAP) / 2
    return max(by_value, by_year, 40.0)


def chart_min_size(values: Mapping[int, float | None], style: ChartStyle, *, scale: float = 1.0,
                   decimals: int = 0, language: str = "en") -> tuple[float, float]:
    """Smallest (width, height) at which the chart stays legible from 3 m: every year gets a
    :func:`slot_width`, the plot at least :data:`MIN_PLOT_H` plus room for the value labels
    above it and the years below. Below this the layout gives the chart more room or drops it."""
    n = max(1, len(values))
    slot = slot_width(values, style, scale=scale, decimals=decimals, language=language)
    label_h = style.label.px * 1.2
    tick_h = style.faint.px * 1.2
    return slot * n, MIN_PLOT_H + label_h + 18 + tick_h + 14


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


class _Ticks(QGraphicsItem):
    """A short tick under the axis for every year, so a year without a mark is seen as a gap."""

    def __init__(self, lines: list[QLineF], colour: QColor, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._lines = [QLineF(line) for line in lines]
        self._pen = QPen(colour, 2)

    def boundingRect(self) -> QRectF:
        if not self._lines:
            return QRectF()
        out = QRectF(self._lines[0].p1(), self._lines[0].p2()).normalized()
        for line in self._lines[1:]:
            out = out.united(QRectF(line.p1(), line.p2()).normalized())
        return out.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(self._pen)
        painter.drawLines(self._lines)


class _Divider(QGraphicsItem):
    """A faint dashed rule between two years: the definition of the series changes here."""

    def __init__(self, line: QLineF, colour: QColor, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._line = QLineF(line)
        self._pen = QPen(colour, 2, Qt.PenStyle.DashLine)

    def boundingRect(self) -> QRectF:
        return QRectF(self._line.p1(), self._line.p2()).normalized().adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(self._pen)
        painter.drawLine(self._line)


class SeriesChart:
    """A series drawn in ``rect`` under ``parent``; :meth:`set_progress` animates it.

    ``scale`` and ``decimals`` give the value labels in the visitor's language (e.g. 万件:
    scale 0.0001, two decimals); the marks are drawn from the raw values.
    """

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
        self.present = np.array([v is not None for v in values.values()], dtype=bool)
        self.ys = np.array([float(v) if v is not None else 0.0 for v in values.values()])
        self.highlight = highlight
        self.break_before = break_before
        self._scale = scale
        self._decimals = decimals
        self._progress = -1.0
        self.rect = QRectF(rect)
        self.frame = _Frame(rect, parent)
        label_h = style.label.px * 1.2
        tick_h = style.faint.px * 1.2
        n = len(self.xs)
        self._slot = rect.width() / max(1, n)
        # plot area: room above for one row of value labels, below for the years
        head = label_h + 18
        if rect.height() - 2 * head - tick_h - 14 >= MIN_PLOT_H:
            head += label_h  # a second row, so neighbouring values can both be labelled
        self.plot_rect = QRectF(rect.left(), rect.top() + head, rect.width(), rect.height() - head - tick_h - 14)
        top = float(self.ys[self.present].max()) if self.present.any() else 1.0
        bottom = 0.0
        if kind == "line" and self.present.any():
            lo = float(self.ys[self.present].min())
            if lo > 0.45 * top:  # crop a line whose values sit far above zero (bars never crop)
                bottom = lo - (top - lo) * 0.25
        self._y0, self._y1 = bottom, top if top > bottom else bottom + 1.0
        # a bare ViewBox, not a PlotItem: the chart draws no pyqtgraph axes, and a PlotItem's grid
        # layout of (hidden) axes could be torn down after its items when a scene is deleted
        self.plot = pg.ViewBox(enableMenu=False)
        self.plot.setParentItem(self.frame)
        self.plot.setMouseEnabled(False, False)
        self.plot.setGeometry(self.plot_rect)
        self.plot.setRange(xRange=(self.xs.min() - 0.5, self.xs.max() + 0.5), yRange=(self._y0, self._y1), padding=0)
        self.plot.disableAutoRange()
        # the highest point sits on the plot's top edge: its dot must not be cut in half there
        self.plot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, False)
        colours = [style.highlight if int(x) == highlight else style.mark for x in self.xs]
        self._colours = colours
        self._segs = self._segments()
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
            for seg in self._segs:
                item = pg.PlotDataItem(pen=pg.mkPen(style.mark, width=6), symbol="o", symbolSize=18,
                                       symbolPen=pg.mkPen(None),
                                       symbolBrush=[pg.mkBrush(colours[i]) for i in seg])
                self.plot.addItem(item)
                self.lines.append(item)
        baseline_y = self._map(self.xs.min(), self._y0).y()
        _Baseline(QLineF(rect.left(), baseline_y, rect.right(), baseline_y), style.axis, self.frame)
        self.divider: _Divider | None = None
        if break_before is not None and self.xs.min() < break_before <= self.xs.max():
            x = self._map(break_before - 0.5, self._y0).x()
            self.divider = _Divider(QLineF(x, self.plot_rect.top(), x, baseline_y), style.axis, self.frame)
        self.tick_labels = self._year_labels()
        self.value_labels: dict[int, TextItem] = {}
        self._plan_value_labels()
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

    def segments(self) -> list[list[int]]:
        """Years joined by one stretch of line, as lists of years (tests, the audit's eye)."""
        return [[int(self.xs[i]) for i in seg] for seg in self._segs]

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

    def _line_segments(self) -> list[QLineF]:
        """The drawn stretches of line between points (a label must not sit on them)."""
        if self.kind != "line":
            return []
        out = []
        for seg in self._segs:
            pts = [self._map(float(self.xs[i]), float(self.ys[i])) for i in seg]
            out += [QLineF(a, b) for a, b in pairwise(pts)]
        return out

    # -- labels ---------------------------------------------------------------------------------
    def year_label(self, i: int, short: bool) -> str:
        """Year ``i`` as written: ``2016``, or ``17`` for a later year on a crowded axis (the
        newsroom way: the first year, and the first of a century, stay whole)."""
        year = int(self.xs[i])
        if not short or i == 0 or year % 100 == 0:
            return str(year)
        return f"{year % 100:02d}"

    def _year_labels(self) -> list[TextItem]:
        """Years under the axis, none touching: whole years when every slot has room, else
        two-digit years after the first, else every ``k``-th year; the first, the highlighted
        and the last year first, then the missing years (written faint, so a gap is named on
        the axis). A short tick marks every year, labelled or not."""
        style = self.style
        n = len(self.xs)
        gap = style.faint.px * YEAR_GAP
        centres = [self._map(float(x), self._y0).x() for x in self.xs]

        def spans(short: bool) -> list[tuple[float, float]]:
            out = []
            for i in range(n):
                w = natural_width(self.year_label(i, short), style.faint) + 4
                left = min(max(centres[i] - w / 2, self.rect.left()), self.rect.right() - w)
                out.append((left, left + w))
            return out

        def touching(a: tuple[float, float], b: tuple[float, float]) -> bool:
            return a[0] < b[1] + gap and a[1] > b[0] - gap

        def every(sp: list[tuple[float, float]]) -> bool:
            return all(not touching(sp[i], sp[i + 1]) for i in range(n - 1))

        short = not every(spans(False)) and n > 2
        sp = spans(short)
        step = 1
        while step < n and any(touching(sp[i], sp[i + step]) for i in range(0, n - step, step)):
            step += 1
        must = [0, *(i for i, x in enumerate(self.xs) if int(x) == self.highlight), n - 1]
        gaps = [i for i in range(n) if not self.present[i]]
        chosen: list[int] = []
        for i in [*must, *gaps, *range(0, n, step)]:
            if i in chosen or any(touching(sp[i], sp[j]) for j in chosen):
                continue
            chosen.append(i)
        out = []
        y = self.plot_rect.bottom() + 10
        for i in sorted(chosen):
            item_style = style.faint if self.present[i] else style.faint.with_colour(_faded(style.faint.colour))
            left, right = sp[i]
            item = TextItem(self.year_label(i, short), item_style, QRectF(left, y, right - left, 0),
                            align=ALIGN_CENTER, group="chart-years", parent=self.frame)
            item.field = self.field
            out.append(item)
        _Ticks([QLineF(c, self.plot_rect.bottom(), c, self.plot_rect.bottom() + 7) for c in centres],
               style.axis, self.frame)
        return out

    def label_order(self) -> list[int]:
        """Indexes in the order their value labels are placed: highlight, last, first, the rest
        from the highest value down (a newsroom labels the story first)."""
        n = len(self.xs)
        order = [i for i, x in enumerate(self.xs) if int(x) == self.highlight]
        order += [i for i in (n - 1, 0) if i not in order]
        rest = sorted((i for i in range(n) if i not in order), key=lambda i: -self.ys[i])
        return [i for i in [*order, *rest] if self.present[i]]

    def _candidates(self, i: int, w: float, h: float) -> list[QRectF]:
        """Places for value ``i``'s label, best first: above its mark, then shifted half a label
        sideways, then (a line) below or beside the point, then one label row higher."""
        anchor = self._map(float(self.xs[i]), float(self.ys[i]))
        lift = 16.0 if self.kind == "line" else 8.0
        shift = max(0.0, (w - self._slot * BAR_WIDTH) / 2) + 6
        rows = [anchor.y() - lift - h]
        out = []
        for dx in (0.0, -shift, shift):
            out.append(QRectF(anchor.x() - w / 2 + dx, rows[0], w, h))
        if self.kind == "line":
            out += [QRectF(anchor.x() - w / 2, anchor.y() + lift, w, h),
                    QRectF(anchor.x() - w - 16, anchor.y() - h / 2, w, h),
                    QRectF(anchor.x() + 16, anchor.y() - h / 2, w, h)]
        for dx in (0.0, -shift, shift):
            out.append(QRectF(anchor.x() - w / 2 + dx, rows[0] - h - 4, w, h))
        return out

    def _plan_value_labels(self) -> None:
        """Choose which values get a label and where: by :meth:`label_order`, each in the first
        free place (above; for a line also below or beside), never touching another label, a
        mark or the line; a value with no free place goes unlabelled, except the highlight."""
        style = self.style
        rect = self.rect
        placed: list[QRectF] = []
        marks = [r for i in range(len(self.xs)) if (r := self._mark_rect(i, float(self.ys[i]))) is not None]
        lines = self._line_segments()
        gap = style.label.px * LABEL_GAP
        h = style.label.px * 1.16
        for i in self.label_order():
            text = value_text(float(self.ys[i]), self._scale, self._decimals, self.language)
            w = natural_width(text, style.label) + 4
            own = self._mark_rect(i, float(self.ys[i]))
            box = None
            fallback = None
            for cand in self._candidates(i, w, h):
                cand.moveLeft(min(max(cand.left(), rect.left()), rect.right() - w))
                if cand.top() < rect.top() - 0.5 or cand.bottom() > self.plot_rect.bottom():
                    continue
                fallback = fallback or cand
                grown = cand.adjusted(-gap / 2, -2, gap / 2, 2)
                if any(grown.intersects(p) for p in placed):
                    continue
                if any(grown.intersects(m) for m in marks if m is not own) or (own and cand.intersects(own)):
                    continue
                if any(_crosses(line, grown) for line in lines):
                    continue
                box = cand
                break
            if box is None and int(self.xs[i]) == self.highlight:
                box = fallback  # the headline's year is always labelled (the layout gives it room)
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
        """Show the chart at ``progress`` (0..1) of its build; cheap to call every frame.

        Marks grow left to right; a value label appears only once its mark has reached the
        value (a label never states a number its bar has not drawn yet)."""
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
            for item, seg in zip(self.lines, self._segs, strict=True):
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

    def labelled_years(self) -> list[int]:
        """Years whose value is labelled, in axis order (tests)."""
        return sorted(int(self.xs[i]) for i, label in self.value_labels.items() if label.isVisible())

    def year_texts(self) -> list[str]:
        """The years written under the axis (tests)."""
        return [t.text for t in self.tick_labels]


def _crosses(line: QLineF, rect: QRectF) -> bool:
    """True when ``line`` passes through ``rect`` (sampled every few px: labels are coarse)."""
    steps = max(2, int(line.length() / 4))
    return any(rect.contains(line.pointAt(k / steps)) for k in range(steps + 1))


def _faded(colour: QColor) -> QColor:
    c = QColor(colour)
    c.setAlphaF(max(0.35, c.alphaF() * 0.55))
    return c
