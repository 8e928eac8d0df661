"""The results as a Markdown table and a frame-time chart."""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path

from szkiosk.bench.results import BUDGET_MS, FrameStats, Results, kind_of


def machine_info() -> dict[str, object]:
    """CPU model, cores, system, Python, Qt and PySide6 versions."""
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
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.system(), "release": platform.release(),
            "python": platform.python_version(), "qt": qVersion(), "pyside6": PySide6.__version__}


def machine(info: dict[str, object] | None = None) -> str:
    """CPU model, cores, Python, Qt (one line)."""
    m = info or machine_info()
    return (f"{m['cpu']}, {m['cores']} cores, {m['system']} {m['release']}; Python "
            f"{m['python']}, Qt {m['qt']}, PySide6 {m['pyside6']}")


#: Start-up targets (median ratio to the bare window): the start-up frame, and the live first panel.
STARTUP_TARGET = 1.5
LIVE_TARGET = 2.0


def _ok(good: bool) -> str:
    return "met" if good else "**missed**"


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def table(r: Results) -> str:
    """The results as Markdown."""
    s = r.settings
    out: list[str] = []
    add = out.append
    add(f"Machine: {machine(r.machine or None)}  ")
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
        add(f"| start-up to first paint: the start-up frame (median szkiosk / bare) | {ratio:.2f} "
            f"| <= {STARTUP_TARGET} | {_ok(ratio <= STARTUP_TARGET)} |")
        if live:
            live_ratio = statistics.median(live) / statistics.median(bare)
            add(f"| start-up to the live first panel (no start-up frame; median / bare) | {live_ratio:.2f} "
                f"| <= {LIVE_TARGET} | {_ok(live_ratio <= LIVE_TARGET)} |")
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
        content = r.startup.get("content_import", [])
        if content:
            add(f"| of the live panel's time: importing the content layer alone (pydantic, models, YAML) "
                f"| {min(content):.0f} | {statistics.median(content):.0f} |")
            if live and statistics.median(live) / statistics.median(bare) > LIVE_TARGET:
                add("")
                add(f"The live first panel misses {LIVE_TARGET:g}x: "
                    f"{statistics.median(content):.0f} ms of it is the content layer's import, which "
                    "the start-up cache does not avoid (its cached deck is made of those classes). "
                    "See docs/PERFORMANCE.md, \"Interactive sooner\".")
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
        add("Measured in a fresh show process (1920x1080, kiosk), each row with the show at rest: transition "
            "landed, build finished, far panels released, the neighbours' transition images prepared.")
        if r.memory_first is not None:
            add(f"Before the lap, the first panel alone: RSS {r.memory_first[0]:.1f} MB, "
                f"PSS {_mb(r.memory_first[1])} MB.")
        add("")
        add("| changes | RSS MB | PSS MB | live QObjects | scene items |")
        add("|---|---|---|---|---|")
        if r.memory_start is not None:
            rss, objs, items = r.memory_start
            add(f"| 0 (after one lap) | {rss:.1f} | {_mb(r.pss_start)} | {objs} | {items} |")
        for i, (n, rss, objs, items) in enumerate(r.memory):
            add(f"| {n} | {rss:.1f} | {_mb(r.pss[i] if i < len(r.pss) else None)} | {objs} | {items} |")
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


#: The ``format`` of :func:`as_json`'s document; bump it when a key changes meaning or goes.
JSON_FORMAT = "szkiosk-bench/1"


def _sequence(f: FrameStats) -> dict[str, object]:
    return {"name": f.name, "size": f.size, "kind": kind_of(f), "frames": len(f.frames), "painted": f.painted,
            "p50_ms": f.p50, "p95_ms": f.p95, "max_ms": f.max, "dropped": f.dropped,
            "budget_ms": BUDGET_MS[f.size]}


def as_json(r: Results) -> dict[str, object]:
    """Every figure of :func:`table`, machine-readable (unrounded; milliseconds, MB, percent).

    Keys and types are described by :data:`JSON_SCHEMA`. A part that was not measured
    (``--only``) is null (``startup``, ``memory``, ``scale``) or an empty list.
    """
    s = r.settings
    out: dict[str, object] = {
        "format": JSON_FORMAT,
        "machine": dict(r.machine),
        "qt_platform": r.platform,
        "settings": {"startup_runs": s.startup_runs, "frames_cap": s.frames_cap,
                     "transition_frames": s.transition_frames, "sizes": list(s.sizes),
                     "idle_seconds": s.idle_seconds, "soak": list(s.soak), "scale_panels": s.scale_panels},
        "seconds": r.seconds,
        "startup": None,
        "frames": {"budget_ms": {size: BUDGET_MS[size] for size in s.sizes},
                   "baseline": [_sequence(r.baseline[size]) for size in s.sizes if size in r.baseline],
                   "sequences": [_sequence(f) for size in s.sizes for f in r.frames if f.size == size]},
        "idle": [{"panel": panel_id, "cpu_percent": pct, "seconds": wall, "timers": list(timers)}
                 for panel_id, pct, wall, timers in r.idle],
        "memory": None,
        "scale": None,
    }
    if r.startup:
        runs = {"bare": r.startup["bare"], "start_frame": r.startup["szkiosk"], "live": r.startup.get("live", [])}
        median = {k: statistics.median(v) for k, v in runs.items() if v}
        low = {k: min(v) for k, v in runs.items() if v}
        out["startup"] = {
            "runs_ms": {k: list(v) for k, v in runs.items()},
            "median_ms": median, "min_ms": low,
            "ratio_median": {k: median[k] / median["bare"] for k in median if k != "bare"},
            "ratio_min": {k: low[k] / low["bare"] for k in low if k != "bare"},
            "target_ratio": {"start_frame": STARTUP_TARGET, "live": LIVE_TARGET},
        }
        content = r.startup.get("content_import", [])
        if content:
            out["startup"]["content_import_ms"] = {"runs": list(content), "median": statistics.median(content),
                                                   "min": min(content)}
    if r.memory or r.memory_start is not None:
        points = []
        if r.memory_start is not None:
            rss, objs, items = r.memory_start
            points.append({"changes": 0, "rss_mb": rss, "pss_mb": r.pss_start, "qobjects": objs, "items": items})
        for i, (n, rss, objs, items) in enumerate(r.memory):
            points.append({"changes": n, "rss_mb": rss, "pss_mb": r.pss[i] if i < len(r.pss) else None,
                           "qobjects": objs, "items": items})
        drift = r.memory[-1][1] - r.memory[-2][1] if len(r.memory) >= 2 else None
        out["memory"] = {"points": points, "rss_drift_mb": drift}
        if r.memory_first is not None:
            out["memory"]["first_panel"] = {"rss_mb": r.memory_first[0], "pss_mb": r.memory_first[1]}
    if r.scale:
        out["scale"] = {"panels": int(r.scale["panels"]), "problems": int(r.scale["errors"]),
                        "load_ms": r.scale["load_ms"], "validate_ms": r.scale["validate_ms"],
                        "cli_ms": r.scale.get("cli_ms")}
    return out


_NUM = {"type": "number"}
_SEQUENCE = {
    "type": "object",
    "required": ["name", "size", "kind", "frames", "painted", "p50_ms", "p95_ms", "max_ms", "dropped", "budget_ms"],
    "properties": {"name": {"type": "string"}, "size": {"enum": ["1080p", "4K"]},
                   "kind": {"enum": ["build", "transition"]}, "frames": {"type": "integer"},
                   "painted": {"type": "integer"}, "p50_ms": _NUM, "p95_ms": _NUM, "max_ms": _NUM,
                   "dropped": {"type": "integer"}, "budget_ms": _NUM},
}
_BY_PROCESS = {"type": "object", "additionalProperties": _NUM}
#: JSON Schema (draft 2020-12) of :func:`as_json`'s document.
JSON_SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "szkiosk bench --json",
    "type": "object",
    "required": ["format", "machine", "qt_platform", "settings", "seconds", "startup", "frames", "idle", "memory",
                 "scale"],
    "properties": {
        "format": {"const": JSON_FORMAT},
        "machine": {"type": "object", "required": ["cpu", "cores", "system", "release", "python", "qt", "pyside6"]},
        "qt_platform": {"type": "string"},
        "settings": {"type": "object"},
        "seconds": _NUM,
        "startup": {"oneOf": [{"type": "null"}, {
            "type": "object",
            "required": ["runs_ms", "median_ms", "min_ms", "ratio_median", "ratio_min", "target_ratio"],
            "properties": {"runs_ms": {"type": "object", "additionalProperties": {"type": "array", "items": _NUM}},
                           "median_ms": _BY_PROCESS, "min_ms": _BY_PROCESS, "ratio_median": _BY_PROCESS,
                           "ratio_min": _BY_PROCESS, "target_ratio": _BY_PROCESS,
                           "content_import_ms": {"type": "object", "required": ["runs", "median", "min"],
                                                 "properties": {"runs": {"type": "array", "items": _NUM},
                                                                "median": _NUM, "min": _NUM}}}}]},
        "frames": {"type": "object", "required": ["budget_ms", "baseline", "sequences"],
                   "properties": {"budget_ms": _BY_PROCESS, "baseline": {"type": "array", "items": _SEQUENCE},
                                  "sequences": {"type": "array", "items": _SEQUENCE}}},
        "idle": {"type": "array", "items": {
            "type": "object", "required": ["panel", "cpu_percent", "seconds", "timers"],
            "properties": {"panel": {"type": "string"}, "cpu_percent": _NUM, "seconds": _NUM,
                           "timers": {"type": "array", "items": {"type": "string"}}}}},
        "memory": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["points", "rss_drift_mb"],
            "properties": {"rss_drift_mb": {"type": ["number", "null"]},
                           "first_panel": {"type": "object", "required": ["rss_mb", "pss_mb"], "properties": {
                               "rss_mb": _NUM, "pss_mb": {"type": ["number", "null"]}}},
                           "points": {"type": "array", "items": {
                "type": "object", "required": ["changes", "rss_mb", "pss_mb", "qobjects", "items"],
                "properties": {"changes": {"type": "integer"}, "rss_mb": _NUM, "pss_mb": {"type": ["number", "null"]},
                               "qobjects": {"type": "integer"}, "items": {"type": "integer"}}}}}}]},
        "scale": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["panels", "problems", "load_ms", "validate_ms", "cli_ms"],
            "properties": {"panels": {"type": "integer"}, "problems": {"type": "integer"}, "load_ms": _NUM,
                           "validate_ms": _NUM, "cli_ms": {"type": ["number", "null"]}}}]},
    },
}


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
