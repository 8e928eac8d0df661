"""Start-up to first painted panel, against a bare PySide6 window measured in the same run.

Usage: .venv/bin/python benchmarks/bench_startup.py [--runs N]
Prints min/median of both and the ratio (target <= 1.5). Absolute times are noisy on
shared machines; the ratio is what counts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
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


def timed(cmd: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "default.warning=false"}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [sys.executable, "-m", "szkiosk", "--log-level", "error", "run", "content",
               "--quit-after-first-paint", "--windowed", "--window-size", "1920x1080"]
    timed(bare_cmd), timed(app_cmd)  # warm the file cache
    bare, app = [], []
    for i in range(args.runs):
        bare.append(timed(bare_cmd))
        app.append(timed(app_cmd))
        print(f"[{i + 1}/{args.runs}] bare {bare[-1] * 1000:.0f} ms, szkiosk {app[-1] * 1000:.0f} ms", flush=True)
    mb, ma = statistics.median(bare), statistics.median(app)
    print(f"\n| process | min ms | median ms |\n|---|---|---|\n| bare PySide6 window | {min(bare) * 1000:.0f} "
          f"| {mb * 1000:.0f} |\n| szkiosk run --quit-after-first-paint | {min(app) * 1000:.0f} | {ma * 1000:.0f} |")
    print(f"\nratio (median): {ma / mb:.2f}  (target <= 1.5); runs: {args.runs}; platform offscreen; "
          f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
