"""Panels as plain text: the text alternative screen readers get for every panel.

Generated from the validated model, so every panel type (and every future one) has a
description: its words in reading order, every number with its unit and label, every
chart as its data (``2018: 4.2; 2019: 4.9``) and the world map as its partner list.
Pure Python, no Qt.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from szkiosk.content.text import Text

#: Fields that are settings or provenance, not something a visitor reads on the panel.
SKIP = {
    "id", "type", "notes", "duration", "steps", "priority", "talk_time", "link", "source", "year",
    "coordinates_source", "partners_source", "partners", "hub_lat", "hub_lon", "decimals", "highlight",
    "kind", "anchor", "lat", "lon", "date", "title", "subtitle",
}
WORDS = {
    "chart": {"en": "Chart", "zh": "图表"},
    "sister": {"en": "Sister cities on the map", "zh": "地图上的友好城市"},
    "friendly": {"en": "Friendly exchange cities on the map", "zh": "地图上的友好交流城市"},
    "broken": {"en": "This part of the exhibition is being updated.", "zh": "本部分内容正在更新。"},
}


def _word(key: str, language: str) -> str:
    return WORDS[key].get(language, WORDS[key]["en"])


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _sep(language: str) -> str:
    return "；" if language == "zh" else "; "


def describe_series(series: Any, language: str, title: str = "") -> str:
    """A chart as a sentence: ``Chart: R&D (% of GDP): 2019: 4.9; 2020: 5.5``."""
    unit = series.unit.get(language)
    points = _sep(language).join(f"{x}: {_number(y, series.decimals)}" for x, y in series.points.items())
    head = f"{_word('chart', language)}: {title + ', ' if title else ''}{unit}"
    note = f" ({series.note.get(language)})" if getattr(series, "note", None) else ""
    return f"{head}: {points}{note}"


def _valued(model: BaseModel, language: str) -> str | None:
    """``123 unit: label`` for a model with a numeric ``value`` (figures, gauges, counts, tallies)."""
    value = getattr(model, "value", None)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    number = _number(value, getattr(model, "decimals", 0) or 0)
    fmt = getattr(model, "format", None)
    if isinstance(fmt, Text):
        number = fmt.get(language).replace("{value}", number)
    unit = getattr(model, "unit", None)
    if isinstance(unit, Text):
        number += f" {unit.get(language)}"
    label = getattr(model, "label", None)
    return f"{number}: {label.get(language)}" if isinstance(label, Text) else number


def _walk(value: Any, language: str, out: list[str], skip: set[str]) -> None:
    if value is None:
        return
    if isinstance(value, Text):
        text = value.get(language).strip()
        if text:
            out.append(text)
    elif isinstance(value, BaseModel) and hasattr(value, "points") and hasattr(value, "unit"):
        out.append(describe_series(value, language))
    elif isinstance(value, BaseModel):
        own_skip = set(skip)
        valued = _valued(value, language)
        if valued is not None:
            out.append(valued)
            own_skip |= {"value", "format", "unit", "label"}
        for name in type(value).model_fields:
            if name not in own_skip:
                _walk(getattr(value, name), language, out, skip)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _walk(item, language, out, skip)


def describe_panel(model: Any, language: str) -> str:
    """Everything a panel says, as lines of plain text in ``language``."""
    if not isinstance(model, BaseModel):
        return _word("broken", language)
    out: list[str] = []
    for name in ("title", "subtitle"):
        _walk(getattr(model, name, None), language, out, SKIP)
    body_skip = SKIP | {"series_title"}
    for name in type(model).model_fields:
        if name in body_skip:
            continue
        value = getattr(model, name)
        if name == "series" and value is not None:
            title = getattr(model, "series_title", None)
            out.append(describe_series(value, language, title.get(language) if isinstance(title, Text) else ""))
            continue
        if name == "listed_note" and hasattr(model, "note_values"):
            out.append(value.get(language).format(**model.note_values()))
            continue
        _walk(value, language, out, SKIP)
    plist = getattr(model, "partner_list", None) if type(model).__name__ == "WorldMapPanelModel" else None
    if plist is not None:
        for kind in ("sister", "friendly"):
            names = [f"{p.name.get(language)} ({p.country.get(language)})" for p in plist.by_kind(kind)]
            if names:
                out.append(f"{_word(kind, language)}: " + ("、" if language == "zh" else ", ").join(names))
    sources = model.sources() if hasattr(model, "sources") else []
    if sources:
        out.append(("来源：" if language == "zh" else "Source: ") + _sep(language).join(sources))
    return "\n".join(out)
