"""Smoke test of ``szkiosk bench --quick``: it runs and prints its table (never a timing assertion)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_quick_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "perf.md"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "szkiosk", "--log-level", "error", "--log-file", "none", "bench", "--quick",
         "--markdown", str(out), "--chart", str(tmp_path / "frames.png"), str(ROOT / "content")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for heading in ("## Summary", "## Start-up to first painted panel", "## Frame times", "## Idle cost",
                    "## Memory over panel changes", "## Content scale"):
        assert heading in done.stdout
    assert "| bare PySide6 window |" in done.stdout
    assert "baseline: bare empty scene" in done.stdout
    assert "[bench]" in done.stderr  # progress goes to stderr
    assert out.read_text(encoding="utf-8") == done.stdout.rstrip("\n") + "\n"
    assert (tmp_path / "frames.png").stat().st_size > 1000
