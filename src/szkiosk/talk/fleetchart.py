"""``szkiosk fleet stats --chart PNG``: visitor views per hour (or day), stacked by booth.

Drawn with QPainter on a QImage (offscreen: no window, no display needed); the caller makes
the QGuiApplication. Labels are English, like all CLI output.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from szkiosk.fleet.collector import Totals

#: Booth colours (distinct on white, colour-blind friendly: Okabe-Ito, then Tableau).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
           "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#B07AA1", "#9C755F")
BACKGROUND, INK, GRID = QColor("#FFFFFF"), QColor("#1A1A1A"), QColor("#D9D9D9")


def _nice_step(top: float) -> float:
    """A round step giving 4-8 grid lines up to ``top``."""
    raw = max(top, 1) / 6
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def draw_stats_chart(rows: Sequence[Totals], path: Path, *, field: str = "views", size: tuple[int, int] = (1600, 900),
                     title: str | None = None) -> Path:
    """Write a stacked bar chart of ``field`` per period (x) and booth (colours) to ``path`` (PNG)."""
    width, height = size
    periods = sorted({r.period for r in rows})
    booths = sorted({r.booth for r in rows})
    stacks: dict[tuple[str, str], float] = {}
    for r in rows:
        stacks[r.period, r.booth] = stacks.get((r.period, r.booth), 0.0) + r.value(field)
    totals = [sum(stacks.get((p, b), 0.0) for b in booths) for p in periods]
    unit = "day" if rows and all(r.hours >= 24 for r in rows) else "hour"
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(max(12, height // 45))
    small = QFont(font)
    small.setPixelSize(max(11, height // 60))
    big = QFont(font)
    big.setPixelSize(max(16, height // 28))
    big.setBold(True)

    left, right, top, bottom = int(width * 0.08), int(width * 0.04) + 180, int(height * 0.12), int(height * 0.16)
    plot = QRectF(left, top, width - left - right, height - top - bottom)
    p.setPen(INK)
    p.setFont(big)
    heading = title or f"Visitor {field.replace('_', ' ')} per {unit} and booth"
    span = f"{periods[0][:16].replace('T', ' ')} to {periods[-1][:16].replace('T', ' ')} UTC" if periods else "no data"
    p.drawText(QRectF(left, 8, width - left - 20, top * 0.55), Qt.AlignmentFlag.AlignLeft
               | Qt.AlignmentFlag.AlignVCenter, heading)
    p.setFont(small)
    p.drawText(QRectF(left, top * 0.55, width - left - 20, top * 0.35), Qt.AlignmentFlag.AlignLeft
               | Qt.AlignmentFlag.AlignVCenter, f"{span}; {len(booths)} booth(s), total {sum(totals):g}")

    peak = max(totals, default=0.0)
    step = _nice_step(peak)
    scale_top = max(step, step * -(-peak // step))

    def y(value: float) -> float:
        return plot.bottom() - plot.height() * value / scale_top

    p.setFont(font)
    value = 0.0
    while value <= scale_top + 1e-9:
        p.setPen(QPen(GRID, 1))
        p.drawLine(int(plot.left()), int(y(value)), int(plot.right()), int(y(value)))
        p.setPen(INK)
        p.drawText(QRectF(0, y(value) - 12, left - 10, 24), Qt.AlignmentFlag.AlignRight
                   | Qt.AlignmentFlag.AlignVCenter, f"{value:g}")
        value += step
    p.save()
    p.translate(font.pixelSize() * 0.8, plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-plot.height() / 2, -font.pixelSize(), plot.height(), font.pixelSize() * 2),
               Qt.AlignmentFlag.AlignCenter, f"{field.replace('_', ' ')} per {unit}")
    p.restore()

    n = max(1, len(periods))
    slot = plot.width() / n
    bar = max(1.0, slot * 0.78)
    label_every = max(1, int(-(-n * 110 // plot.width())))  # labels ~110 px apart at least
    for i, period in enumerate(periods):
        x = plot.left() + i * slot + (slot - bar) / 2
        base = 0.0
        for k, booth in enumerate(booths):
            v = stacks.get((period, booth), 0.0)
            if v:
                p.fillRect(QRectF(x, y(base + v), bar, y(base) - y(base + v)), QColor(PALETTE[k % len(PALETTE)]))
                base += v
        if i % label_every == 0:
            p.setPen(INK)
            p.setFont(small)
            label = _period_label(period, unit, i == 0 or period[:10] != periods[i - label_every][:10])
            p.drawText(QRectF(x + bar / 2 - 60, plot.bottom() + 4, 120, 40), Qt.AlignmentFlag.AlignHCenter
                       | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, label)
    p.setPen(QPen(INK, 2))
    p.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))
    p.drawLine(int(plot.left()), int(plot.top()), int(plot.left()), int(plot.bottom()))
    p.setFont(font)
    p.drawText(QRectF(plot.left(), height - bottom * 0.45, plot.width(), bottom * 0.4), Qt.AlignmentFlag.AlignCenter,
               f"{unit} (UTC)")

    # legend: one swatch per booth
    lx, ly = plot.right() + 24, plot.top()
    p.drawText(QRectF(lx, ly - font.pixelSize() * 1.8, 170, font.pixelSize() * 1.6), Qt.AlignmentFlag.AlignLeft,
               "booth")
    for k, booth in enumerate(booths[:30]):
        p.fillRect(QRectF(lx, ly + k * font.pixelSize() * 1.5, font.pixelSize(), font.pixelSize()),
                   QColor(PALETTE[k % len(PALETTE)]))
        p.drawText(QRectF(lx + font.pixelSize() * 1.5, ly + k * font.pixelSize() * 1.5 - 3, 150,
                          font.pixelSize() * 1.4), Qt.AlignmentFlag.AlignLeft, booth)
    if len(booths) > 30:
        p.drawText(QRectF(lx, ly + 30 * font.pixelSize() * 1.5, 170, font.pixelSize() * 1.4),
                   Qt.AlignmentFlag.AlignLeft, f"+{len(booths) - 30} more")
    p.end()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def _period_label(period: str, unit: str, with_date: bool) -> str:
    when = time.strptime(period, "%Y-%m-%dT%H:%M:%SZ")
    if unit == "day":
        return time.strftime("%a %d %b", when)
    return time.strftime("%d %b\n%H:00", when) if with_date else time.strftime("%H:00", when)
