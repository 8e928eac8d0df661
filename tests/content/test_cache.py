"""The start-up cache: a validated deck reused only while every input is exactly the same."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

import szkiosk
from szkiosk.content import cache, load_deck
from szkiosk.content.cache import entry_path, load_deck_cached

ROOT = Path(__file__).resolve().parents[2]
FIGURES = "panels/innovation-figures.yaml"


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    target = tmp_path / "deck"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def edit_keeping_stat(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) and put size and modification time back as they were."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


def test_a_hit_is_the_same_deck_as_a_full_load(deck: Path, store: Path) -> None:
    first = load_deck_cached(deck, store)
    assert not first.cached and entry_path(deck.resolve(), store).is_file()
    hit = load_deck_cached(deck, store)
    full = load_deck(deck)
    assert hit.cached
    assert hit.model == full.model
    assert hit.panels == full.panels
    assert hit.sources == full.sources
    assert hit.warnings == full.warnings
    assert [p._warnings for p in hit.panels] == [p._warnings for p in full.panels]
    assert hit.root == full.root and hit.errors == []
    worldmap = next(p for p in hit.panels if p.type == "worldmap")
    assert worldmap.mapped() == next(p for p in full.panels if p.type == "worldmap").mapped()


def test_the_inputs_are_every_file_the_load_read(deck: Path) -> None:
    loaded = load_deck(deck)
    read = {Path(f[0]).relative_to(deck.resolve()).as_posix() for f in loaded.inputs.files}
    assert {"deck.yaml", "sources.yaml", FIGURES, "data/partners.yaml"} <= read
    assert len([r for r in read if r.startswith("panels/")]) == len(loaded.panels)


def test_a_changed_digit_misses_whatever_size_and_mtime_say(deck: Path, store: Path) -> None:
    load_deck_cached(deck, store)
    assert cache.load(deck, store) is not None
    edit_keeping_stat(deck / FIGURES, "  - value: 5.49\n", "  - value: 5.48\n")
    assert cache.load(deck, store) is None
    loaded = load_deck_cached(deck, store)
    assert not loaded.cached
    figures = next(p for p in loaded.panels if p.id == "innovation-figures")
    assert figures.figures[0].value == 5.48
    again = cache.load(deck, store)  # the new content is stored in its turn
    assert again is not None and next(p for p in again.panels if p.id == "innovation-figures") == figures


def test_a_broken_deck_is_never_taken_from_a_stale_entry(deck: Path, store: Path) -> None:
    load_deck_cached(deck, store)
    edit_keeping_stat(deck / FIGURES, "  - value: 5.49\n", "  - value: five\n")
    assert cache.load(deck, store) is None
    loaded = load_deck_cached(deck, store)
    assert not loaded.cached and loaded.errors
    assert any("innovation-figures" in str(e) for e in loaded.errors)
    assert cache.load(deck, store) is None  # the stale clean entry still does not match
    assert cache.store(loaded, store) is None  # and a deck with errors is never stored


def test_a_deck_with_errors_is_not_stored(deck: Path, store: Path) -> None:
    path = deck / FIGURES
    path.write_text(path.read_text(encoding="utf-8").replace("  - value: 5.49\n", "  - value: five\n", 1),
                    encoding="utf-8")
    loaded = load_deck_cached(deck, store)
    assert loaded.errors
    assert not entry_path(deck.resolve(), store).exists()


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "truncated", "foreign"])
def test_a_damaged_entry_is_ignored(deck: Path, store: Path, damage: bytes | str) -> None:
    load_deck_cached(deck, store)
    path = entry_path(deck.resolve(), store)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "foreign":
        path.write_bytes(pickle.dumps({"key": "something else", "deck": b""}))
    else:
        path.write_bytes(damage)
    assert cache.load(deck, store) is None
    loaded = load_deck_cached(deck, store)
    assert not loaded.cached and loaded.ok
    assert cache.load(deck, store) is not None  # written again


def test_the_entry_is_keyed_by_szkiosks_version(deck: Path, store: Path, monkeypatch) -> None:
    load_deck_cached(deck, store)
    assert cache.load(deck, store) is not None
    monkeypatch.setattr(szkiosk, "__version__", szkiosk.__version__ + ".post1")
    assert cache.load(deck, store) is None


def test_the_key_names_python_and_pydantic(deck: Path) -> None:
    import pydantic
    import pydantic_core

    key = cache.key(deck.resolve())
    assert key["pydantic"][2] == pydantic.VERSION
    compiled = [part for part in key["pydantic_core"] if isinstance(part, tuple)]
    assert compiled and compiled[0][0].startswith("_pydantic_core")  # its compiled core: size and mtime
    assert key["pydantic_core"][1] == str(Path(pydantic_core.__file__).parent)
    assert key["szkiosk"] == szkiosk.__version__ and key["python"]


def test_a_file_that_appears_misses(tmp_path: Path, store: Path) -> None:
    deck = tmp_path / "small"
    (deck / "panels").mkdir(parents=True)
    (deck / "deck.yaml").write_text("title: {en: Small, zh: 小}\npanels: [panels/a.yaml]\n", encoding="utf-8")
    (deck / "panels" / "a.yaml").write_text("id: a\ntype: title\ntitle: {en: A, zh: 甲}\n", encoding="utf-8")
    loaded = load_deck_cached(deck, store)
    assert loaded.ok and loaded.inputs.missing
    assert cache.load(deck, store) is not None
    (deck / "sources.yaml").write_text("", encoding="utf-8")
    assert cache.load(deck, store) is None


def test_a_retargeted_link_misses(tmp_path: Path, store: Path, deck: Path) -> None:
    figures = deck / FIGURES
    other = deck / "panels" / "figures-copy.yaml"
    shutil.copy(figures, other)
    edit_keeping_stat(other, "  - value: 5.49\n", "  - value: 5.47\n")
    real = deck / "panels" / "figures-real.yaml"
    figures.rename(real)
    figures.symlink_to(real.name)
    load_deck_cached(deck, store)
    assert cache.load(deck, store) is not None
    figures.unlink()
    figures.symlink_to(other.name)
    assert cache.load(deck, store) is None
    assert next(p for p in load_deck_cached(deck, store).panels if p.id == "innovation-figures").figures[0].value \
        == 5.47


def test_the_cache_keeps_a_bounded_number_of_entries(tmp_path: Path, store: Path, deck: Path) -> None:
    loaded = load_deck(deck)
    for i in range(cache.MAX_ENTRIES + 3):
        (store / f"{i:03d}.deck").parent.mkdir(parents=True, exist_ok=True)
        (store / f"{i:03d}.deck").write_bytes(b"old")
        os.utime(store / f"{i:03d}.deck", (1000 + i, 1000 + i))
    path = cache.store(loaded, store)
    left = sorted(p.name for p in store.glob("*.deck"))
    assert len(left) == cache.MAX_ENTRIES and path.name in left
    assert "000.deck" not in left  # the least recently used went first
