"""Regression: a 60 Hz pyqtgraph animation must survive (PySide6 6.12.0 on Python 3.11
corrupted None's refcount and aborted after ~20 s). Runs in a subprocess so a crash
fails this test instead of killing the test session."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SECONDS = float(os.environ.get("SZKIOSK_SOAK_SECONDS", "30"))

SCRIPT = textwrap.dedent(
    f"""
    import sys
    import numpy as np
    from szkiosk.show.app import prepare_environment, application
    prepare_environment(offscreen=True)
    app = application()
    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    w = pg.PlotWidget()
    w.resize(960, 540)
    bars = pg.BarGraphItem(x=np.arange(12), height=np.zeros(12), width=0.6, brush="c")
    curve = w.plot(pen="y")
    w.addItem(bars)
    w.show()
    frames = [0]
    def tick():
        frames[0] += 1
        t = frames[0] / 60
        bars.setOpts(height=np.abs(np.sin(np.arange(12) + t)) * 10)
        curve.setData(np.arange(200), np.sin(np.arange(200) / 10 + t))
        w.getPlotItem().setTitle(f"frame {{frames[0]}}")
    timer = QTimer(); timer.setInterval(16); timer.timeout.connect(tick); timer.start()
    QTimer.singleShot(int({SECONDS} * 1000), app.quit)
    app.exec()
    print("frames", frames[0])
    """
)


def test_pyqtgraph_animation_survives_refcount_bug() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=SECONDS + 60, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "none_dealloc" not in out.stderr
    frames = int(out.stdout.split("frames")[-1])
    assert frames > SECONDS * 20, f"only {frames} frames in {SECONDS} s"


def test_installed_pyside_is_below_the_broken_release() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), f"PySide6 {PySide6.__version__}: see research/env_probe.md"
