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


# -- special files and symlink loops: refused by type, as a ContentError, never a hang or a traceback --


def _deck(tmp_path: Path) -> Path:
    root = tmp_path / "deck"
    shutil.copytree(CONTENT, root)
    return root


def test_fifo_as_a_panel_is_refused_without_opening_it(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    os.mkfifo(path)  # opening it for reading would wait for a writer for ever
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel)
    assert "FIFO" in panel.errors[0].message and "p.yaml" in panel.errors[0].file


def test_socket_as_a_panel_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel) and "socket" in panel.errors[0].message


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_device_as_a_panel_is_refused(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    panel = load_panel(Path(device), ["en", "zh"])  # /dev/zero never ends
    assert isinstance(panel, BrokenPanel) and "character device" in panel.errors[0].message


def test_folder_as_a_panel_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").mkdir()
    panel = load_panel(tmp_path / "p.yaml", ["en", "zh"])
    assert isinstance(panel, BrokenPanel) and "a folder" in panel.errors[0].message


def test_fifo_in_a_deck_names_the_file(tmp_path: Path) -> None:
    root = _deck(tmp_path)
    (root / "panels" / "reforms.yaml").unlink()
    os.mkfifo(root / "panels" / "reforms.yaml")
    loaded = load_deck(root)
    assert any("reforms.yaml" in e.file and "FIFO" in e.message for e in loaded.errors)
    os.unlink(root / "deck.yaml")
    os.mkfifo(root / "deck.yaml")
    with pytest.raises(ContentFileError, match=r"deck\.yaml: cannot read: a FIFO"):
        load_deck(root)


@pytest.mark.parametrize("name", ["deck.yaml", "sources.yaml", "panels/reforms.yaml", "data/partners.yaml"])
def test_symlink_loop_is_a_content_error(tmp_path: Path, name: str) -> None:
    root = _deck(tmp_path)
    path = root / name
    path.unlink()
    path.symlink_to(path.name)  # points at itself
    try:
        loaded = load_deck(root)
    except ContentFileError as exc:
        errors = exc.errors
    else:
        errors = loaded.errors
    assert errors, "a symlink loop must be reported"
    assert any("symlink loop" in e.message and path.name in str(e) for e in errors), [str(e) for e in errors]


def test_symlink_loop_as_the_deck_folder(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(ContentFileError, match="symlink loop"):
        load_deck(tmp_path / "a")


def test_a_symlinked_panel_inside_the_deck_still_loads(tmp_path: Path) -> None:
    root = _deck(tmp_path)
    (root / "variants").mkdir()
    os.replace(root / "panels" / "title.yaml", root / "variants" / "title.yaml")
    (root / "panels" / "title.yaml").symlink_to(Path("..") / "variants" / "title.yaml")
    loaded = load_deck(root)
    assert loaded.errors == [] and loaded.panels[loaded.index_of("title")].type == "title"


def test_crlf_files_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"id: a\r\ntype: title\r\ntitle: {en: x, zh: y}\r\nbogus: 1\r\n")
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel) and panel.errors[0].line == 4
