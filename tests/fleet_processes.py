"""Helpers the fleet tests share: waiting on a condition, and real szkiosk processes.

A booth under test is a real ``python -m szkiosk run ...`` process (offscreen), with its own
state, config and cache folders so that it never touches the user's; the console commands
are real ``python -m szkiosk fleet ...`` runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def until(condition: Callable[[], object], timeout: float = 30.0) -> bool:
    """Wait (without a Qt loop) until ``condition()`` holds, at most ``timeout`` seconds (a
    generous bound, never a wall-clock assertion); whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def booth_env(home: Path) -> dict[str, str]:
    """The environment of a test's szkiosk process: this checkout's code, offscreen, its
    folders under ``home``, and no broker or password from the developer's environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("SZKIOSK_FLEET_BROKER", "SZKIOSK_FLEET_PASSWORD")}
    env.update({"PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen",
                "XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_CACHE_HOME": str(home / "cache")})
    return env


def szkiosk(env: dict[str, str], *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """``python -m szkiosk ARGS`` as a user would run it; its output."""
    return subprocess.run([sys.executable, "-m", "szkiosk", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)


def start_booth(env: dict[str, str], log: Path, *run_args: str) -> subprocess.Popen:
    """``python -m szkiosk --log-file LOG run RUN_ARGS`` in a 1280x720 window, ended after 300 s at
    the latest (a test that dies cannot leave it behind for long)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "szkiosk", "--log-file", str(log), "run", *run_args, "--windowed",
         "--window-size", "1280x720", "--quit-after", "300"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_booth(proc: subprocess.Popen) -> None:
    """SIGTERM (a clean stop), then SIGKILL if it does not end within 20 s."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
