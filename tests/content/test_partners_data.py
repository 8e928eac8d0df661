"""Checks on content/data/partners.yaml (Shenzhen's partner cities)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

PARTNERS_YAML = Path(__file__).resolve().parents[2] / "content" / "data" / "partners.yaml"
REQUIRED = ("id", "name", "country", "continent", "kind", "lat", "lon", "source")
OPTIONAL = ("since", "note")
CONTINENTS = {"africa", "asia", "europe", "north-america", "south-america", "oceania"}
KINDS = {"sister", "friendly"}
OFFICIAL_SISTER = 24
OFFICIAL_FRIENDLY = 66
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def partners() -> list[dict[str, Any]]:
    data = yaml.safe_load(PARTNERS_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert isinstance(data.get("partners"), list)
    return data["partners"]


def test_not_empty(partners: list[dict[str, Any]]) -> None:
    assert len(partners) > 20


def test_required_keys_and_no_unknown_keys(partners: list[dict[str, Any]]) -> None:
    for p in partners:
        missing = [k for k in REQUIRED if k not in p]
        assert not missing, (p.get("id"), missing)
        unknown = set(p) - set(REQUIRED) - set(OPTIONAL)
        assert not unknown, (p["id"], unknown)


def test_coordinates_in_range(partners: list[dict[str, Any]]) -> None:
    for p in partners:
        assert isinstance(p["lat"], float | int) and not isinstance(p["lat"], bool)
        assert isinstance(p["lon"], float | int) and not isinstance(p["lon"], bool)
        assert -90.0 <= p["lat"] <= 90.0, p["id"]
        assert -180.0 <= p["lon"] <= 180.0, p["id"]


def test_kind_continent_and_since(partners: list[dict[str, Any]]) -> None:
    for p in partners:
        assert p["kind"] in KINDS, p["id"]
        assert p["continent"] in CONTINENTS, p["id"]
        if "since" in p:
            assert isinstance(p["since"], int), p["id"]
            assert 1979 <= p["since"] <= 2030, p["id"]  # Shenzhen was founded in 1979


def test_sources_are_lists_of_ids(partners: list[dict[str, Any]]) -> None:
    for p in partners:
        assert isinstance(p["source"], list) and p["source"], p["id"]
        assert all(isinstance(s, str) and SLUG.match(s) for s in p["source"]), p["id"]


def test_ids_unique_slugs(partners: list[dict[str, Any]]) -> None:
    ids = [p["id"] for p in partners]
    assert all(isinstance(i, str) and SLUG.match(i) for i in ids), ids
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes


def test_name_country_pairs_unique(partners: list[dict[str, Any]]) -> None:
    pairs = [(p["name"]["en"], p["country"]["en"]) for p in partners]
    dupes = [pair for pair, n in Counter(pairs).items() if n > 1]
    assert not dupes


def test_bilingual_names(partners: list[dict[str, Any]]) -> None:
    for p in partners:
        for key in ("name", "country"):
            value = p[key]
            assert isinstance(value, dict), (p["id"], key)
            assert isinstance(value.get("en"), str) and value["en"].strip(), (p["id"], key)
            assert isinstance(value.get("zh"), str) and value["zh"].strip(), (p["id"], key)
            assert HAN.search(value["zh"]), (p["id"], key)
        if "note" in p:
            assert p["note"]["en"].strip() and p["note"]["zh"].strip(), p["id"]


def test_counts_within_official_totals(partners: list[dict[str, Any]]) -> None:
    kinds = Counter(p["kind"] for p in partners)
    assert kinds["sister"] <= OFFICIAL_SISTER
    assert kinds["friendly"] <= OFFICIAL_FRIENDLY
    assert kinds["sister"] > 0 and kinds["friendly"] > 0
