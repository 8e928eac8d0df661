"""Panels as plain text: the text alternative screen readers get for every panel.

Generated from the validated model, so every panel type (and every future one) has a
description: its words in reading order, every number with its unit and label, every
chart as its data (``2018: 4.2; 2019: 4.9``) and the world map as its partner list.
Pure Python, no Qt.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from szkiosk.catalogue import ui_text
from szkiosk.content.text import Text

#: Fields that are settings or provenance, not something a visitor reads on the panel.
SKIP = {
    "id", "type", "notes", "duration", "steps", "priority", "talk_time", "link", "source", "year",
    "coordinates_source", "partners_source", "partners", "hub_lat", "hub_lon", "decimals", "highlight",
    "kind", "anchor", "lat", "lon", "date", "title", "subtitle", "display", "key", "about", "break_before",
}


def _word(key: str, language: str) -> str:
    return ui_text(f"describe.{key}", language)


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _sep(language: str) -> str:
    return "；" if language == "zh" else "; "


def describe_series(series: Any, language: str) -> str:
    """A chart as a sentence: ``Chart: R&D spending, % of GDP: 2019: 4.90; 2020: no published value``."""
    parts = []
    for x, y in series.values().items():
        if y is None:
            parts.append(f"{x}: {_word('no_value', language)}")
        else:
            shown, decimals = series.shown(y, language)
            parts.append(f"{x}: {_number(shown, decimals)}")
    head = f"{_word('chart', language)}: {series.title.get(language)}"
    note = f" ({series.note.get(language)})" if getattr(series, "note", None) else ""
    return f"{head}: {_sep(language).join(parts)}{note}"


def _valued(model: BaseModel, language: str) -> str | None:
    """``123 unit: label`` for a model with a numeric ``value`` (figures, gauges, counts, tallies)."""
    value = getattr(model, "value", None)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    shown = getattr(model, "shown", None)
    value, decimals = shown(value, language) if callable(shown) else (value, getattr(model, "decimals", 0) or 0)
    number = _number(value, decimals)
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
    elif isinstance(value, BaseModel) and hasattr(value, "points") and hasattr(value, "values"):
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
    for name in type(model).model_fields:
        if name in SKIP or name == "details":
            continue
        value = getattr(model, name)
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
    details = getattr(model, "details", None) or []
    for detail in details:
        _walk(detail.title, language, out, SKIP)
        _walk(detail.text, language, out, SKIP)
    return "\n".join(out)
