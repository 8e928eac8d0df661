"""Models of the built-in panel types (listed once in :mod:`szkiosk.content.types`)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from szkiosk.content.schema import PanelModel, SourceRef, Strict, Year
from szkiosk.content.text import Text


class NumberDisplay(Strict):
    """How a number reads in one language: Chinese counts in 万 and 亿 (23,000 -> 2.3万)."""

    scale: float = Field(1.0, gt=0, description="Multiply the value by this for display, e.g. 0.0001 for 万")
    decimals: int | None = Field(None, ge=0, le=3, description="Decimals in this language (default: the item's)")


class Displayed(Strict):
    """Mixin: ``decimals`` plus per-language display rules (``display: {zh: {scale: 0.0001}}``)."""

    decimals: int = Field(0, ge=0, le=3)
    display: dict[str, NumberDisplay] = Field(
        default_factory=dict, description="Per language: scale and decimals, e.g. {zh: {scale: 0.0001, decimals: 1}}")

    def shown(self, value: float, language: str) -> tuple[float, int]:
        """``value`` as shown in ``language``: (scaled value, decimals)."""
        rule = self.display.get(language)
        if rule is None:
            return value, self.decimals
        return value * rule.scale, self.decimals if rule.decimals is None else rule.decimals


class SeriesPoint(Strict):
    """One value of a series, with the publication that states it."""

    x: int = Field(description="Position on the axis, usually a year")
    value: float | None = Field(description="The value; null where no published value was found (a gap)")
    source: SourceRef | None = Field(None, description="Who published this value (required unless value is null)")
    note: Text | None = Field(None, description="A caveat for this point (shown in the detail layer)")

    @model_validator(mode="after")
    def _sourced(self) -> SeriesPoint:
        if self.value is not None and self.source is None:
            raise ValueError(f"point {self.x}: every value needs its own source")
        return self


class Series(Displayed):
    """A series drawn as a chart; every point carries its own source (no pooled source line).

    Years between the first and last point that have no point, or a null value, are gaps:
    shown on the axis, never joined by a line.
    """

    kind: Literal["bar", "line"] = "bar"
    title: Text = Field(description="The chart's title line: what is measured, in which unit (no axis title)")
    points: list[SeriesPoint] = Field(min_length=2)
    unit: Text | None = Field(None, description="Unit after each value label, e.g. {en: '%', zh: '%'}")
    highlight: int | None = Field(None, description="x of the point the panel's headline figure is about")
    break_before: int | None = Field(
        None, description="x where the definition changes: the line is not joined across it")
    note: Text | None = Field(None, description="A caveat shown under the chart")

    @field_validator("points")
    @classmethod
    def _in_order(cls, value: list[SeriesPoint]) -> list[SeriesPoint]:
        xs = [p.x for p in value]
        if xs != sorted(set(xs)):
            raise ValueError(f"points must be in increasing x order without repeats, got {xs}")
        if sum(1 for p in value if p.value is not None) < 2:
            raise ValueError("a series needs at least two values")
        return value

    @model_validator(mode="after")
    def _highlight_is_a_point(self) -> Series:
        if self.highlight is not None and not any(p.x == self.highlight and p.value is not None for p in self.points):
            raise ValueError(f"highlight {self.highlight} is not a point with a value")
        return self

    def values(self) -> dict[int, float | None]:
        """Every x from the first to the last point -> its value (None for a gap)."""
        known = {p.x: p.value for p in self.points}
        return {x: known.get(x) for x in range(self.points[0].x, self.points[-1].x + 1)}


class Figure(Displayed):
    """One headline number that counts up, with unit, label and source."""

    value: float
    format: Text | None = Field(
        None, description="How to show the number, with {value}, e.g. {en: 'No. {value}'}"
    )
    unit: Text | None = None
    label: Text
    key: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$", description="Name for details' `about:`")
    source: SourceRef
    year: Year
    series: Series | None = None

    @field_validator("format")
    @classmethod
    def _has_placeholder(cls, value: Text | None) -> Text | None:
        if value is not None:
            for lang, s in value.root.items():
                if "{value}" not in s:
                    raise ValueError(f"format ({lang}) must contain '{{value}}', got {s!r}")
        return value

    @model_validator(mode="after")
    def _chart_highlights_its_year(self) -> Figure:
        # one number, one year: the chart under a figure highlights the year the figure is for
        s = self.series
        if s is not None and s.highlight is not None and s.highlight != self.year:
            raise ValueError(f"series.highlight is {s.highlight} but the figure is for {self.year}: "
                             "highlight the figure's year")
        return self


class TitlePanelModel(PanelModel):
    """Opening panel: a large title, an optional small line above it and a tagline under it.

    The footer names the source; a kicker or tagline must not read as an author credit or
    make a claim the content does not source.
    """

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('kicker', 'subtitle', 'tagline')

    type: Literal["title"] = "title"
    kicker: Text | None = Field(None, description="Small line above the title, e.g. the event")
    tagline: Text | None = Field(None, description="One sentence under the title, e.g. where the content comes from")


class FiguresPanelModel(PanelModel):
    """Up to six key numbers that count up, each optionally with a chart of its series."""

    type: Literal["figures"] = "figures"
    figures: list[Figure] = Field(min_length=1, max_length=6)

    def face_texts(self) -> list[Text]:
        """The subtitle and each figure's label (the numbers and charts are the visual)."""
        return [*super().face_texts(), *(f.label for f in self.figures)]



class Column(Strict):
    """One column of a columns panel: a heading and its items (short enough to read from 3 m)."""

    heading: Text
    items: list[Text] = Field(min_length=1, max_length=8)
    key: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$",
                            description="Name for details' `about:`: a tap on the column opens it")


class ColumnsPanelModel(PanelModel):
    """Two to four lists revealed one column after another; the lists are the panel's visual."""

    type: Literal["columns"] = "columns"
    columns: list[Column] = Field(min_length=1, max_length=4)

    @field_validator("columns")
    @classmethod
    def _unique_keys(cls, value: list[Column]) -> list[Column]:
        keys = [c.key for c in value if c.key is not None]
        if len(keys) != len(set(keys)):
            raise ValueError(f"each column's key must be unique, got {keys}")
        return value


# -- types added for the full seed deck (issue 4) -------------------------------------------


class Sourced(Strict):
    """Mixin fields: who published a figure and for which year."""

    source: SourceRef
    year: Year


class ChainStage(Strict):
    """One stage of the innovation chain and the line shown when it is tapped."""

    label: Text
    explain: Text = Field(description="What the stage means, one sentence (shown when the stage is tapped)")


class ChainPanelModel(PanelModel):
    """Stages linked as a flow that lights up in order, with pulses along the links.

    The face: the chain (the visual), then at most a short statement, up to three key
    phrases, a row of examples and the hint; the full sentences belong in ``details``.
    """

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('subtitle', 'statement', 'badges', 'examples_label', 'examples',
                                              'hint')

    type: Literal["chain"] = "chain"
    stages: list[ChainStage] = Field(min_length=2, max_length=6)
    statement: Text | None = Field(None, description="A short line the flow illustrates (the full text goes "
                                                     "in details)")
    badges: list[Text] = Field(default_factory=list, max_length=3, description="Key phrases")
    examples_label: Text | None = Field(None, description="A few words introducing the examples")
    examples: list[Text] = Field(default_factory=list, max_length=6)
    hint: Text = Field(description="Tells the visitor a stage can be tapped")


class Gauge(Sourced):
    """One gauge filling to ``value`` (of 100) with its label."""

    value: float = Field(ge=0, le=100)
    label: Text = Field(description="What the share is of, a few words (the full sentence goes in details)")
    key: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$", description="Name for details' `about:`")


class GaugesPanelModel(PanelModel):
    """Up to six ring gauges that fill in turn, each with its label.

    When every gauge shows the same value (the six "more than 90%"), the number is said once,
    large, beside the rings; otherwise each ring carries its own number.
    """

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('subtitle',)

    type: Literal["gauges"] = "gauges"
    qualifier: Text | None = Field(None, description="Word that goes with each number, e.g. 'more than' / 以上")
    qualifier_after: list[str] = Field(
        default_factory=list,
        description="Languages whose qualifier follows the number (zh: 90%以上); elsewhere it comes first")
    format: Text = Field(description="How to show the number, with {value}")
    gauges: list[Gauge] = Field(min_length=1, max_length=6)

    def face_texts(self) -> list[Text]:
        """The subtitle and each gauge's label (the rings and numbers are the visual)."""
        return [*super().face_texts(), *(g.label for g in self.gauges)]

    def shared_value(self) -> float | None:
        """The value every gauge shows, when there are several and they all agree."""
        values = {g.value for g in self.gauges}
        return values.pop() if len(self.gauges) > 1 and len(values) == 1 else None

    @field_validator("format")
    @classmethod
    def _has_placeholder(cls, value: Text) -> Text:
        for lang, s in value.root.items():
            if "{value}" not in s:
                raise ValueError(f"format ({lang}) must contain '{{value}}', got {s!r}")
        return value


class ChainLink(Strict):
    """One link of an interlocking chain and what it means."""

    name: Text
    meaning: Text = Field(description="What the link means, one sentence (shown when the link is tapped)")


class LinksPanelModel(PanelModel):
    """Interlocking chain links that close together; tap one for what it means."""

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('subtitle', 'statement', 'hint')

    type: Literal["links"] = "links"
    links: list[ChainLink] = Field(min_length=2, max_length=5)
    statement: Text = Field(description="One short line the chain stands for (the full text goes in details)")
    hint: Text = Field(description="Tells the visitor a link can be tapped")


class GridGroup(Strict):
    """A group of names shown as chips, e.g. the 20 industrial clusters."""

    heading: Text | None = Field(
        None, description="What the group is, above its chips; leave it out when the headline already says it")
    key: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$",
                            description="Name for details' `about:`: a tap on the group opens it")
    columns: int | None = Field(None, ge=1, le=8, description="At most this many chips in a row")
    names: list[Text] = Field(min_length=1, max_length=30)
    source: SourceRef
    year: Year


class GridPanelModel(PanelModel):
    """Groups of names that build in as rows of chips, every chip at one size."""

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('subtitle', 'lead')

    type: Literal["grid"] = "grid"
    lead: Text | None = Field(None, description="A short line above the chips")
    groups: list[GridGroup] = Field(min_length=1, max_length=3)

    @field_validator("groups")
    @classmethod
    def _unique_keys(cls, value: list[GridGroup]) -> list[GridGroup]:
        keys = [g.key for g in value if g.key is not None]
        if len(keys) != len(set(keys)):
            raise ValueError(f"each group's key must be unique, got {keys}")
        return value

    def face_texts(self) -> list[Text]:
        """The subtitle, the lead and each group's heading (the chips are the visual)."""
        return [*super().face_texts(), *(g.heading for g in self.groups if g.heading is not None)]


class Count(Strict):
    """A number on a milestone: it counts up and lands with its words.

    ``format`` says how it reads, with ``{value}``: symbols next to the number ("{value}+")
    stay with it; words ("{value} measures", "{value}条") are drawn beside it and appear only
    when it lands, so a moving number never claims anything.
    """

    value: float
    decimals: int = Field(0, ge=0, le=3)
    format: Text | None = Field(
        None, description="How the number reads, e.g. {en: '{value} measures', zh: '{value}条'}")
    source: SourceRef | None = Field(None, description="Who published this number, when not the milestone's source")
    year: Year | None = Field(
        None, description="The year this number is for, when not the milestone's (e.g. a running total reported later)")

    @field_validator("format")
    @classmethod
    def _has_placeholder(cls, value: Text | None) -> Text | None:
        if value is not None:
            for lang, s in value.root.items():
                if "{value}" not in s:
                    raise ValueError(f"format ({lang}) must contain '{{value}}', got {s!r}")
        return value


class Milestone(Sourced):
    """One dated step: its date, its numbers and a short headline (the face); what the source
    says in full goes into the panel's ``details:`` with ``about:`` this milestone's ``key``."""

    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")
    when: Text = Field(description="The date as shown, e.g. {en: 24 Aug 2020, zh: 2020年8月24日}")
    headline: Text = Field(description="A few words: what happened")
    counts: list[Count] = Field(default_factory=list, max_length=3)
    text: Text | None = Field(None, description="One short line under the headline (counted in the face budget)")
    key: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$",
                            description="Name for details' `about:`: a tap on the milestone opens it")

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        # YAML reads an unquoted 2020-08-24 as a date and 2020 as an int
        if isinstance(value, (int, date)):
            return value.isoformat() if isinstance(value, date) else str(value)
        return value


class TimelinePanelModel(PanelModel):
    """Milestones on a line that draws itself; each pops with its numbers counting up.

    Milestones that all fall in one year are no timeline: they stand side by side as cards,
    without a time axis.
    """

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('subtitle', 'lead')

    type: Literal["timeline"] = "timeline"
    lead: Text | None = Field(None, description="A short line above the milestones")
    milestones: list[Milestone] = Field(min_length=1, max_length=5)

    @field_validator("milestones")
    @classmethod
    def _in_order(cls, value: list[Milestone]) -> list[Milestone]:
        dates = [m.date for m in value]
        if dates != sorted(dates):
            raise ValueError(f"milestones must be in date order, got {dates}")
        keys = [m.key for m in value if m.key is not None]
        if len(keys) != len(set(keys)):
            raise ValueError(f"each milestone's key must be unique, got {keys}")
        return value

    @property
    def spans_years(self) -> bool:
        """True when the milestones fall in more than one year (a time axis says something)."""
        return len({m.date[:4] for m in self.milestones}) > 1

    def face_texts(self) -> list[Text]:
        """The lead and each milestone's headline and line (dates and numbers are the visual)."""
        return [*super().face_texts(),
                *(t for m in self.milestones for t in (m.headline, m.text) if t is not None)]



class ShowcaseCard(Strict):
    """A named card, e.g. an exhibition: short name (its acronym), the name a visitor reads,
    and ``key`` naming the details section a tap on it opens."""

    short: Text
    name: Text
    key: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$", description="Name for details' `about:`")


class ShowcasePanelModel(PanelModel):
    """Counting figures over a sourced chart (one visual), and a row of named cards.

    The chart highlights the year of the figures (one number, one year everywhere).
    """

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('subtitle', 'statements', 'cards_lead')

    type: Literal["showcase"] = "showcase"
    figures: list[Figure] = Field(min_length=1, max_length=4)
    statements: list[Text] = Field(default_factory=list, max_length=3)
    series: Series | None = None
    cards_lead: Text | None = None
    cards: list[ShowcaseCard] = Field(default_factory=list, max_length=4)

    @model_validator(mode="after")
    def _chart_highlights_the_figures_year(self) -> ShowcasePanelModel:
        s = self.series
        years = sorted({f.year for f in self.figures})
        if s is not None and s.highlight is not None and s.highlight not in years:
            raise ValueError(f"series.highlight is {s.highlight} but the figures are for {years}: "
                             "highlight their year")
        return self

    def face_texts(self) -> list[Text]:
        """Subtitle, statements, the cards' lead, each figure's label and each card's names."""
        return [*super().face_texts(), *(f.label for f in self.figures),
                *(t for c in self.cards for t in (c.short, c.name))]



class Place(Strict):
    """A point on a schematic map (WGS84 degrees) with its label."""

    name: Text
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    highlight: bool = False
    kind: Literal["city", "zone"] = "city"
    key: str | None = Field(
        None, pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Name for details' `about:`: a tap on the place opens that section",
    )
    anchor: Literal["right", "left", "above", "below"] | None = Field(
        None, description="Preferred side for the label; the placer takes another side when this one "
                          "would touch a marker, a link or another label",
    )


class MapInset(Strict):
    """A close-up of places too near one another to tell apart on the whole map."""

    title: Text = Field(description="The close-up's caption, e.g. {en: Shenzhen and Hong Kong, zh: 深港}")
    places: list[str] = Field(
        min_length=2, description="English names of the places drawn in the close-up; a zone listed here "
                                  "is drawn only there, a city on both maps")


class GbaPanelModel(PanelModel):
    """A schematic map of the Greater Bay Area from city coordinates, a supporting line and the
    cooperation fields as chips.

    A tap on a place opens the details section whose ``about:`` is the place's ``key``; a tap
    on the fields opens the one ``about: fields``.
    """

    FACE_FIELDS: ClassVar[tuple[str, ...]] = ('subtitle', 'statements', 'fields_label', 'fields')

    type: Literal["gba"] = "gba"
    places: list[Place] = Field(min_length=2, max_length=20)
    hub: Text = Field(description="Name of the place the links start from (English name)")
    coordinates_source: SourceRef = Field(description="Where the places' coordinates come from")
    coastline_source: SourceRef | None = Field(None, description="Where the coastline drawn behind them comes from")
    inset: MapInset | None = None
    statements: list[Text] = Field(min_length=1, max_length=3,
                                   description="Supporting lines on the face (the panel's message in a sentence)")
    fields_label: Text
    fields: list[Text] = Field(default_factory=list, max_length=8)
