"""The columns panel (five-actions): three lists legible from 3 m in both languages, both
orientations and large text; columns side by side that reflow to a stack, never shrink; built
one column after another; each column's source wording one tap away."""

from __future__ import annotations

from functools import partial

import panel_helpers
import pytest
from panel_helpers import seen_texts

from szkiosk.authoring.audit import QUICK, audit_deck
from szkiosk.panels.columns import ColumnsPanel

PANEL = "five-actions"
CONFIGS = [((1920, 1080), 1.0), ((1920, 1080), 1.4), ((1080, 1920), 1.0), ((1080, 1920), 1.4)]


#: The panel on a new stage, built to its final state (:func:`panel_helpers.show`).
show = partial(panel_helpers.show, kind=ColumnsPanel)


def scene_rect(item):
    return item.mapRectToScene(item.text_rect())


def test_landscape_columns_stand_side_by_side_with_their_rows_lined_up(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    cards = panel.card_items()
    assert len(cards) == 3
    assert cards[0].rect.right() < cards[1].rect.left() < cards[1].rect.right() < cards[2].rect.left()
    # the k-th item of every column starts on one line: the three lists read across
    for k in range(5):
        tops = {round(c.items[k].item.mapRectToScene(c.items[k].item.rect).top()) for c in panel.cards}
        assert len(tops) == 1, f"item {k + 1} is not lined up: {tops}"


@pytest.mark.parametrize(("size", "scale"), CONFIGS)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_legible_everywhere_never_shrunk_never_cut(stage_for, bundled_deck, language, size, scale) -> None:
    panel = show(stage_for, bundled_deck, PANEL, language, size, scale)
    drawn = seen_texts(panel)
    items = [t for t in drawn if t.group == "column-item"]
    headings = [t for t in drawn if t.group == "column-heading"]
    assert len(items) == 15 and len(headings) == 3
    for group in (items, headings, [t for t in drawn if t.group == "column-number"]):
        assert len({round(t.px, 1) for t in group}) == 1, "siblings share one size"
    # legible from 3 m: items never under the body size at this text scale (34 px x scale)
    assert items[0].px >= 34 * scale - 0.5
    assert all(not t.elided and not t.overflow for t in drawn)
    # inside the body: above the footer's source line
    bottom = max(c.mapRectToScene(c.rect).bottom() for c in panel.card_items())
    assert bottom <= size[1] - 150
    if size[0] < size[1]:
        lefts = {round(c.rect.left()) for c in panel.card_items()}
        assert len(lefts) == 1, "portrait stacks the columns"


def test_the_face_is_short_and_the_source_wording_is_in_the_details(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    items = [t.text for t in seen_texts(panel) if t.group == "column-item"]
    assert max(len(t) for t in items) <= 24, "items read in a glance"
    assert not any(":" in t.text for t in seen_texts(panel)), "no seed colons in labels"
    details = " ".join(d.text.get("en") for d in panel.model.details)
    for phrase in ("Action to consolidate basic research", "Innovative force to face new challenges",
                   "Gathering place for world-class scientific and technological innovation talents"):
        assert phrase in details


@pytest.mark.parametrize(("column", "phrase"), [(0, "Action to gather innovative talents"),
                                                (2, "Place of original innovation")])
def test_a_tap_on_a_column_opens_its_section(stage_for, bundled_deck, column, phrase) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    card = panel.card_items()[column]
    taps = [i for i in card.childItems() if type(i).__name__ == "TapArea"]
    assert len(taps) == 1
    taps[0].tap()
    assert panel.details_open
    assert any(phrase in t.text for t in seen_texts(panel._details))
    panel.close_details()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_columns_build_in_reading_order_within_the_time_budget(stage_for, bundled_deck, language) -> None:
    stage = stage_for(bundled_deck, language)
    panel = stage.show_panel(bundled_deck.index_of("five-actions"), animate=False)
    panel.deactivate()
    assert panel.build_ms <= 1500
    assert all(panel.stage_length(k) <= 800 for k in range(panel.stage_count()))
    order = []
    for t in range(0, int(panel.build_ms) + 20, 20):
        panel.apply(float(t))
        for c in panel.cards:
            card = c.node.item
            for k, item in enumerate(c.items):
                # an item is never seen before its column's card
                assert item.item.opacity() <= card.opacity() + 1e-6, f"{t} ms: item before its column"
                if item.item.opacity() > 0 and (c.index, k) not in order:
                    order.append((c.index, k))
    assert order == sorted(order), "columns, then items, in reading order"
    assert panel.revealed_columns() == 3


def test_the_audit_finds_nothing(bundled_deck) -> None:
    """The quick matrix in both languages: nothing about the panel (the footer is the show's)."""
    records = list(audit_deck(bundled_deck, QUICK, only="five-actions"))
    assert len(records) == len(QUICK) * 2
    assert [str(f) for r in records for f in r.findings if f.field not in ("", "source")] == []
