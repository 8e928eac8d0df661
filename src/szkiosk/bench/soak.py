"""Memory over time: RSS and live QObjects after thousands of panel changes."""

from __future__ import annotations

import os
import resource
from pathlib import Path

from szkiosk.bench.drive import Painter, flush_deletes, lay_out
from szkiosk.bench.results import Results, Settings, progress, pss_mb


def rss_mb() -> float:
    """Resident set size of this process (MB), from /proc/self/statm."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def live_objects(window) -> tuple[int, int]:
    """(QObjects under the window and in its scene, graphics items in the scene)."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QGraphicsObject

    items = window.stage.scene().items()
    objects = 1 + len(window.findChildren(QObject))
    for item in items:
        if isinstance(item, QGraphicsObject):
            objects += 1 + len(item.findChildren(QObject))
    return objects, len(items)


def bench_memory(deck, settings: Settings, results: Results) -> None:
    """RSS and live QObjects after N panel changes through the window (with transitions)."""
    import gc

    from szkiosk.show.window import ShowWindow

    window = ShowWindow(deck, kiosk=True)  # kiosk: Next wraps around at the end
    lay_out(window, 1920, 1080)
    render = Painter(window.stage)
    # one lap first: every panel built once (the stage keeps one per deck entry)
    for _ in range(len(deck.panels)):
        window.presentation.next()
    flush_deletes()
    gc.collect()
    results.memory_start = (rss_mb(), *live_objects(window))
    results.pss_start = pss_mb()
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
                flush_deletes()
        flush_deletes()
        gc.collect()
        objects, items = live_objects(window)
        results.memory.append((target, rss_mb(), objects, items))
        results.pss.append(pss_mb())
        progress(f"memory after {target} changes: RSS {rss_mb():.1f} MB, {objects} QObjects, {items} items")
    render.close()
    window.stage.stop()
    window.force_close()
    window.deleteLater()
    flush_deletes()
