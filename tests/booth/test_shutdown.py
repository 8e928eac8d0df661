"""Clean shutdown: SIGTERM and SIGINT (what ``systemctl stop`` and Ctrl+C send) end a booth with
exit 0 after recording the current view and visitor session."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UP = "warm-up:"  # the booth's self-test has run: the show is up and the booth is running


class Booth:
    """``szkiosk run content --kiosk`` in a subprocess; its stderr read line by line."""

    def __init__(self, db: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        if not env or "DISPLAY" not in env:
            environment.pop("DISPLAY", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "szkiosk", "--log-file", "none", "run", "content", "--kiosk",
             "--analytics", str(db), "--no-start-frame", *extra],
            cwd=ROOT, env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, "the booth exited early:\n" + "".join(self.lines)
                continue
            self.lines.append(line)
            if text in line:
                return
        raise AssertionError(f"no {text!r} within {timeout} s:\n" + "".join(self.lines))

    def stop(self, sig: int) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(60)
        while not self._queue.empty():
            self.lines.append(self._queue.get())
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def rows(db: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_closes_the_view_flushes_and_exits_0(tmp_path: Path, sig: int) -> None:
    db = tmp_path / "analytics.sqlite3"
    booth = Booth(db, "--windowed")
    try:
        booth.wait_for(UP)
        assert rows(db, "views") == []  # the view on screen is recorded when it ends
        code = booth.stop(sig)
    finally:
        booth.kill()
    assert code == 0, "".join(booth.lines)
    views = rows(db, "views")
    assert len(views) == 1 and views[0][1] == "title"
    assert any("stopped cleanly on " + signal.Signals(sig).name in line for line in booth.lines)
    assert not any("Traceback" in line for line in booth.lines)


@pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool")
def test_sigterm_records_the_visitor_session_under_x(tmp_path: Path) -> None:
    display = f":{90 + os.getpid() % 100}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = tmp_path / "analytics.sqlite3"
    booth = None
    try:
        env = {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        deadline = time.monotonic() + 30
        while subprocess.run(["xdotool", "getmouselocation"], env={**os.environ, **env},
                             capture_output=True).returncode != 0:
            assert time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.2)
        booth = Booth(db, env=env)
        booth.wait_for(UP)
        for _ in range(3):  # a visitor taps the screen: a session begins
            subprocess.run(["xdotool", "mousemove", "640", "360", "click", "1"], env={**os.environ, **env},
                           check=True)
        code = booth.stop(signal.SIGTERM)
    finally:
        if booth is not None:
            booth.kill()
        xvfb.terminate()
        xvfb.wait(10)
    assert code == 0, "".join(booth.lines)
    sessions = rows(db, "sessions")
    assert len(sessions) == 1 and sessions[0][4] >= 1, sessions  # touches
    assert [v for v in rows(db, "views") if v[5] == 0], "no visitor view recorded"
