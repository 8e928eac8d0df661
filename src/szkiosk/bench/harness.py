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

This module runs the command; each benchmark lives in its own module: :mod:`.startup`,
:mod:`.frames`, :mod:`.idle`, :mod:`.soak` (memory), :mod:`.scale` (content), with
:mod:`.results` (what is measured, budgets), :mod:`.drive` (Qt driven frame by frame) and
:mod:`.report` (table and chart). Only ``szkiosk bench`` imports this package.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from szkiosk.bench.frames import bench_frames
from szkiosk.bench.idle import bench_idle
from szkiosk.bench.report import as_json, chart, machine_info, table
from szkiosk.bench.results import Results, Settings, progress
from szkiosk.bench.scale import bench_scale
from szkiosk.bench.soak import bench_memory_process
from szkiosk.bench.startup import bench_startup


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
    results.machine = machine_info()
    deck = load_deck(deck_path)
    language = deck.model.default_language
    if "frames" in only:
        bench_frames(deck, language, settings, results)
    if "idle" in only:
        bench_idle(deck, settings, results)
    if "memory" in only:
        bench_memory_process(deck_path, settings, results)
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
    if getattr(args, "json", None):
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(as_json(results), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        progress(f"wrote {path}")
    if args.chart and results.frames:
        chart(results, Path(args.chart))
        progress(f"wrote {args.chart}")
    return 0

