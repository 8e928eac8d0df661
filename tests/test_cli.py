"""The ``szkiosk`` command, run as a user would: in a subprocess, offscreen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def szkiosk(*args: str, timeout: float = 120, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    environment.pop("DISPLAY", None)
    if "SZKIOSK_DECK" not in env:
        environment.pop("SZKIOSK_DECK", None)
    return subprocess.run([sys.executable, "-m", "szkiosk", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, env=environment)


@pytest.mark.parametrize("command", [[], ["run"], ["validate"], ["shot"], ["schema"], ["export"], ["stats"],
                                     ["install-service"], ["hash-pin"], ["new"], ["types"], ["bench"]])
def test_every_command_has_help(command: list[str]) -> None:
    out = szkiosk(*command, "--help")
    assert out.returncode == 0
    assert "usage: szkiosk" in out.stdout


def test_validate_bundled_deck_passes() -> None:
    out = szkiosk("validate", "content")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1].endswith("OK") or "OK (" in out.stdout


def test_without_deck_commands_use_the_bundled_deck_from_any_folder(tmp_path: Path) -> None:
    out = szkiosk("validate", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert str(ROOT / "content") in out.stdout
    shot = szkiosk("shot", "--panel", "sister-cities", "--size", "480x270", "--out", "shots", cwd=tmp_path)
    assert shot.returncode == 0, shot.stderr
    assert len(list((tmp_path / "shots").rglob("*sister-cities*.png"))) == 1


def test_szkiosk_deck_names_the_default_deck(deck_copy: Path, tmp_path: Path) -> None:
    out = szkiosk("validate", cwd=tmp_path, SZKIOSK_DECK=str(deck_copy))
    assert out.returncode == 0, out.stdout + out.stderr
    assert str(deck_copy) in out.stdout and str(ROOT / "content") not in out.stdout


def test_validate_reports_every_problem_with_file_and_line(deck_copy: Path) -> None:
    panel = deck_copy / "panels" / "five-actions.yaml"
    panel.write_text(panel.read_text().replace("duration: 14", "duration: 14\nwobble: 3"))
    figures = deck_copy / "panels" / "innovation-figures.yaml"
    figures.write_text(figures.read_text().replace("value: 23000", "value: lots", 1))
    out = szkiosk("validate", str(deck_copy))
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert any("five-actions.yaml:" in line and ": wobble: unknown key" in line for line in lines)
    assert any("innovation-figures.yaml:" in line and "figures[2].value" in line for line in lines)
    assert "2 problem(s)" in lines[-1]


def test_validate_unusable_deck_yaml(tmp_path: Path) -> None:
    (tmp_path / "deck.yaml").write_text("title: [unclosed\n")
    out = szkiosk("validate", str(tmp_path))
    assert out.returncode == 1
    assert "deck.yaml:" in out.stdout and "YAML syntax error" in out.stdout


def test_validate_missing_folder(tmp_path: Path) -> None:
    out = szkiosk("validate", str(tmp_path / "nowhere"))
    assert out.returncode == 2
    assert "no such deck folder" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_schema_is_json_and_covers_types(tmp_path: Path) -> None:
    out = szkiosk("schema")
    assert out.returncode == 0
    schema = json.loads(out.stdout)
    assert "panels" in schema["deck"]["properties"]
    mapping = schema["panel"]["discriminator"]["mapping"]
    assert {"title", "figures", "columns"} <= set(mapping)
    written = szkiosk("schema", "--out", str(tmp_path))
    assert written.returncode == 0
    assert json.loads((tmp_path / "panel.schema.json").read_text())["title"] == "szkiosk panel"


def test_shot_writes_one_png_per_panel_and_language(tmp_path: Path, bundled_deck) -> None:
    from PySide6.QtGui import QImage

    out = szkiosk("shot", "content", "--out", str(tmp_path), "--lang", "all", "--size", "960x540")
    assert out.returncode == 0, out.stderr
    for lang in ("en", "zh"):
        files = sorted((tmp_path / lang).glob("*.png"))
        assert [f.name.split("-", 1)[1][:-4] for f in files] == [p.id for p in bundled_deck.panels]
        for f in files:
            image = QImage(str(f))
            assert (image.width(), image.height()) == (960, 540)
            colours = {image.pixel(x, y) for x in range(0, 960, 24) for y in range(0, 540, 24)}
            assert len(colours) > 8, f"{f} looks blank"
    assert "[1/" in out.stdout


def test_shot_rejects_unknown_language(tmp_path: Path) -> None:
    out = szkiosk("shot", "content", "--out", str(tmp_path), "--lang", "fr")
    assert out.returncode == 2
    assert "unknown language 'fr'" in out.stderr


def test_run_quits_after_with_no_qt_warnings() -> None:
    out = szkiosk("--log-level", "warning", "run", "content", "--quit-after", "2")
    assert out.returncode == 0, out.stderr
    noise = [line for line in out.stderr.splitlines() if line.strip()]
    assert noise == [], noise


def test_run_rejects_unknown_panel() -> None:
    out = szkiosk("run", "content", "--panel", "nope", "--quit-after", "1")
    assert out.returncode == 2
    assert "no panel with id 'nope'" in out.stderr


def test_run_with_broken_panel_keeps_going(deck_copy: Path) -> None:
    panel = deck_copy / "panels" / "five-actions.yaml"
    panel.write_text("this: [is: broken\n")
    out = szkiosk("run", str(deck_copy), "--start", "five-actions", "--quit-after", "1.5")
    assert out.returncode == 0
    assert "five-actions.yaml" in out.stderr and "YAML syntax error" in out.stderr
    assert "Traceback" not in out.stderr
