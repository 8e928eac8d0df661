"""Grid panels (industry-clusters, future-industries): every chip's name at one size, reflowed
into rows (never shrunk) in both orientations and large text; names an editor would sign off;
the future industries split into the four to expand and the four to incubate."""

from __future__ import annotations

from functools import partial

import panel_helpers
import pytest
from panel_helpers import seen_texts
from PySide6.QtCore import QRectF

from szkiosk.authoring.audit import QUICK, audit_deck
from szkiosk.kit.layout import Space
from szkiosk.panels.base import HEADER_GAP, HEADER_TOP, MORE_HEIGHT
from szkiosk.panels.grid import Flow, GridPanel

PANELS = ["industry-clusters", "future-industries"]
CONFIGS = [((1920, 1080), 1.0), ((1920, 1080), 1.4), ((1080, 1920), 1.0), ((1080, 1920), 1.4)]
#: The 20 clusters as the 6 June 2022 Opinions name them.
CLUSTERS_ZH = ["网络与通信", "半导体与集成电路", "超高清视频显示", "智能终端", "智能传感器", "软件与信息服务",
               "数字创意", "现代时尚", "工业母机", "智能机器人", "激光与增材制造", "精密仪器设备", "新能源",
               "安全节能环保", "智能网联汽车", "新材料", "高端医疗器械", "生物医药", "大健康", "海洋产业"]


#: The panel on a new stage, built to its final state (:func:`panel_helpers.show`).
show = partial(panel_helpers.show, kind=GridPanel)


@pytest.mark.parametrize(("size", "scale"), CONFIGS)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("panel_id", PANELS)
def test_every_chip_shares_one_size_and_nothing_is_cut(stage_for, bundled_deck, panel_id, language, size,
                                                       scale) -> None:
    panel = show(stage_for, bundled_deck, panel_id, language, size, scale)
    labels = panel.chip_labels()
    assert len(labels) == sum(len(g.names) for g in panel.model.groups)
    assert len({round(t.px, 1) for t in labels}) == 1, "siblings share one size"
    # never under the label role's floor at this text scale
    assert labels[0].px >= 30 * scale - 0.01
    for t in seen_texts(panel):
        assert not t.elided and not t.overflow, f"{t.text!r} cut"
    chips = panel.chip_items()
    bottom = max(c.mapRectToScene(c.rect).bottom() for c in chips)
    assert bottom <= size[1] - 150, "the chips stay above the footer"
    for a in chips:
        for b in chips:
            if a is not b:
                assert not a.mapRectToScene(a.rect).intersects(b.mapRectToScene(b.rect)), "chips never overlap"


def test_chips_keep_the_reading_order_and_fill_their_rows(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "industry-clusters", "zh")
    chips = [c.mapRectToScene(c.rect) for c in panel.chip_items()]
    keys = [(round(r.top()), r.left()) for r in chips]
    assert keys == sorted(keys), "reading order: row by row, left to right"
    rows: dict[int, list[QRectF]] = {}
    for r in chips:
        rows.setdefault(round(r.top()), []).append(r)
    lefts = {round(min(r.left() for r in row)) for row in rows.values()}
    rights = {round(max(r.right() for r in row)) for row in rows.values()}
    assert len(lefts) == 1 and len(rights) == 1, "every row filled edge to edge"
    assert [t.text for t in panel.chip_labels()] == CLUSTERS_ZH


@pytest.mark.parametrize(("size", "scale"), CONFIGS)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("panel_id", PANELS)
def test_the_chips_fill_the_body_or_stand_in_its_middle(stage_for, bundled_deck, panel_id, language, size,
                                                        scale) -> None:
    """No band of empty body above or below the chips: they grow (at most by CHIP_GROW) and
    what is left is air shared evenly above and below the group."""
    panel = show(stage_for, bundled_deck, panel_id, language, size, scale)
    header = [t.mapRectToScene(t.text_rect()).bottom() for t in seen_texts(panel) if t.field in ("title", "subtitle")]
    body = panel.body_rect(max(*header, HEADER_TOP + MORE_HEIGHT) + HEADER_GAP)
    drawn = [c.mapRectToScene(c.rect) for c in panel.chip_items()]
    drawn += [t.mapRectToScene(t.text_rect()) for g in panel.groups if g.heading is not None
              for t in [g.heading.item] if t is not None]
    top, bottom = min(r.top() for r in drawn), max(r.bottom() for r in drawn)
    above, below = top - body.top(), body.bottom() - bottom
    assert above >= -1 and below >= -1
    assert abs(above - below) < 48, f"air above {above:.0f} px, below {below:.0f} px"
    chips = panel.chip_items()
    if size[1] > size[0] and scale == 1.0:
        assert bottom - top > 0.85 * body.height(), "on a totem the chips fill the body"
        natural = min(c.rect.height() for c in chips)
        assert natural > 1.3 * panel.chip_labels()[0].mapRectToScene(panel.chip_labels()[0].text_rect()).height(), \
            "the chips grew into tiles"
    for label, chip in zip(panel.chip_labels(), chips, strict=True):
        text, box = label.mapRectToScene(label.text_rect()), chip.mapRectToScene(chip.rect)
        assert abs((text.top() - box.top()) - (box.bottom() - text.bottom())) < 4, "names in the middle of their chips"


def test_names_read_like_english_not_literal_translations(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of("industry-clusters")]
    names = [n.get("en") for n in model.groups[0].names]
    assert "Industrial machine tools" in names and "Health and wellness" in names
    assert not any("mother" in n.lower() or n == "Big health" for n in names)
    assert [n.get("zh") for n in model.groups[0].names] == CLUSTERS_ZH
    assert not any(":" in n for n in names)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_future_industries_say_which_four_expand_and_which_four_incubate(stage_for, bundled_deck,
                                                                         language) -> None:
    panel = show(stage_for, bundled_deck, "future-industries", language)
    expand, incubate = panel.groups
    assert len(expand.chips) == 4 and len(incubate.chips) == 4
    heads = [g.heading.item.text for g in panel.groups]
    if language == "en":
        assert heads[0].startswith("Four to expand") and heads[1] == "Four to incubate"
    else:
        assert "扩张期" in heads[0] and "孕育期" in heads[1]
    assert [t.text for t in seen_texts(expand.chips[0].item)] == [expand.group.names[0].get(language)]
    # the action plan's years: an en dash in English, an em dash in Chinese
    subtitle = panel.model.subtitle.get(language)
    assert ("2022–2025" in subtitle) if language == "en" else ("2022—2025" in subtitle)


@pytest.mark.parametrize("panel_id", PANELS)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_face_texts_are_what_the_face_shows(stage_for, bundled_deck, panel_id, language) -> None:
    panel = show(stage_for, bundled_deck, panel_id, language)
    face = [g.heading.item.text for g in panel.groups if g.heading is not None]
    subtitle = [panel.model.subtitle.get(language)] if panel.model.subtitle is not None else []
    assert sorted(subtitle + face) == sorted(t.get(language) for t in panel.model.face_texts())


def test_a_tap_on_a_chip_opens_its_groups_section(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, "future-industries")
    chip = panel.groups[1].chips[2].item
    taps = [i for i in chip.childItems() if type(i).__name__ == "TapArea"]
    taps[0].tap()
    assert panel.details_open
    assert any("quantum information are the four the plan sets out to incubate" in " ".join(t.text.split())
               for t in seen_texts(panel._details))
    panel.close_details()


@pytest.mark.parametrize("panel_id", PANELS)
def test_chips_build_in_reading_order_within_the_time_budget(stage_for, bundled_deck, panel_id) -> None:
    stage = stage_for(bundled_deck)
    panel = stage.show_panel(bundled_deck.index_of(panel_id), animate=False)
    panel.deactivate()
    assert panel.build_ms <= 1500
    if panel.step_count:
        assert all(panel.stage_length(k) <= 800 for k in range(panel.stage_count()))
    chips = panel.chip_items()
    shown = []
    for t in range(0, int(panel.build_ms) + 20, 20):
        panel.apply(float(t))
        for g in panel.groups:
            if g.heading is not None:
                # a group's heading is there before its first chip
                assert g.chips[0].item.opacity() <= g.heading.item.opacity() + 1e-6
        shown.append([c.opacity() > 0 for c in chips])
    for now in shown:
        # a chip appears only after every chip before it
        assert now == sorted(now, reverse=True)
    assert panel.shown_chips() == len(chips)


def test_flow_rows_are_as_tall_as_their_tallest_chip_and_fill_the_width() -> None:
    class Box(Space):
        def __init__(self, width: float, height: float) -> None:
            super().__init__(height=height)
            self._w = width

        def natural_width(self) -> float:
            return self._w

        def min_width(self) -> float:
            return self._w

    flow = Flow([Box(300, 40), Box(150, 60), Box(500, 40), Box(200, 40)], gap=10, row_gap=10)
    rows = flow.layout(1000.0)
    assert [i for row, _, _ in rows for i in row] == [0, 1, 2, 3], "reading order kept"
    for row, widths, height in rows:
        assert sum(widths) + 10 * (len(row) - 1) == pytest.approx(1000.0)
        assert height == max(flow.children[i].min_height(w) for i, w in zip(row, widths, strict=True))
        assert all(w >= flow.children[i].natural_width() - 0.5 for i, w in zip(row, widths, strict=True))
    free = Flow(flow.children, gap=10, row_gap=10, snap=False)
    assert free.min_height(1000.0) <= flow.min_height(1000.0)


@pytest.mark.parametrize("panel_id", PANELS)
def test_the_audit_finds_nothing(bundled_deck, panel_id) -> None:
    """The quick matrix in both languages: nothing about the panel (the footer is the show's)."""
    records = list(audit_deck(bundled_deck, QUICK, only=panel_id))
    assert len(records) == len(QUICK) * 2
    assert [str(f) for r in records for f in r.findings if f.field not in ("", "source")] == []
