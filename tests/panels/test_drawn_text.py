"""The words and numbers a visitor reads, taken from the scene of every bundled panel.

Each panel is shown at its final state on a 1920x1080 stage in every language. What the
scene draws (text items, chart tick labels, map labels, the footer) is

* compared with a committed snapshot, ``tests/golden/text/<panel>.<language>.json``: any
  changed digit, label or chart value fails (regenerate with ``SZKIOSK_UPDATE_GOLDEN=1`` and
  read the diff before committing);
* checked against the panel's content, independently of the snapshot: every value, count,
  gauge and chart point is drawn as the app formats it, and no number is drawn that the
  content does not hold (the footer's "n / N" counter aside).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from panel_helpers import on_stage
from scene_text import Drawn, check_numbers, check_source_line, drawn_texts, is_text_item

from conftest import HEADLINE
from szkiosk.content import load_deck

TEXT_GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "text"
UPDATE = os.environ.get("SZKIOSK_UPDATE_GOLDEN") == "1"

DECK = load_deck(Path(__file__).resolve().parents[2] / "content")
CASES = [(p.id, lang) for p in DECK.panels for lang in DECK.model.languages]
IDS = [f"{p}-{lang}" for p, lang in CASES]


def show(stage_for, deck, panel_id: str, language: str):
    """The stage with ``panel_id`` at its final state, and the panel."""
    stage = stage_for(deck, language, (1920, 1080))
    return stage, on_stage(stage, deck, panel_id)


def snapshot_path(panel_id: str, language: str) -> Path:
    return TEXT_GOLDEN / f"{panel_id}.{language}.json"


def read_snapshot(panel_id: str, language: str) -> list[str]:
    path = snapshot_path(panel_id, language)
    assert path.exists(), f"no text snapshot {path.name}; run with SZKIOSK_UPDATE_GOLDEN=1 and read it"
    return json.loads(path.read_text(encoding="utf-8"))


def snapshot_of(drawn: list[Drawn]) -> list[str]:
    """What a snapshot stores: the drawn strings, sorted (repeats kept)."""
    return sorted(d.text for d in drawn)


def differences(actual: list[str], expected: list[str]) -> list[str]:
    """Strings drawn but not in the snapshot (+) and in the snapshot but not drawn (-)."""
    now, then = Counter(actual), Counter(expected)
    return [f"+ {t!r}" for t in sorted((now - then).elements())] + [f"- {t!r}" for t in sorted((then - now).elements())]


@pytest.mark.parametrize(("panel_id", "language"), CASES, ids=IDS)
def test_drawn_text_matches_snapshot(stage_for, panel_id: str, language: str) -> None:
    stage, panel = show(stage_for, DECK, panel_id, language)
    actual = snapshot_of(drawn_texts(stage))
    panel.deactivate()
    assert len(actual) >= 8, f"too little text found on {panel_id}: {actual}"
    if UPDATE:
        TEXT_GOLDEN.mkdir(parents=True, exist_ok=True)
        snapshot_path(panel_id, language).write_text(
            json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    changed = differences(actual, read_snapshot(panel_id, language))
    assert not changed, f"{panel_id} ({language}) draws other text than its snapshot:\n" + "\n".join(changed)


@pytest.mark.parametrize(("panel_id", "language"), CASES, ids=IDS)
def test_drawn_numbers_are_the_contents(stage_for, panel_id: str, language: str) -> None:
    stage, panel = show(stage_for, DECK, panel_id, language)
    drawn = drawn_texts(stage)
    panel.deactivate()
    counters = [d.text for d in drawn if d.kind == "counter"]
    index = DECK.index_of(panel_id)
    assert counters == [f"{index + 1} / {len(DECK.panels)}"]
    problems = check_numbers(drawn, DECK.panels[index], language)
    problems += check_source_line(drawn, DECK.panels[index], DECK.sources)
    assert not problems, f"{panel_id} ({language}):\n" + "\n".join(problems)


def test_every_kind_of_text_is_read(stage_for) -> None:
    """Text items (chart labels and titles too), map labels, the footer's counter and source line."""
    kinds: Counter[str] = Counter()
    for panel_id in ("innovation-figures", "sister-cities"):
        stage, panel = show(stage_for, DECK, panel_id, "en")
        kinds.update(d.kind for d in drawn_texts(stage))
        panel.deactivate()
    assert {"text", "counter", "source"} <= set(kinds), kinds
    stage, panel = show(stage_for, DECK, "innovation-figures", "en")
    texts = [d.text for d in drawn_texts(stage)]
    panel.deactivate()
    model = DECK.panels[DECK.index_of("innovation-figures")]
    series = model.figures[0].series
    assert "2016" in texts and series.title.get("en") in texts, "chart years and the chart's title line are read"


def test_a_wrong_year_in_the_source_line_is_found() -> None:
    model = DECK.panels[DECK.index_of("innovation-figures")]
    good = Drawn(f"Source: {DECK.sources[model.sources()[0]].short('en')}", "source")
    assert check_source_line([good], model, DECK.sources) == []
    assert check_source_line([Drawn("Source: Somebody, 1999", "source")], model, DECK.sources) != []


@pytest.mark.parametrize("language", DECK.model.languages)
def test_a_changed_figure_is_drawn_and_fails_the_snapshot(stage_for, changed_headline_deck, language: str) -> None:
    """5.49 -> 1.23 in the content: the scene draws 1.23, the snapshot check fails, the content
    check (which reads the changed model) still agrees."""
    panel_id, old, new = HEADLINE
    stage, panel = show(stage_for, changed_headline_deck, panel_id, language)
    drawn = drawn_texts(stage)
    panel.deactivate()
    actual = snapshot_of(drawn)
    assert new in actual, "the new value is read from the scene"
    assert Counter(actual)[old] == Counter(read_snapshot(panel_id, language))[old] - 1, \
        f"{old} stays only where the content still has it (the 2021 bar)"
    assert differences(actual, read_snapshot(panel_id, language)) == [f"+ {new!r}", f"- {old!r}"]
    model = changed_headline_deck.panels[changed_headline_deck.index_of(panel_id)]
    assert check_numbers(drawn, model, language) == []


def text_items(stage) -> list:
    """The current panel's visible text items (whatever their class)."""
    found = []
    stack = [stage.current]
    while stack:
        item = stack.pop()
        stack.extend(item.childItems())
        if is_text_item(item) and item.isVisible():
            found.append(item)
    return found


@pytest.mark.parametrize("language", DECK.model.languages)
def test_a_number_not_in_the_content_is_found(stage_for, language: str) -> None:
    """A panel that draws a stale number (planted by hand in the scene) fails the content check."""
    panel_id, old, new = HEADLINE
    stage, panel = show(stage_for, DECK, panel_id, language)
    boxes = [item for item in text_items(stage) if item.text == old]
    assert boxes, f"{old} is drawn as a number of its own"
    boxes[0].set_text(new)
    problems = check_numbers(drawn_texts(stage), DECK.panels[DECK.index_of(panel_id)], language)
    panel.deactivate()
    assert problems == [f"text {new!r} shows {new}, not in the content"]


@pytest.mark.parametrize("language", DECK.model.languages)
def test_a_value_that_is_not_drawn_is_found(stage_for, language: str) -> None:
    """Hide the high-tech enterprises figure (23,000; 2.3万 in Chinese): the content check misses it."""
    from szkiosk.charts.countup import format_number

    model = DECK.panels[DECK.index_of("innovation-figures")]
    figure = model.figures[2]
    shown = format_number(*figure.shown(figure.value, language), language)
    stage, panel = show(stage_for, DECK, "innovation-figures", language)
    hidden = 0
    for item in text_items(stage):
        if item.text == shown:
            item.setVisible(False)
            hidden += 1
    problems = check_numbers(drawn_texts(stage), model, language)
    panel.deactivate()
    assert hidden >= 1
    assert any(repr(shown) in p and "is not drawn" in p for p in problems), problems


def test_a_stray_scale_tick_and_stray_badges_are_found() -> None:
    """The rules for chart scales and step badges are not loopholes."""
    model = DECK.panels[DECK.index_of("five-actions")]
    badges = [Drawn(str(k), "text") for k in range(1, 6)] * 3
    assert check_numbers(badges, model, "en") == []
    assert check_numbers([*badges, Drawn("6", "text")], model, "en") == ["text '6' shows 6, not in the content"]
    # without the whole run 1..5 drawn, a lone small number is no step badge
    assert check_numbers([Drawn("4", "text")], model, "en") == ["text '4' shows 4, not in the content"]
    scale = [Drawn("0", "scale", (0.0, 7.0)), Drawn("6", "scale", (0.0, 7.0)), Drawn("8", "scale", (0.0, 7.0))]
    assert check_numbers(scale, model, "en") == ["axis scale '8' lies outside the axis (0..7)"]
