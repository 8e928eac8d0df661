"""Partner data: the shipped file validates; bad entries give file:line: field errors."""

from __future__ import annotations

from pathlib import Path

from szkiosk.content import load_deck
from szkiosk.content.partners import load_partners

ROOT = Path(__file__).resolve().parents[2]
PARTNERS = ROOT / "content" / "data" / "partners.yaml"

GOOD = """\
partners:
  - id: houston
    name: {en: Houston, zh: 休斯敦}
    country: {en: United States, zh: 美国}
    continent: north-america
    kind: sister
    since: 1986
    lat: 29.76
    lon: -95.37
    source: [sz-story-2023]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "partners.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_partners_validate() -> None:
    plist, errors = load_partners(PARTNERS)
    assert errors == []
    assert plist is not None
    counts = plist.counts()
    assert 0 < counts["sister"] <= 24 and 0 < counts["friendly"] <= 66


def test_good_entry(tmp_path: Path) -> None:
    plist, errors = load_partners(write(tmp_path, GOOD))
    assert not errors and plist is not None and plist.partners[0].name.get("zh") == "休斯敦"


def test_latitude_out_of_range_names_the_line(tmp_path: Path) -> None:
    _, errors = load_partners(write(tmp_path, GOOD.replace("lat: 29.76", "lat: 129.76")))
    assert len(errors) == 1
    assert errors[0].line == 8 and errors[0].field == "partners[0].lat"
    assert "partners.yaml:8: partners[0].lat" in str(errors[0])


def test_kind_continent_source_and_unknown_keys(tmp_path: Path) -> None:
    bad = (GOOD.replace("kind: sister", "kind: twin").replace("north-america", "america")
           .replace("source: [sz-story-2023]", 'source: ""')
           .replace("since: 1986", "sine: 1986"))
    _, errors = load_partners(write(tmp_path, bad))
    fields = {e.field for e in errors}
    assert {"partners[0].kind", "partners[0].continent", "partners[0].source", "partners[0].sine"} <= fields


def test_missing_translation(tmp_path: Path) -> None:
    _, errors = load_partners(write(tmp_path, GOOD.replace("{en: Houston, zh: 休斯敦}", "{en: Houston}")))
    assert errors and errors[0].field.startswith("partners[0].name") and "zh" in errors[0].message


def test_duplicates_point_at_the_second_entry(tmp_path: Path) -> None:
    entry = GOOD.split("\n", 1)[1]
    twice = GOOD + entry.replace("id: houston", "id: houston-2")
    _, errors = load_partners(write(tmp_path, twice))
    assert any("listed twice" in e.message and e.line in (11, 12) for e in errors), [str(e) for e in errors]
    same_id = GOOD + entry.replace("Houston, zh", "Houston TX, zh")
    _, errors = load_partners(write(tmp_path, same_id))
    assert any("duplicate id 'houston'" in e.message and e.line in (11, 12) for e in errors), [str(e) for e in errors]


def test_validate_reports_partner_file_errors(deck_copy: Path) -> None:
    data = deck_copy / "data" / "partners.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("lat: 29.7604", "lat: 129.7604"), encoding="utf-8")
    loaded = load_deck(deck_copy)
    messages = [str(e) for e in loaded.errors]
    hits = [m for m in messages if "sister-cities.yaml" in m and "partners.yaml:" in m and "partners[0].lat" in m]
    assert hits, messages


def test_panel_counts_are_consistent(deck_copy: Path) -> None:
    panel = deck_copy / "panels" / "sister-cities.yaml"
    panel.write_text(panel.read_text(encoding="utf-8").replace("value: 66", "value: 65"), encoding="utf-8")
    loaded = load_deck(deck_copy)
    assert any("must equal total" in str(e) for e in loaded.errors)


def test_sources_are_ids_of_the_decks_sources(tmp_path: Path) -> None:
    """A partner cites entries of sources.yaml (publisher in every language), never free text."""
    known = {"sz-story-2023", "people-2000-09-22"}
    both = GOOD.replace("[sz-story-2023]", "[sz-story-2023, people-2000-09-22]")
    plist, errors = load_partners(write(tmp_path, both), sources=known)
    assert not errors and plist is not None and plist.partners[0].source == ("sz-story-2023", "people-2000-09-22")
    plist, errors = load_partners(write(tmp_path, GOOD.replace("[sz-story-2023]", "sz-story-2023")), sources=known)
    assert not errors and plist is not None and plist.partners[0].source == ("sz-story-2023",)
    _, errors = load_partners(write(tmp_path, GOOD.replace("[sz-story-2023]", "[sz-storry-2023]")), sources=known)
    assert errors and all(e.line == 10 and e.field.startswith("partners[0].source") for e in errors)
    assert any("unknown source 'sz-storry-2023'" in e.message for e in errors)
    _, errors = load_partners(write(tmp_path, GOOD.replace("[sz-story-2023]", '"Shenzhen Government Online, 2023"')),
                              sources=known)
    assert any("must be the id of an entry" in e.message for e in errors)


def test_every_shipped_partner_cites_a_known_source() -> None:
    deck = load_deck(ROOT / "content")
    model = deck.panels[deck.index_of("sister-cities")]
    cited = model.partner_list.sources()
    assert cited and set(cited) <= set(deck.sources)
    for sid in cited:
        source = deck.sources[sid]
        assert source.publisher.get("zh") != source.publisher.get("en"), sid
    # every partner's source reaches the detail layer; the footer keeps to the panel's own
    assert set(cited) <= set(model.all_sources())
    assert model.sources() == ["sz-gov-hqd", "sz-story-2023", "natural-earth"]
