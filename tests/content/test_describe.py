"""Text alternatives: every panel, chart and the map described as words and data."""

from __future__ import annotations

from szkiosk.content.describe import describe_panel


def test_every_panel_has_a_description_in_both_languages(bundled_deck) -> None:
    for panel in bundled_deck.panels:
        for language in bundled_deck.model.languages:
            text = describe_panel(panel, language)
            assert panel.title.get(language) in text
            assert len(text.splitlines()) >= 2


def test_charts_are_described_as_their_data(bundled_deck) -> None:
    figures = bundled_deck.panels[bundled_deck.index_of("innovation-figures")]
    text = describe_panel(figures, "en")
    assert "2021: 5.49" in text and "2022: 5.81" in text


def test_map_is_described_as_its_partner_list(bundled_deck) -> None:
    worldmap = bundled_deck.panels[bundled_deck.index_of("sister-cities")]
    text = describe_panel(worldmap, "zh")
    assert "休斯敦" in text
    assert "{listed}" not in text
