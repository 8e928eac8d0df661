"""Legibility rules of ``szkiosk validate``: capital height at distance, contrast."""

from __future__ import annotations

from pathlib import Path

import pytest

from szkiosk.content import load_deck
from szkiosk.content.legibility import check_legibility, contrast_ratio, pixel_pitch_mm


def test_contrast_ratio_known_values() -> None:
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


def test_pixel_pitch_of_a_55_inch_full_hd_screen() -> None:
    assert pixel_pitch_mm(55, 1920, 1080) == pytest.approx(0.634, abs=0.002)


def test_bundled_theme_passes(bundled_deck) -> None:
    errors, _ = check_legibility(bundled_deck)
    assert errors == []


def test_small_body_text_and_low_contrast_fail(deck_copy: Path) -> None:
    deck_yaml = deck_copy / "deck.yaml"
    text = deck_yaml.read_text()
    text = text.replace("body_size: 34", "body_size: 22").replace('muted: "#C9D5E8"', 'muted: "#4A5A70"')
    deck_yaml.write_text(text)
    errors, _ = check_legibility(load_deck(deck_copy))
    fields = {e.field for e in errors}
    assert "theme.body_size" in fields
    assert "theme.muted" in fields
    body = next(e for e in errors if e.field == "theme.body_size")
    assert "mm" in body.message and body.file.endswith("deck.yaml")


def test_viewing_distance_matters(deck_copy: Path) -> None:
    deck_yaml = deck_copy / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text().replace("viewing_distance_m: 3", "viewing_distance_m: 8"))
    errors, _ = check_legibility(load_deck(deck_copy))
    assert any(e.field == "theme.body_size" for e in errors)
