"""Hostile or broken content never gets past the loader as anything but a ContentError.

Fuzzing uses hypothesis with a bounded profile for CI; ``HYPOTHESIS_PROFILE=long`` runs many
more examples by hand.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from szkiosk.content import BrokenPanel, ContentFileError, load_deck, load_panel
from szkiosk.content.yaml_doc import MAX_EXPANDED_NODES, MAX_FILE_BYTES

CONTENT = Path(__file__).resolve().parents[2] / "content"
settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

NO_LINE = ("file not found", "cannot read", "content files are limited", "nested too deeply")


def assert_actionable(errors) -> None:
    assert errors, "a broken document must report at least one problem"
    for err in errors:
        assert err.file
        assert err.line is not None or any(m in err.message for m in NO_LINE), str(err)
        assert err.message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(rows) + "\n")
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel)
    assert "through aliases" in panel.errors[0].message
    assert f"{MAX_EXPANDED_NODES:,}" in panel.errors[0].message


def test_recursive_anchor_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("id: a\ntype: title\ntitle: &t [1, *t]\n")
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel)
    assert panel.errors[0].line == 3 and "refers to itself" in panel.errors[0].message


def test_small_anchors_still_work(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("id: a\ntype: title\ntitle: &t {en: Hello, zh: 你好}\ntagline: *t\n")
    panel = load_panel(path, ["en", "zh"])
    assert not isinstance(panel, BrokenPanel)
    assert panel.tagline.get("zh") == "你好"


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("id: a\ntype: title\ntitle: {en: x, zh: y}\nnotes: {en: '" + "x" * MAX_FILE_BYTES + "', zh: y}\n")
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel)
    assert "limited to 1,000,000 bytes" in panel.errors[0].message


def test_deeply_nested_document(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: a\ntype: title\ntitle: " + "[" * 5000 + "]" * 5000 + "\n")
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel)
    assert_actionable(panel.errors)


def test_only_safe_loading_python_tags_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("id: a\ntype: title\ntitle: !!python/object/apply:os.system ['echo pwned']\n")
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel)
    assert "YAML syntax error" in panel.errors[0].message


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=20))
yaml_values = st.recursive(yaml_scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)), max_leaves=20)


@given(st.text(max_size=400))
def test_random_text_as_a_panel(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    path.write_text(text, encoding="utf-8")
    panel = load_panel(path, ["en", "zh"])  # must not raise
    if isinstance(panel, BrokenPanel):
        assert_actionable(panel.errors)


@given(st.dictionaries(st.sampled_from(["id", "type", "title", "figures", "columns", "steps", "link", "notes",
                                        "duration", "priority", "source", "year", "x"]), yaml_values, max_size=6))
def test_random_mappings_as_a_panel(tmp_path_factory, data: dict) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    panel = load_panel(path, ["en", "zh"])
    if isinstance(panel, BrokenPanel):
        assert_actionable(panel.errors)


PANEL_FILES = sorted((CONTENT / "panels").glob("*.yaml"))


@given(st.sampled_from(PANEL_FILES), st.integers(min_value=0, max_value=10**6), st.sampled_from(
    ["delete", "duplicate", "insert", "swap"]), st.text(max_size=6))
def test_mutated_bundled_panels(tmp_path_factory, source: Path, where: int, how: str, junk: str) -> None:
    """The shipped panels with a byte-level mutation: loads or reports file:line errors."""
    text = source.read_text(encoding="utf-8")
    i = where % max(1, len(text))
    if how == "delete":
        text = text[:i] + text[i + 7:]
    elif how == "duplicate":
        text = text[:i] + text[i:i + 40] + text[i:]
    elif how == "insert":
        text = text[:i] + junk + text[i:]
    else:
        lines = text.splitlines(keepends=True)
        j = i % max(1, len(lines))
        lines[j], lines[-1] = lines[-1], lines[j]
        text = "".join(lines)
    path = tmp_path_factory.mktemp("fuzz") / source.name
    path.write_text(text, encoding="utf-8")
    panel = load_panel(path, ["en", "zh"], root=CONTENT)
    if isinstance(panel, BrokenPanel):
        assert_actionable(panel.errors)


@given(st.text(max_size=300))
def test_random_deck_yaml(tmp_path_factory, text: str) -> None:
    root = tmp_path_factory.mktemp("deck")
    shutil.copytree(CONTENT / "panels", root / "panels")
    (root / "deck.yaml").write_text(text, encoding="utf-8")
    try:
        loaded = load_deck(root)
    except ContentFileError as exc:
        assert_actionable(exc.errors)
    else:
        for err in loaded.errors:
            assert err.file and err.message


@pytest.mark.parametrize("name", ["deck.yaml", "panels/title.yaml"])
def test_binary_garbage(tmp_path: Path, name: str) -> None:
    shutil.copytree(CONTENT, tmp_path / "deck")
    (tmp_path / "deck" / name).write_bytes(bytes(range(256)) * 4)
    try:
        loaded = load_deck(tmp_path / "deck")
    except ContentFileError as exc:
        assert "cannot read" in str(exc)
    else:
        assert any("cannot read" in e.message for e in loaded.errors)
