"""Figures panels (innovation-figures, innovation-people, industries): one number, one year,
a face within budget, charts a newsroom would print, and a build that never says false things."""

from __future__ import annotations

from functools import partial

import panel_helpers
import pytest
from panel_helpers import seen_texts, stopped_at_end
from PySide6.QtCore import QPointF, Qt

from szkiosk.authoring.audit import QUICK, audit_deck
from szkiosk.content.editorial import face_size
from szkiosk.content.panel_types import Figure
from szkiosk.panels.base import HEADER_GAP, HEADER_TOP, MORE_HEIGHT
from szkiosk.panels.figures import FiguresPanel

PANELS = ["innovation-figures", "innovation-people", "industries"]


#: The panel on a new stage, built to its final state (:func:`panel_helpers.show`).
show = partial(panel_helpers.show, kind=FiguresPanel)


def card_texts(panel, card) -> list[str]:
    return [t.text for t in seen_texts(card.node.item)]


def test_rd_figure_carries_its_true_year_and_the_chart_highlights_it(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "innovation-figures")
    rd = panel.cards[0]
    assert rd.figure.value == 5.49 and rd.figure.year == 2021
    drawn = card_texts(panel, rd)
    assert "5.49" in drawn and any("2021" in t for t in drawn if "R&D" in t)
    chart = panel.charts[0]
    assert chart.highlight == 2021 and "5.49" in chart.labelled_values()
    # the seed's dating stays reachable, with the correction, in the detail layer
    details = " ".join(d.text.get("en") for d in panel.model.details)
    assert "5.49% of its total GDP in 2022" in details and "5.81%" in details


def test_pct_rank_is_not_dated_2022_and_its_chart_says_what_it_counts(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "innovation-figures")
    pct = panel.cards[1]
    assert pct.figure.year == 2021 and pct.figure.series.highlight == 2021
    assert not any("2022" in t for t in card_texts(panel, pct))
    assert "thousands" in pct.figure.series.title.get("en")
    assert "万件" in pct.figure.series.title.get("zh")


def test_high_tech_enterprises_read_in_wan_in_chinese(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "innovation-figures", "zh")
    drawn = card_texts(panel, panel.cards[2])
    assert "2.3" in drawn and "万家" in drawn
    assert not any("23,000" in t or "23000" in t for t in drawn), "one unit in Chinese: 万家"
    assert "2.3" in panel.charts[2].labelled_values()


@pytest.mark.parametrize("panel_id", PANELS)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_face_texts_are_what_the_face_shows(stage_for, bundled_deck, panel_id, language) -> None:
    """Outside the visual (numbers, units, charts) the face draws exactly ``face_texts()``."""
    panel = show(stage_for, bundled_deck, panel_id, language)
    visual = {"figure-number", "figure-unit", "chart-title", "chart-note", "chart-years", "chart-values"}
    face = [t.text for c in panel.cards for t in seen_texts(c.node.item) if t.group not in visual]
    expected = [t.get(language) for t in panel.model.face_texts()]
    assert sorted(face) == sorted(expected)
    assert face_size(panel.model, language) <= (30 if language == "en" else 60)


def test_portrait_keeps_the_charts_beside_the_numbers(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "innovation-figures", size=(1080, 1920))
    assert len(panel.charts) == len([f for f in panel.model.figures if f.series is not None])
    for card in panel.cards:
        number = card.number.item.mapRectToScene(card.number.item.text_rect())
        plot = card.chart.frame.mapRectToScene(card.chart.frame.audit_frame())
        assert plot.left() > number.right(), "side by side, not a squeezed stack"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_lone_figure_in_portrait_puts_its_chart_under_it_wide(stage_for, bundled_deck, language) -> None:
    panel = show(stage_for, bundled_deck, "industries", language, size=(1080, 1920))
    (card,) = panel.cards
    number = card.number.item.mapRectToScene(card.number.item.text_rect())
    plot = card.chart.frame.mapRectToScene(card.chart.frame.audit_frame())
    item = card.node.item.mapRectToScene(card.node.item.rect)
    assert plot.top() > number.bottom(), "the chart stands under the number"
    assert plot.width() > 0.8 * item.width(), "and takes the card's width"
    assert plot.height() <= 0.75 * plot.width() + 1, "no taller than 4:3: a trend, not a cliff"
    assert plot.height() > 0.6 * plot.width(), "and uses the room it is given"
    header = [t.mapRectToScene(t.boundingRect()).bottom() for t in seen_texts(panel)
              if t.field in ("title", "subtitle")]
    top = max(*header, HEADER_TOP + MORE_HEIGHT) + HEADER_GAP
    above, below = item.top() - top, panel.body_rect(top).bottom() - item.bottom()
    assert above > 0 and abs(above - below) < 40, "the card stands in the middle of the body"


def test_large_text_drops_charts_says_so_and_lists_their_data(stage_for, bundled_deck, qtbot) -> None:
    panel = show(stage_for, bundled_deck, "innovation-figures", scale=1.4)
    assert not panel.charts and all(c.dropped for c in panel.cards)
    drawn = [t.text for t in seen_texts(panel)]
    assert drawn.count("Chart: tap for its data") == 3
    # a tap on a card opens the layer at that card's chart data
    panel.cards[1].node.item.childItems()  # the tap area is a child of the card
    taps = [i for i in panel.cards[1].node.item.childItems() if type(i).__name__ == "TapArea"]
    assert taps
    taps[0].tap()
    assert panel.details_open
    layer = panel._details
    shown = [t.text for t in seen_texts(layer)]
    assert any("2016: 19.6" in t and "2017: no published value" in t for t in shown), shown
    panel.close_details()


def test_a_tap_on_a_card_opens_its_details(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "innovation-people")
    card = panel.cards[2]
    taps = [i for i in card.node.item.childItems() if type(i).__name__ == "TapArea"]
    taps[0].tap()
    shown = " ".join(t.text for t in seen_texts(panel._details))
    assert "Regulations of Shenzhen Special Economic Zone on Talent Work" in shown
    panel.close_details()


def test_numbers_are_never_cut(stage_for, bundled_deck) -> None:
    for size, scale in [((1920, 1080), 1.4), ((1080, 1920), 1.4), ((1920, 1080), 1.0)]:
        panel = show(stage_for, bundled_deck, "innovation-people", "zh", size, scale)
        numbers = [c.number.item for c in panel.cards]
        assert [n.text for n in numbers] == ["10", "≥30", "11月1日"]
        assert all(len(n.lines) == 1 and not n.elided and not n.overflow for n in numbers)
        assert len({n.px for n in numbers}) == 1, "siblings share one size"


@pytest.mark.parametrize("panel_id", PANELS)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_build_never_shows_something_false(stage_for, bundled_deck, panel_id, language) -> None:
    """Sampled through the build: no counter at 0, no qualifier on a moving number, no chart
    value label before its mark has reached it, and the panel settles within 1.5 s."""
    panel = stopped_at_end(stage_for, bundled_deck, panel_id, language)
    assert panel.build_ms <= 1500
    assert all(panel.stage_length(k) <= 800 for k in range(panel.stage_count()))
    finals = [c.number.item.text for c in panel.cards]
    for t in range(0, int(panel.build_ms) + 40, 40):
        panel.apply(float(t))
        for card, final in zip(panel.cards, finals, strict=True):
            shown = card.number.item.text
            assert shown.strip() not in {"0", "0.0", "0.00"}, f"{t} ms: a counter shows 0"
            if shown != final:
                assert shown.replace(",", "").replace(".", "").isdigit() or shown == "", \
                    f"{t} ms: {shown!r} carries a qualifier or unit before landing"
        for chart in panel.charts.values():
            heights = chart.bar_heights()
            if chart.bars is not None:
                for i, label in chart.value_labels.items():
                    if label.isVisible():
                        assert heights[i] == pytest.approx(chart.ys[i]), f"{t} ms: label before its bar"
    panel.apply(panel.build_ms)
    assert [c.number.item.text for c in panel.cards] == finals


def test_a_chart_highlight_on_another_year_is_refused() -> None:
    with pytest.raises(ValueError, match="highlight the figure's year"):
        Figure.model_validate({
            "value": 5.49, "label": {"en": "x", "zh": "x"}, "source": "s", "year": 2022,
            "series": {"title": {"en": "t", "zh": "t"}, "highlight": 2021,
                       "points": [{"x": 2021, "value": 5.49, "source": "s"},
                                  {"x": 2022, "value": 5.81, "source": "s"}]},
        })


@pytest.mark.parametrize("panel_id", PANELS)
def test_the_audit_finds_nothing(bundled_deck, panel_id) -> None:
    """The quick matrix (landscape, portrait, large text) in both languages: no finding."""
    records = list(audit_deck(bundled_deck, QUICK, only=panel_id))
    findings = [str(f) for r in records for f in r.findings]
    assert len(records) == len(QUICK) * 2
    assert findings == []


def test_tapping_is_a_real_click(stage_for, bundled_deck, qtbot) -> None:
    stage = stage_for(bundled_deck)
    stage.show()
    qtbot.waitExposed(stage)
    panel = stage.show_panel(bundled_deck.index_of("innovation-figures"), animate=False)
    panel.finish()
    card = panel.cards[0].node.item
    centre = card.mapToScene(card.rect.center() + QPointF(0, -card.rect.height() / 4))
    qtbot.mouseClick(stage.viewport(), Qt.MouseButton.LeftButton, pos=stage.mapFromScene(centre))
    assert panel.details_open
    panel.close_details()
    panel.deactivate()


@pytest.mark.parametrize("panel_id", ["innovation-figures", "industries"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_chart_label_is_its_points_value_in_the_languages_units(stage_for, bundled_deck, panel_id,
                                                                       language) -> None:
    from szkiosk.charts.countup import format_number

    panel = show(stage_for, bundled_deck, panel_id, language)
    for card in panel.cards:
        s, chart = card.figure.series, card.chart
        scale, decimals = s.shown(1.0, language)
        values = s.values()
        for i, label in chart.value_labels.items():
            year = int(chart.xs[i])
            assert label.text == format_number(values[year] * scale, decimals, language)
        years = [str(y) for y in values] + [f"{y % 100:02d}" for y in values]
        assert set(chart.year_texts()) <= set(years) and chart.year_texts()[0] == str(min(values))
