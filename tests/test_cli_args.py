"""Every command checks its arguments: one line on standard error, a non-zero exit, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def szkiosk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    env.pop("SZKIOSK_DECK", None)
    return subprocess.run([sys.executable, "-m", "szkiosk", "--log-file", "none", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env)


def one_line_refusal(out: subprocess.CompletedProcess[str], *words: str) -> None:
    assert out.returncode == 2, (out.returncode, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(("args", "words"), [
    (["run", "content", "--tour", "-1"], ["--tour", "too small"]),
    (["run", "content", "--tour", "0"], ["--tour", "too small"]),
    (["run", "content", "--tour", "nan"], ["--tour", "finite"]),
    (["run", "content", "--tour", "inf"], ["--tour", "finite"]),
    (["run", "content", "--tour", "soon"], ["--tour", "not a number of minutes"]),
    (["run", "content", "--quit-after", "-5"], ["--quit-after", "too small"]),
    (["run", "content", "--quit-after", "1e12"], ["--quit-after", "too large"]),
    (["run", "content", "--text-scale", "0"], ["--text-scale", "too small"]),
    (["run", "content", "--text-scale", "1e9"], ["--text-scale", "too large"]),
    (["run", "content", "--idle-timeout", "0"], ["--idle-timeout", "too small"]),
    (["run", "content", "--idle-timeout", "nan"], ["--idle-timeout", "finite"]),
    (["run", "content", "--reach", "7"], ["--reach", "too large"]),
    (["run", "content", "--window-size", "0x0"], ["--window-size"]),
    (["shot", "content", "--out", "x", "--size", "big"], ["--size"]),
    (["shot", "content", "--out", "x", "--text-scale", "-1"], ["--text-scale"]),
    (["bench", "--runs", "0"], ["--runs", "too small"]),
    (["bench", "--runs", "2.5"], ["--runs", "whole number"]),
    (["bench", "--only", "everything"], ["--only", "startup"]),
    (["nonsense"], ["invalid choice"]),
])
def test_bad_numbers_are_refused_in_one_line(args: list[str], words: list[str]) -> None:
    one_line_refusal(szkiosk(*args), *words)


@pytest.mark.parametrize("command", [["run"], ["validate"], ["shot", "--out", "x"], ["export", "--pdf", "x.pdf"],
                                     ["audit"], ["bench"], ["install-service", "--dry-run"]])
def test_a_missing_deck_or_a_file_is_refused_in_one_line(command: list[str], tmp_path: Path) -> None:
    name, *rest = command
    missing = szkiosk(name, str(tmp_path / "nowhere"), *rest)
    one_line_refusal(missing, "no such deck folder")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello", encoding="utf-8")
    one_line_refusal(szkiosk(name, str(a_file), *rest), "is a file, not a deck folder")


def test_deck_yaml_itself_names_its_folder() -> None:
    out = szkiosk("validate", "content/deck.yaml")
    assert out.returncode == 0, out.stdout + out.stderr


def test_an_unexpected_failure_is_one_line_and_exit_1(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("in the way", encoding="utf-8")
    out = szkiosk("schema", "--out", str(blocker))  # mkdir over a file: an OSError nobody expects
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "szkiosk schema failed: FileExistsError" in lines[0], out.stderr
    debug = szkiosk("--log-level", "debug", "schema", "--out", str(blocker))
    assert debug.returncode == 1 and "Traceback" in debug.stderr  # the details, for whoever asks for them
