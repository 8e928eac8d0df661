"""Start-up: wall time to first paint of a bare PySide6 window and of ``szkiosk run``
(with and without the start-up frame), as new processes, interleaved."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from szkiosk.bench.results import progress

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


#: A fresh interpreter importing the content layer alone; prints how long that took (ms).
CONTENT_IMPORT = """
import time
start = time.perf_counter()
import szkiosk.content
print((time.perf_counter() - start) * 1000)
"""


def _content_import(env: dict[str, str]) -> float:
    """Milliseconds a fresh interpreter takes to import :mod:`szkiosk.content` (pydantic, the
    models, the YAML parser): what the live first panel pays before it can paint."""
    done = subprocess.run([sys.executable, "-c", CONTENT_IMPORT], check=True, env=env, capture_output=True,
                          text=True, timeout=60)
    return float(done.stdout.strip().splitlines()[-1])


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=60)
    return (time.perf_counter() - start) * 1000


def bench_startup(deck: Path, runs: int) -> dict[str, list[float]]:
    """Wall time to first paint: a bare PySide6 window, and ``szkiosk run`` with and without
    the start-up frame (processes interleaved, the same number of runs each); and, in a
    fresh interpreter each time, the import of the content layer alone (``content_import``)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "default.warning=false"}
    env.pop("SZKIOSK_NO_START_FRAME", None)
    bare = [sys.executable, "-c", BARE_WINDOW]
    app = [sys.executable, "-m", "szkiosk", "--log-level", "error", "--log-file", "none", "run", str(deck),
           "--quit-after-first-paint", "--windowed", "--window-size", "1920x1080"]
    live = [*app, "--no-start-frame"]
    # warm the file cache; the first szkiosk run also saves the start-up frame
    _timed(bare, env), _timed(app, env), _timed(live, env)
    out: dict[str, list[float]] = {"bare": [], "szkiosk": [], "live": [], "content_import": []}
    for i in range(runs):
        out["bare"].append(_timed(bare, env))
        out["szkiosk"].append(_timed(app, env))
        out["live"].append(_timed(live, env))
        out["content_import"].append(_content_import(env))
        progress(f"start-up {i + 1}/{runs}: bare {out['bare'][-1]:.0f} ms, szkiosk {out['szkiosk'][-1]:.0f} ms, "
                 f"without start-up frame {out['live'][-1]:.0f} ms (content layer import "
                 f"{out['content_import'][-1]:.0f} ms)")
    return out
