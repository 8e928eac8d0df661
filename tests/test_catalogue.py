"""The catalogue of the app's own words: complete, consistent, English as the fallback."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest

from szkiosk.catalogue import language_name, language_warnings, missing, strings, ui_text

SHIPPED = ("en", "zh", "es")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_exists_in_the_shipped_languages(language: str) -> None:
    assert missing(language) == []


def test_translations_keep_their_placeholders() -> None:
    bad = [f"{key} ({lang})" for key, entry in strings().items() for lang, text in entry.items()
           if _fields(text) != _fields(entry["en"])]
    assert bad == []


def test_a_missing_language_falls_back_to_english() -> None:
    assert ui_text("booth.still_there", "fr") == "Still there?"
    assert ui_text("booth.still_there", "zh") == "还在吗？"
    assert ui_text("footer.source", "zh", sources="甲；乙") == "来源：甲；乙"
    assert "booth.still_there" in missing("fr")


def test_language_names_are_their_own() -> None:
    assert [language_name(c) for c in SHIPPED] == ["English", "中文", "Español"]
    assert language_name("fr") == "fr"


def test_language_warnings_name_each_gap() -> None:
    assert language_warnings(["en", "zh", "es"], "deck.yaml:7") == []
    warnings = language_warnings(["en", "fr"], "deck.yaml:7")
    assert len(warnings) == len(missing("fr")) == len(strings())
    assert all(w.startswith("deck.yaml:7: languages: no 'fr' text for ") for w in warnings)
    assert any("'booth.still_there'" in w for w in warnings)


def test_validate_warns_about_a_deck_language_the_catalogue_lacks(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    (deck / "panels").mkdir(parents=True)
    (deck / "deck.yaml").write_text(
        "title: {en: Hello, fr: Bonjour}\n"
        "# French is not in the catalogue: the app's own words fall back to English\n"
        "languages: [en, fr]\n"
        "panels: [panels/title.yaml]\n", encoding="utf-8")
    (deck / "panels" / "title.yaml").write_text(
        "id: title\ntype: title\ntitle: {en: Hello, fr: Bonjour}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "szkiosk", "validate", str(deck)], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    warned = [line for line in out.stdout.splitlines() if line.startswith("warning: ") and "languages:" in line]
    assert len(warned) == len(missing("fr"))
    assert all(line.startswith("warning: deck/deck.yaml:3: languages: no 'fr' text") for line in warned)
    every = [line for line in out.stdout.splitlines() if line.startswith("warning: ")]
    assert out.stdout.splitlines()[-1].endswith(f"OK ({len(every)} warning(s))")
