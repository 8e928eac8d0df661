"""The showcase panel (opening-up): one number and one year everywhere, exhibitions one tap
away, a face within budget and a build that never says false things."""

from __future__ import annotations

from functools import partial

import panel_helpers
import pytest
from panel_helpers import seen_texts, stopped_at_end

from szkiosk.authoring.audit import QUICK, audit_deck
from szkiosk.content.editorial import face_size
from szkiosk.content.panel_types import ShowcasePanelModel
from szkiosk.panels.showcase import ShowcasePanel

PANEL = "opening-up"


#: The panel on a new stage, built to its final state (:func:`panel_helpers.show`).
show = partial(panel_helpers.show, kind=ShowcasePanel)


@pytest.mark.parametrize(("language", "amount"), [("en", "879"), ("zh", "8,790")])
def test_one_number_one_year_everywhere(stage_for, bundled_deck, language, amount) -> None:
    panel = show(stage_for, bundled_deck, PANEL, language)
    assert panel.shown_numbers() == ["4", "315", amount]
    assert panel.chart is not None and panel.chart.highlight == 2022
    assert panel.chart.value_labels[3].text == amount, "the highlighted bar is the headline amount"
    drawn = [t.text for t in seen_texts(panel)]
    assert not any("870" in t or "8,700" in t or "8700" in t for t in drawn), "the seed's 870 is not on the face"
    assert all(f.year == 2022 for f in panel.model.figures)


def test_the_seeds_figures_and_the_decision_are_in_the_details(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of(PANEL)]
    details = " ".join(d.text.get("en") for d in model.details)
    assert "More than 300 projects worth 870 billion yuan were inked at the conference in 2022." in details
    assert "315 projects and 879 billion yuan" in details
    for name in ("China Hi-Tech Fair (CHTF)", "China (Shenzhen) International Cultural Industries Fair (ICIF)",
                 "International Signs & LED Exhibition (ISLE)"):
        assert name in details
    zh = " ".join(d.text.get("zh") for d in model.details)
    assert "连续举办（年）" not in zh and "连续举办四年" in zh


@pytest.mark.parametrize("language", ["en", "zh"])
def test_face_texts_are_what_the_face_shows(stage_for, bundled_deck, language) -> None:
    panel = show(stage_for, bundled_deck, PANEL, language)
    visual = {"figure-number", "figure-unit", "chart-title", "chart-note", "chart-years", "chart-values"}
    header = {"title", "subtitle"}
    more = panel.more_button.label if panel.more_button is not None else None
    face = [t.text for t in seen_texts(panel) if t.group not in visual and t.field not in header
            and not t.field.startswith("series") and t is not more]
    assert sorted(face) == sorted(t.get(language) for t in panel.model.face_texts())
    assert face_size(panel.model, language) <= (30 if language == "en" else 60)


def test_a_tap_on_an_exhibition_opens_its_full_names(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    card = panel.named[1].node.item
    taps = [i for i in card.childItems() if type(i).__name__ == "TapArea"]
    assert taps
    taps[0].tap()
    shown = " ".join(t.text for t in seen_texts(panel._details))
    assert "China (Shenzhen) International Cultural Industries Fair (ICIF)" in shown
    panel.close_details()


def test_large_text_drops_the_chart_and_lists_its_data(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL, scale=1.4)
    assert panel.chart is None and panel.chart_dropped
    caption = [t for t in seen_texts(panel) if t.text == "Chart: tap for its data"]
    assert len(caption) == 1
    taps = [i for i in caption[0].childItems() if type(i).__name__ == "TapArea"]
    taps[0].tap()
    layer = [t.text for t in seen_texts(panel._details)]
    assert any("2019: 560" in t and "2022: 879" in t for t in layer), layer
    panel.close_details()


def test_portrait_is_its_own_arrangement(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL, size=(1080, 1920))
    assert panel.chart is not None
    cards = [n.node.item.mapRectToScene(n.node.item.rect) for n in panel.named]
    assert len({round(c.left()) for c in cards}) == 1, "the exhibition cards stack on a tall stage"
    chart = panel.chart_card.item.mapRectToScene(panel.chart_card.item.rect)
    assert all(c.top() > chart.bottom() for c in cards)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_portrait_labels_start_on_one_line_beside_the_figures(stage_for, bundled_deck, language) -> None:
    panel = show(stage_for, bundled_deck, PANEL, language, size=(1080, 1920))
    labels = [t for t in seen_texts(panel) if t.group == "figure-label"]
    assert len(labels) == len(panel.model.figures)
    lefts = [t.mapRectToScene(t.box).left() for t in labels]
    assert max(lefts) - min(lefts) < 1, "a column of labels, not a ragged edge"
    numbers = [t.mapRectToScene(t.text_rect()) for t in seen_texts(panel)
               if t.group in ("figure-number", "figure-unit")]
    assert min(lefts) > max(n.right() for n in numbers)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_large_text_on_a_totem_leaves_no_void(stage_for, bundled_deck, language) -> None:
    """At 1.4 on a totem the face keeps the chart where the cards side by side make room, and
    what is left is air shared evenly, not one void between the figures and the cards."""
    panel = show(stage_for, bundled_deck, PANEL, language, size=(1080, 1920), scale=1.4)
    if language == "zh":
        assert panel.chart is not None, "the cards side by side keep the chart on the face"
    more = panel.more_button
    header = {"title", "subtitle"}
    chart = panel.chart_card.item if panel.chart_card is not None else None
    parts = [t.mapRectToScene(t.text_rect()) for t in seen_texts(panel) if t.field not in header
             and t.parentItem() is not more and not t.field.startswith("series") and t.field != "source"]
    parts += [n.node.item.mapRectToScene(n.node.item.rect) for n in panel.named]
    if chart is not None:
        parts.append(chart.mapRectToScene(chart.rect))
    parts = sorted((r for r in parts if r.bottom() < panel.height - 150), key=lambda r: r.top())
    bottom = parts[0].bottom()
    for r in parts[1:]:
        assert r.top() - bottom < 120, f"a void of {r.top() - bottom:.0f} px on the face"
        bottom = max(bottom, r.bottom())


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_build_never_shows_something_false(stage_for, bundled_deck, language) -> None:
    panel = stopped_at_end(stage_for, bundled_deck, PANEL, language)
    finals = panel.shown_numbers()
    assert panel.build_ms <= 1500
    cards_seen_before_numbers = False
    for t in range(0, int(panel.build_ms) + 40, 40):
        panel.apply(float(t))
        shown = panel.shown_numbers()
        for now, final in zip(shown, finals, strict=True):
            assert now.strip() not in {"0", "0.0"}, f"{t} ms: a counter shows 0"
            if now != final:
                assert now.replace(",", "").isdigit() or now == "", f"{t} ms: {now!r} before landing"
        heights = panel.chart.bar_heights()
        for i, label in panel.chart.value_labels.items():
            if label.isVisible():
                assert heights[i] == pytest.approx(panel.chart.ys[i]), f"{t} ms: label before its bar"
        if any(n.node.item.opacity() > 0.5 for n in panel.named) and shown[0] != finals[0]:
            cards_seen_before_numbers = True
    assert not cards_seen_before_numbers, "the cards come after the figures"
    panel.apply(panel.build_ms)
    assert panel.shown_numbers() == finals


def test_a_highlight_outside_the_figures_year_is_refused(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of(PANEL)]
    data = model.model_dump(mode="json", exclude_none=True)
    data["series"]["highlight"] = 2021
    with pytest.raises(ValueError, match="highlight their year"):
        ShowcasePanelModel.model_validate(data)


def test_the_audit_finds_nothing(bundled_deck) -> None:
    records = list(audit_deck(bundled_deck, QUICK, only=PANEL))
    assert len(records) == len(QUICK) * 2
    assert [str(f) for r in records for f in r.findings] == []
