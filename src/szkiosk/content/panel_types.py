"""Models of the built-in panel types: title, figures, columns."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from szkiosk.content.schema import PanelModel, SourceText, Strict, Year, panel_type
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


@panel_type("title")
class TitlePanelModel(PanelModel):
    """Opening panel: kicker, big title, tagline."""

    type: Literal["title"] = "title"
    kicker: Text | None = None
    tagline: Text | None = None


@panel_type("figures")
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


@panel_type("columns")
class ColumnsPanelModel(PanelModel):
    """Two to four lists revealed one column after another."""

    type: Literal["columns"] = "columns"
    columns: list[Column] = Field(min_length=1, max_length=4)
