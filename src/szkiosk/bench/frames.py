"""Frame times: every panel's build animation and every transition through the real stage,
against a bare QGraphicsView repainting an empty scene of the same size in the same run."""

from __future__ import annotations

import math
import time

from szkiosk.bench.drive import Painter, flush_deletes, lay_out
from szkiosk.bench.results import FRAME_MS, SIZES, FrameStats, Results, Settings, progress


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
    lay_out(view, w, h)
    view.setTransform(QTransform.fromScale(w / 1920, h / 1080))
    paint = Painter(view)
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


def idle_until_prepared(stage, limit_s: float = 10.0) -> float:
    """Run the event loop (idle: no input) until the stage has prepared its next transitions; seconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    start = time.perf_counter()
    while stage.preparing and time.perf_counter() - start < limit_s:
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return time.perf_counter() - start


def _sample_times(span_ms: float, cap: int) -> list[float]:
    """Animation times of the frames to draw: every 16.7 ms, or ``cap`` evenly spread."""
    if not math.isfinite(span_ms) or span_ms <= 0:
        return [0.0]
    n = max(2, min(cap, math.ceil(span_ms / FRAME_MS) + 1))
    return [span_ms * i / (n - 1) for i in range(n)]


def bench_frames(deck, language: str, settings: Settings, results: Results) -> None:
    """Every panel's build animation and every transition, at each size."""
    from szkiosk.show.stage import Stage

    count = len(deck.panels)
    only = set(settings.panels) if settings.panels else None
    for size_name in settings.sizes:
        w, h = SIZES[size_name]
        results.baseline[size_name] = _bare_baseline(size_name, max(10, settings.frames_cap))
        stage = Stage(deck, language)
        stage.enable_access_button()
        lay_out(stage, w, h)
        paint = Painter(stage)
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
        # as in a show window: once a panel has settled, the next transitions' images are drawn
        # in idle time (panel animations above are measured without this: it waits for them)
        stage.enable_preparation()
        for index in range(count - 1):
            if only is not None and deck.panels[index + 1].id not in only:
                continue
            stage.show_panel(index, animate=False)
            stage.current.finish()
            paint()  # the leaving panel on screen, as before a key press
            idle_until_prepared(stage)  # a visitor looks at it a moment before swiping
            # the transition's set-up (both panels' snapshots) counts in its first frame
            setup_start = time.perf_counter()
            new = stage.show_panel(index + 1, 1, animate=True)
            setup_ms = (time.perf_counter() - setup_start) * 1000
            group = stage._transition  # the benchmark drives the real transition
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
        flush_deletes()
