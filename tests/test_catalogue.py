"""The catalogue of the app's own words: complete, consistent, English as the fallback."""

from __future__ import annotations

import string

import pytest

from szkiosk.catalogue import language_name, missing, strings, ui_text

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
