"""Models of the built-in panel types: title, figures, columns."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from szkiosk.content.schema import PanelModel, SourceText, Strict, Year
from szkiosk.content.text import Text


class Series(Strict):
    """A sourced data series drawn as a small pyqtgraph chart beside a figure."""

    kind: Literal["bar", "line"] = "bar"
    points: dict[int, float] = Field(min_length=2, description="x (usually a year) -> value")
    unit: Text = Field(description="Unit of the y values, shown on the axis")
    source: SourceText
    year: Year
    highlight: int | None = Field(None, description="x value to emphasise (e.g. the seed's year)")
    note: Text | None = Field(None, description="A correction or caveat shown under the chart")
    decimals: int = Field(0, ge=0, le=3)

    @field_validator("points")
    @classmethod
    def _sorted(cls, value: dict[int, float]) -> dict[int, float]:
        return dict(sorted(value.items()))


class Figure(Strict):
    """One headline number that counts up, with unit, label and source."""

    value: float
    decimals: int = Field(0, ge=0, le=3)
    format: Text | None = Field(
        None, description="How to show the number, with {value}, e.g. {en: 'No. {value}'}"
    )
    unit: Text | None = None
    label: Text
    detail: Text | None = Field(None, description="One supporting line under the label")
    names: list[Text] = Field(default_factory=list, description="Names behind the number")
    source: SourceText
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


def _figure_sources(figures: list[Figure]) -> list[str]:
    found: list[str] = []
    for fig in figures:
        for src in (f"{fig.source} ({fig.year})",) + (
            (f"{fig.series.source} ({fig.series.year})",) if fig.series else ()
        ):
            if src not in found:
                found.append(src)
    return found


class TitlePanelModel(PanelModel):
    """Opening panel: kicker, big title, tagline."""

    type: Literal["title"] = "title"
    kicker: Text | None = None
    tagline: Text | None = None


class FiguresPanelModel(PanelModel):
    """Up to six key numbers that count up, each optionally with a chart of its series."""

    type: Literal["figures"] = "figures"
    figures: list[Figure] = Field(min_length=1, max_length=6)

    def _figure_sources(self) -> list[str]:
        return _figure_sources(self.figures)


class Column(Strict):
    """One column of a columns panel: a heading and its items."""

    heading: Text
    items: list[Text] = Field(min_length=1, max_length=8)


class ColumnsPanelModel(PanelModel):
    """Two to four lists revealed one column after another."""

    type: Literal["columns"] = "columns"
    columns: list[Column] = Field(min_length=1, max_length=4)


# -- types added for the full seed deck (issue 4) -------------------------------------------


class Sourced(Strict):
    """Mixin fields: who published a figure and for which year."""

    source: SourceText
    year: Year


def _item_sources(items: list[Sourced]) -> list[str]:
    """One line per source, with every year it is cited for: ``Publisher (2020, 2022)``."""
    years: dict[str, list[int]] = {}
    for item in items:
        seen = years.setdefault(item.source, [])
        if item.year not in seen:
            seen.append(item.year)
    return [f"{src} ({', '.join(str(y) for y in sorted(ys))})" for src, ys in years.items()]


class ChainStage(Strict):
    """One stage of the innovation chain and the line shown when it is tapped."""

    label: Text
    explain: Text


class ChainPanelModel(PanelModel):
    """Stages linked as a flow that lights up in order, with pulses along the links."""

    type: Literal["chain"] = "chain"
    stages: list[ChainStage] = Field(min_length=2, max_length=6)
    statement: Text = Field(description="The sentence the flow illustrates")
    badges: list[Text] = Field(default_factory=list, max_length=3, description="Key phrases")
    examples_label: Text | None = None
    examples: list[Text] = Field(default_factory=list, max_length=6)
    hint: Text = Field(description="Tells the visitor a stage can be tapped")


class Gauge(Sourced):
    """One gauge filling to ``value`` (of 100) with its sentence."""

    value: float = Field(ge=0, le=100)
    label: Text


class GaugesPanelModel(PanelModel):
    """Up to six ring gauges that fill in turn, each with a counting number and a label."""

    type: Literal["gauges"] = "gauges"
    qualifier: Text | None = Field(None, description="Small word above each number, e.g. 'more than'")
    format: Text = Field(description="How to show the number, with {value}")
    gauges: list[Gauge] = Field(min_length=1, max_length=6)

    def _figure_sources(self) -> list[str]:
        return _item_sources(self.gauges)


class ChainLink(Strict):
    """One link of an interlocking chain and what it means."""

    name: Text
    meaning: Text


class LinksPanelModel(PanelModel):
    """Interlocking chain links that close together; tap one for what it means."""

    type: Literal["links"] = "links"
    links: list[ChainLink] = Field(min_length=2, max_length=5)
    statement: Text
    hint: Text


class GridGroup(Strict):
    """A counted group of names shown as chips, e.g. the 20 industrial clusters."""

    heading: Text
    columns: int = Field(4, ge=1, le=6, description="Chip columns on the landscape stage")
    names: list[Text] = Field(min_length=1, max_length=30)
    source: SourceText
    year: Year


class GridPanelModel(PanelModel):
    """Groups of names that build in as a grid of chips, each group with its count."""

    type: Literal["grid"] = "grid"
    lead: Text | None = Field(None, description="The sentence the grid expands on")
    groups: list[GridGroup] = Field(min_length=1, max_length=3)

    def _figure_sources(self) -> list[str]:
        return _item_sources(self.groups)


class Count(Strict):
    """A number that counts up, shown through a format such as '{value} measures'."""

    value: float
    decimals: int = Field(0, ge=0, le=3)
    format: Text

    @field_validator("format")
    @classmethod
    def _has_placeholder(cls, value: Text) -> Text:
        for lang, s in value.root.items():
            if "{value}" not in s:
                raise ValueError(f"format ({lang}) must contain '{{value}}', got {s!r}")
        return value


class Milestone(Sourced):
    """One dated step on a timeline, with its numbers and the sentence that reports it."""

    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")
    when: Text = Field(description="The date as shown, e.g. {en: 24 Aug 2020, zh: 2020年8月24日}")
    headline: Text
    counts: list[Count] = Field(default_factory=list, max_length=3)
    text: Text

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        # YAML reads an unquoted 2020-08-24 as a date and 2020 as an int
        if isinstance(value, (int, date)):
            return value.isoformat() if isinstance(value, date) else str(value)
        return value


class TimelinePanelModel(PanelModel):
    """Milestones on a line that draws itself; each pops with its numbers counting up."""

    type: Literal["timeline"] = "timeline"
    lead: Text | None = Field(None, description="A sentence above the line")
    milestones: list[Milestone] = Field(min_length=1, max_length=5)

    @field_validator("milestones")
    @classmethod
    def _in_order(cls, value: list[Milestone]) -> list[Milestone]:
        dates = [m.date for m in value]
        if dates != sorted(dates):
            raise ValueError(f"milestones must be in date order, got {dates}")
        return value

    def _figure_sources(self) -> list[str]:
        return _item_sources(self.milestones)


class ShowcaseCard(Strict):
    """A named card, e.g. an exhibition: short name, full name."""

    short: Text
    name: Text


class ShowcasePanelModel(PanelModel):
    """Counting figures with their sentences, a sourced chart, and a row of named cards."""

    type: Literal["showcase"] = "showcase"
    figures: list[Figure] = Field(min_length=1, max_length=4)
    statements: list[Text] = Field(default_factory=list, max_length=3)
    series: Series | None = None
    series_title: Text | None = None
    cards_lead: Text | None = None
    cards: list[ShowcaseCard] = Field(default_factory=list, max_length=4)

    def _figure_sources(self) -> list[str]:
        found = _figure_sources(self.figures)
        if self.series is not None:
            src = f"{self.series.source} ({self.series.year})"
            if src not in found:
                found.append(src)
        return found


class Place(Strict):
    """A point on a schematic map (WGS84 degrees) with its label."""

    name: Text
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    highlight: bool = False
    kind: Literal["city", "zone"] = "city"
    anchor: Literal["right", "left", "above", "below"] = Field(
        "right", description="Where the label sits relative to the point"
    )


class GbaPanelModel(PanelModel):
    """A schematic map of the Greater Bay Area from city coordinates, with fields and text."""

    type: Literal["gba"] = "gba"
    places: list[Place] = Field(min_length=2, max_length=20)
    hub: Text = Field(description="Name of the place the links start from (English name)")
    coordinates_source: SourceText
    statements: list[Text] = Field(min_length=1, max_length=3)
    fields_label: Text
    fields: list[Text] = Field(default_factory=list, max_length=8)

    def _figure_sources(self) -> list[str]:
        return [f"Coordinates: {self.coordinates_source}"]
