"""``szkiosk new`` skeletons validate for every panel type; ``szkiosk types`` lists fields."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from szkiosk.authoring.new import add_to_deck, describe_types, skeleton
from szkiosk.cli import main
from szkiosk.content import PANEL_MODELS, load_deck

TYPES = sorted(PANEL_MODELS)


@pytest.mark.parametrize("kind", TYPES)
def test_new_writes_a_skeleton_that_validates(tmp_path: Path, kind: str, capsys) -> None:
    (tmp_path / "deck.yaml").write_text("# my deck\ntitle: {en: T, zh: T}\npanels:\n", encoding="utf-8")
    assert main(["new", kind, f"my-{kind}", "--deck", str(tmp_path)]) == 0
    text = (tmp_path / "panels" / f"my-{kind}.yaml").read_text(encoding="utf-8")
    assert "TODO" in text and "待填写" in text, "placeholders in both languages"
    assert text.count("\n# ") >= 3, "commented"
    deck = load_deck(tmp_path)
    assert deck.errors == []
    assert [p.id for p in deck.panels] == [f"my-{kind}"]
    assert "# my deck" in (tmp_path / "deck.yaml").read_text(encoding="utf-8"), "comments kept"


def test_new_refuses_unknown_type_bad_id_and_overwrite(tmp_path: Path) -> None:
    (tmp_path / "deck.yaml").write_text("title: {en: T, zh: T}\npanels:\n  - panels/a.yaml\n")
    assert main(["new", "nope", "x", "--deck", str(tmp_path)]) == 2
    assert main(["new", "title", "Bad Id", "--deck", str(tmp_path)]) == 2
    assert main(["new", "title", "a", "--deck", str(tmp_path)]) == 0
    assert main(["new", "title", "a", "--deck", str(tmp_path)]) == 1


def test_skeleton_follows_the_decks_languages() -> None:
    data = yaml.safe_load(skeleton("title", "x", ["en", "fr"]))
    assert set(data["title"]) == {"en", "fr"}


def test_optional_fields_are_commented_out() -> None:
    text = skeleton("figures", "x")
    assert "# subtitle:" in text and "\nsubtitle:" not in text


def test_types_lists_every_type_and_its_fields() -> None:
    text = describe_types()
    for kind in TYPES:
        assert f"\n{kind}: " in "\n" + text
    one = describe_types("figures")
    assert "series" in one and "required" in one and "source" in one


def test_add_to_deck_appends_after_the_last_panel(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("panels:\n  - panels/a.yaml\n  - panels/b.yaml\n# end\n")
    assert add_to_deck(deck, "panels/c.yaml")
    assert deck.read_text().splitlines()[:4] == ["panels:", "  - panels/a.yaml", "  - panels/b.yaml",
                                                 "  - panels/c.yaml"]


def test_types_command_in_a_subprocess() -> None:
    out = subprocess.run([sys.executable, "-m", "szkiosk", "types"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "worldmap" in out.stdout
