"""A hard crash (a segmentation fault in native code) leaves every thread's Python stack in
``szkiosk-crash.log`` beside the booth's log file: before, a crashed booth left nothing but
its exit code to go on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_segfault_writes_every_threads_stack_beside_the_log(tmp_path: Path) -> None:
    log = tmp_path / "state" / "szkiosk.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    env.pop("PYTHONFAULTHANDLER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "szkiosk", "--log-file", str(log), "run", "content", "--kiosk", "--windowed",
         "--analytics", str(tmp_path / "a.sqlite3"), "--no-start-frame"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while "warm-up:" not in (log.read_text(encoding="utf-8") if log.exists() else ""):
            assert proc.poll() is None and time.monotonic() < deadline, "the booth did not come up"
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGSEGV)  # what a crash in Qt's C++ raises
        assert proc.wait(60) == -signal.SIGSEGV
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    trace = (log.parent / "szkiosk-crash.log").read_text(encoding="utf-8")
    assert f"-- szkiosk started, pid {proc.pid}" in trace
    assert "Fatal Python error: Segmentation fault" in trace
    assert "analytics.py" in trace  # the other threads too (here the analytics writer)
    assert "Current thread" in trace and "szkiosk/cli.py" in trace  # the main thread's stack
