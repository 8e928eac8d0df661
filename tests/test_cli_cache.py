"""``szkiosk run`` with the start-up cache: same pixels, no parsing before the first paint on a
hit, the background check, and a changed or broken deck validated before it is shown."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from szkiosk.content import cache, load_deck
from szkiosk.content.cache import load_deck_cached

ROOT = Path(__file__).resolve().parents[1]
FIGURES = "panels/innovation-figures.yaml"

#: In a new process: run ``szkiosk run`` with the given argv; at the live window's first paint
#: report what the GUI thread had parsed and validated, and what was imported, by then; then close.
PROBE = """
import json, sys, threading
import szkiosk.cli as cli
from szkiosk.content import yaml_doc
parsed = []
original = yaml_doc.YamlDocument.__init__
def counting(self, path):
    if threading.current_thread() is threading.main_thread():  # not a booth's last-good copy being checked
        parsed.append(str(path))
    original(self, path)
yaml_doc.YamlDocument.__init__ = counting
seen = {}
def at_first_paint(window):
    from PySide6.QtCore import QTimer
    from szkiosk.show.startframe import FirstPaint
    def painted():
        seen.update(parsed=len(parsed), cached=window.deck.cached, modules=sorted(sys.modules),
                    title=window.stage.current.model.title.get("en"))
        QTimer.singleShot(0, window.force_close)
    window._probe = FirstPaint(window.stage.viewport(), painted)
cli._quit_on_first_paint = at_first_paint
code = cli.main(json.loads(sys.argv[1]))
print(json.dumps({"code": code, **seen}))
"""


def probe(argv: list[str], cache_home: Path) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    target = tmp_path / "deck"
    shutil.copytree(ROOT / "content", target)
    return target


def edit_keeping_stat(path: Path, old: str, new: str) -> None:
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode()) == len(new.encode())
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_hit_parses_nothing_before_the_first_paint(deck: Path, tmp_path: Path) -> None:
    argv = ["--log-file", "none", "run", str(deck), "--windowed", "--quit-after-first-paint", "--no-start-frame"]
    first = probe(argv, tmp_path / "cache")
    assert first["code"] == 0 and not first["cached"]
    assert first["parsed"] >= 17  # deck, sources, 15 panels, partners: validated in full
    second = probe(argv, tmp_path / "cache")
    assert second["code"] == 0 and second["cached"]
    assert second["parsed"] == 0
    assert "szkiosk.content.editorial" not in second["modules"]  # only a full load needs it
    assert second["title"] == first["title"]


def test_a_changed_digit_is_validated_and_shown(deck: Path, tmp_path: Path, stage_for, monkeypatch) -> None:
    from szkiosk.cli import _load
    from szkiosk.talk.shots import render_panel

    argv = ["--log-file", "none", "run", str(deck), "--windowed", "--quit-after-first-paint", "--no-start-frame",
            "--panel", "innovation-figures"]
    assert not probe(argv, tmp_path / "cache")["cached"]
    edit_keeping_stat(deck / FIGURES, "  - value: 5.49\n", "  - value: 5.48\n")
    after = probe(argv, tmp_path / "cache")
    assert not after["cached"] and after["parsed"] >= 17
    # what is drawn: the figure panel from the run's loader shows 5.48, as a full load does
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shown = _load(deck, cached=True)
    assert shown.cached  # the second run stored the changed deck
    index = shown.index_of("innovation-figures")
    assert shown.panels[index].figures[0].value == 5.48
    size = (960, 540)
    from_cache = render_panel(stage_for(shown, size=size), index, size)
    full = render_panel(stage_for(load_deck(deck), size=size), index, size)
    edit_keeping_stat(deck / FIGURES, "  - value: 5.48\n", "  - value: 5.49\n")
    old = render_panel(stage_for(load_deck(deck), size=size), index, size)
    assert from_cache == full
    assert from_cache != old


def test_a_hit_draws_the_same_pixels_as_a_full_load(deck: Path, tmp_path: Path, stage_for) -> None:
    from szkiosk.talk.shots import render_panel

    store = tmp_path / "cache"
    load_deck_cached(deck, store)
    hit, full = load_deck_cached(deck, store), load_deck(deck)
    assert hit.cached
    size = (960, 540)
    a, b = stage_for(hit, size=size), stage_for(full, size=size)
    for panel_id in ("title", "innovation-figures", "sister-cities"):
        index = full.index_of(panel_id)
        assert render_panel(a, index, size) == render_panel(b, index, size), panel_id


def test_a_broken_deck_with_a_stale_entry_is_validated_and_reported(deck: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "szkiosk", "--log-file", "none", "run", str(deck), "--windowed",
            "--quit-after-first-paint", "--no-start-frame"]
    subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, timeout=300, check=True)
    assert cache.load(deck, tmp_path / "cache" / "szkiosk" / "decks") is not None
    edit_keeping_stat(deck / FIGURES, "  - value: 5.49\n", "  - value: five\n")
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "content: " in done.stderr and "innovation-figures" in done.stderr  # validated and reported


def test_the_background_check_corrects_a_wrong_cache(deck: Path, tmp_path: Path, qtbot, window) -> None:
    from szkiosk.show.recheck import CacheRecheck, Shown, apply_deck

    store = tmp_path / "cache"
    load_deck_cached(deck, store)
    hit = load_deck_cached(deck, store)
    assert hit.cached
    # the files change after the cache was read: the full check must notice and correct the screen
    edit_keeping_stat(deck / "panels/title.yaml", "  en: Shenzhen High-Quality Development\n",
                      "  en: Shenzhen High-Quality Developmenz\n")
    win = window(hit)
    fixes = []

    def correct(fresh, errors) -> None:
        fixes.append(errors)
        apply_deck(win, fresh)

    check = CacheRecheck(win.stage.viewport(), deck, Shown.of(hit), correct, delay_ms=0)
    win.stage.viewport().update()
    qtbot.waitUntil(lambda: check.outcome is not None, timeout=20000)
    assert check.outcome == "disagrees" and fixes == [[]]
    assert win.deck.panels[0].title.get("en") == "Shenzhen High-Quality Developmenz"
    assert win.stage.current.model.title.get("en") == "Shenzhen High-Quality Developmenz"


def test_the_background_check_agrees_with_a_right_cache(deck: Path, tmp_path: Path, qtbot, window) -> None:
    from szkiosk.show.recheck import CacheRecheck, Shown

    store = tmp_path / "cache"
    load_deck_cached(deck, store)
    hit = load_deck_cached(deck, store)
    win = window(hit)
    fixes = []
    check = CacheRecheck(win.stage.viewport(), deck, Shown.of(hit), lambda *a: fixes.append(a), delay_ms=0)
    win.stage.viewport().update()
    qtbot.waitUntil(lambda: check.outcome is not None, timeout=20000)
    assert check.outcome == "agrees" and fixes == []
    assert win.deck is hit


def test_validate_never_uses_the_cache(deck: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    load_deck_cached(deck, tmp_path / "cache" / "szkiosk" / "decks")
    edit_keeping_stat(deck / FIGURES, "  - value: 5.49\n", "  - value: five\n")
    done = subprocess.run([sys.executable, "-m", "szkiosk", "--log-file", "none", "validate", str(deck)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1 and "innovation-figures" in done.stdout


def test_a_booth_starts_from_the_cache_too(deck: Path, tmp_path: Path) -> None:
    argv = ["--log-file", "none", "run", str(deck), "--kiosk", "--windowed", "--quit-after-first-paint",
            "--no-start-frame", "--analytics", "off"]
    first = probe(argv, tmp_path / "cache")
    assert first["code"] == 0 and not first["cached"] and first["parsed"] >= 17
    second = probe(argv, tmp_path / "cache")
    assert second["code"] == 0 and second["cached"] and second["parsed"] == 0
