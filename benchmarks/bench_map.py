"""Frame time of the partner map's arc animation at 1920x1080, offscreen.

Plain script: ``python benchmarks/bench_map.py``. Each frame is ``panel.apply(t)`` plus a
full render of the stage to a 1920x1080 image; the baseline renders an empty stage (no
panel) in the same run, so the two figures compare on the same machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from szkiosk.show.app import prepare_environment

prepare_environment(offscreen=True)

from szkiosk.show.app import application  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(frames: int = 120) -> None:
    """Print fps for the empty stage and for the map during its arc animation."""
    app = application()
    from PySide6.QtGui import QImage, QPainter

    from szkiosk.content import load_deck
    from szkiosk.show.stage import Stage

    deck = load_deck(ROOT / "content")
    stage = Stage(deck, "en")
    stage.resize(1920, 1080)
    stage.fit_to(1920, 1080)
    stage.animate_transitions = False
    image = QImage(1920, 1080, QImage.Format.Format_RGB32)

    def render() -> None:
        # through the view's paintEvent, as on screen, so item caches are used
        painter = QPainter(image)
        stage.render(painter)
        painter.end()

    def measure(step) -> float:
        start = time.perf_counter()
        for i in range(frames):
            step(i)
            render()
        return frames / (time.perf_counter() - start)

    baseline = measure(lambda i: None)
    index = deck.index_of("sister-cities")
    t0 = time.perf_counter()
    panel = stage.show_panel(index, animate=False)
    build_s = time.perf_counter() - t0
    panel.deactivate()  # the benchmark drives time itself
    first, last = panel.arc_start(0), panel.arc_start(len(panel.partners) - 1) + 800
    span = last - first

    def arcs(i: int) -> None:
        panel.apply(first + span * i / (frames - 1))

    animated = measure(arcs)
    panel.set_region("europe")
    zoomed = measure(lambda i: panel.apply(first + span * i / (frames - 1)))
    panel.set_region("world")
    panel.finish()
    static = measure(lambda i: None)
    stage.stop()
    print(f"panel build (first, incl. land projection): {build_s * 1000:.0f} ms")
    print(f"empty stage render:          {baseline:6.1f} fps ({1000 / baseline:5.1f} ms/frame)")
    print(f"map, arc animation (world):  {animated:6.1f} fps ({1000 / animated:5.1f} ms/frame)")
    print(f"map, arc animation (Europe): {zoomed:6.1f} fps ({1000 / zoomed:5.1f} ms/frame)")
    print(f"map, final state:            {static:6.1f} fps ({1000 / static:5.1f} ms/frame)")
    del app


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 120)
