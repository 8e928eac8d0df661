"""``szkiosk bench``: start-up, frame times, idle cost, memory over time and content scale,
each measured against a bare baseline in the same run.

Frame times drive the real :class:`~szkiosk.show.stage.Stage`, shown (not on a screen) at the
target size: every frame sets the panel's (or the transition's) state at that moment
(``apply()``) and then processes events until the view has repainted what changed, as the
event loop does on screen (offscreen raster). The baseline repaints a whole empty scene of
the same size in a bare QGraphicsView in the same run. Animation time advances 16.7 ms per frame,
so the measured cost of a frame is the frame interval the show would get at best.

Absolute times are noisy on shared machines; the ratios are what count. Benchmarks are never
pass/fail tests: ``--quick`` exists so CI can keep this code working.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FRAME_MS = 1000.0 / 60.0
#: Frame budget per size: the p95 target of the issue (60 fps at 1080p, 30 fps at 4K).
BUDGET_MS = {"1080p": 1000.0 / 60.0, "4K": 1000.0 / 30.0}
SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160)}

BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
w = QWidget(); w.resize(1920, 1080)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
f = F(); w.installEventFilter(f); w.show(); app.exec()
"""


@dataclass
class Settings:
    """How much to measure (``--quick`` shrinks everything)."""

    startup_runs: int = 5
    frames_cap: int = 48
    transition_frames: int = 27
    sizes: tuple[str, ...] = ("1080p", "4K")
    idle_seconds: float = 3.0
    idle_panels: tuple[str, ...] = ("title", "innovation-figures", "sister-cities")
    soak: tuple[int, ...] = (100, 1000, 10000)
    scale_panels: int = 500
    #: Frame times only for these panel ids (and the transitions into them); empty = all.
    panels: tuple[str, ...] = ()

    @classmethod
    def quick(cls) -> Settings:
        return cls(startup_runs=1, frames_cap=4, transition_frames=3, sizes=("1080p",), idle_seconds=0.5,
                   idle_panels=("title",), soak=(10, 50, 100), scale_panels=50)


@dataclass
class FrameStats:
    """Frame intervals of one animated sequence."""

    name: str
    size: str
    frames: list[float] = field(default_factory=list)
    #: Frames that repainted something (the rest changed nothing on screen).
    painted: int = 0

    def pct(self, q: float) -> float:
        data = sorted(self.frames)
        if not data:
            return 0.0
        k = min(len(data) - 1, max(0, math.ceil(q * len(data)) - 1))
        return data[k]

    @property
    def p50(self) -> float:
        return self.pct(0.50)

    @property
    def p95(self) -> float:
        return self.pct(0.95)

    @property
    def max(self) -> float:
        return max(self.frames, default=0.0)

    @property
    def dropped(self) -> int:
        """Frames over the size's budget (each would miss at least one refresh at that rate)."""
        return sum(1 for f in self.frames if f > BUDGET_MS[self.size])


@dataclass
class Results:
    """Everything measured, for the table."""

    settings: Settings
    startup: dict[str, list[float]] = field(default_factory=dict)
    frames: list[FrameStats] = field(default_factory=list)
    baseline: dict[str, FrameStats] = field(default_factory=dict)
    idle: list[tuple[str, float, float, list[str]]] = field(default_factory=list)
    memory: list[tuple[int, float, int, int]] = field(default_factory=list)
    memory_start: tuple[float, int, int] | None = None
    scale: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    platform: str = ""


def progress(text: str) -> None:
    """One progress line on stderr (stdout keeps the table)."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)


# -- 1. start-up ---------------------------------------------------------------------
def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=60)
    return (time.perf_counter() - start) * 1000


def bench_startup(deck: Path, runs: int) -> dict[str, list[float]]:
    """Wall time to first paint: a bare PySide6 window, and ``szkiosk run`` with and without
    the start-up frame (processes interleaved, the same number of runs each)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "default.warning=false"}
    env.pop("SZKIOSK_NO_START_FRAME", None)
    bare = [sys.executable, "-c", BARE_WINDOW]
    app = [sys.executable, "-m", "szkiosk", "--log-level", "error", "--log-file", "none", "run", str(deck),
           "--quit-after-first-paint", "--windowed", "--window-size", "1920x1080"]
    live = [*app, "--no-start-frame"]
    # warm the file cache; the first szkiosk run also saves the start-up frame
    _timed(bare, env), _timed(app, env), _timed(live, env)
    out: dict[str, list[float]] = {"bare": [], "szkiosk": [], "live": []}
    for i in range(runs):
        out["bare"].append(_timed(bare, env))
        out["szkiosk"].append(_timed(app, env))
        out["live"].append(_timed(live, env))
        progress(f"start-up {i + 1}/{runs}: bare {out['bare'][-1]:.0f} ms, szkiosk {out['szkiosk'][-1]:.0f} ms, "
                 f"without start-up frame {out['live'][-1]:.0f} ms")
    return out


# -- 2. frame times --------------------------------------------------------------------
class _Painter:
    """Drives ``view`` as the event loop would for one frame, and reports whether it painted.

    After the scene changes, Qt schedules an update of the dirty region; the frame is the
    processing of those events up to and including the viewport's paint (only the changed
    region is repainted, as on screen). A frame in which nothing changed paints nothing.
    """

    def __init__(self, view) -> None:  # noqa: ANN001
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.paints = 0
        paint = QEvent.Type.Paint

        class Counter(QObject):
            def eventFilter(inner, watched, event) -> bool:  # noqa: N805, ANN001
                if event.type() == paint:
                    self.paints += 1
                return False

        self._counter = Counter()
        self.viewport = view.viewport()
        self.viewport.installEventFilter(self._counter)

    def __call__(self) -> bool:
        from PySide6.QtCore import QEventLoop

        start = self.paints
        for _ in range(4):
            self.app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            if self.paints > start:
                return True
        return False

    def close(self) -> None:
        self.viewport.removeEventFilter(self._counter)


def _lay_out(view, w: int, h: int) -> None:  # noqa: ANN001
    """Size and show ``view`` as a w x h window, without putting it on a screen.

    A widget that was never shown keeps Qt's default viewport size: its scene would be
    drawn through a small view transform and scaled up, which is not what a screen gets.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.resize(w, h)
    view.show()
    QApplication.processEvents()


def _bare_baseline(size_name: str, frames: int) -> FrameStats:
    """A full repaint of an empty scene of the same size in a bare QGraphicsView, same process."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QPainter, QTransform
    from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView

    w, h = SIZES[size_name]
    scene = QGraphicsScene(0, 0, 1920, 1080)
    scene.addRect(QRectF(0, 0, 1920, 1080), Qt.PenStyle.NoPen, QColor("#0A1A33"))
    view = QGraphicsView(scene)
    view.setFrameShape(QFrame.Shape.NoFrame)
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    _lay_out(view, w, h)
    view.setTransform(QTransform.fromScale(w / 1920, h / 1080))
    paint = _Painter(view)
    stats = FrameStats("bare empty scene", size_name)
    paint()
    for _ in range(frames):
        t0 = time.perf_counter()
        view.viewport().update()
        stats.painted += paint()
        stats.frames.append((time.perf_counter() - t0) * 1000)
    paint.close()
    view.close()
    view.deleteLater()
    return stats


def _sample_times(span_ms: float, cap: int) -> list[float]:
    """Animation times of the frames to draw: every 16.7 ms, or ``cap`` evenly spread."""
    if not math.isfinite(span_ms) or span_ms <= 0:
        return [0.0]
    n = max(2, min(cap, math.ceil(span_ms / FRAME_MS) + 1))
    return [span_ms * i / (n - 1) for i in range(n)]


def bench_frames(deck, language: str, settings: Settings, results: Results) -> None:  # noqa: ANN001
    """Every panel's build animation and every transition, at each size."""
    from szkiosk.show.stage import Stage

    count = len(deck.panels)
    only = set(settings.panels) if settings.panels else None
    for size_name in settings.sizes:
        w, h = SIZES[size_name]
        results.baseline[size_name] = _bare_baseline(size_name, max(10, settings.frames_cap))
        stage = Stage(deck, language)
        stage.enable_access_button()
        _lay_out(stage, w, h)
        paint = _Painter(stage)
        for index, model in enumerate(deck.panels):
            if only is not None and model.id not in only:
                continue
            panel = stage.show_panel(index, animate=False)
            panel.deactivate()  # the benchmark drives time itself
            span = min(panel.build_ms, 20000.0) if math.isfinite(panel.build_ms) else 0.0
            stats = FrameStats(model.id, size_name)
            stage.viewport().update()
            paint()  # first paint of a freshly built panel fills caches: not a frame of its animation
            for t in _sample_times(span, settings.frames_cap):
                t0 = time.perf_counter()
                panel.apply(t)
                stats.painted += paint()
                stats.frames.append((time.perf_counter() - t0) * 1000)
            panel.finish()
            results.frames.append(stats)
            progress(f"frames {size_name} {index + 1}/{count} {model.id}: p95 {stats.p95:.1f} ms")
        for index in range(count - 1):
            if only is not None and deck.panels[index + 1].id not in only:
                continue
            stage.show_panel(index, animate=False)
            stage.current.finish()
            paint()  # the leaving panel on screen, as before a key press
            # the transition's set-up (both panels' snapshots) counts in its first frame
            setup_start = time.perf_counter()
            new = stage.show_panel(index + 1, 1, animate=True)
            setup_ms = (time.perf_counter() - setup_start) * 1000
            group = stage._transition  # noqa: SLF001  (the benchmark drives the real transition)
            if group is not None:
                group.pause()  # driven frame by frame below, not by the clock
            name = f"{deck.panels[index].id} → {deck.panels[index + 1].id}"
            stats = FrameStats(f"transition {index + 1}", size_name)
            stats.name = name
            if group is not None:
                total = group.totalDuration()
                n = max(2, settings.transition_frames)
                for i in range(n):
                    t = total * i / (n - 1)
                    t0 = time.perf_counter() - (setup_ms / 1000 if i == 0 else 0.0)
                    group.setCurrentTime(int(t))
                    stats.painted += paint()
                    stats.frames.append((time.perf_counter() - t0) * 1000)
            stage.show_panel(index + 1, animate=False)  # ends the transition
            new.finish()
            results.frames.append(stats)
        progress(f"frames {size_name}: {count - 1} transitions done")
        paint.close()
        stage.stop()
        stage.close()
        stage.deleteLater()
        _flush_deletes()


# -- 3. idle cost ----------------------------------------------------------------------
def _run_loop(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def running_timers(window) -> list[str]:  # noqa: ANN001
    """Active QTimers and running animations under ``window`` and its scene's objects."""
    from PySide6.QtCore import QAbstractAnimation, QTimer
    from PySide6.QtWidgets import QGraphicsObject

    owners = [window, *[i for i in window.stage.scene().items() if isinstance(i, QGraphicsObject)]]
    found: list[str] = []
    for owner in owners:
        for timer in owner.findChildren(QTimer):
            if timer.isActive():
                found.append(f"QTimer({timer.interval()} ms) on {type(owner).__name__}")
        for anim in owner.findChildren(QAbstractAnimation):
            if anim.state() == QAbstractAnimation.State.Running:
                found.append(f"{type(anim).__name__} on {type(owner).__name__}")
    return found


def bench_idle(deck, settings: Settings, results: Results) -> None:  # noqa: ANN001
    """CPU % of the process while a panel sits still after its animation (window shown)."""
    from szkiosk.show.window import ShowWindow

    window = ShowWindow(deck)
    window.resize(1920, 1080)
    window.show()
    ids = [p.id for p in deck.panels]
    for panel_id in settings.idle_panels:
        if panel_id not in ids:
            continue
        window.presentation.goto(panel_id)
        panel = window.stage.current
        build = panel.build_ms if math.isfinite(panel.build_ms) else 0.0
        deadline = time.monotonic() + min(20.0, build / 1000 + 1.0)
        while (panel.animating or window.stage.transitioning) and time.monotonic() < deadline:
            _run_loop(0.1)
        _run_loop(0.3)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        _run_loop(settings.idle_seconds)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        timers = running_timers(window)
        results.idle.append((panel_id, 100 * cpu / wall, wall, timers))
        progress(f"idle {panel_id}: {100 * cpu / wall:.2f} % CPU over {wall:.1f} s; timers: {timers or 'none'}")
    window.stage.stop()
    window.close()
    window.deleteLater()
    _flush_deletes()


# -- 4. memory over time ------------------------------------------------------------------
def rss_mb() -> float:
    """Resident set size of this process (MB), from /proc/self/statm."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def live_objects(window) -> tuple[int, int]:  # noqa: ANN001
    """(QObjects under the window and in its scene, graphics items in the scene)."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QGraphicsObject

    items = window.stage.scene().items()
    objects = 1 + len(window.findChildren(QObject))
    for item in items:
        if isinstance(item, QGraphicsObject):
            objects += 1 + len(item.findChildren(QObject))
    return objects, len(items)


def _flush_deletes() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def bench_memory(deck, settings: Settings, results: Results) -> None:  # noqa: ANN001
    """RSS and live QObjects after N panel changes through the window (with transitions)."""
    import gc

    from szkiosk.show.window import ShowWindow

    window = ShowWindow(deck, kiosk=True)  # kiosk: Next wraps around at the end
    _lay_out(window, 1920, 1080)
    render = _Painter(window.stage)
    # one lap first: every panel built once (the stage keeps one per deck entry)
    for _ in range(len(deck.panels)):
        window.presentation.next()
    _flush_deletes()
    gc.collect()
    results.memory_start = (rss_mb(), *live_objects(window))
    done = 0
    lang_every = 97
    for target in settings.soak:
        while done < target:
            window.presentation.next()
            done += 1
            if done % lang_every == 0:
                window.presentation.toggle_language()
            if done % 50 == 0:
                render()
                _flush_deletes()
        _flush_deletes()
        gc.collect()
        objects, items = live_objects(window)
        results.memory.append((target, rss_mb(), objects, items))
        progress(f"memory after {target} changes: RSS {rss_mb():.1f} MB, {objects} QObjects, {items} items")
    render.close()
    window.stage.stop()
    window.force_close()
    window.deleteLater()
    _flush_deletes()


# -- 5. content scale -------------------------------------------------------------------
def make_big_deck(source: Path, folder: Path, panels: int) -> Path:
    """A deck of ``panels`` panels: the source deck's panels repeated with fresh ids."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir() and entry.name != "panels":
            shutil.copytree(entry, folder / entry.name, dirs_exist_ok=True)
    deck = yaml.safe_load((source / "deck.yaml").read_text(encoding="utf-8"))
    files = [source / p for p in deck["panels"]]
    texts = [f.read_text(encoding="utf-8") for f in files]
    (folder / "panels").mkdir(exist_ok=True)
    listed = []
    for i in range(panels):
        k = i % len(files)
        data = yaml.safe_load(texts[k])
        base_id = data.get("id", files[k].stem)
        text = texts[k].replace(f"id: {base_id}", f"id: {base_id}-{i:03d}", 1)
        name = f"panels/{i:03d}-{files[k].name}"
        (folder / name).write_text(text, encoding="utf-8")
        listed.append(name)
    deck["panels"] = listed
    deck.get("kiosk", {}).pop("attract_panels", None)
    (folder / "deck.yaml").write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def bench_scale(source: Path, settings: Settings, results: Results) -> None:
    """load_deck + validation (legibility) of a generated deck: in process and as ``szkiosk validate``."""
    from szkiosk.content import load_deck
    from szkiosk.content.legibility import check_legibility

    with tempfile.TemporaryDirectory(prefix="szkiosk-bench-") as tmp:
        folder = make_big_deck(source, Path(tmp) / "deck", settings.scale_panels)
        t0 = time.perf_counter()
        loaded = load_deck(folder)
        t1 = time.perf_counter()
        problems, _ = check_legibility(loaded)
        t2 = time.perf_counter()
        results.scale = {"panels": len(loaded.panels), "errors": len(loaded.errors) + len(problems),
                         "load_ms": (t1 - t0) * 1000, "validate_ms": (t2 - t1) * 1000}
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "szkiosk", "--log-level", "error", "--log-file", "none",
                        "validate", str(folder)], env=env, capture_output=True, timeout=120, check=False)
        results.scale["cli_ms"] = (time.perf_counter() - t0) * 1000
    progress(f"content scale: {results.scale}")


# -- report --------------------------------------------------------------------------------
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


# -- command ---------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    """The ``szkiosk bench`` command."""
    started = time.perf_counter()
    settings = Settings.quick() if args.quick else Settings()
    if args.runs:
        settings.startup_runs = args.runs
    if getattr(args, "panels", None):
        settings.panels = tuple(p.strip() for p in args.panels.split(",") if p.strip())
    from szkiosk.show.app import prepare_environment

    prepare_environment(offscreen=True, size=(3840, 2160))
    results = Results(settings)
    only = set(args.only.split(",")) if args.only else {"startup", "frames", "idle", "memory", "scale"}
    deck_path = Path(args.deck)
    if "startup" in only:
        progress(f"start-up: {settings.startup_runs} run(s) each")
        results.startup = bench_startup(deck_path, settings.startup_runs)
    from szkiosk.content import load_deck
    from szkiosk.show.app import application

    app = application()
    results.platform = app.platformName()
    deck = load_deck(deck_path)
    language = deck.model.default_language
    if "frames" in only:
        bench_frames(deck, language, settings, results)
    if "idle" in only:
        bench_idle(deck, settings, results)
    if "memory" in only:
        bench_memory(deck, settings, results)
    if "scale" in only:
        bench_scale(deck_path, settings, results)
    results.seconds = time.perf_counter() - started
    text = table(results)
    print(text)
    if args.markdown:
        path = Path(args.markdown)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        progress(f"wrote {path}")
    if args.chart and results.frames:
        chart(results, Path(args.chart))
        progress(f"wrote {args.chart}")
    return 0

