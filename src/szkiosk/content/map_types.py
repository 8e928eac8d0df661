"""Model of the ``worldmap`` panel: official partner counts plus a sourced list on a map.

The counts and the mapped partners share one date basis: partners whose relations began
after the counts' year are not mapped (the panel's details name them), so the face never
shows a later partner beside an older count.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from szkiosk.catalogue import ui_text
from szkiosk.content.partners import Partner, PartnerList, load_partners
from szkiosk.content.schema import PanelModel, SourceRef, Strict, Year
from szkiosk.content.text import Text
from szkiosk.content.yaml_doc import resolve_inside

NOTE_FIELDS = {"listed", "total", "later", "year", "sister", "friendly"}


class Tally(Strict):
    """One official count (e.g. 24 sister cities) with its label, source and year."""

    value: int = Field(ge=0)
    label: Text
    source: SourceRef
    year: Year


class WorldMapPanelModel(PanelModel):
    """Partner cities on an offline world map: official counts, arcs from Shenzhen, cards."""

    type: Literal["worldmap"] = "worldmap"
    total: Tally = Field(description="All partners, e.g. 90 provinces and cities")
    countries: Tally = Field(description="Countries they are in, e.g. 57")
    sister: Tally = Field(description="Sister cities (友好城市), e.g. 24")
    friendly: Tally = Field(description="Friendly exchange cities (友好交流城市), e.g. 66")
    as_of: Text = Field(description="The date basis of the counts, shown with them, e.g. 'As of September 2022'")
    partners: str = Field(description="Partner data file, relative to the deck folder")
    partners_source: SourceRef | None = Field(
        None, description="A source for the list as a whole (each partner cites its own anyway)")
    listed_note: Text = Field(
        description="Honest line on how many partners are mapped; placeholders "
        "{listed} {total} {later} {year} {sister} {friendly}"
    )
    hint: Text = Field(description="Tells the visitor that cities can be tapped")
    hub: Text = Field(description="Name of the city the arcs start from (Shenzhen)")
    hub_lat: float = Field(22.54, ge=-90, le=90)
    hub_lon: float = Field(114.06, ge=-180, le=180)

    _partner_list: PartnerList | None = PrivateAttr(None)

    @field_validator("listed_note")
    @classmethod
    def _placeholders(cls, value: Text) -> Text:
        for lang, s in value.root.items():
            used = set(re.findall(r"{(\w+)}", s))
            if "listed" not in used:
                raise ValueError(f"listed_note ({lang}) must contain '{{listed}}', got {s!r}")
            unknown = used - NOTE_FIELDS
            if unknown:
                raise ValueError(f"listed_note ({lang}): unknown placeholder(s) {sorted(unknown)}")
        return value

    @field_validator("partners")
    @classmethod
    def _partner_file(cls, value: str, info: ValidationInfo) -> str:
        _load(value, info)
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> WorldMapPanelModel:
        if self.sister.value + self.friendly.value != self.total.value:
            raise ValueError(
                f"sister ({self.sister.value}) + friendly ({self.friendly.value}) "
                f"must equal total ({self.total.value})"
            )
        self._partner_list = _load(self.partners, info)
        listed = self._partner_list.counts()
        for kind, tally in (("sister", self.sister), ("friendly", self.friendly)):
            if listed[kind] > tally.value:
                raise ValueError(f"{listed[kind]} {kind} partners listed, more than the official {tally.value}")
        return self

    @property
    def partner_list(self) -> PartnerList:
        """The validated partners (loaded with the panel)."""
        if self._partner_list is None:
            raise RuntimeError("partners were not loaded")
        return self._partner_list

    def mapped(self) -> list[Partner]:
        """Partners on the map: those on the counts' date basis, sister cities first."""
        basis = self.partner_list.as_of(self.total.year)
        return [p for p in basis if p.kind == "sister"] + [p for p in basis if p.kind == "friendly"]

    def note_values(self) -> dict[str, int]:
        """Numbers for :attr:`listed_note` (``listed``, ``sister``, ``friendly``: the mapped ones)."""
        mapped = self.mapped()
        return {
            "listed": len(mapped), "total": self.total.value, "year": self.total.year,
            "later": len(self.partner_list.joined_after(self.total.year)),
            "sister": sum(p.kind == "sister" for p in mapped), "friendly": sum(p.kind == "friendly" for p in mapped),
        }

    def all_sources(self) -> list[str]:
        """The panel's own sources (the footer's), then every source a partner cites (its card,
        the detail layer's citations; a handout's appendix should list these too)."""
        own = self.sources()
        return own + [s for s in self.partner_list.sources() if s not in own]

    # -- the face ---------------------------------------------------------------------------
    def total_line(self, language: str) -> str:
        """``in 57 countries`` / ``遍布57个国家``: what the total's number leads into."""
        return ui_text("worldmap.in", language, value=f"{self.countries.value:,}",
                       label=self.countries.label.get(language))

    def listed_line(self, language: str) -> str:
        """:attr:`listed_note` with its numbers."""
        return self.listed_note.get(language).format(**self.note_values())

    def face_texts(self) -> list[Text]:
        """The counts with their labels, their date, the mapped line and the hint (the map is the visual)."""
        languages = list(self.title.root)

        def per(make) -> Text:
            return Text.model_construct(root={lang: make(lang) for lang in languages})

        return [
            per(lambda lang: f"{self.total.value} {self.total.label.get(lang)}"),
            per(self.total_line),
            per(lambda lang: f"{self.sister.value} {self.sister.label.get(lang)}"),
            per(lambda lang: f"{self.friendly.value} {self.friendly.label.get(lang)}"),
            self.as_of,
            per(self.listed_line),
            self.hint,
        ]


def _load(relative: str, info: ValidationInfo) -> PartnerList:
    context = info.context or {}
    root = context.get("root")
    if root is None:
        raise ValueError("cannot locate the partner file without the deck folder")
    path = resolve_inside(Path(root), relative)
    plist, errors = _load_partners_cached(path, context.get("languages"), context.get("sources"))
    if errors or plist is None:
        shown = "\n  ".join(str(e) for e in errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise ValueError(f"{len(errors)} problem(s) in the partner file:\n  {shown}{more}")
    return plist


_PARTNERS_CACHE: dict[tuple[object, ...], tuple[PartnerList | None, list]] = {}


def _load_partners_cached(path: Path, languages: list[str] | None,
                          sources: set[str] | None = None) -> tuple[PartnerList | None, list]:
    """:func:`load_partners`, once per file version: every map panel (and both of its
    validators) shares the parsed list until the file changes (its mtime or size)."""
    try:
        stat = path.stat()
    except OSError:
        return load_partners(path, languages, sources)
    key = (str(path), stat.st_mtime_ns, stat.st_size, tuple(languages or ()),
           tuple(sorted(sources)) if sources is not None else None)
    hit = _PARTNERS_CACHE.get(key)
    if hit is None:
        if len(_PARTNERS_CACHE) >= 8:
            _PARTNERS_CACHE.clear()
        hit = _PARTNERS_CACHE[key] = load_partners(path, languages, sources)
    return hit[0], list(hit[1])
