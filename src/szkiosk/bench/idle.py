"""Idle cost: CPU of the process while a panel sits still after its animation."""

from __future__ import annotations

import math
import time

from szkiosk.bench.drive import flush_deletes
from szkiosk.bench.results import Results, Settings, progress


def _run_loop(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def running_timers(window) -> list[str]:
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


def bench_idle(deck, settings: Settings, results: Results) -> None:
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
        while window.stage.preparing and time.monotonic() < deadline + 10:
            _run_loop(0.1)  # the next transitions' images, drawn once after the panel settles
        cpu0, wall0 = time.process_time(), time.perf_counter()
        _run_loop(settings.idle_seconds)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        timers = running_timers(window)
        results.idle.append((panel_id, 100 * cpu / wall, wall, timers))
        progress(f"idle {panel_id}: {100 * cpu / wall:.2f} % CPU over {wall:.1f} s; timers: {timers or 'none'}")
    window.stage.stop()
    window.close()
    window.deleteLater()
    flush_deletes()
