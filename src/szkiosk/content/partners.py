"""Shenzhen's partner cities as data (``content/data/partners.yaml``), validated strictly.

One entry per partner: names and country in every deck language, kind (sister city or
friendly exchange city), continent, the year relations began where known, city-centre
coordinates and its sources: ids of entries in the deck's ``sources.yaml``, so a card names
the publisher in the visitor's language. Errors come back as ``file:line: field: message``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from szkiosk.content.schema import SourceRef, Strict
from szkiosk.content.text import Text
from szkiosk.content.yaml_doc import ContentError, ContentFileError, YamlDocument

Kind = Literal["sister", "friendly"]
Continent = Literal["africa", "asia", "europe", "north-america", "south-america", "oceania"]
KINDS: tuple[Kind, ...] = ("sister", "friendly")
CONTINENTS: tuple[Continent, ...] = ("asia", "europe", "africa", "north-america", "south-america", "oceania")


class Partner(Strict):
    """One partner city, province or region of Shenzhen."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", description="Slug, unique in the file")
    name: Text
    country: Text
    continent: Continent
    kind: Kind = Field(description="sister = 友好城市; friendly = 友好交流城市")
    since: Annotated[int, Field(ge=1979, le=2100)] | None = Field(
        None, description="Year the current level of relations began (Shenzhen was founded in 1979)"
    )
    lat: float = Field(ge=-90, le=90, description="Latitude of the city centre, WGS84 degrees")
    lon: float = Field(ge=-180, le=180, description="Longitude of the city centre, WGS84 degrees")
    note: Text | None = Field(None, description="One line about the partnership")
    source: tuple[SourceRef, ...] = Field(
        min_length=1, description="Who says so: ids of entries in sources.yaml, most authoritative first"
    )

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        # one source may be written without brackets
        return [value] if isinstance(value, str) else value

    def signed_after(self, year: int) -> bool:
        """True when relations at this level began after ``year`` (not part of a count made then)."""
        return self.since is not None and self.since > year


class PartnerList(Strict):
    """The file ``partners.yaml``: a list of partners, unique by id and by (name, country)."""

    partners: list[Partner] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> PartnerList:
        ids = Counter(p.id for p in self.partners)
        dupes = sorted(i for i, n in ids.items() if n > 1)
        if dupes:
            raise ValueError(f"duplicate partner id(s): {', '.join(dupes)}")
        pairs = Counter((p.name.get("en"), p.country.get("en")) for p in self.partners)
        twice = sorted(f"{n} ({c})" for (n, c), k in pairs.items() if k > 1)
        if twice:
            raise ValueError(f"partner listed twice: {', '.join(twice)}")
        return self

    def by_kind(self, kind: Kind) -> list[Partner]:
        """Partners of one kind, in file order."""
        return [p for p in self.partners if p.kind == kind]

    def counts(self) -> dict[str, int]:
        """How many partners of each kind are listed."""
        return {kind: len(self.by_kind(kind)) for kind in KINDS}

    def joined_after(self, year: int) -> list[Partner]:
        """Partners whose relations began after ``year`` (not part of a count made that year)."""
        return [p for p in self.partners if p.signed_after(year)]

    def as_of(self, year: int) -> list[Partner]:
        """Partners on the date basis of a count made in ``year`` (or with no known start year)."""
        return [p for p in self.partners if not p.signed_after(year)]

    def sources(self) -> list[str]:
        """Every source id the partners cite, in file order, each once."""
        return list(dict.fromkeys(s for p in self.partners for s in p.source))


def load_partners(path: Path, languages: list[str] | None = None,
                  sources: set[str] | None = None) -> tuple[PartnerList | None, list[ContentError]]:
    """Load and validate a partners file; return (list or None, every error as file:line).

    ``sources`` are the deck's source ids: a partner citing another id is an error.
    """
    try:
        doc = YamlDocument(path)
    except ContentFileError as exc:
        return None, list(exc.errors)
    duplicates = _duplicates(doc)
    context: dict[str, object] = {"languages": languages or ["en", "zh"]}
    if sources is not None:
        context["sources"] = set(sources)
    model, errors = doc.validate(PartnerList, context)
    if duplicates:
        # the model says "duplicate" at the top of the file; these point at the entry
        errors = [e for e in errors if "duplicate partner" not in e.message and "listed twice" not in e.message]
        errors.extend(duplicates)
    if errors:
        return None, errors
    return model, []


def _duplicates(doc: YamlDocument) -> list[ContentError]:
    """Second and later entries that repeat an id or an (English name, country) pair."""
    data = doc.data.get("partners") if isinstance(doc.data, dict) else None
    if not isinstance(data, list):
        return []
    errors: list[ContentError] = []
    ids: dict[object, int] = {}
    pairs: dict[tuple[object, object], int] = {}
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            continue
        pid = entry.get("id")
        if pid in ids:
            errors.append(doc.error(("partners", i, "id"), f"duplicate id {pid!r} (first at partners[{ids[pid]}])"))
        else:
            ids[pid] = i
        name, country = entry.get("name"), entry.get("country")
        if isinstance(name, dict) and isinstance(country, dict):
            pair = (name.get("en"), country.get("en"))
            if pair in pairs:
                errors.append(doc.error(("partners", i, "name"),
                                        f"{pair[0]} ({pair[1]}) is listed twice (first at partners[{pairs[pair]}])"))
            else:
                pairs[pair] = i
    return errors
