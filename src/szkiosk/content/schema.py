"""Pydantic models of a deck (``deck.yaml``) and the fields every panel shares.

Panel types add their own fields by subclassing :class:`PanelModel` and are listed once in
:data:`szkiosk.content.types.PANEL_TYPES`. Everything is ``extra="forbid"`` so a misspelt key is an error, not a
silently ignored line.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from szkiosk.content.pin_hash import check_pin_scrypt, check_pin_sha256
from szkiosk.content.text import Text

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
PANEL_ID = r"^[a-z0-9][a-z0-9-]*$"
Year = Annotated[int, Field(ge=1900, le=2100, description="Year the figure refers to")]
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SOURCES_FILE = "sources.yaml"


def _known_source(value: str, info: ValidationInfo) -> str:
    known = (info.context or {}).get("sources")
    if SOURCE_ID.match(value) and (known is None or value in known):
        return value
    # only a wrong id pays for the suggestions (difflib over every id is slow: 180 references
    # in the bundled deck took 0.9 s when each was checked this way)
    close = difflib.get_close_matches(value, sorted(known or ()), n=3, cutoff=0.5)
    listed = f"; did you mean {', '.join(close)}?" if close else (f" ({len(known)} ids there)" if known else "")
    if not SOURCE_ID.match(value):
        raise ValueError(f"source must be the id of an entry in {SOURCES_FILE} (e.g. sz-gov-hqd), "
                         f"got {value!r}{listed}")
    if known is not None and value not in known:
        missing = listed or f" ({SOURCES_FILE} is missing)"
        raise ValueError(f"unknown source {value!r}: add it to {SOURCES_FILE}{missing}")
    return value


#: A reference to an entry of the deck's ``sources.yaml`` (see :mod:`szkiosk.content.sources`).
SourceRef = Annotated[str, AfterValidator(_known_source), Field(description=f"Id of an entry in {SOURCES_FILE}")]


class Strict(BaseModel):
    """Base for every content model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _check_colour(value: str) -> str:
    if not HEX_COLOUR.match(value):
        raise ValueError(f"colour must be #RRGGBB, got {value!r}")
    return value.upper()


class Theme(Strict):
    """Colours and type sizes (logical pixels on the 1920x1080 stage)."""

    background: str = "#0A1A33"
    surface: str = "#13294B"
    text: str = "#FFFFFF"
    muted: str = "#C4D0E3"
    accent: str = "#FF6B5E"
    data: str = "#4FD8EB"
    palette: list[str] = Field(
        default_factory=lambda: ["#4FD8EB", "#FFB547", "#7BE0A0", "#FF8FB1", "#B9A7FF", "#F5E663"],
        min_length=2,
        description="Chart series colours (colour-blind-safe order)",
    )
    font_family: str | None = Field(
        None, description="Preferred font family; the bundled Noto Sans SC is used otherwise"
    )
    headline_size: int = Field(64, ge=28, le=200)
    body_size: int = Field(32, ge=20, le=120)
    caption_size: int = Field(24, ge=16, le=80)
    number_size: int = Field(112, ge=48, le=300)

    @field_validator("background", "surface", "text", "muted", "accent", "data")
    @classmethod
    def _colour(cls, value: str) -> str:
        return _check_colour(value)

    @field_validator("palette")
    @classmethod
    def _palette(cls, value: list[str]) -> list[str]:
        return [_check_colour(v) for v in value]


class Transition(Strict):
    """How one panel gives way to the next."""

    kind: Literal["slide", "fade", "none"] = "slide"
    duration_ms: int = Field(450, ge=0, le=3000)


TIME_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_time_range(value: str) -> tuple[int, int]:
    """``"20:00-08:00"`` -> (start, end) in minutes after midnight; the range may cross midnight."""
    match = TIME_RANGE.match(value)
    if match is None:
        raise ValueError(f'must be a daily time range "HH:MM-HH:MM", e.g. "20:00-08:00", got {value!r}')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"times must be 00:00 to 23:59 (midnight is 00:00), got {value!r}")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise ValueError(f"start and end are the same time, got {value!r}; leave screen_off out to keep the screen on")
    return start, end


class Kiosk(Strict):
    """Settings for unattended booth use."""

    idle_timeout: float = Field(60, gt=0, description="Seconds without input before attract")
    attract_panels: list[str] = Field(
        default_factory=list, description="Panel ids for the attract loop; empty = all"
    )
    attract_dwell: float = Field(12, gt=0, description="Seconds per panel when none is set")
    countdown: float = Field(10, ge=0, description="Seconds of the 'Still there?' countdown")
    pin_scrypt: str | None = Field(
        None, description="Salted scrypt hash of the staff PIN, scrypt$N$r$p$salt$key (szkiosk hash-pin)"
    )
    pin_sha256: str | None = Field(
        None, description="Old, unsalted SHA-256 hex of the staff PIN: still read, with a warning; use pin_scrypt"
    )
    pixel_shift_minutes: float = Field(
        3, ge=0, le=1440, description="Minutes between few-pixel shifts of the footer against burn-in; 0 = off"
    )
    screen_off: str | None = Field(
        None, description='Daily black-screen hours "HH:MM-HH:MM" (may cross midnight), e.g. "20:00-08:00"'
    )

    @field_validator("pixel_shift_minutes")
    @classmethod
    def _shift_minutes(cls, value: float) -> float:
        if 0 < value < 1:
            raise ValueError(f"use 0 (off) or at least 1 minute, got {value}")
        return value

    @field_validator("screen_off", mode="before")
    @classmethod
    def _screen_off(cls, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, str):  # unquoted 20:00 is a YAML 1.1 number (1200)
            raise ValueError(f'must be a quoted daily time range "HH:MM-HH:MM", e.g. "20:00-08:00", got {value!r}')
        start, end = parse_time_range(value)
        return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"

    # "before": a number here (an unquoted PIN, by mistake) gets the same message, without its value
    @field_validator("pin_scrypt", mode="before")
    @classmethod
    def _pin_scrypt(cls, value: object) -> str | None:
        return None if value is None else check_pin_scrypt(value if isinstance(value, str) else "")

    @field_validator("pin_sha256", mode="before")
    @classmethod
    def _pin_sha256(cls, value: object) -> str | None:
        return None if value is None else check_pin_sha256(value if isinstance(value, str) else "")

    @property
    def pin_hash(self) -> str | None:
        """The stored PIN hash the booth checks against: ``pin_scrypt``, else the old ``pin_sha256``."""
        return self.pin_scrypt or self.pin_sha256


class Screen(Strict):
    """The physical screen the deck is designed for (used by the legibility check)."""

    diagonal_in: float = Field(55, gt=5, le=400)
    width_px: int = Field(1920, gt=0)
    height_px: int = Field(1080, gt=0)
    viewing_distance_m: float = Field(3.0, gt=0, le=50)


class Accessibility(Strict):
    """Accessibility modes the show starts in; visitors switch them from the access button."""

    reduced_motion: bool = Field(False, description="No slides, particles or count-ups: short fades only")
    high_contrast: bool = Field(False, description="White on black, patterns as well as colours")
    text_scale: float = Field(1.0, ge=1.0, le=2.0, description="Text size factor, e.g. 1.4 for large text")
    large_text_scale: float = Field(1.4, ge=1.1, le=2.0, description="Factor the 'Large text' toggle uses")
    reach: bool = Field(False, description="Put every control within reach of a seated visitor")
    reach_zone: float = Field(
        0.5, ge=0.2, le=1.0,
        description="Share of the screen height, from the bottom, that controls must stay in",
    )


class DeckModel(Strict):
    """``deck.yaml``: the show as a whole."""

    title: Text
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]] = Field(
        default_factory=lambda: ["en", "zh"], min_length=1
    )
    default_language: str = "en"
    theme: Theme = Field(default_factory=Theme)
    transition: Transition = Field(default_factory=Transition)
    kiosk: Kiosk = Field(default_factory=Kiosk)
    screen: Screen = Field(default_factory=Screen)
    accessibility: Accessibility = Field(default_factory=Accessibility)
    panels: list[str] = Field(min_length=1, description="Panel files, relative to the deck folder")

    @model_validator(mode="after")
    def _default_in_languages(self) -> DeckModel:
        if self.default_language not in self.languages:
            raise ValueError(
                f"default_language {self.default_language!r} is not one of {self.languages}"
            )
        return self


class Link(Strict):
    """A web address the visitor can take away as a QR code (generated locally)."""

    url: str = Field(pattern=r"^(https?://|mailto:)\S+$", max_length=400)
    label: Text | None = Field(None, description="Caption under the code, e.g. 'Read more'")


class Detail(Strict):
    """One section of a panel's detail layer: what a curator wants to say beyond the face."""

    title: Text | None = Field(None, description="Heading of the section")
    text: Text = Field(description="The section's text (a few sentences)")
    source: SourceRef | None = None
    year: Year | None = None
    about: str | None = Field(
        None, pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Key of the item (card, stage, city...) whose tap opens the layer at this section",
    )


class PanelModel(Strict):
    """Fields every panel has, whatever its type.

    A panel has a **face** (headline, one visual, at most three supporting lines: what a
    visitor takes in within 10 seconds from 3 m) and a **detail layer** (``details``), opened
    by the "More" control or a tap on a card, printed in the handout.
    """

    #: Names of the fields whose text the face shows outside its visual (for the word budget).
    FACE_FIELDS: ClassVar[tuple[str, ...]] = ("subtitle",)

    id: str = Field(pattern=PANEL_ID, description="Unique id, used by --start and goto")
    type: str
    title: Text = Field(description="The headline: at most 8 English words / 16 Chinese characters")
    subtitle: Text | None = None
    notes: Text | None = Field(None, description="Speaker notes: what to say (presenter view, handout)")
    details: list[Detail] = Field(default_factory=list, max_length=8,
                                  description="The detail layer: sections shown on tap and in the handout")
    duration: float | None = Field(None, gt=0, le=600, description="Seconds on auto-advance")
    source: SourceRef | None = Field(None, description="Source of the panel's own text")
    year: Year | None = None
    steps: bool = Field(True, description="In presenter mode, reveal build stages one Next at a time")
    priority: int = Field(2, ge=1, le=3, description="For --tour: 1 = always show, 3 = first to drop")
    talk_time: float | None = Field(
        None, gt=0, le=3600, description="Seconds a speaker needs for this panel (default: duration or 60)"
    )
    link: Link | None = Field(None, description="A web address shown as a QR code to take away")

    #: Editorial warnings found while loading (face budget, punctuation); not part of the content.
    _warnings: list = PrivateAttr(default_factory=list)

    def sources(self) -> list[str]:
        """Ids of every source the panel cites, in order of appearance, each once."""
        found: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, BaseModel) and not isinstance(value, Text):
                for name in type(value).model_fields:
                    item = getattr(value, name)
                    if (name == "source" or name.endswith("_source")) and isinstance(item, str):
                        if item not in found:
                            found.append(item)
                    else:
                        walk(item)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    walk(item)

        # the panel's own source first, then what its face cites, the detail layer's last
        names = list(type(self).model_fields)
        for name in ["source", *[n for n in names if n not in ("source", "details")], "details"]:
            value = getattr(self, name, None)
            if (name == "source" or name.endswith("_source")) and isinstance(value, str):
                if value not in found:
                    found.append(value)
            else:
                walk(value)
        return found

    def face_texts(self) -> list[Text]:
        """Texts the face shows outside its visual (the word budget counts these)."""
        out: list[Text] = []
        for name in self.FACE_FIELDS:
            value = getattr(self, name, None)
            if isinstance(value, Text):
                out.append(value)
            elif isinstance(value, list):
                out.extend(v for v in value if isinstance(v, Text))
        return out
