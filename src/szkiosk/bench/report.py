"""The results as a Markdown table and a frame-time chart."""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path

from szkiosk.bench.results import BUDGET_MS, Results


def machine() -> str:
    """CPU model, cores, Python, Qt."""
    import PySide6
    from PySide6.QtCore import qVersion

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; Python "
            f"{platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}")


def _ok(good: bool) -> str:
    return "met" if good else "**missed**"


def table(r: Results) -> str:
    """The results as Markdown."""
    s = r.settings
    out: list[str] = []
    add = out.append
    add(f"Machine: {machine()}  ")
    add(f"Qt platform: {r.platform} (raster; OpenGL not measured: the offscreen platform has no GL context)  ")
    add(f"Repetitions: start-up {s.startup_runs} runs each (interleaved); frames up to {s.frames_cap} per panel "
        f"animation, {s.transition_frames} per transition; idle {s.idle_seconds:g} s per panel; memory after "
        f"{'/'.join(str(n) for n in s.soak)} panel changes; content scale {s.scale_panels} panels. "
        f"Total bench time {r.seconds:.0f} s.")
    add("")
    add("## Summary")
    add("")
    add("| benchmark | measured | target | result |")
    add("|---|---|---|---|")
    if r.startup:
        bare, app, live = r.startup["bare"], r.startup["szkiosk"], r.startup.get("live", [])
        ratio = statistics.median(app) / statistics.median(bare)
        add(f"| start-up to first paint: the start-up frame (median szkiosk / bare) | {ratio:.2f} | <= 1.5 "
            f"| {_ok(ratio <= 1.5)} |")
        if live:
            live_ratio = statistics.median(live) / statistics.median(bare)
            add(f"| start-up to the live first panel (no start-up frame; median / bare) | {live_ratio:.2f} "
                f"| <= 1.5 | {_ok(live_ratio <= 1.5)} |")
    for size in s.sizes:
        rows = [f for f in r.frames if f.size == size]
        if rows:
            worst = max(rows, key=lambda f: f.p95)
            budget = BUDGET_MS[size]
            add(f"| frame p95, worst panel/transition at {size} | {worst.p95:.1f} ms ({worst.name}) "
                f"| <= {budget:.1f} ms | {_ok(worst.p95 <= budget)} |")
    if r.idle:
        worst_idle = max(r.idle, key=lambda x: x[1])
        add(f"| idle CPU, worst static panel | {worst_idle[1]:.2f} % ({worst_idle[0]}) | < 1 % "
            f"| {_ok(worst_idle[1] < 1.0)} |")
    if len(r.memory) >= 2:
        drift = r.memory[-1][1] - r.memory[-2][1]
        objs = {m[2] for m in r.memory}
        add(f"| RSS drift {r.memory[-2][0]} → {r.memory[-1][0]} changes | {drift:+.1f} MB | < 5 MB "
            f"| {_ok(drift < 5)} |")
        add(f"| live QObjects after {'/'.join(str(m[0]) for m in r.memory)} changes "
            f"| {'/'.join(str(m[2]) for m in r.memory)} | flat | {_ok(len(objs) == 1)} |")
    if r.scale:
        total = r.scale["load_ms"] + r.scale["validate_ms"]
        add(f"| load + validate {r.scale['panels']:.0f}-panel deck (in process) | {total:.0f} ms | < 1000 ms "
            f"| {_ok(total < 1000)} |")
    if r.startup:
        add("")
        add("## Start-up to first painted panel")
        add("")
        add("| process | min ms | median ms |")
        add("|---|---|---|")
        add(f"| bare PySide6 window | {min(bare):.0f} | {statistics.median(bare):.0f} |")
        add(f"| szkiosk run --quit-after-first-paint (start-up frame) | {min(app):.0f} "
            f"| {statistics.median(app):.0f} |")
        add(f"| ratio | {min(app) / min(bare):.2f} | {ratio:.2f} |")
        if live:
            add(f"| szkiosk run --quit-after-first-paint --no-start-frame (live panel) | {min(live):.0f} "
                f"| {statistics.median(live):.0f} |")
            add(f"| ratio | {min(live) / min(bare):.2f} | {statistics.median(live) / statistics.median(bare):.2f} |")
    if r.frames:
        add("")
        add("## Frame times (apply, then the view repaints what changed, as the event loop does)")
        add("")
        add("Frames dropped: frames over the size's budget (16.7 ms at 1080p, 33.3 ms at 4K).")
        add("")
        add("| sequence | size | frames (painted) | p50 ms | p95 ms | max ms | dropped |")
        add("|---|---|---|---|---|---|---|")
        for size in s.sizes:
            b = r.baseline.get(size)
            if b is not None:
                add(f"| *baseline: bare empty scene* | {size} | {len(b.frames)} ({b.painted}) | {b.p50:.1f} "
                    f"| {b.p95:.1f} | {b.max:.1f} | {b.dropped} |")
            for f in (f for f in r.frames if f.size == size):
                add(f"| {f.name} | {size} | {len(f.frames)} ({f.painted}) | {f.p50:.1f} | {f.p95:.1f} | {f.max:.1f} "
                    f"| {f.dropped} |")
    if r.idle:
        add("")
        add("## Idle cost (window shown, static panel after its animation)")
        add("")
        add("| panel | CPU % | over s | timers running |")
        add("|---|---|---|---|")
        for panel_id, pct, wall, timers in r.idle:
            add(f"| {panel_id} | {pct:.2f} | {wall:.1f} | {', '.join(timers) or 'none'} |")
    if r.memory:
        add("")
        add("## Memory over panel changes (Next with transitions, language toggled every 97)")
        add("")
        add("| changes | RSS MB | live QObjects | scene items |")
        add("|---|---|---|---|")
        if r.memory_start is not None:
            rss, objs, items = r.memory_start
            add(f"| 0 (after one lap) | {rss:.1f} | {objs} | {items} |")
        for n, rss, objs, items in r.memory:
            add(f"| {n} | {rss:.1f} | {objs} | {items} |")
    if r.scale:
        add("")
        add("## Content scale")
        add("")
        add("| step | ms |")
        add("|---|---|")
        add(f"| load_deck ({r.scale['panels']:.0f} panels, {r.scale['errors']:.0f} problems) "
            f"| {r.scale['load_ms']:.0f} |")
        add(f"| legibility checks | {r.scale['validate_ms']:.0f} |")
        add(f"| `szkiosk validate` as a new process (imports included) | {r.scale['cli_ms']:.0f} |")
    return "\n".join(out) + "\n"


def chart(r: Results, path: Path) -> None:
    """Bar chart of p50 and p95 frame times per panel and size, drawn with QPainter."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    panels = [f for f in r.frames if not f.name.count("→")]
    names = list(dict.fromkeys(f.name for f in panels))
    sizes = list(r.settings.sizes)
    row_h, left, top, width = 34, 300, 70, 1400
    height = top + row_h * len(names) + 70
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#0A1A33"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(16)
    p.setFont(font)
    p.setPen(QColor("#FFFFFF"))
    p.drawText(QRectF(20, 10, width - 40, 30), "szkiosk frame time per panel animation (p50 bar, p95 tick), "
               "offscreen raster")
    scale_max = max([BUDGET_MS["4K"] * 1.2] + [f.p95 for f in panels])
    plot_w = width - left - 40

    def x(ms: float) -> float:
        return left + plot_w * ms / scale_max

    colours = {"1080p": QColor("#4FD8EB"), "4K": QColor("#FFB547")}
    for i, name in enumerate(names):
        y = top + i * row_h
        p.setPen(QColor("#C9D5E8"))
        p.drawText(QRectF(10, y, left - 20, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   name)
        for k, size in enumerate(sizes):
            f = next((f for f in panels if f.name == name and f.size == size), None)
            if f is None:
                continue
            bar_y = y + 5 + k * (row_h - 10) / len(sizes)
            bar_h = (row_h - 12) / len(sizes)
            p.fillRect(QRectF(left, bar_y, x(f.p50) - left, bar_h), colours[size])
            p.setPen(QPen(QColor("#FFFFFF"), 2))
            p.drawLine(int(x(f.p95)), int(bar_y), int(x(f.p95)), int(bar_y + bar_h))
    bottom = top + row_h * len(names)
    for size in sizes:
        p.setPen(QPen(colours[size], 1, Qt.PenStyle.DashLine))
        p.drawLine(int(x(BUDGET_MS[size])), top - 6, int(x(BUDGET_MS[size])), bottom)
    p.setPen(QColor("#C9D5E8"))
    step = 5 if scale_max < 60 else 10
    for ms in range(0, int(scale_max) + 1, step):
        p.drawText(QRectF(x(ms) - 30, bottom + 4, 60, 20), Qt.AlignmentFlag.AlignCenter, f"{ms}")
    p.drawText(QRectF(left, bottom + 28, 140, 24), Qt.AlignmentFlag.AlignLeft, "ms per frame.")
    lx = left + 140
    for size in sizes:
        p.fillRect(QRectF(lx, bottom + 32, 16, 16), colours[size])
        label = f"{size} (budget {BUDGET_MS[size]:.1f} ms, dashed)"
        p.setPen(QColor("#C9D5E8"))
        p.drawText(QRectF(lx + 24, bottom + 28, 320, 24), Qt.AlignmentFlag.AlignLeft, label)
        lx += 360
    p.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(path))
