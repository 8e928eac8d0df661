"""Timeline panels (reforms, reforms-2021): a line that draws itself where the milestones span
years, cards side by side where they do not; a face of dates, numbers and short headlines;
numbers that never say something false while they count; the seed's sentences one tap away."""

from __future__ import annotations

from functools import partial

import panel_helpers
import pytest
from panel_helpers import seen_texts, stopped_at_end
from pydantic import ValidationError
from PySide6.QtCore import QRectF

from szkiosk.authoring.audit import QUICK, audit_deck
from szkiosk.content.editorial import face_size
from szkiosk.content.panel_types import Count, TimelinePanelModel
from szkiosk.kit.text import TextItem
from szkiosk.panels.base import HEADER_GAP, HEADER_TOP, MORE_HEIGHT
from szkiosk.panels.timeline import CARD_AIR, CARD_PADDING, TimelinePanel, split_format

PANELS = ["reforms", "reforms-2021"]
#: Groups of the visual: dates, numbers and the words they land with.
VISUAL = {"milestone-when", "milestone-number", "milestone-minor-number", "milestone-words", "milestone-as-of"}


#: The panel on a new stage, built to its final state (:func:`panel_helpers.show`).
show = partial(panel_helpers.show, kind=TimelinePanel)


def card_texts(card) -> list[TextItem]:
    """A card's texts in reading order."""
    items = seen_texts(card.node.item)
    return sorted(items, key=lambda t: (round(t.mapRectToScene(t.text_rect()).top()),
                                        t.mapRectToScene(t.text_rect()).left()))


def panel_findings(records) -> list[str]:
    """Findings about the panel itself; the footer (arrows, source line) is audited with the show."""
    return [str(f) for r in records for f in r.findings if f.field not in ("", "source")]


def test_split_format_keeps_symbols_with_the_number_and_words_beside_it() -> None:
    assert split_format("{value} measures") == ("", "{value}", "measures")
    assert split_format("{value}+ innovative projects") == ("", "{value}+", "innovative projects")
    assert split_format("{value}条授权事项") == ("", "{value}", "条授权事项")
    assert split_format("No. {value}") == ("No.", "{value}", "")
    assert split_format(None) == ("", "{value}", "")


def test_reforms_is_a_timeline_and_its_line_reaches_every_milestone(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "reforms")
    assert panel.model.spans_years and panel.axis is not None
    line = panel.axis.drawn_line()
    assert line.y1() == line.y2(), "a horizontal line on a landscape stage"
    assert line.length() == pytest.approx(panel.axis.full.length())
    # one dot per milestone, each above its card, in date order from left to right
    xs = [p.x() for p, _ in panel.axis.dots]
    assert xs == sorted(xs) and len(xs) == len(panel.model.milestones)
    for (p, _), card in zip(panel.axis.dots, panel.card_items(), strict=True):
        assert card.rect.left() < p.x() < card.rect.right() and p.y() < card.rect.top()


def test_reforms_2021_is_no_timeline_but_two_cards_side_by_side(stage_for, bundled_deck) -> None:
    """Both milestones fall in 2021: no time axis, the cards stand side by side."""
    panel = show(stage_for, bundled_deck, "reforms-2021")
    assert not panel.model.spans_years
    assert panel.axis is None and panel.axis_length() == 0
    left, right = panel.card_items()
    assert left.rect.right() < right.rect.left() and left.rect.top() == right.rect.top()
    portrait = show(stage_for, bundled_deck, "reforms-2021", size=(1080, 1920))
    top, bottom = portrait.card_items()
    assert top.rect.bottom() < bottom.rect.top() and portrait.axis is None


def test_portrait_stacks_the_milestones_beside_a_vertical_line(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "reforms", "zh", (1080, 1920))
    line = panel.axis.drawn_line()
    assert line.x1() == line.x2() and line.length() > 0
    cards = panel.card_items()
    assert all(c.rect.left() > line.x1() for c in cards)
    tops = [c.rect.top() for c in cards]
    assert tops == sorted(tops)


def scene(item) -> QRectF:
    return item.mapRectToScene(item.text_rect() if isinstance(item, TextItem) else item.rect)


def gaps_in(card) -> list[tuple[TextItem, float]]:
    """Each text of a card that starts below all the texts before it, with the air above it."""
    out, bottom = [], None
    for item in card_texts(card):
        rect = scene(item)
        if bottom is not None and rect.top() >= bottom - 1:
            out.append((item, rect.top() - bottom))
        bottom = rect.bottom() if bottom is None else max(bottom, rect.bottom())
    return out


def body_of(panel) -> QRectF:
    """The body rectangle the panel was given (under the header)."""
    header = [scene(t).bottom() for t in seen_texts(panel) if t.field in ("title", "subtitle")]
    return panel.body_rect(max(*header, HEADER_TOP + MORE_HEIGHT) + HEADER_GAP)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("scale", [1.0, 1.4])
def test_cards_hanging_from_the_line_have_no_hole(stage_for, bundled_deck, language, scale) -> None:
    """A card with a line more (the NDRC's three counts) makes no hole in the others: in every
    card each text follows the one before it within a line's air."""
    panel = show(stage_for, bundled_deck, "reforms", language, scale=scale)
    assert panel.axis is not None and panel.axis.drawn_line().y1() == panel.axis.drawn_line().y2()
    for card in panel.cards:
        for after, gap in gaps_in(card):
            assert gap < 1.2 * after.style.px, f"{after.text!r} floats {gap:.0f} px under the text above it"
    dates = [scene(c.when.item).top() for c in panel.cards]
    assert max(dates) - min(dates) < 1, "the dates share one line"


@pytest.mark.parametrize("panel_id", PANELS)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("scale", [1.0, 1.4])
def test_portrait_cards_use_the_room_and_stand_in_the_middle(stage_for, bundled_deck, panel_id, language,
                                                              scale) -> None:
    """On a totem the cards gain air until they fill the body or reach their most, and the
    group stands in the middle: no void under a huddle of cards."""
    panel = show(stage_for, bundled_deck, panel_id, language, (1080, 1920), scale)
    body = body_of(panel)
    cards = [c.rect for c in panel.card_items()]
    top, bottom = cards[0].top(), cards[-1].bottom()
    above, below = top - body.top(), body.bottom() - bottom
    assert above >= -1 and below >= -1
    assert abs(above - below) < 40, f"air above {above:.0f} px, below {below:.0f} px"
    for card in panel.cards:
        gaps = [gap for _, gap in gaps_in(card)]
        head = scene(card_texts(card)[0]).top() - card.node.item.rect.top()
        assert head < max(gaps) + 30, "the air inside a card is shared, not heaped on top"
        if bottom - top < 0.95 * body.height():
            assert head >= CARD_PADDING[1] + CARD_AIR - 2, "cards that leave room have taken all their air"


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("scale", [1.0, 1.4])
def test_cards_side_by_side_keep_their_parts_on_one_line(stage_for, bundled_deck, language, scale) -> None:
    panel = show(stage_for, bundled_deck, "reforms-2021", language, scale=scale)
    left, right = panel.cards
    assert scene(left.when.item).top() == pytest.approx(scene(right.when.item).top(), abs=1)
    numbers = [scene(n.number.item).bottom() for c in panel.cards for n in c.counts[:1]]
    assert max(numbers) - min(numbers) < 2, "the numbers stand on one line"
    body = body_of(panel)
    rect = left.node.item.rect
    assert abs((rect.top() - body.top()) - (body.bottom() - rect.bottom())) < 40, "the pair stands in the middle"


@pytest.mark.parametrize("panel_id", PANELS)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_face_texts_are_what_the_face_shows(stage_for, bundled_deck, panel_id, language) -> None:
    """Outside the visual (dates, numbers and their words) the face draws exactly ``face_texts()``."""
    panel = show(stage_for, bundled_deck, panel_id, language)
    face = [t.text for c in panel.cards for t in card_texts(c) if t.group not in VISUAL]
    subtitle = [panel.model.subtitle.get(language)] if panel.model.subtitle is not None else []
    expected = [t.get(language) for t in panel.model.face_texts()]
    assert sorted(subtitle + face) == sorted(expected)
    assert face_size(panel.model, language) <= (30 if language == "en" else 60)
    # no seed sentence on the face: each of them is in the detail layer
    assert all(len(t.split()) <= 16 for t in face)


def test_every_milestone_face_is_date_numbers_headline(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "reforms")
    drawn = [[t.text for t in card_texts(c)] for c in panel.cards]
    assert drawn[0][:3] == ["24 Aug 2020", "18", "companies listed that day"]
    assert "Registration-based listing on ChiNext" in drawn[0]
    assert drawn[1][:3] == ["Oct 2020", "40", "authorized measures"]
    # the seed's figures for the NDRC notice stay visible, with their words
    assert {"44", "efforts", "18", "measures", "4", "categories"} <= set(drawn[2])


def test_a_number_of_another_year_says_its_year(stage_for, bundled_deck) -> None:
    """765+ is the running total the 2023 source page reports, not a 2021 figure."""
    for language, as_of in [("en", "as of 2023"), ("zh", "截至2023年")]:
        panel = show(stage_for, bundled_deck, "reforms-2021", language)
        qianhai = panel.cards[1]
        assert qianhai.milestone.year == 2021 and qianhai.milestone.counts[0].year == 2023
        drawn = [t.text for t in card_texts(qianhai)]
        assert "765+" in drawn and as_of in drawn
        assert not any(as_of in t.text for t in card_texts(panel.cards[0]))


@pytest.mark.parametrize(("size", "scale"), [((1920, 1080), 1.0), ((1920, 1080), 1.4), ((1080, 1920), 1.4)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_siblings_share_one_size_and_nothing_is_cut(stage_for, bundled_deck, size, scale, language) -> None:
    for panel_id in PANELS:
        panel = show(stage_for, bundled_deck, panel_id, language, size, scale)
        items = [t for c in panel.cards for t in card_texts(c)]
        by_group: dict[str, set[float]] = {}
        for t in items:
            by_group.setdefault(t.group or t.role, set()).add(round(t.px, 1))
            assert not t.elided and not t.overflow, f"{panel_id}: {t.text!r} cut"
        assert all(len(px) == 1 for px in by_group.values()), by_group
        numbers = [t for t in items if t.group == "milestone-number"]
        # large text: numbers stay at least as big as they are at text scale 1.0
        assert all(t.px >= 112 * 0.999 for t in numbers)


@pytest.mark.parametrize("panel_id", PANELS)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_build_never_shows_something_false(stage_for, bundled_deck, panel_id, language) -> None:
    """Sampled through the build: no counter at 0, no qualifier or words on a moving number,
    a dot only once the line has reached it, and the panel settles within 1.5 s."""
    panel = stopped_at_end(stage_for, bundled_deck, panel_id, language)
    assert panel.build_ms <= 1500
    assert all(panel.stage_length(k) <= 800 for k in range(panel.stage_count()))
    finals = panel.shown_numbers()
    words = panel.shown_words()
    seen_moving = False
    for t in range(0, int(panel.build_ms) + 20, 20):
        panel.apply(float(t))
        shown = panel.shown_numbers()
        for nodes, now, final in zip((n for c in panel.cards for n in c.counts), shown, finals, strict=True):
            assert now.strip() not in {"0", "0.0"}, f"{t} ms: a counter shows 0"
            landed = now == final
            if not landed:
                seen_moving = seen_moving or bool(now)
                assert now == "" or now.replace(",", "").isdigit(), f"{t} ms: {now!r} carries a qualifier"
                assert all(w.item.opacity() == 0 for w in nodes.words), f"{t} ms: words before {final!r} landed"
        if panel.axis is not None:
            reach = panel.axis.reach * panel.axis.full.length()
            for (p, _), scale in zip(panel.axis.dots, panel.axis.scales, strict=True):
                if scale > 0:
                    assert reach + 1 >= abs(p.x() - panel.axis.full.x1()), f"{t} ms: a dot before the line"
    assert seen_moving, "some number counts up"
    panel.apply(panel.build_ms)
    assert panel.shown_numbers() == finals and panel.shown_words() == words


def test_step_builds_draw_the_line_only_to_the_milestones_shown(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    panel = stage.show_panel(bundled_deck.index_of("reforms"), animate=False)
    panel.deactivate()
    assert panel.step_count == 2
    panel.settle(step=0)
    first_dot = panel.axis.dots[0][0].x() - panel.axis.full.x1()
    second_dot = panel.axis.dots[1][0].x() - panel.axis.full.x1()
    assert panel.axis_length() >= first_dot - 1 and panel.axis_length() < second_dot
    assert panel.axis.scales[1:] == [0.0, 0.0]
    assert panel.shown_numbers()[1:] == ["", "", "", ""], "later milestones' numbers wait for their step"
    panel.settle(step=2)
    assert panel.axis_length() == pytest.approx(panel.axis.full.length())


@pytest.mark.parametrize(("panel_id", "card", "phrase"), [
    ("reforms", 0, "implemented on August 24, 2020"),
    ("reforms", 2, "44 efforts under 18 measures, four categories"),
    ("reforms-2021", 0, 'second batch of "Best Practice Cases"'),
    ("reforms-2021", 1, "innovative projects tested in the area to more than 765"),
])
def test_a_tap_on_a_milestone_opens_its_section(stage_for, bundled_deck, panel_id, card, phrase) -> None:
    panel = show(stage_for, bundled_deck, panel_id)
    item = panel.cards[card].node.item
    taps = [i for i in item.childItems() if type(i).__name__ == "TapArea"]
    assert len(taps) == 1
    taps[0].tap()
    assert panel.details_open
    shown = " ".join(" ".join(t.text.split()) for t in seen_texts(panel._details))
    assert phrase in shown
    panel.close_details()


def test_the_details_say_how_the_ndrc_counts_and_keep_the_seed_words(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of("reforms")]
    details = {d.about: d for d in model.details}
    sections = " ".join(" ".join(d.text.get("en").split()) for d in model.details)
    assert "18 typical experiences and innovative measures in four areas" in sections
    assert "make good use of the key moves of the pilot comprehensive reform" in sections
    assert {"chinext", "pilot-plan", "ndrc-notice"} <= set(details)
    # every about: names an item of the face, so every section has its tap
    keys = {m.key for m in model.milestones}
    assert all(d.about in keys for d in model.details if d.about)


def test_the_model_refuses_repeated_keys_and_dates_out_of_order() -> None:
    text = {"en": "t", "zh": "t"}
    base = {"when": text, "headline": text, "source": "s", "year": 2020}
    panel = {"id": "t", "type": "timeline", "title": text}
    with pytest.raises(ValidationError, match="unique"):
        TimelinePanelModel.model_validate({**panel, "milestones": [
            {**base, "date": "2020", "key": "a"}, {**base, "date": "2021", "key": "a"}]})
    with pytest.raises(ValidationError, match="date order"):
        TimelinePanelModel.model_validate({**panel, "milestones": [{**base, "date": "2021"}, {**base, "date": "2020"}]})
    with pytest.raises(ValidationError, match="must contain"):
        Count.model_validate({"value": 4, "format": {"en": "four", "zh": "四"}})
    ok = TimelinePanelModel.model_validate({**panel, "milestones": [{**base, "date": "2020", "key": "a"},
                                                                    {**base, "date": "2020-08", "key": "b"}]})
    assert not ok.spans_years


@pytest.mark.parametrize("panel_id", PANELS)
def test_the_audit_finds_nothing(bundled_deck, panel_id) -> None:
    """The quick matrix (landscape, portrait, large text) in both languages: no finding."""
    records = list(audit_deck(bundled_deck, QUICK, only=panel_id))
    assert len(records) == len(QUICK) * 2
    assert panel_findings(records) == []


@pytest.fixture(scope="module")
def launch_deck():
    """The example deck (three languages); its roadmap has one long milestone text."""
    from pathlib import Path

    from szkiosk.content import load_deck

    deck = load_deck(Path(__file__).resolve().parents[2] / "examples" / "launch")
    assert deck.ok, deck.errors
    return deck


def test_one_long_milestone_gets_a_wider_column_only_where_even_ones_do_not_fit(stage_for, launch_deck,
                                                                                caplog) -> None:
    """Spanish at text scale 1.4: in even columns the pilot's four-line text ran 14 px past the
    body, nearly onto the source line. The row gives that card more width, and only there."""
    caplog.set_level("INFO", logger="szkiosk.kit.layout")
    panel = show(stage_for, launch_deck, "roadmap", "es", scale=1.4)
    assert "nothing fits" not in caplog.text
    body = body_of(panel)
    rects = [scene(card.node.item) for card in panel.cards]
    assert max(r.bottom() for r in rects) <= body.bottom() + 0.5, "every card inside the body"
    widths = [r.width() for r in rects]
    assert widths[1] > max(widths[0], widths[2]) + 20, widths  # the long one is the wide one
    tops = [r.top() for r in rects]
    assert max(tops) - min(tops) < 1  # still hanging from one line, a dot over each
    assert all(r.left() < p.x() < r.left() + 60 for (p, _), r in zip(panel.axis.dots, rects, strict=True))
    for card in panel.cards:  # and nothing in a card is cut
        assert all(not t.elided for t in seen_texts(card.node.item))
    # where even columns fit, they stay even
    even = show(stage_for, launch_deck, "roadmap", "es", scale=1.0)
    even_widths = [scene(card.node.item).width() for card in even.cards]
    assert max(even_widths) - min(even_widths) < 1
