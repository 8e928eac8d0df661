"""Every example deck validates and runs, in each of its languages, in a subprocess without warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from szkiosk.content import load_deck

EXAMPLES = sorted(p.parent for p in (Path(__file__).resolve().parents[1] / "examples").glob("*/deck.yaml"))


def test_there_is_an_example_deck() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("deck", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_validates(deck: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "szkiosk", "validate", str(deck)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "warning" not in out.stdout
    assert load_deck(deck).ok


def test_an_example_has_more_than_two_languages() -> None:
    """The engine is not tied to English and Chinese: one example is trilingual (and validates clean)."""
    assert any(load_deck(deck).model.languages == ["en", "zh", "es"] for deck in EXAMPLES)


#: Every example deck in every one of its languages.
RUNS = [(deck, language) for deck in EXAMPLES for language in load_deck(deck).model.languages]


@pytest.mark.parametrize(("deck", "language"), RUNS, ids=[f"{d.name}-{lang}" for d, lang in RUNS])
def test_example_runs(deck: Path, language: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "szkiosk", "--log-level", "warning", "run", str(deck),
                          "--windowed", "--lang", language, "--quit-after", "2"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert "WARNING" not in out.stderr and "ERROR" not in out.stderr, out.stderr
