"""The partner-cities map: taps open the right card, clusters open up, labels keep clear,
the build never says something false, the counts and the map share a date, nothing clips."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage

from szkiosk.kit.access import AccessMode
from szkiosk.kit.text import TextItem
from szkiosk.panels.worldmap import WorldMapPanel


def show_map(stage_for, deck, language: str = "en", size=(1920, 1080), scale: float = 1.0) -> tuple:
    stage = stage_for(deck, language, size)
    if scale != 1.0:
        stage.set_access(AccessMode(text_scale=scale))
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


def texts(item) -> list[TextItem]:
    """Visible text items under ``item``."""
    found, stack = [], [item]
    while stack:
        it = stack.pop()
        if not it.isVisible() or it.effectiveOpacity() <= 0.01:
            continue
        if isinstance(it, TextItem) and it.text.strip():
            found.append(it)
        stack.extend(it.childItems())
    return found


def drawn(panel) -> list[str]:
    return [t.text for t in texts(panel)]


# -- date basis and face -------------------------------------------------------------------------
def test_the_map_and_the_counts_share_one_date(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of("sister-cities")]
    year = model.total.year
    mapped = model.mapped()
    assert mapped and all(p.since is None or p.since <= year for p in mapped)
    later = model.partner_list.joined_after(year)
    assert {p.id for p in later} == {"abu-dhabi", "moscow", "vienna", "san-francisco"}
    assert not {p.id for p in mapped} & {p.id for p in later}
    # the details name every partner left off the map, in every language
    details = " ".join(d.text.get("en") + d.text.get("zh") for d in model.details)
    for p in later:
        assert p.name.get("en") in details and p.name.get("zh") in details, p.id


def test_face_says_the_date_and_no_internal_note(stage_for, bundled_deck) -> None:
    for language, date in (("en", "As of September 2022"), ("zh", "截至2022年9月")):
        stage, panel = show_map(stage_for, bundled_deck, language)
        panel.finish()
        words = [*drawn(panel), stage.chrome.source_box.text]
        assert date in words
        assert not any("not published" in w or "尚未公开" in w for w in words)
        assert not any("partners.yaml" in w or "content/" in w for w in words)
        assert "Mapped: 51 with a published source" in words or "地图标出有公开来源的51个" in words


def test_face_texts_are_what_the_face_shows(stage_for, bundled_deck) -> None:
    """The model's face_texts() (the word budget) are exactly the texts drawn outside the map."""
    model = bundled_deck.panels[bundled_deck.index_of("sister-cities")]
    for language in ("en", "zh"):
        _stage, panel = show_map(stage_for, bundled_deck, language)
        panel.finish()
        face = [t.get(language).replace(" ", "") for t in model.face_texts()]
        outside = [t for t in texts(panel)
                   if t.field not in ("title", "") and not t.field.startswith("worldmap.")
                   and not panel.map_rect.contains(t.mapToItem(panel, t.text_rect().center()))]
        shown = sorted("".join(t.text for t in outside).replace(" ", ""))
        assert shown == sorted("".join(face)), "the face draws exactly its face texts (number and unit apart)"


# -- motion that tells the truth --------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "zh"])
def test_build_never_shows_something_false(stage_for, bundled_deck, language: str) -> None:
    _, panel = show_map(stage_for, bundled_deck, language)
    assert panel.build_ms <= 1500
    m = panel.model
    hint_at = panel.hint_start()
    last_arc = max(panel.arc_start(i) for i in range(len(panel.partners)))
    assert hint_at >= last_arc + 300, "the hint waits for the map to draw"
    for t in range(0, int(panel.build_ms) + 50, 25):
        panel.apply(t)
        total = panel.total_item.text
        kinds = {k: item.text for k, item in panel.kind_numbers.items()}
        for text in [total, *kinds.values()]:
            assert text != "0" and not text.startswith("0"), (t, text)
            assert text == "" or text.replace(",", "").isdigit(), (t, text)
        landed = total == str(m.total.value)
        # "in 57 countries" and the date only once the total has landed
        for item in panel.line_items:
            if item.opacity() > 0.01:
                assert landed, (t, item.text)
        # the hint only once every arc has landed
        if panel.hint_item.opacity() > 0.01:
            assert all(a.progress >= 1.0 for a in panel.arc_layer.arcs), t
        # a cluster shows its count only once all its members have arrived
        for count, members in panel.markers.cluster_counts():
            assert count == len(members)
            assert all(panel.markers.markers[i].pop > 0.5 for i in members), t
    panel.apply(panel.build_ms)
    assert panel.total_item.text == "90"
    assert panel.kind_numbers["sister"].text == "24" and panel.kind_numbers["friendly"].text == "66"
    assert all(item.opacity() == 1.0 for item in panel.line_items + panel.hint_items)


def test_sister_cities_come_first_and_arcs_progress(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    kinds = [p.kind for p in panel.partners]
    assert kinds == sorted(kinds, key=lambda k: k != "sister")
    assert panel.animating
    panel.apply(0)
    assert panel.shown_markers() == []
    assert all(a.progress == 0 for a in panel.arc_layer.arcs)
    n_sister = kinds.count("sister")
    mid = panel.arc_start(n_sister) + 50
    panel.apply(mid)
    progress = [a.progress for a in panel.arc_layer.arcs]
    assert progress[0] > progress[n_sister] > 0 and progress[-1] < 1
    panel.apply(panel.build_ms)
    assert all(a.progress == 1.0 for a in panel.arc_layer.arcs)
    assert len(panel.shown_markers()) == len(panel.partners)
    panel.apply(mid)  # idempotent: going back in time gives the same picture again
    assert [a.progress for a in panel.arc_layer.arcs] == progress


def test_step_builds_take_at_most_800_ms_each(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    assert panel.stage_count() == 2
    assert all(panel.stage_length(k) <= 800 for k in range(2))
    panel.settle(step=0)
    sisters = [i for i, p in enumerate(panel.partners) if p.kind == "sister"]
    assert all(panel.arc_layer.arcs[i].progress == 1.0 for i in sisters)
    assert all(a.progress == 0 for i, a in enumerate(panel.arc_layer.arcs) if i not in sisters)
    assert panel.hint_item.opacity() == 0.0, "no hint before the map has drawn"
    panel.settle(step=1)
    assert all(a.progress == 1.0 for a in panel.arc_layer.arcs) and panel.hint_item.opacity() == 1.0


def test_timer_runs_then_stops_and_deactivate_stops_it(qtbot, stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
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


# -- clusters and labels ------------------------------------------------------------------------------
def _discs(panel) -> list[tuple[QPointF, float]]:
    return [(QPointF(c.x, c.y), c.radius) for c in panel.markers.clusters]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("region", ["world", "europe", "asia"])
def test_markers_never_overlap_and_labels_keep_clear(stage_for, bundled_deck, size, region: str) -> None:
    _, panel = show_map(stage_for, bundled_deck, "en", size)
    panel.finish()
    panel.set_region(region)
    discs = _discs(panel)
    for a in range(len(discs)):
        for b in range(a + 1, len(discs)):
            (pa, ra), (pb, rb) = discs[a], discs[b]
            gap = ((pa.x() - pb.x()) ** 2 + (pa.y() - pb.y()) ** 2) ** 0.5 - ra - rb
            assert gap >= 0, f"markers or clusters touch in {region}"
    frame = panel.map_rect
    labels = [r for r, _ in panel.markers.label_rects()]
    assert labels, "at least Shenzhen is labelled"
    for i, rect in enumerate(labels):
        assert frame.contains(rect), "a label leaves the map"
        for other in labels[i + 1:]:
            assert not rect.intersects(other), "labels overlap"
        for centre, r in discs:
            box = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
            assert not rect.intersects(box), "a label covers a marker or a cluster"
    # every visible partner is drawn, alone or in a cluster whose count is its size
    members = [i for c in panel.markers.clusters for i in c.members]
    assert sorted(members) == sorted(i for i in panel.visible_indices()
                                     if frame.contains(panel.markers.position(i)))


def test_europe_clusters_at_world_scale_and_a_tap_opens_them(qtbot, stage_for, bundled_deck) -> None:
    stage, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    stage.show()
    qtbot.waitExposed(stage)
    biggest = max(panel.markers.clusters, key=lambda c: len(c.members))
    european = sum(panel.partners[i].continent == "europe" for i in biggest.members)
    assert european > len(biggest.members) / 2, "Europe's crowded markers are a cluster at world scale"
    inside = set(biggest.members)
    tap(qtbot, stage, panel.mapToScene(QPointF(biggest.x, biggest.y)))
    assert panel.region == "europe" or panel.zoom_box is not None, "a tap on a cluster zooms in"
    opened = [c for c in panel.markers.clusters if c.single and c.members[0] in inside]
    assert len(opened) >= 5, "the cluster split into markers of their own"
    # still crowded at the region's scale: a tap zooms into the cluster itself
    crowded = [c for c in panel.markers.clusters if not c.single]
    if crowded:
        members = set(crowded[0].members)
        tap(qtbot, stage, panel.mapToScene(QPointF(crowded[0].x, crowded[0].y)))
        assert panel.zoom_box is not None
        assert any(c.single and c.members[0] in members for c in panel.markers.clusters)
    panel.region_chips["world"].tap()
    assert panel.region == "world" and panel.zoom_box is None


def test_arcs_stay_inside_the_map(stage_for, bundled_deck) -> None:
    """The Buenos Aires arc no longer leaves the frame; the audit sees every arc piece."""
    _, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    frame = panel.frame.audit_frame()
    marks = panel.frame.audit_marks()
    assert len(marks) > len(panel.partners)
    for mark in marks:
        assert frame.adjusted(-1, -1, 1, 1).contains(mark)
    ba = panel.arc_layer.arcs[by_id(panel, "buenos-aires")]
    assert all(panel.map_rect.contains(p) for p in ba.points)


# -- cards, list, keys ----------------------------------------------------------------------------------
def test_tapping_a_marker_opens_its_card(qtbot, stage_for, bundled_deck) -> None:
    stage, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    stage.show()
    qtbot.waitExposed(stage)
    brisbane = by_id(panel, "brisbane")
    assert panel.markers.cluster_of(brisbane).single
    tap(qtbot, stage, panel.marker_scene_pos(brisbane))
    words = panel.card_text()
    assert "Brisbane" in words and "布里斯班" in words and "Australia" in words
    assert "Since 1992" in words and "Source: Brisbane City Council" in words
    assert not any(t.elided or t.overflow for t in panel.card_texts)
    # a tap on the open sea closes the card
    sea = panel.markers.position(brisbane)
    sea.setX(sea.x() + 120)
    sea.setY(sea.y() + 60)
    tap(qtbot, stage, panel.mapToScene(sea))
    assert panel.card_text() == []


def test_the_chinese_card_reads_in_chinese(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck, "zh")
    panel.finish()
    panel.open_card(by_id(panel, "houston"))
    words = panel.card_text()
    assert "休斯敦" in words and "美国" in words and "1986年起" in words
    assert "来源：深圳政府在线；深圳新闻网" in words
    assert not any("Government" in w or "http" in w for w in words if w != "Houston")


def test_a_clustered_partner_opens_beside_its_marker(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    berlin = by_id(panel, "berlin")
    assert not panel.markers.cluster_of(berlin).single
    panel.open_card(berlin)
    assert panel.markers.cluster_of(berlin).single, "the map zoomed until Berlin stands alone"
    assert panel.map_rect.contains(panel.markers.position(berlin))


def test_filters_change_visible_markers(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    everyone = panel.shown_markers()
    panel.set_kind_filter("sister")
    sisters = panel.shown_markers()
    assert sisters and all(panel.partners[i].kind == "sister" for i in sisters)
    assert len(sisters) < len(everyone)
    panel.set_kind_filter("sister")  # the same kind again shows all
    assert panel.shown_markers() == everyone
    panel.set_kind_filter("friendly")
    assert all(panel.partners[i].kind == "friendly" for i in panel.shown_markers())
    panel.set_kind_filter("friendly")
    panel.region_chips["europe"].tap()
    europe = panel.shown_markers()
    assert europe and all(panel.partners[i].continent == "europe" for i in europe)
    zoom_span = max(panel.markers.position(i).x() for i in europe) - min(panel.markers.position(i).x() for i in europe)
    panel.region_chips["world"].tap()
    world_span = max(panel.markers.position(i).x() for i in europe) - min(panel.markers.position(i).x() for i in europe)
    assert zoom_span > 2 * world_span
    assert panel.shown_markers() == everyone


def test_list_view_lists_every_partner_and_opens_cards(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck)
    panel.finish()
    panel.list_chip.tap()
    assert panel.list_chip.label.text == "Map"
    seen: list[int] = []
    for _ in range(20):
        seen += [row.partner_index for row in panel.list_rows]
        assert all(row.boundingRect().height() >= 64 for row in panel.list_rows)
        assert not any(t.elided or t.overflow for t in texts(panel.list_card))
        if panel.list_next is None:
            break
        panel.list_next.tap()
    assert sorted(seen) == list(range(len(panel.partners)))
    panel.list_rows[0].tap()
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
@pytest.mark.parametrize("scale", [1.4])
def test_no_text_clipped_in_any_card_or_the_list(stage_for, bundled_deck, language: str, size, scale) -> None:
    _, panel = show_map(stage_for, bundled_deck, language, size, scale)
    panel.finish()
    stage_rect = panel.boundingRect()

    def check(state: str) -> None:
        for t in texts(panel):
            assert not t.elided and not t.overflow, f"{state}: {t.text!r} cut"
            rect = t.mapRectToItem(panel, t.text_rect())
            assert stage_rect.contains(rect), f"{state}: {t.text!r} outside the stage"
            assert t.px >= t.style.role.floor - 0.01, f"{state}: {t.text!r} too small"

    check("final")
    chips = [*panel.region_chips.values(), panel.list_chip]
    assert all(chip.rect.height() >= 64 for chip in chips)
    for partner in range(len(panel.partners)):
        panel.open_card(partner)
        check(f"card {panel.partners[partner].id}")
        card = panel.card.boundingRect()
        for t in panel.card_texts:
            assert card.contains(t.mapRectToItem(panel.card, t.text_rect())), t.text
    panel.close_card()
    panel.set_region("world")
    panel.toggle_list()
    check("list")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_every_partner_source_is_in_the_details_and_every_page_fits(stage_for, bundled_deck, size) -> None:
    _, panel = show_map(stage_for, bundled_deck, "zh", size)
    panel.finish()
    panel.open_details()
    layer = panel._details
    cited = " ".join(s.text for s in layer.sections if s.about == "sources").replace("\u200b", "")
    for sid in panel.model.partner_list.sources():
        assert panel.ctx.sources[sid].citation("zh") in cited, sid
    frame = layer.mapRectToScene(layer.boundingRect())
    for page in range(len(layer.pages)):
        if page:
            layer.next_page()
        for t in texts(layer):
            if t.field == "details":
                continue  # the layer's own heading (details.py) is not the map's
            assert not t.elided and frame.contains(t.mapRectToScene(t.text_rect())), (page, t.text[:40])


# -- the totem -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "zh"])
def test_on_a_totem_the_stand_holds_any_card_and_the_map_takes_the_rest(stage_for, bundled_deck,
                                                                          language: str) -> None:
    """The place under the chips is as tall as the tallest city card, no taller: every card
    opens there without covering the chips, and the room left goes to the map's frame (up to
    1.6:1), not to an empty stand."""
    _, panel = show_map(stage_for, bundled_deck, language, (1080, 1920))
    panel.finish()
    stand = QRectF(panel.card_rect)
    chips = [c.mapRectToItem(panel, c.rect) for c in (*panel.region_chips.values(), panel.list_chip)]
    below_chips = max(c.bottom() for c in chips)
    assert stand.top() > below_chips
    tallest = 0.0
    for partner in range(len(panel.partners)):
        panel.open_card(partner)
        card = panel.card.mapRectToItem(panel, panel.card.boundingRect())
        assert card.top() > below_chips, f"{panel.partners[partner].id}'s card covers the chips"
        tallest = max(tallest, panel._partner_card(partner)[0](True).min_height(stand.width()))
    panel.close_card()
    assert stand.height() == pytest.approx(tallest, abs=1), "the stand is as tall as the tallest card, no taller"
    world = panel.map_rect.width() / panel.aspect
    assert panel.map_rect.height() > world + 20, "the map's frame grew into the room left"
    assert panel.map_rect.height() <= panel.map_rect.width() / 1.6 + 1


# -- arcs under the map's fade-in ------------------------------------------------------------------
def _arc_pixels(stage, panel, t_ms: float, arcs: str = "cached"):
    """The stage at ``t_ms`` of the build as an int array: the arcs from their image cache
    (``cached``), stroked straight onto the stage (``direct``) or not drawn (``hidden``)."""
    layer = panel.arc_layer
    layer.drop_image()
    if arcs == "direct":
        layer._paint_finished_cached = lambda painter: False
    layer.setVisible(arcs != "hidden")
    try:
        panel.apply(t_ms)
        image = stage.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    finally:
        layer.__dict__.pop("_paint_finished_cached", None)
        layer.setVisible(True)
    rgb = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return rgb.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].astype(int)


def test_arcs_growing_while_the_map_fades_in_come_from_the_cache_and_look_the_same(stage_for, bundled_deck) -> None:
    # the map fades in (its frame's opacity) for its first 400 ms while the first arcs draw: the
    # arcs are blitted from their image at that opacity, not stroked whole every frame
    stage, panel = show_map(stage_for, bundled_deck, size=(1920, 1080))
    stage.show()
    panel.deactivate()
    t = 160.0
    panel.apply(t)
    assert panel.frame.effectiveOpacity() < 0.85 and any(0 < a.progress < 1 for a in panel.arc_layer.arcs)
    direct = _arc_pixels(stage, panel, t, "direct")
    assert panel.arc_layer.__dict__.get("_image_cache") is None  # nothing cached on that path
    cached = _arc_pixels(stage, panel, t, "cached")
    assert panel.arc_layer.__dict__.get("_image_cache") is not None, "the faded arcs came from the cache"
    ink = abs(direct - _arc_pixels(stage, panel, t, "hidden")).max(axis=2) > 8  # where arcs are drawn
    assert ink.sum() > 1000, "arcs are on screen"
    diff = abs(cached - direct).max(axis=2)[ink]
    # the same picture: where arcs cross (near the hub) strokes drawn one by one at the fade's
    # opacity darken each other a little more than one faded layer does
    # (measured: mean 1.9 over 7,800 arc px, 2 % of them more than 20 apart; blitting the layer
    # at full opacity instead gives a mean of 14)
    print(f"{ink.sum()} arc px; mean {diff.mean():.2f}, over 20 apart {(diff > 20).mean():.3f}, max {diff.max()}")
    assert diff.mean() < 4.0 and (diff > 20).mean() < 0.05
    # and once the fade is over, the cached arcs are exactly the stroked ones
    settled = panel.build_ms
    assert abs(_arc_pixels(stage, panel, settled) - _arc_pixels(stage, panel, settled, "direct")).max() <= 2


# -- portrait: the stand says what a numbered disc is ----------------------------------------------
@pytest.mark.parametrize("language", ["en", "zh"])
def test_portrait_stand_shows_the_cluster_legend_with_the_hint(stage_for, bundled_deck, language) -> None:
    from szkiosk.catalogue import ui_text

    _, panel = show_map(stage_for, bundled_deck, language, size=(1080, 1920))
    panel.finish()
    legend = [t for t in texts(panel) if getattr(t, "field", None) == "worldmap.cluster_legend"]
    assert [t.text for t in legend] == [ui_text("worldmap.cluster_legend", language)]
    words = legend[0]
    assert getattr(words, "hint", False), "a touch instruction: the handout leaves it out"
    assert words in panel.hint_items  # it fades in with the hint, once the map has drawn
    stand = panel.card_rect
    box = words.mapRectToScene(words.boundingRect())
    assert stand.contains(box) and box.top() >= panel.hint_item.mapRectToScene(panel.hint_item.boundingRect()).bottom()
    # beside the words, the disc with a count, as the map draws a cluster
    discs = [t for t in texts(panel) if t.text == "2" and abs(t.mapRectToScene(t.boundingRect()).center().y()
                                                             - box.center().y()) < box.height()]
    assert discs and discs[0].mapRectToScene(discs[0].boundingRect()).right() <= box.left()
    panel.apply(0)
    assert words.opacity() == 0.0, "no legend before the map has drawn"


def test_landscape_has_no_stand_and_no_legend(stage_for, bundled_deck) -> None:
    _, panel = show_map(stage_for, bundled_deck, "en")
    panel.finish()
    assert not [t for t in texts(panel) if getattr(t, "field", None) == "worldmap.cluster_legend"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_large_text_portrait_keeps_the_hint_without_the_stand(stage_for, bundled_deck, language) -> None:
    # at text scale 1.4 there is no room for the stand; the hint used to vanish with it (an
    # instruction lost to larger text): it now goes under the mapped line, above the chips
    _, panel = show_map(stage_for, bundled_deck, language, size=(1080, 1920), scale=1.4)
    panel.finish()
    shown = {getattr(t, "field", None): t for t in texts(panel)}
    assert "worldmap.cluster_legend" not in shown  # no stand
    hint, listed = shown["hint"], shown["listed_note"]
    assert hint.text == panel.tr(panel.model.hint)
    hint_box, listed_box = (t.mapRectToScene(t.boundingRect()) for t in (hint, listed))
    chips_top = min(c.mapRectToScene(c.boundingRect()).top() for c in panel.region_chips.values())
    assert listed_box.bottom() <= hint_box.top() + 1 and hint_box.bottom() <= chips_top
    assert hint_box.top() >= panel.map_rect.bottom()
