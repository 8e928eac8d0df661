"""One real booth process, a real content repository and a real broker, driven only through the
console commands an organiser types: a new commit is fetched on command and shown, a broken one
is refused (the status says so, the deck stays), and ``rollback`` goes back to the previous one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from content_repos import break_deck, commit, git, new_source, set_title

ROOT = Path(__file__).resolve().parents[2]


def until(condition, timeout: float = 60.0) -> bool:
    """Wait until ``condition()`` holds (a generous bound, never a wall-clock assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def console(broker, *args: str) -> subprocess.CompletedProcess[str]:
    """``szkiosk fleet ARGS --broker <console URL>`` as an organiser runs it."""
    return subprocess.run([sys.executable, "-m", "szkiosk", "fleet", *args, "--broker", broker.url()],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def status_of(broker, booth: str) -> dict | None:
    done = console(broker, "status", "--once", "--json")
    if done.returncode != 0:
        return None
    rows = {row["booth"]: row for row in json.loads(done.stdout)}
    return rows.get(booth)


@pytest.mark.slow
def test_fetch_refuse_and_rollback_by_command(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({"stand-1": "pw-1"})
    source = new_source(tmp_path / "deck-repo")
    first = git("rev-parse", "HEAD", cwd=source)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT / "src"),
           "HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    log = tmp_path / "booth.log"
    booth = subprocess.Popen(
        [sys.executable, "-m", "szkiosk", "--log-file", str(log), "run", "--kiosk", "--windowed", "--booth",
         "stand-1", "--content-repo", str(source), "--fleet", broker.url("stand-1"), "--fetch-every", "600",
         "--quit-after", "600"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert until(lambda: (status_of(broker, "stand-1") or {}).get("content_commit") == first, 120), \
            log.read_text(errors="replace")
        row = status_of(broker, "stand-1")
        assert (row["online"], row["problem"], row["panel"]) == (True, None, "title")

        # a curator commits a new title; the organiser asks for it now
        set_title(source, "Second Version")
        second = commit(source, "Second")
        done = console(broker, "send", "stand-1", "fetch")
        assert done.returncode == 0 and "stand-1: ok: fetch" in done.stdout, done.stdout + done.stderr
        assert until(lambda: (status_of(broker, "stand-1") or {}).get("content_commit") == second)

        # a broken commit: refused, reported in the status, never shown
        break_deck(source)
        broken = commit(source, "Broken")
        assert console(broker, "send", "stand-1", "fetch").returncode == 0
        assert until(lambda: ((status_of(broker, "stand-1") or {}).get("errors_latest") or "").find(broken[:12]) >= 0)
        row = status_of(broker, "stand-1")
        assert row["content_commit"] == second and row["problem"] == "errors"

        # rollback by command: the previous good commit is on screen again
        done = console(broker, "send", "stand-1", "rollback")
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"rolling back from {second[:12]} to {first[:12]}" in done.stdout
        assert until(lambda: (status_of(broker, "stand-1") or {}).get("content_commit") == first)
        assert booth.poll() is None  # the booth ran on through all of it
    finally:
        booth.send_signal(signal.SIGTERM)
        try:
            booth.wait(30)
        except subprocess.TimeoutExpired:
            booth.kill()
    assert booth.returncode == 0
    text = log.read_text(errors="replace")
    assert f"commit {broken[:12]} refused" in text
