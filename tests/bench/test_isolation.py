"""The benchmark harness stays out of the runtime path: only ``szkiosk bench`` loads it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: In a new process: import szkiosk.cli, run main(argv) unless argv is null, and report the exit
#: code and every szkiosk.bench module loaded by then.
PROBE = """
import json, sys
import szkiosk.cli
argv = json.loads(sys.argv[1])
code = szkiosk.cli.main(argv) if argv is not None else 0
print(json.dumps({"code": code, "bench": sorted(m for m in sys.modules if m.split(".")[:2] == ["szkiosk", "bench"])}))
"""


def probe(argv: list[str] | None, cwd: Path) -> dict:
    """What PROBE reports for ``argv``, run in ``cwd`` offscreen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [
    None,
    ["--log-file", "none", "validate"],
    ["--log-file", "none", "shot", "--panel", "title", "--size", "480x270", "--out", "shots"],
    ["--log-file", "none", "run", "--windowed", "--quit-after-first-paint", "--no-start-frame"],
], ids=["import-cli", "validate", "shot", "run"])
def test_commands_never_import_the_bench(argv: list[str] | None, tmp_path: Path) -> None:
    assert probe(argv, tmp_path) == {"code": 0, "bench": []}


def test_the_bench_command_does_import_it(tmp_path: Path) -> None:
    """The probe would see the harness: ``szkiosk bench`` loads it (a small run: content scale only)."""
    result = probe(["--log-file", "none", "bench", "--quick", "--only", "scale"], tmp_path)
    assert result["code"] == 0
    assert "szkiosk.bench.harness" in result["bench"]
