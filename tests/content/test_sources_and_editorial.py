"""Sources by id with bilingual publishers; every series point sourced; editorial warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from szkiosk.content import load_deck

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def set_notes(path: Path, en: str, zh: str) -> None:
    """Give a panel file these speaker notes (replacing any it has)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["notes"] = {"en": en, "zh": zh}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def copy_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(CONTENT, deck)
    return deck


def test_every_source_of_the_bundled_deck_names_its_publisher_in_both_languages(bundled_deck) -> None:
    assert bundled_deck.sources
    for sid, source in bundled_deck.sources.items():
        en, zh = source.publisher.get("en"), source.publisher.get("zh")
        assert en and zh, sid
        assert source.short("zh").startswith(zh) and str(source.year) in source.short("en")
        assert "content/data" not in source.citation("en") and ".yaml" not in source.citation("en"), "no file paths"


def test_every_cited_source_exists_and_is_used(bundled_deck) -> None:
    cited = {s for panel in bundled_deck.panels for s in panel.sources()}
    assert cited <= set(bundled_deck.sources)


def test_an_unknown_source_is_an_error_with_file_line_and_a_suggestion(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "panels" / "ninety-percent.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("source: sz-gov-hqd", "source: sz-gov-hq", 1),
                    encoding="utf-8")
    errors = [str(e) for e in load_deck(deck).errors]
    assert any("ninety-percent.yaml:" in e and "unknown source 'sz-gov-hq'" in e and "sz-gov-hqd" in e
               for e in errors), errors


def test_a_free_text_source_is_refused(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "panels" / "ninety-percent.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "source: sz-gov-hqd", "source: Shenzhen Government Online (2023)", 1), encoding="utf-8")
    errors = [str(e) for e in load_deck(deck).errors]
    assert any("must be the id of an entry in sources.yaml" in e for e in errors), errors


def test_a_series_with_a_pooled_source_is_refused(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "panels" / "industries.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("      title: {en:", "      source: sz-gov-hqd\n      title: {en:", 1)
    path.write_text(text, encoding="utf-8")
    errors = [str(e) for e in load_deck(deck).errors]
    assert any("industries.yaml:" in e and "series.source" in e and "unknown key" in e for e in errors), errors


def test_a_point_without_a_source_is_refused(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "panels" / "industries.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("{x: 2019, value: 37.7, source: sz-gov-sei-2019}", "{x: 2019, value: 37.7}")
    path.write_text(text, encoding="utf-8")
    errors = [str(e) for e in load_deck(deck).errors]
    assert any("every value needs its own source" in e for e in errors), errors


def test_a_source_entry_missing_a_language_is_an_error(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nextra:\n  publisher: {en: Only English}\n  date: 2020\n",
                    encoding="utf-8")
    errors = [str(e) for e in load_deck(deck).errors]
    assert any("sources.yaml:" in e and "extra.publisher" in e and "'zh'" in e for e in errors), errors


def test_validate_warns_on_half_width_punctuation_in_chinese(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "panels" / "ninety-percent.yaml"
    set_notes(path, "Say hello.", "还在吗?说声你好,谢谢")
    warnings = [str(w) for w in load_deck(deck).warnings]
    assert any("ninety-percent.yaml:" in w and "notes.zh" in w and "half-width" in w for w in warnings), warnings


def test_validate_warns_on_full_width_punctuation_in_english(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "panels" / "ninety-percent.yaml"
    set_notes(path, "Hello，world！", "你好。")
    warnings = [str(w) for w in load_deck(deck).warnings]
    assert any("notes.en" in w and "full-width" in w for w in warnings), warnings


def test_validate_warns_on_a_headline_over_budget(tmp_path: Path) -> None:
    deck = copy_deck(tmp_path)
    path = deck / "panels" / "ninety-percent.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("title:")
    end = text.index("\n", text.index("zh:", start))
    text = text[:start] + ("title:\n  en: One two three four five six seven eight nine ten\n"
                           "  zh: 一二三四五六七八九十一二三四五六七八") + text[end:]
    path.write_text(text, encoding="utf-8")
    warnings = [str(w) for w in load_deck(deck).warnings]
    assert any("title.en" in w and "10 words" in w for w in warnings), warnings
    assert any("title.zh" in w and "18 characters" in w for w in warnings), warnings


def test_every_content_file_parses_without_libyaml_too() -> None:
    """The loader prefers libyaml; a machine without it must read the same files (PyYAML's own parser
    is stricter, e.g. about an unquoted '?' in a flow mapping)."""
    files = sorted([*CONTENT.rglob("*.yaml"), *(ROOT / "examples").rglob("*.yaml")])
    broken = []
    for path in files:
        try:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            broken.append(f"{path.relative_to(ROOT)}: {str(exc).splitlines()[0]}")
    assert broken == []
