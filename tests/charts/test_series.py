"""The newsroom chart: labels never collide, gaps are gaps, the highlight is always labelled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene

from szkiosk.charts.countup import count_text
from szkiosk.charts.series import ChartStyle, SeriesChart, chart_min_size
from szkiosk.kit.text import ROLES, TextStyle

PCT = {2016: 19647.0, 2017: None, 2018: 18081.0, 2019: 17459.0, 2020: None, 2021: 17400.0}
SHARE = {2015: 40.0, 2016: None, 2017: None, 2018: 37.0, 2019: 37.7, 2020: None, 2021: 39.6, 2022: 41.1,
         2023: 41.9}


def style(px: float = 32.0) -> ChartStyle:
    role = ROLES["data"]
    return ChartStyle(QColor("#4FD8EB"), QColor("#FF7A6E"), QColor("#8899AA"),
                      TextStyle(role, px, QColor("white")), TextStyle(role, px, QColor("#C9D5E8")))


@pytest.fixture
def parent(qapp):
    scene = QGraphicsScene()
    root = QGraphicsRectItem(0, 0, 1920, 1080)
    scene.addItem(root)
    yield root
    scene.clear()


def chart(parent, values, rect: QRectF | None = None, **kw) -> SeriesChart:
    rect = rect if rect is not None else QRectF(0, 0, 600, 320)
    kw.setdefault("kind", "bar")
    c = SeriesChart(parent, rect, values, style=kw.pop("style", style()), language=kw.pop("language", "en"), **kw)
    c.set_progress(1.0)
    return c


def boxes(items) -> list[QRectF]:
    return [i.mapRectToParent(i.text_rect()) for i in items if i.isVisible()]


def touching(rects: list[QRectF]) -> list[tuple[int, int]]:
    return [(a, b) for a in range(len(rects)) for b in range(a + 1, len(rects)) if rects[a].intersects(rects[b])]


@pytest.mark.parametrize("width", [330, 420, 600, 900])
@pytest.mark.parametrize("kind", ["bar", "line"])
def test_labels_never_touch_each_other_or_a_mark(parent, width, kind) -> None:
    c = chart(parent, SHARE if kind == "line" else PCT, QRectF(0, 0, width, 320), kind=kind, highlight=2021,
              decimals=1 if kind == "line" else 0)
    values = boxes(c.value_labels.values())
    years = boxes(c.tick_labels)
    assert not touching(values) and not touching(years)
    marks = c.frame.audit_marks()
    for label in c.value_labels.values():
        box = label.mapRectToParent(label.text_rect())
        assert not any(box.intersects(m) for m in marks), f"label {label.text} lies on a mark"
    frame = c.frame.audit_frame()
    assert all(frame.adjusted(-1, -1, 1, 1).contains(b) for b in values + years + marks)


def test_the_highlight_is_always_labelled_even_when_crowded(parent) -> None:
    crowded = {y: 100.0 + (y % 2) for y in range(2010, 2024)}
    c = chart(parent, crowded, QRectF(0, 0, 420, 260), highlight=2017)
    assert 2017 in c.labelled_years()
    assert c.value_labels[c.label_order()[0]].text == "101"
    assert len(c.labelled_years()) < len(crowded), "a crowded chart skips labels rather than overlap them"


def test_label_priority_is_highlight_last_first(parent) -> None:
    c = chart(parent, {2019: 5600.0, 2020: 7800.0, 2021: 8200.0, 2022: 8790.0}, highlight=2021)
    order = [int(c.xs[i]) for i in c.label_order()]
    assert order[:3] == [2021, 2022, 2019]


def test_missing_years_are_gaps_not_joins(parent) -> None:
    c = chart(parent, SHARE, kind="line", highlight=2022, decimals=1, break_before=2018)
    # 2015 stands alone (older definition), the gap at 2020 cuts the line
    assert c.segments() == [[2015], [2018, 2019], [2021, 2022, 2023]]
    assert c.divider is not None, "a change of definition is marked on the chart"
    assert len(c.bar_heights()) == 6, "no point is drawn for a missing year (never as zero)"
    faint = [t for t in c.tick_labels if t.style.colour.alphaF() < 0.9]
    assert faint, "a year without a value is written faint on the axis"


def test_without_a_definition_change_the_line_joins_across_it(parent) -> None:
    c = chart(parent, {2018: 1.0, 2019: 2.0, 2020: 3.0}, kind="line")
    assert c.segments() == [[2018, 2019, 2020]] and c.divider is None


def test_years_are_thinned_by_their_measured_width(parent) -> None:
    wide = chart(parent, PCT, QRectF(0, 0, 1200, 320))
    assert wide.year_texts() == ["2016", "2017", "2018", "2019", "2020", "2021"]
    narrow = chart(parent, SHARE, QRectF(0, 0, 380, 320), kind="line", highlight=2022, decimals=1)
    texts = narrow.year_texts()
    assert texts[0] == "2015" and len(texts) < len(SHARE)
    assert "22" in texts, "the highlighted year is on the axis"
    assert not touching(boxes(narrow.tick_labels))


def test_value_labels_use_the_languages_display_scale(parent) -> None:
    c = chart(parent, PCT, QRectF(0, 0, 700, 320), highlight=2021, scale=0.0001, decimals=2, language="zh")
    assert "1.74" in c.labelled_values()
    assert all("," not in v for v in c.labelled_values())


def test_a_label_appears_only_once_its_mark_has_grown(parent) -> None:
    c = chart(parent, PCT, highlight=2021)
    c.set_progress(0.3)
    shown = c.labelled_years()
    heights = dict(zip([int(x) for x in c.xs], c.bar_heights(), strict=True))
    assert all(heights[y] == pytest.approx(PCT[y]) for y in shown), "a label never states an unfinished bar"
    assert 2021 not in shown
    c.set_progress(1.0)
    assert 2021 in c.labelled_years()


def test_minimum_size_grows_with_the_labels(parent) -> None:
    small = chart_min_size(PCT, style(24))
    large = chart_min_size(PCT, style(45))
    assert large[0] > small[0] and large[1] > small[1]
    scaled = chart_min_size(PCT, style(32), scale=0.0001, decimals=2)
    assert scaled[0] < chart_min_size(PCT, style(32))[0], "shorter labels need less room"


@pytest.mark.parametrize("progress", [0.0, 0.01, 0.3, 0.7, 0.999])
def test_count_text_never_states_a_false_number(progress) -> None:
    shown = count_text(300, progress, 0, "more than {value}", "en")
    assert "more than" not in shown and shown != "0"
    assert count_text(300, 1.0, 0, "more than {value}", "en") == "more than 300"
