"""Memory over time: RSS, PSS and live QObjects after thousands of panel changes.

Each figure is taken with the show at rest, as a booth is between visitors: the transition
has landed, the panel's build has finished and the stage has released what is far from it
(see :mod:`szkiosk.show.keep`).
"""

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


def heap_mb() -> float | None:
    """Bytes the C heap holds allocated (MB): glibc ``mallinfo2``'s ``uordblks + hblkhd``, the
    small blocks in use and the large ones mapped on their own (a panel's images); None where
    there is no glibc.

    Unlike RSS it leaves out what the allocator keeps after a free, so two runs that hold the
    same objects read the same whatever the heap's fragmentation or when it was last trimmed.
    """
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost")]

    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):  # not glibc, or older than 2.33
        return None
    mallinfo2.restype = MallInfo2
    info = mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20


def at_rest(window, render) -> None:
    """Let the show come to rest: the transition lands, the build finishes, far panels go, the
    neighbours' transition images are prepared (as a booth is between visitors)."""
    import time

    from PySide6.QtCore import QCoreApplication, QEventLoop

    stage = window.stage
    deadline = time.monotonic() + 10.0
    while stage.transitioning and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    if stage.current is not None:
        stage.current.finish()
    render()
    # the keeper releases far panels; idle preparation draws the neighbours' transition images
    while (stage.keeper.pending or getattr(stage, "preparing", False)) and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    render()
    flush_deletes()


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
    at_rest(window, render)
    gc.collect()
    results.memory_first = (rss_mb(), pss_mb())
    progress(f"memory after the first panel: RSS {rss_mb():.1f} MB, PSS {pss_mb() or 0:.1f} MB")
    # one lap first: every panel shown once
    for _ in range(len(deck.panels)):
        window.presentation.next()
        at_rest(window, render)
    gc.collect()
    results.memory_start = (rss_mb(), *live_objects(window))
    results.pss_start = pss_mb()
    progress(f"memory after one lap: RSS {rss_mb():.1f} MB, PSS {pss_mb() or 0:.1f} MB")
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
                # a booth rests seconds between changes, and its GUI-thread collector
                # (szkiosk.show.collector) runs a full collection at most every 10 s: at a
                # visitor's pace, once every few changes. These changes come a thousand times
                # faster, so collect here, once per 50 (less often than a booth would).
                gc.collect()
        at_rest(window, render)
        gc.collect()
        objects, items = live_objects(window)
        results.memory.append((target, rss_mb(), objects, items))
        results.pss.append(pss_mb())
        progress(f"memory after {target} changes: RSS {rss_mb():.1f} MB, PSS {pss_mb() or 0:.1f} MB, "
                 f"{objects} QObjects, {items} items")
    render.close()
    window.stage.stop()
    window.force_close()
    window.deleteLater()
    flush_deletes()


def bench_memory_process(deck_path: Path, settings: Settings, results: Results) -> None:
    """:func:`bench_memory` in a fresh process, as a show is: not one that has already drawn
    every panel at 4K for the frame benchmarks (their allocations would count too)."""
    import json
    import subprocess
    import sys

    command = [sys.executable, "-m", "szkiosk.bench.soak", "--changes", ",".join(map(str, settings.soak)),
               str(deck_path)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=3600,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})  # progress lines pass through
    if done.returncode != 0:
        raise RuntimeError(f"the memory benchmark process failed (exit {done.returncode})")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    results.memory_first = tuple(data["first"])
    results.memory_start = tuple(data["start"])
    results.pss_start = data["pss_start"]
    results.memory = [tuple(row) for row in data["memory"]]
    results.pss = list(data["pss"])


def visit_all(deck, *, release: bool = True, release_whole: bool = True,
              size: tuple[int, int] = (1920, 1080)) -> dict[str, object]:
    """RSS, PSS and the C heap in use (:func:`heap_mb`) with the first panel at rest, then after
    every panel was shown in every language (the latter without the neighbours' prepared
    transition images, which do not depend on ``release``; ``prepared`` says how many there were).

    ``release=False`` keeps every panel built once shown (the stage before far panels were
    released), for comparison in the same conditions.
    """
    import gc

    from szkiosk.show.keep import trim_heap
    from szkiosk.show.window import ShowWindow

    window = ShowWindow(deck, kiosk=True)
    window.stage.keeper.enabled = release
    window.stage.keeper.release_whole = release_whole
    lay_out(window, *size)
    render = Painter(window.stage)
    at_rest(window, render)
    gc.collect()
    first = (round(rss_mb(), 1), round(pss_mb() or 0.0, 1))
    first_heap = heap_mb()
    for _ in deck.model.languages:
        for _ in range(len(deck.panels)):
            window.presentation.next()
            at_rest(window, render)
        window.presentation.toggle_language()
        at_rest(window, render)
    # the neighbours' prepared transition images (8 MB each at 1080p) depend on idle turns
    # and are the same with or without the keeper: leave them out, so that the figure is
    # what the panels hold. Then, as the stage does at rest: collect, and give the freed
    # heap back, so that RSS counts what is held and not what the allocator keeps.
    prepared = len(window.stage.prepared_images())
    window.stage.drop_prepared()
    gc.collect()
    trim_heap()
    after = (round(rss_mb(), 1), round(pss_mb() or 0.0, 1))
    heap = heap_mb()
    built = window.stage.keeper.built()
    render.close()
    window.stage.stop()
    window.force_close()
    return {"first": first, "all": after, "built": built, "current": window.stage.index,
            "count": len(deck.panels), "released": window.stage.keeper.released, "prepared": prepared,
            "heap": [None if first_heap is None else round(first_heap, 1), None if heap is None else round(heap, 1)]}


def main(argv: list[str] | None = None) -> int:
    """``python -m szkiosk.bench.soak [--keep-all] [DECK]``: :func:`visit_all` as one line of JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=visit_all.__doc__)
    parser.add_argument("deck", nargs="?", help="deck folder (the bundled deck when left out)")
    parser.add_argument("--keep-all", action="store_true", help="keep every panel built (no release)")
    parser.add_argument("--caches-only", action="store_true",
                        help="release only far panels' caches, not the panels whole")
    parser.add_argument("--changes", metavar="N,N,...",
                        help="run the bench's memory soak instead (RSS, PSS, QObjects after these panel changes)")
    args = parser.parse_args(argv)
    from szkiosk.content import load_deck
    from szkiosk.resources import bundled_deck
    from szkiosk.show.app import application, prepare_environment

    prepare_environment(offscreen=True, size=(1920, 1080))
    application()
    deck = load_deck(Path(args.deck) if args.deck else bundled_deck())
    if args.changes:
        settings = Settings(soak=tuple(int(n) for n in args.changes.split(",")))
        results = Results(settings)
        bench_memory(deck, settings, results)
        print(json.dumps({"first": results.memory_first, "start": results.memory_start,
                          "pss_start": results.pss_start, "memory": results.memory, "pss": results.pss}), flush=True)
        return 0
    print(json.dumps(visit_all(deck, release=not args.keep_all, release_whole=not args.caches_only)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
