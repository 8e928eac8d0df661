"""`szkiosk install-service`: a systemd user unit and an XDG autostart entry, in a private HOME."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

from szkiosk.booth.service import STAFF_EXIT_CODE, _quote, service_files

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CONFIG_HOME", None)
    return subprocess.run([sys.executable, "-m", "szkiosk", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)


def parse(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # keep key case
    parser.read_string(text)
    return parser


def test_install_service_writes_unit_and_autostart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = run("install-service", "content", home=home)
    assert out.returncode == 0, out.stderr
    unit_path = home / ".config" / "systemd" / "user" / "szkiosk.booth.service"
    desktop_path = home / ".config" / "autostart" / "szkiosk.desktop"
    assert str(unit_path) in out.stdout and "systemctl --user enable --now szkiosk.booth.service" in out.stdout
    unit = parse(unit_path.read_text())
    assert unit["Service"]["Restart"] == "always"
    assert unit["Service"]["RestartPreventExitStatus"] == str(STAFF_EXIT_CODE)
    assert unit["Unit"]["After"] == "graphical-session.target"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    exec_start = unit["Service"]["ExecStart"]
    assert exec_start.endswith(f"run {ROOT / 'content'} --kiosk")
    desktop = parse(desktop_path.read_text())
    assert desktop["Desktop Entry"]["Exec"] == "systemctl --user start szkiosk.booth.service"
    assert desktop["Desktop Entry"]["Type"] == "Application"


def test_dry_run_prints_and_writes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = run("install-service", "content", "--dry-run", home=home)
    assert out.returncode == 0
    assert "[Service]" in out.stdout and "[Desktop Entry]" in out.stdout
    assert not home.exists()


def test_not_a_deck_is_refused(tmp_path: Path) -> None:
    out = run("install-service", str(tmp_path), home=tmp_path / "home")
    assert out.returncode == 1 and "no deck.yaml" in out.stderr


def test_paths_with_spaces_are_quoted(tmp_path: Path) -> None:
    deck = tmp_path / "my deck"
    files = service_files(deck, home=tmp_path, executable="/opt/sz kiosk/bin/szkiosk")
    assert 'ExecStart="/opt/sz kiosk/bin/szkiosk" --log-level info run "' in files.unit
    assert _quote("50%") == '"50%"' and _quote("plain") == "plain"
