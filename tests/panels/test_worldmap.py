"""The partner-cities map: taps open the right card, filters, arcs over time, keys, no clipping."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from szkiosk.panels.worldmap import WorldMapPanel


def show_map(stage_for, deck, language: str = "en", size=(1920, 1080)) -> tuple:
    stage = stage_for(deck, language, size)
    index = deck.index_of("sister-cities")
    assert index is not None, "the map panel is in the bundled deck"
    panel = stage.show_panel(index, animate=False)
    assert isinstance(panel, WorldMapPanel)
    return stage, panel


def tap(qtbot, stage, scene_pos) -> None:
    view_pos = stage.mapFromScene(scene_pos)
    qtbot.mouseClick(stage.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(view_pos.x(), view_pos.y()))


def by_id(panel: WorldMapPanel, pid: str) -> int:
    return next(i for i, p in enumerate(panel.partners) if p.id == pid)


def test_tapping_a_marker_opens_its_card(qtbot, stage_for, bundled_deck) -> None:
    stage, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    stage.show()
    qtbot.waitExposed(stage)
    houston = by_id(panel, "houston")
    tap(qtbot, stage, panel.marker_scene_pos(houston))
    texts = panel.card_text()
    assert "Houston" in texts and "休斯敦" in texts and "United States" in texts
    assert any("1986" in t for t in texts)
    assert not any(b.clipped for b in panel.text_boxes())
    # a tap on the open sea closes the card
    sea = panel.markers.position(houston)
    sea.setY(sea.y() + 150)
    tap(qtbot, stage, panel.mapToScene(sea))
    assert panel.card_text() == []


def test_sister_cities_come_first_and_arcs_progress(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    kinds = [p.kind for p in panel.partners]
    assert kinds == sorted(kinds, key=lambda k: k != "sister")
    assert panel.animating
    panel.apply(0)
    assert panel.shown_markers() == []
    assert all(a.progress == 0 for a in panel.arc_layer.arcs)
    mid = panel.arc_start(10) + 100
    panel.apply(mid)
    progress = [a.progress for a in panel.arc_layer.arcs]
    assert progress[0] == 1.0 and 0 < progress[10] < 1 and progress[-1] == 0
    assert 0 < len(panel.shown_markers()) < len(panel.partners)
    sister_now = int(panel.kind_boxes["sister"].text)
    assert 0 < sister_now < panel.model.sister.value
    panel.apply(panel.build_ms)
    assert all(a.progress == 1.0 for a in panel.arc_layer.arcs)
    assert len(panel.shown_markers()) == len(panel.partners)
    assert panel.kind_boxes["sister"].text == "24" and panel.kind_boxes["friendly"].text == "66"
    assert panel.total_box.text == "90" and "57" in panel.countries_box.text
    panel.apply(mid)  # idempotent: going back in time gives the same picture again
    assert [a.progress for a in panel.arc_layer.arcs] == progress


def test_timer_runs_then_stops_and_deactivate_stops_it(qtbot, stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    assert panel.build_ms < 8000, "the build is designed to last under 8 s"
    qtbot.waitUntil(lambda: panel.elapsed_ms > 0, timeout=10_000)  # its timer runs
    panel.deactivate()
    assert not panel.animating
    frozen = panel.elapsed_ms
    qtbot.wait(100)  # events flow; a timer left running would move the clock
    assert panel.elapsed_ms == frozen
    panel.activate()
    qtbot.waitUntil(lambda: not panel.animating, timeout=panel.build_ms + 10_000)
    assert panel.elapsed_ms == panel.build_ms, "it stops at the end of its build"
    assert len(panel.shown_markers()) == len(panel.partners)


def test_filters_change_visible_markers(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    everyone = panel.shown_markers()
    panel.kind_chips["sister"]._on_tap()
    sisters = panel.shown_markers()
    assert sisters and all(panel.partners[i].kind == "sister" for i in sisters)
    assert len(sisters) < len(everyone)
    panel.kind_chips["friendly"]._on_tap()
    assert all(panel.partners[i].kind == "friendly" for i in panel.shown_markers())
    panel.kind_chips["all"]._on_tap()
    panel.region_chips["europe"]._on_tap()
    europe = panel.shown_markers()
    assert europe and all(panel.partners[i].continent == "europe" for i in europe)
    # zoomed in, European markers spread out
    world_span = 0.0
    zoom_span = max(panel.markers.position(i).x() for i in europe) - min(panel.markers.position(i).x() for i in europe)
    panel.region_chips["world"]._on_tap()
    world_span = max(panel.markers.position(i).x() for i in europe) - min(panel.markers.position(i).x() for i in europe)
    assert zoom_span > 2 * world_span
    assert panel.shown_markers() == everyone


def test_list_view_lists_every_partner_and_opens_cards(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    panel.list_chip._on_tap()
    seen: list[int] = []
    for _ in range(20):
        seen += [row.partner_index for row in panel.list_rows]
        assert all(row.rect.height() >= 64 for row in panel.list_rows)
        if not panel.list_next.isVisible():
            break
        panel.turn_list_page(1)
    assert sorted(seen) == list(range(len(panel.partners)))
    panel.list_rows[0]._on_tap()
    assert panel.card_text() and not panel.list_open


def test_keyboard_moves_focus_and_opens_and_closes_cards(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    assert panel.handle_key(Qt.Key.Key_Right) is False, "arrows change panels until the map has focus"
    assert panel.handle_key(Qt.Key.Key_Escape) is False
    assert panel.handle_key(Qt.Key.Key_Tab) is True
    first = panel.focused
    assert first is not None
    assert panel.handle_key(Qt.Key.Key_Right) is True
    second = panel.focused
    assert second not in (None, first)
    assert panel.markers.markers[second].world.x() >= panel.markers.markers[first].world.x()
    panel.handle_key(Qt.Key.Key_Left)
    assert panel.focused == first
    assert panel.handle_key(Qt.Key.Key_Return) is True
    assert panel.selected == first and panel.partners[first].name.get("en") in panel.card_text()
    assert panel.handle_key(Qt.Key.Key_Escape) is True
    assert panel.card_text() == []
    assert panel.handle_key(Qt.Key.Key_Escape) is True and panel.focused is None
    assert panel.handle_key(Qt.Key.Key_Escape) is False


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_no_text_clipped(stage_for, bundled_deck, language: str, size) -> None:
    _, panel = show_map(stage_for, bundled_deck, language, size)
    panel.finish()
    stage_rect = panel.boundingRect()

    def check(state: str) -> None:
        for box in panel.text_boxes():
            assert not box.clipped, f"{state}: {box.text!r} clipped"
            rect = box.mapRectToItem(panel, box.text_rect())
            assert stage_rect.contains(rect), f"{state}: {box.text!r} outside the stage"
            assert box.font_used.pixelSize() >= 20, f"{state}: {box.text!r} too small"

    check("final")
    for chip in [*panel.kind_chips.values(), *panel.region_chips.values(), panel.list_chip]:
        assert chip.rect.height() >= 64
        assert chip.label.font_used.pixelSize() >= 28, chip.label.text
    for partner in range(len(panel.partners)):
        panel.open_card(partner)
        check(f"card {panel.partners[partner].id}")
    panel.close_card()
    panel.toggle_list()
    check("list")
