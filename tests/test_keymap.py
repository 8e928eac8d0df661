"""The one keymap: consistent, complete in every shipped language, and the README's table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from szkiosk import keymap
from szkiosk.catalogue import missing
from szkiosk.keymap import ACTIONS, MODES, action, action_for, help_rows, keycap, markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"
SHIPPED = ("en", "zh", "es")


def readme_table() -> str:
    """The table under README's "## Keys and touch" heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Keys and touch", 1)[1].split("\n## ", 1)[0]
    return "".join(line + "\n" for line in section.splitlines() if line.startswith("|"))


def test_readme_table_is_the_generated_one() -> None:
    assert readme_table() == markdown_table("en"), "regenerate it: python -m szkiosk.keymap"


def test_readme_table_has_a_row_per_listed_action() -> None:
    rows = readme_table().splitlines()[2:]
    assert len(rows) == sum(1 for a in ACTIONS if a.listed)
    assert any(row.startswith("| `Q` |") and row.endswith("| no |") for row in rows)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_listed_action_has_words_in_the_shipped_languages(language: str) -> None:
    gaps = set(missing(language))
    for a in ACTIONS:
        if a.listed:
            assert f"keys.{a.name}" not in gaps
            assert a.words(language).strip()
            assert all(cap.strip() for cap in a.keycaps(language))


def test_names_are_unique_and_modes_known() -> None:
    names = [a.name for a in ACTIONS]
    assert len(names) == len(set(names))
    assert {a.mode for a in ACTIONS} <= set(MODES)
    assert all(a.keys or a.touch for a in ACTIONS)


def test_a_key_means_one_thing_per_mode(monkeypatch) -> None:
    assert action_for("Right").name == "next"
    assert action_for("Right", "overview").name == "overview_right"
    assert action_for("Escape", "digits").name == "number_clear"
    assert action_for("Return") is None  # Enter without digits does nothing
    clash = (*ACTIONS, keymap.Action("also_next", ("Right",)))
    monkeypatch.setattr(keymap, "ACTIONS", clash)
    with pytest.raises(ValueError, match="Right is bound twice"):
        keymap._index()


def test_a_booth_allows_nothing_that_leaves_the_show() -> None:
    leaving = {"quit", "full_screen", "overview", "goto"}
    assert {a.name for a in ACTIONS if not a.kiosk} == leaving
    kiosk_words = {words for _, words in help_rows("en", kiosk=True)}
    assert action("quit").words("en") not in kiosk_words
    assert action("next").words("en") in kiosk_words


def test_keycaps_follow_the_language() -> None:
    assert keycap("Space", "zh") == "空格" and keycap("Space", "es") == "Espacio"
    assert keycap("Right", "zh") == "→" and keycap("Q", "es") == "Q"
    assert keycap("Space", "fr") == "Space"  # English where the catalogue has no French
    assert action("number").keycaps("zh") == ["数字 + 回车"]


def test_chinese_help_jumps_by_panel_id_not_number() -> None:
    rows = dict(help_rows("zh"))
    assert "ID" in rows["G + 字母"] and "编号" not in rows["G + 字母"]


def test_help_lists_only_keys_the_show_window_reads() -> None:
    shown = {words for _, words in help_rows("en")}
    assert action("timer").words("en") not in shown  # the presenter view's own key
    assert action("dot").words("en") not in shown  # touch only
    assert len(shown) == len([a for a in ACTIONS if a.listed and a.mode == "show" and a.keys])


def test_the_table_in_other_languages() -> None:
    zh = markdown_table("zh")
    assert zh.splitlines()[0] == "| 按键 | 触摸 | 作用 | 展台模式 |"
    assert re.search(r"\| `Q` \| — \| 退出 \| 不可用 \|", zh)
    assert "| `Inicio` | — | primer panel | sí |" in markdown_table("es")
