"""What a visitor reads on the stage, taken from the scene, and the numbers the content allows.

Two halves that know nothing of each other:

* :func:`drawn_texts` walks the items on screen (the current panel and the footer): every
  visible text item of the kit (anything with a ``text`` property, such as :class:`TextItem`),
  Qt text item, pyqtgraph axis tick label and map label.
* :func:`content_numbers` walks a panel's content model generically (every numeric field,
  every list, every string and bilingual text in the visitor's language), so it keeps working
  when panel types are redesigned or added.

Tests compare the two (``test_drawn_text.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal

import pyqtgraph as pg
from pydantic import BaseModel
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem, QGraphicsTextItem

from szkiosk.charts.countup import format_number, render_figure
from szkiosk.content.text import Text

#: A number as people write it: digits, with thousands commas or a decimal point between digits.
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Drawn:
    """One string drawn on the stage and what drew it."""

    text: str
    #: ``text`` (a text item), ``tick`` (a chart's category axis), ``scale`` (a chart's value
    #: axis: numbers of a scale, not claims), ``label`` (a map label), ``counter`` (footer n / N)
    #: or ``source`` (the footer's source line).
    kind: str
    #: For ``scale`` ticks: the range the axis shows.
    span: tuple[float, float] | None = None


def numbers_in(text: str) -> list[Decimal]:
    """Every number written in ``text`` (full-width digits too), as exact decimals."""
    found = []
    for match in NUMBER.finditer(unicodedata.normalize("NFKC", text)):
        token = match.group()
        # "23,000" is a number; "1,2" or "10,10" are two (a list written without spaces)
        parts = token.split(",")
        if len(parts) > 1 and not all(len(p.split(".")[0]) == 3 for p in parts[1:]):
            found += [Decimal(p) for p in parts if p]
        else:
            found.append(Decimal(token.replace(",", "")))
    return found


def bare_number(text: str) -> Decimal | None:
    """The number when ``text`` is nothing but one (a badge, a count, a chart label)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if NUMBER.fullmatch(text):
        return numbers_in(text)[0]
    return None


# -- the scene -----------------------------------------------------------------------------------
def _shown(item: QGraphicsItem, stage_rect) -> bool:
    return (item.isVisible() and item.effectiveOpacity() > 0.01
            and item.sceneBoundingRect().intersects(stage_rect))


def _axis_texts(axis: pg.AxisItem) -> list[str]:
    """The tick labels the axis paints (pyqtgraph drops labels that would overlap)."""
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if not specs:
        return []
    return [text for _rect, _flags, text in specs[2]]


def is_text_item(item: QGraphicsItem) -> bool:
    """True for the kit's text items (TextItem and the like): they have a ``text`` property."""
    return isinstance(getattr(type(item), "text", None), property) and isinstance(item.text, str)


def _drawn_part(item: QGraphicsItem) -> str:
    """The text an item draws: its lines when it cut the text short (``elided``), else all of it."""
    lines = getattr(item, "lines", None)
    if getattr(item, "elided", False) and isinstance(lines, (list, tuple)):
        return "\n".join(str(line) for line in lines)
    return item.text


def drawn_texts(stage) -> list[Drawn]:
    """Every string drawn on ``stage`` now: the current panel's items and the footer's."""
    stage_rect = stage.scene().sceneRect()
    roots = [item for item in (stage.current, stage.chrome) if item is not None]
    out: list[Drawn] = []
    stack = list(roots)
    while stack:
        item = stack.pop()
        if not _shown(item, stage_rect):
            continue  # nothing under a hidden item is drawn either
        stack.extend(item.childItems())
        if is_text_item(item):
            kind = "counter" if item is stage.chrome.counter else "source" if item is stage.chrome.source_box \
                else "text"
            out.append(Drawn(_drawn_part(item), kind))
        elif isinstance(item, QGraphicsTextItem):
            out.append(Drawn(item.toPlainText(), "text"))
        elif isinstance(item, QGraphicsSimpleTextItem):
            out.append(Drawn(item.text(), "text"))
        elif isinstance(item, pg.AxisItem):
            value_axis = item.orientation in ("left", "right")
            span = (float(min(item.range)), float(max(item.range))) if value_axis else None
            out += [Drawn(t, "scale" if value_axis else "tick", span) for t in _axis_texts(item)]
        label_rects = getattr(item, "label_rects", None)
        if callable(label_rects):  # items that paint their own labels (the world map)
            out += [Drawn(text, "label") for _rect, text in label_rects()]
    return [Drawn(d.text.strip(), d.kind, d.span) for d in out if d.text.strip()]


# -- the content ---------------------------------------------------------------------------------
@dataclass
class ContentNumbers:
    """Numbers a panel's content holds (for one language), gathered by :func:`content_numbers`."""

    #: Every number the content gives: numeric fields, numbers written in its texts, list sizes,
    #: values rendered through their ``format`` templates.
    allowed: set[Decimal] = field(default_factory=set)
    #: Lengths of the content's lists: a list of n items may number them 1..n (step badges).
    list_lengths: set[int] = field(default_factory=set)
    #: What each shown value must look like: (accepted forms, where in the content).
    shown: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    def ordinals(self, drawn: list[Drawn]) -> int:
        """How far items are numbered: n when badges 1..n are all drawn and a list has n items."""
        bare = Counter(bare_number(d.text) for d in drawn if d.kind == "text")
        runs = [n for n in self.list_lengths if n >= 2 and all(bare[Decimal(k)] for k in range(1, n + 1))]
        return max(runs, default=0)

    def allows(self, drawn: Drawn, ordinals: int = 0) -> bool:
        """Whether every number in ``drawn`` comes from the content (or numbers items 1..``ordinals``)."""
        bare = bare_number(drawn.text)
        if bare is not None and bare == bare.to_integral_value() and 1 <= bare <= ordinals:
            return True
        return all(n in self.allowed for n in numbers_in(drawn.text))


def _number(value: float | int) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _walk(obj: object, path: str) -> Iterator[tuple[str, object, object]]:
    """(path, object, parent model) for everything under ``obj``: models, lists, dicts, leaves."""
    stack: list[tuple[str, object, object]] = [(path, obj, None)]
    while stack:
        where, node, parent = stack.pop()
        yield where, node, parent
        if isinstance(node, Text):
            continue
        if isinstance(node, BaseModel):
            children = [(name, getattr(node, name)) for name in type(node).model_fields]
            children += list((node.__pydantic_private__ or {}).items())
            stack += [(f"{where}.{name}", value, node) for name, value in children]
        elif is_dataclass(node) and not isinstance(node, type):
            stack += [(f"{where}.{f.name}", getattr(node, f.name), node) for f in fields(node)]
        elif isinstance(node, dict):
            for key, value in node.items():
                stack += [(f"{where}[{key!r}]", key, parent), (f"{where}[{key!r}]", value, parent)]
        elif isinstance(node, (list, tuple)):
            stack += [(f"{where}[{i}]", value, parent) for i, value in enumerate(node)]


def content_numbers(model: BaseModel, language: str) -> ContentNumbers:
    """The numbers ``model`` (one panel) allows on screen in ``language``, and how each value shows.

    The content model's convention: a number a visitor is meant to read is a ``value`` (with
    optional ``decimals`` and ``format``, its own or its parent's, e.g. a chart point's from its
    series) or one of a chart's ``points``.
    """
    found = ContentNumbers()
    for where, node, parent in _walk(model, model.id if hasattr(model, "id") else "panel"):
        if isinstance(node, bool):
            continue
        if isinstance(node, (int, float)):
            found.allowed.add(_number(node))
        elif isinstance(node, Text):
            found.allowed.update(numbers_in(node.get(language)))
        elif isinstance(node, str):
            found.allowed.update(numbers_in(node))
        elif isinstance(node, (list, tuple, dict)) and node:
            found.allowed.add(Decimal(len(node)))
            if isinstance(node, list):
                found.list_lengths.add(len(node))
        if isinstance(node, BaseModel):
            _shown_values(node, parent, where, language, found)
    derived = getattr(model, "note_values", None)
    if callable(derived):  # numbers the model itself derives from its data (the map's note)
        found.allowed.update(Decimal(v) for v in derived().values())
    return found


def _display(owner: object, value: float, language: str) -> tuple[float, int]:
    """``value`` as ``owner`` shows it in ``language`` (its per-language scale and decimals)."""
    shown = getattr(owner, "shown", None)
    if callable(shown):
        return shown(value, language)
    return value, int(getattr(owner, "decimals", 0) or 0)


def _shown_values(node: BaseModel, parent: object, where: str, language: str, found: ContentNumbers) -> None:
    value = getattr(node, "value", None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if hasattr(node, "x") and hasattr(parent, "points"):
        # a chart point: its label is in the chart's display units; only the highlighted one must
        # be labelled (a newsroom chart labels what does not collide), every one may be
        shown, decimals = _display(parent, value, language)
        form = format_number(shown, decimals, language)
        found.allowed.update(numbers_in(form))
        found.allowed.add(Decimal(int(node.x) % 100))  # a thinned axis writes 2016, 17, 18
        if getattr(parent, "highlight", None) == node.x:
            found.shown.append(((form,), f"{where}.value = {value} (highlighted)"))
        return
    shown, decimals = _display(node, value, language)
    template = getattr(node, "format", None) or getattr(parent, "format", None)
    forms = [format_number(shown, decimals, language)]
    found.allowed.update(numbers_in(forms[0]))
    if isinstance(template, Text):
        rendered = render_figure(shown, decimals, template.get(language), language)
        forms.append(rendered)
        found.allowed.update(numbers_in(rendered))
    found.shown.append((tuple(forms), f"{where}.value = {value}"))


def appears(form: str, texts: list[str]) -> bool:
    """Whether ``form`` is written in one of ``texts``, not as part of a longer number."""
    pattern = re.compile(r"(?<![\d.,])" + re.escape(form) + r"(?![\d]|[.,]\d)")
    return any(pattern.search(unicodedata.normalize("NFKC", t)) for t in texts)


def check_source_line(drawn: list[Drawn], model: BaseModel, sources: dict) -> list[str]:
    """The footer's source line names cited sources by publisher and year, then how many more."""
    cited = [sources[s] for s in model.sources() if s in sources] if hasattr(model, "sources") else []
    years = {Decimal(s.year) for s in cited}
    problems = []
    for d in drawn:
        if d.kind != "source":
            continue
        stray = [n for n in numbers_in(d.text) if n not in years and not (1 <= n <= len(cited))]
        if stray:
            problems.append(f"source line {d.text!r} shows {', '.join(map(str, stray))}, not a cited source's year")
    return problems


def check_numbers(drawn: list[Drawn], model: BaseModel, language: str) -> list[str]:
    """Problems between what is drawn and what the content says (empty when they agree)."""
    numbers = content_numbers(model, language)
    texts = [d.text for d in drawn if d.kind not in ("counter", "source")]
    ordinals = numbers.ordinals(drawn)
    problems = [f"{', '.join(repr(f) for f in forms)} from {where} is not drawn"
                for forms, where in numbers.shown if not any(appears(f, texts) for f in forms)]
    for d in drawn:
        if d.kind in ("counter", "source"):
            continue
        if d.kind == "scale":
            low, high = d.span or (0.0, 0.0)
            problems += [f"axis scale {d.text!r} lies outside the axis ({low:g}..{high:g})"
                         for n in numbers_in(d.text) if not low - 1e-9 <= float(n) <= high + 1e-9]
            continue
        if not numbers.allows(d, ordinals):
            stray = sorted({str(n) for n in numbers_in(d.text) if n not in numbers.allowed})
            problems.append(f"{d.kind} {d.text[:80]!r} shows {', '.join(stray)}, not in the content")
    return problems
