"""Authoring helpers: ``szkiosk new TYPE ID`` (a commented panel skeleton) and ``szkiosk types``.

Both are generated from the pydantic models, so every registered panel type (including
ones added later) gets a skeleton and a field list without anyone writing them by hand.
The skeleton validates as written: placeholders say ``TODO`` in every deck language, so a
curator sees the panel on screen at once and replaces the words one by one.
Pure Python: no Qt.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from szkiosk.content import PANEL_MODELS, PanelModel, Text
from szkiosk.content.schema import PANEL_ID

#: Fields every panel has that a skeleton leaves out or comments out.
COMMON_OPTIONAL = ("subtitle", "notes", "duration", "source", "year")
INDENT = "  "
#: Where ``szkiosk new worldmap`` points the partner list (and writes a starter file if missing).
PARTNERS_FILE = "data/partners.yaml"
#: The source id skeletons cite until the author names the real one (added to sources.yaml).
TODO_SOURCE = "todo-source"
#: Placeholder numbers that must agree with each other (or with the starter data file).
CONSISTENT_VALUES: dict[str, dict[str, dict[str, Any]]] = {
    "worldmap": {"total": {"value": 1}, "countries": {"value": 1}, "sister": {"value": 1}, "friendly": {"value": 0}},
}
PARTNERS_SKELETON = """# Partner cities for a worldmap panel: one entry per partner, each with its source.
# kind: sister or friendly; continent: africa, asia, europe, north-america, south-america, oceania.
partners:
  - id: todo-city
    name: {en: TODO city, zh: 待填写：城市}
    country: {en: TODO country, zh: 待填写：国家}
    continent: europe
    kind: sister
    since: 2000
    lat: 48.2
    lon: 16.4
    source: todo-source     # an id in sources.yaml (szkiosk new adds this placeholder there)
"""
PLACEHOLDER = {"en": "TODO {what}", "zh": "待填写：{what}"}
#: Text fields that must contain a placeholder such as {value}.
TEMPLATE_TEXT = {
    "format": {"en": "{value}", "zh": "{value}"},
    "listed_note": {"en": "{listed} of {total} partners are shown", "zh": "共{total}个，显示{listed}个"},
}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional?) for ``X | None``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return _unwrap(args[0])[0], optional
        return annotation, optional
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation, False


def type_name(annotation: Any) -> str:
    """A short, readable name for a field's type: ``text``, ``list of Figure``, ``one of a|b``."""
    inner, optional = _unwrap(annotation)
    origin = typing.get_origin(inner)
    if inner is Text:
        name = "text (every language)"
    elif origin is Literal:
        name = "one of " + " | ".join(str(a) for a in typing.get_args(inner))
    elif origin is list:
        name = f"list of {type_name(typing.get_args(inner)[0])}"
    elif origin is dict:
        k, v = typing.get_args(inner)
        name = f"mapping {type_name(k)} -> {type_name(v)}"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        name = inner.__name__
    elif isinstance(inner, type):
        name = {"str": "text", "int": "whole number", "float": "number", "bool": "true/false"}.get(
            inner.__name__, inner.__name__)
    else:
        name = str(inner)
    del optional  # callers say "required" / "optional" themselves
    return name


def _constraint(info: FieldInfo, name: str) -> Any:
    for meta in info.metadata:
        value = getattr(meta, name, None)
        if value is not None:
            return value
    return None


def _text(what: str, languages: list[str], field: str) -> dict[str, str]:
    if field in TEMPLATE_TEXT:
        template = TEMPLATE_TEXT[field]
        return {lang: template.get(lang, template["en"]) for lang in languages}
    return {lang: PLACEHOLDER.get(lang, PLACEHOLDER["en"]).format(what=what) for lang in languages}


def placeholder(annotation: Any, info: FieldInfo | None, field: str, languages: list[str]) -> Any:
    """A value of the field's type that validates: TODO text, the smallest allowed number, ..."""
    inner, _ = _unwrap(annotation)
    origin = typing.get_origin(inner)
    what = field.replace("_", " ")
    if inner is Text:
        return _text(what, languages, field)
    if origin is Literal:
        return typing.get_args(inner)[0]
    if origin is list and field == "points":
        year = date.today().year
        return [{"x": year - 1, "value": 1.0, "source": TODO_SOURCE}, {"x": year, "value": 2.0, "source": TODO_SOURCE}]
    if origin is list:
        count = max(1, (_constraint(info, "min_length") or 1) if info else 1)
        item = typing.get_args(inner)[0]
        return [placeholder(item, None, _singular(field), languages) for _ in range(count)]
    if origin is dict:
        this_year = date.today().year
        return {this_year - 1: 1.0, this_year: 2.0}
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return skeleton_data(inner, languages, include_optional=False)
    if inner is bool:
        return False
    if inner in (int, float):
        if info is not None and info.default is not None and not info.is_required():
            return info.default
        low = _constraint(info, "ge") if info else None
        if low is None and info is not None:
            gt = _constraint(info, "gt")
            low = gt + 1 if gt is not None else None
        if field == "year" or (low is not None and low >= 1900):
            return date.today().year - 1
        return inner(low if low is not None else 1)
    if inner is str:
        if field == "source" or field.endswith("_source"):
            return TODO_SOURCE
        if field == "partners":
            return PARTNERS_FILE
        if field == "date":
            return f"{date.today().year - 1}-01-01"
        pattern = _constraint(info, "pattern") if info else None
        if pattern == PANEL_ID:
            return "todo"
        return f"TODO {what}"
    return None


def _singular(field: str) -> str:
    return field[:-3] + "y" if field.endswith("ies") else field[:-1] if field.endswith("s") else field


def skeleton_data(model: type[BaseModel], languages: list[str], *, include_optional: bool) -> dict[str, Any]:
    """Data for ``model`` with every required field filled (and optional ones when asked)."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required() and not include_optional:
            continue
        data[name] = placeholder(info.annotation, info, name, languages)
    # what the thing is first, who says so last (Sourced puts source/year first)
    for name in ("source", "year"):
        if name in data:
            data[name] = data.pop(name)
    return data


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if text == "" or re.search(r"[:#{}\[\],&*!|>'\"%@`]", text) or text.strip() != text or text.lower() in (
            "yes", "no", "true", "false", "null", "on", "off"):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _flow_text(value: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in value.items()) + "}"


def _emit(lines: list[str], key: str | None, value: Any, info: FieldInfo | None, model_field: Any,
          depth: int, *, first_prefix: str = "") -> None:
    pad = INDENT * depth
    lead = first_prefix or pad
    comment = ""
    if info is not None:
        parts = []
        if info.description:
            parts.append(info.description)
        parts.append(type_name(model_field))
        comment = "  # " + "; ".join(parts)
    prefix = f"{lead}{key}: " if key is not None else lead
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()) \
            and _unwrap(model_field)[0] is Text:
        lines.append(f"{prefix}{_flow_text(value)}{comment}")
    elif isinstance(value, dict) and value and all(isinstance(k, int) for k in value):
        lines.append(f"{prefix.rstrip()}{comment}")
        for k, v in value.items():
            lines.append(f"{pad}{INDENT}{k}: {_yaml_scalar(v)}")
    elif isinstance(value, dict):
        lines.append(f"{prefix.rstrip()}{comment}")
        sub_model = _unwrap(model_field)[0]
        _emit_mapping(lines, value, sub_model, depth + 1)
    elif isinstance(value, list):
        lines.append(f"{prefix.rstrip()}{comment}")
        item_type = typing.get_args(_unwrap(model_field)[0])[0]
        for item in value:
            if isinstance(item, dict) and _unwrap(item_type)[0] is not Text:
                _emit_mapping(lines, item, _unwrap(item_type)[0], depth + 1, dash=True)
            elif isinstance(item, dict):
                lines.append(f"{pad}{INDENT}- {_flow_text(item)}")
            else:
                lines.append(f"{pad}{INDENT}- {_yaml_scalar(item)}")
    else:
        lines.append(f"{prefix}{_yaml_scalar(value)}{comment}")


def _emit_mapping(lines: list[str], data: dict[str, Any], model: Any, depth: int, *, dash: bool = False) -> None:
    fields = model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}
    for i, (key, value) in enumerate(data.items()):
        info = fields.get(key)
        annotation = info.annotation if info is not None else type(value)
        first = f"{INDENT * (depth - 1)}- " if dash and i == 0 else (INDENT * depth if dash else "")
        _emit(lines, key, value, info, annotation, depth, first_prefix=first)


def skeleton(type_name_: str, panel_id: str, languages: list[str] | None = None) -> str:
    """A commented YAML skeleton for a panel of ``type_name_`` that validates as written."""
    model = PANEL_MODELS.get(type_name_)
    if model is None:
        raise KeyError(f"unknown panel type {type_name_!r}; known: {', '.join(sorted(PANEL_MODELS))}")
    if not re.match(PANEL_ID, panel_id):
        raise ValueError(f"panel id must be lowercase letters, digits and dashes, got {panel_id!r}")
    languages = languages or ["en", "zh"]
    doc = (model.__doc__ or "").strip().splitlines()[0]
    data = skeleton_data(model, languages, include_optional=False)
    data["id"] = panel_id
    data["type"] = type_name_
    for key, values in CONSISTENT_VALUES.get(type_name_, {}).items():
        data[key] = {**data[key], **values}
    lines = [
        f"# {panel_id}: a '{type_name_}' panel. {doc}",
        "# Written by `szkiosk new`. Replace every TODO (in every language), then check with",
        "# `szkiosk validate DECK`; `szkiosk types " + type_name_ + "` lists every field.",
        "# Every number needs a source: and a year: (the source line under the panel shows them).",
    ]
    order = ["id", "type", "title"] + [k for k in data if k not in ("id", "type", "title")]
    _emit_mapping(lines, {k: data[k] for k in order}, model, 0)
    lines.append("")
    lines.append("# Optional fields (remove the # to use them):")
    for name in COMMON_OPTIONAL + tuple(n for n, f in model.model_fields.items()
                                         if not f.is_required() and n not in COMMON_OPTIONAL
                                         and n not in PanelModel.model_fields):
        info = model.model_fields[name]
        value = placeholder(info.annotation, info, name, languages)
        sub: list[str] = []
        _emit(sub, name, value, info, info.annotation, 0)
        lines.extend("# " + line for line in sub)
    return "\n".join(lines) + "\n"


def describe_types(only: str | None = None) -> str:
    """Every registered panel type with its fields (name, type, required, description)."""
    out: list[str] = []
    names = [only] if only else sorted(PANEL_MODELS)
    for name in names:
        model = PANEL_MODELS.get(name)
        if model is None:
            raise KeyError(f"unknown panel type {name!r}; known: {', '.join(sorted(PANEL_MODELS))}")
        doc = (model.__doc__ or "").strip().splitlines()[0]
        out.append(f"{name}: {doc}")
        for field, info in model.model_fields.items():
            if field in PanelModel.model_fields and not only:
                continue
            need = "required" if info.is_required() else "optional"
            desc = f"  {info.description}" if info.description else ""
            out.append(f"  {field:<18} {type_name(info.annotation)}, {need}.{desc}")
            inner, _ = _unwrap(info.annotation)
            item = typing.get_args(inner)[0] if typing.get_origin(inner) is list else inner
            item, _ = _unwrap(item)
            if only and isinstance(item, type) and issubclass(item, BaseModel) and item is not Text:
                for sub, sub_info in item.model_fields.items():
                    sub_need = "required" if sub_info.is_required() else "optional"
                    sub_desc = f"  {sub_info.description}" if sub_info.description else ""
                    out.append(f"      {sub:<14} {type_name(sub_info.annotation)}, {sub_need}.{sub_desc}")
        out.append("")
    if not only:
        out.append("Every type also has: " + ", ".join(PanelModel.model_fields)
                   + " (see `szkiosk types TYPE` for one type in full).")
    return "\n".join(out)


def add_to_deck(deck_yaml: Path, relative: str) -> bool:
    """Append ``relative`` to the ``panels:`` list of deck.yaml, keeping comments; False if not found."""
    lines = deck_yaml.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^panels:\s*$", line)), None)
    if start is None:
        return False
    end = start + 1
    indent = "  "
    last: int | None = None
    while end < len(lines) and (re.match(r"^\s+- ", lines[end]) or not lines[end].strip()):
        if lines[end].strip():
            indent = lines[end][: len(lines[end]) - len(lines[end].lstrip())]
            last = end
        end += 1
    insert_at = last + 1 if last is not None else start + 1
    lines.insert(insert_at, f"{indent}- {relative}")
    deck_yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def todo_source_entry(languages: list[str]) -> str:
    """The ``sources.yaml`` entry skeletons point at: a placeholder publication to replace."""
    publisher = ", ".join(f"{lang}: {PLACEHOLDER.get(lang, PLACEHOLDER['en']).format(what='publisher')}"
                          for lang in languages)
    return (f"\n{TODO_SOURCE}:  # written by `szkiosk new`: replace with the real publication\n"
            f"  publisher: {{{publisher}}}\n  date: {date.today().year}\n")


def ensure_todo_source(deck: Path, languages: list[str]) -> bool:
    """Add the placeholder source to ``deck/sources.yaml`` unless it is there; True when added."""
    path = deck / "sources.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if any(line.split("#")[0].strip() == f"{TODO_SOURCE}:" for line in text.splitlines()):
        return False
    path.write_text(text + todo_source_entry(languages), encoding="utf-8")
    return True
