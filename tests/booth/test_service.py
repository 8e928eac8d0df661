"""`szkiosk install-service`: a systemd user unit and an XDG autostart entry, in a private HOME."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert _quote("50%") == '"50%%"' and _quote("plain") == "plain"


def _systemd_words(line: str) -> list[str]:
    """Split an ExecStart= value the way systemd does (quotes, C escapes, %% and $$)."""
    words, word, i, quoted, started = [], "", 0, False, False
    escapes = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}
    while i < len(line):
        c = line[i]
        if c == "\\":
            word += escapes[line[i + 1]]
            i += 2
            started = True
            continue
        if c == '"':
            quoted = not quoted
            started = True
        elif c == " " and not quoted:
            if started:
                words.append(word)
            word, started = "", False
        elif c in "%$" and line[i + 1:i + 2] == c:
            word += c
            i += 1
            started = True
        else:
            assert c not in "%$", f"unescaped {c} in {line!r}"  # a specifier or variable: not our path
            word += c
            started = True
        i += 1
    if started:
        words.append(word)
    return words


def test_percent_dollar_and_spaces_in_paths_survive_systemd(tmp_path: Path) -> None:
    deck = tmp_path / "deck %Q 50%a $HOME"
    shutil.copytree(ROOT / "content", deck)
    exe = tmp_path / "bin %Q %a" / "szkiosk"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    home = tmp_path / "home"
    out = run("install-service", str(deck), "--executable", str(exe), home=home)
    assert out.returncode == 0, out.stderr
    unit_path = home / ".config" / "systemd" / "user" / "szkiosk.booth.service"
    exec_start = parse(unit_path.read_text())["Service"]["ExecStart"]
    words = _systemd_words(exec_start)
    assert words[0] == str(exe) and words[words.index("run") + 1] == str(deck.resolve())
    if shutil.which("systemd-analyze"):
        verify = subprocess.run(["systemd-analyze", "verify", str(unit_path)], capture_output=True, text=True,
                                timeout=60)
        assert "Failed to resolve unit specifiers" not in verify.stderr, verify.stderr
        assert "bad unit file setting" not in verify.stderr, verify.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_analyze_catches_an_unescaped_specifier(tmp_path: Path) -> None:
    """The check above can fail: the same unit with single % is fatal to systemd."""
    exe = tmp_path / "bin %Q" / "szkiosk"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    files = service_files(ROOT / "content", home=tmp_path, executable=str(exe))
    bad = tmp_path / "bad" / "szkiosk.booth.service"
    bad.parent.mkdir()
    bad.write_text(files.unit.replace("%%", "%"), encoding="utf-8")
    verify = subprocess.run(["systemd-analyze", "verify", str(bad)], capture_output=True, text=True, timeout=60)
    assert verify.returncode != 0 and "specifiers" in verify.stderr


def test_a_repository_following_booth_needs_no_deck(tmp_path: Path) -> None:
    """Without DECK the unit runs `run --kiosk` and the booth.yaml's content repository is the deck."""
    config = tmp_path / "config"
    env = {**os.environ, "XDG_CONFIG_HOME": str(config)}
    done = subprocess.run([sys.executable, "-m", "szkiosk", "install-service", "--dry-run"], capture_output=True,
                          text=True, env=env)
    assert done.returncode == 1 and "content_repo:" in done.stderr  # no booth.yaml: say what is missing
    (config / "szkiosk").mkdir(parents=True)
    (config / "szkiosk" / "booth.yaml").write_text("booth: stand-1\ncontent_repo: /srv/deck.git\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "szkiosk", "install-service", "--dry-run"], capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0, done.stderr
    (exec_start,) = [line for line in done.stdout.splitlines() if line.startswith("ExecStart=")]
    assert exec_start.endswith(" run --kiosk")
