"""The content loader: good decks load; every kind of error names file:line: field."""

from __future__ import annotations

from pathlib import Path

import pytest

from szkiosk.content import BrokenPanel, ContentFileError, load_deck, load_panel


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_DECK = """\
title: {en: Test deck, zh: 测试}
panels:
  - panels/a.yaml
"""

GOOD_PANEL = """\
id: a
type: columns
title: {en: Columns, zh: 列}
columns:
  - heading: {en: One, zh: 一}
    items:
      - {en: First, zh: 第一}
"""


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    write(tmp_path / "deck.yaml", MINIMAL_DECK)
    write(tmp_path / "panels" / "a.yaml", GOOD_PANEL)
    return tmp_path


def only_error(folder: Path):
    loaded = load_deck(folder)
    assert len(loaded.errors) == 1, [str(e) for e in loaded.errors]
    return loaded.errors[0]


def test_bundled_deck_loads_cleanly(bundled_deck) -> None:
    assert bundled_deck.ok, [str(e) for e in bundled_deck.errors]
    assert len(bundled_deck.panels) >= 4
    assert all(not isinstance(p, BrokenPanel) for p in bundled_deck.panels)


def test_minimal_deck_loads(deck: Path) -> None:
    loaded = load_deck(deck)
    assert loaded.ok
    assert loaded.model.default_language == "en"
    assert [p.id for p in loaded.panels] == ["a"]
    assert loaded.panels[0].columns[0].items[0].get("zh") == "第一"


def test_yaml_syntax_error_names_line(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL.replace("title: {en: Columns, zh: 列}", "title: {en: Columns, zh: 列"))
    err = only_error(deck)
    assert err.file.endswith("a.yaml")
    assert err.line in (3, 4)
    assert "YAML syntax error" in err.message


def test_unknown_key_names_its_line(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL + "colour: red\n")
    err = only_error(deck)
    assert (err.line, err.field) == (8, "colour")
    assert "unknown key" in err.message
    assert str(err).endswith("a.yaml:8: colour: unknown key (misspelt, or not allowed here)")


def test_wrong_type_names_nested_field(deck: Path) -> None:
    text = GOOD_PANEL + "duration: soon\n"
    write(deck / "panels" / "a.yaml", text)
    err = only_error(deck)
    assert (err.line, err.field) == (8, "duration")
    assert "'soon'" in err.message


def test_missing_translation(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL.replace("{en: First, zh: 第一}", "{en: First}"))
    err = only_error(deck)
    assert err.line == 7
    assert err.field == "columns[0].items[0]"
    assert "missing translation 'zh'" in err.message


def test_plain_string_where_translation_needed(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL.replace("title: {en: Columns, zh: 列}", "title: Columns"))
    err = only_error(deck)
    assert (err.line, err.field) == (3, "title")
    assert "per language" in err.message


def test_missing_file(deck: Path) -> None:
    write(deck / "deck.yaml", MINIMAL_DECK + "  - panels/missing.yaml\n")
    err = only_error(deck)
    assert err.file.endswith("missing.yaml")
    assert err.message == "file not found"


def test_path_escaping_the_deck(deck: Path) -> None:
    write(deck / "deck.yaml", MINIMAL_DECK + "  - ../outside.yaml\n")
    err = only_error(deck)
    assert err.file.endswith("deck.yaml")
    assert (err.line, err.field) == (4, "panels[1]")
    assert "escapes the deck folder" in err.message


def test_absolute_path_rejected(deck: Path) -> None:
    write(deck / "deck.yaml", MINIMAL_DECK + "  - /etc/passwd\n")
    assert "relative" in only_error(deck).message


def test_unknown_panel_type_lists_known(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL.replace("type: columns", "type: colums"))
    err = only_error(deck)
    assert (err.line, err.field) == (2, "type")
    assert "unknown panel type 'colums'" in err.message and "columns" in err.message
    loaded = load_deck(deck)
    assert isinstance(loaded.panels[0], BrokenPanel)


def test_duplicate_key_reported(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL + "id: b\n")
    err = only_error(deck)
    assert (err.line, err.field) == (8, "id")
    assert "duplicate key" in err.message


def test_duplicate_panel_id(deck: Path) -> None:
    write(deck / "panels" / "b.yaml", GOOD_PANEL)
    write(deck / "deck.yaml", MINIMAL_DECK + "  - panels/b.yaml\n")
    err = only_error(deck)
    assert err.file.endswith("b.yaml") and err.line == 1
    assert "duplicate panel id 'a'" in err.message


def test_every_error_is_reported_not_only_the_first(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL + "colour: red\nduration: -1\n")
    write(deck / "deck.yaml", MINIMAL_DECK + "  - panels/missing.yaml\n")
    loaded = load_deck(deck)
    assert len(loaded.errors) == 3


def test_figure_without_source_is_an_error(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", """\
id: a
type: figures
title: {en: F, zh: 数}
figures:
  - value: 3
    label: {en: Three, zh: 三}
    year: 2022
""")
    err = only_error(deck)
    assert (err.line, err.field) == (5, "figures[0].source")
    assert err.message == "required field is missing"


def test_deck_yaml_errors_raise_with_all_problems(deck: Path) -> None:
    write(deck / "deck.yaml", "title: {en: T}\nlanguages: [en, zh]\ndefault_language: fr\npanels: []\n")
    with pytest.raises(ContentFileError) as info:
        load_deck(deck)
    messages = [str(e) for e in info.value.errors]
    assert any(":1: title: missing translation 'zh'" in m for m in messages)
    assert any("panels" in m for m in messages)


def test_default_language_must_be_declared(deck: Path) -> None:
    write(deck / "deck.yaml", MINIMAL_DECK + "default_language: fr\n")
    with pytest.raises(ContentFileError) as info:
        load_deck(deck)
    assert "default_language 'fr'" in str(info.value)


def test_load_panel_never_raises_on_garbage(tmp_path: Path) -> None:
    path = write(tmp_path / "x.yaml", "- just\n- a list\n")
    panel = load_panel(path, ["en", "zh"])
    assert isinstance(panel, BrokenPanel)
    binary = tmp_path / "y.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert isinstance(load_panel(binary, ["en", "zh"]), BrokenPanel)


def test_unquoted_colon_in_text_gets_a_hint(deck: Path) -> None:
    write(deck / "panels" / "a.yaml", GOOD_PANEL.replace("title: {en: Columns, zh: 列}",
                                                         "title:\n  en: Shenzhen: the city\n  zh: 深圳"))
    err = only_error(deck)
    assert err.line == 4
    assert "must be put in quotes" in err.message
