"""A bar or line chart of a sourced series that grows in place, drawn with pyqtgraph."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.charts.countup import format_number
from szkiosk.kit.items import ALIGN_CENTER, TextBox

pg.setConfigOptions(antialias=True, background=None, foreground="w")


class SeriesChart:
    """A pyqtgraph PlotItem placed on a panel; :meth:`set_progress` animates it.

    Bars grow from zero, a line draws from left to right; each value gets a label and the
    highlighted point is drawn in the accent colour. Items are created once; every frame
    only updates their data.
    """

    def __init__(
        self,
        parent: QGraphicsItem,
        rect: QRectF,
        points: dict[int, float],
        *,
        kind: str,
        colour: QColor,
        highlight_colour: QColor,
        text_colour: QColor,
        axis_colour: QColor,
        font: QFont,
        unit: str,
        decimals: int = 0,
        highlight: int | None = None,
        language: str = "en",
        patterned: bool = False,
        compact: bool = False,
    ) -> None:
        self.kind = kind
        self.x = np.array(list(points.keys()), dtype=float)
        self.y = np.array(list(points.values()), dtype=float)
        self._progress = -1.0
        self.plot = pg.PlotItem(enableMenu=False)
        self.plot.setParentItem(parent)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setGeometry(rect)
        self.plot.showGrid(x=False, y=False)
        # room above the tallest bar for its value label (more in a short, compact chart)
        top = float(self.y.max()) * (1.6 if compact else 1.22) if self.y.max() > 0 else 1.0
        self.plot.setXRange(self.x.min() - 0.6, self.x.max() + 0.6, padding=0)
        self.plot.setYRange(0, top, padding=0)
        self.plot.disableAutoRange()
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(axis_colour, width=2))
            axis.setTextPen(pg.mkPen(text_colour))
            axis.setStyle(tickFont=font, tickLength=-8, tickTextOffset=10)
        self.plot.getAxis("bottom").setTicks([[(float(v), str(int(v))) for v in self.x]])
        digits = len(f"{self.y.max():,.0f}")
        self.plot.getAxis("left").setWidth(round(font.pixelSize() * (1.6 + 0.62 * digits)))
        self.plot.getAxis("bottom").setHeight(round(font.pixelSize() * 2.0))
        self.plot.setLabel("left", unit, **{"color": text_colour.name(), "font-size": f"{font.pixelSize()}px"})
        self.plot.getAxis("left").label.setFont(font)
        if compact:
            # every bar carries its value, so a short chart drops the y axis for room
            self.plot.hideAxis("left")
        colours = [highlight_colour if int(v) == highlight else colour for v in self.x]
        if kind == "bar":
            brushes = [pg.mkBrush(c) for c in colours]
            pens = [pg.mkPen(None)] * len(colours)
            if patterned:
                # high contrast: the highlighted bar is hatched and outlined, not only recoloured
                brushes = [QBrush(c, Qt.BrushStyle.BDiagPattern) if c == highlight_colour else b
                           for c, b in zip(colours, brushes, strict=True)]
                pens = [pg.mkPen(highlight_colour, width=3) if c == highlight_colour else p
                        for c, p in zip(colours, pens, strict=True)]
            self.item = pg.BarGraphItem(
                x=self.x, height=np.zeros_like(self.y), width=0.62, brushes=brushes, pens=pens,
            )
        else:
            self._brushes = [pg.mkBrush(c) for c in colours]
            self.item = pg.PlotDataItem(pen=pg.mkPen(colour, width=6), symbol="o", symbolSize=18,
                                        symbolPen=pg.mkPen(None))
        self.plot.addItem(self.item)
        self.plot.layout.activate()
        label_font = QFont(font)
        label_font.setBold(True)
        self.labels: list[TextBox] = []
        for xv, yv, c in zip(self.x, self.y, colours, strict=True):
            box = TextBox(
                format_number(yv, decimals, language), label_font, c if c == highlight_colour else text_colour,
                QRectF(0, 0, 150, font.pixelSize() * 1.6), align=ALIGN_CENTER, max_lines=1, parent=parent,
            )
            box.setData(0, (float(xv), float(yv)))
            self.labels.append(box)
        self._parent = parent
        self.set_progress(0.0)

    def _place_label(self, box: TextBox, x: float, y: float) -> None:
        scene_point = self.plot.vb.mapViewToScene(QPointF(x, y))
        local = self._parent.mapFromScene(scene_point)
        box.setPos(local.x() - 75, local.y() - box.used_height - 8)

    def set_progress(self, progress: float) -> None:
        """Show the chart at ``progress`` (0..1) of its build; cheap to call every frame."""
        progress = max(0.0, min(1.0, progress))
        if progress == self._progress:
            return
        self._progress = progress
        n = len(self.x)
        if self.kind == "bar":
            heights = self.y * np.clip(progress * n - np.arange(n) * 0.6, 0, 1)
            self.item.setOpts(height=heights)
            shown = heights
        else:
            reach = progress * (n - 1)
            k = int(np.floor(reach))
            xs = list(self.x[: k + 1])
            ys = list(self.y[: k + 1])
            if k < n - 1:
                frac = reach - k
                xs.append(self.x[k] + (self.x[k + 1] - self.x[k]) * frac)
                ys.append(self.y[k] + (self.y[k + 1] - self.y[k]) * frac)
            brushes = [*self._brushes[: len(xs) - 1], self._brushes[min(len(xs), n) - 1]]
            self.item.setData(np.array(xs), np.array(ys), symbolBrush=brushes)
            shown = np.where(np.arange(n) <= reach + 1e-9, self.y, 0)
        for box, x, h, full in zip(self.labels, self.x, shown, self.y, strict=True):
            visible = bool(h >= full * 0.999 and full > 0)
            box.setVisible(visible)
            if visible:
                self._place_label(box, float(x), float(full))

    @property
    def progress(self) -> float:
        """Last progress shown."""
        return self._progress

    def bar_heights(self) -> list[float]:
        """Current bar heights (tests)."""
        if self.kind != "bar":
            _, y = self.item.getData()
            return [] if y is None else [float(v) for v in y]
        return [float(v) for v in self.item.opts["height"]]

