"""The Greater Bay Area panel: names placed clear of markers, links and each other, the close
places in a close-up, the face within budget, a build that never says something false, taps
that open the details, and odd content that does not break it."""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path

import panel_helpers
import pytest
import yaml
from panel_helpers import scene_rect
from PySide6.QtCore import QLineF, QRectF

from szkiosk.authoring.audit import SAFE_INSET, collect, inspect
from szkiosk.content import load_deck
from szkiosk.kit.items import TapArea
from szkiosk.kit.text import TextItem
from szkiosk.panels.gba import BUILD_MS, MARKER_GAP, GbaPanel, MapFrame, clip_ring

PANEL = "greater-bay-area"
SIZES = [(1920, 1080), (1080, 1920)]


#: The panel on a new stage, built to its final state (:func:`panel_helpers.show`).
show = partial(panel_helpers.show, kind=GbaPanel)


def findings(panel: GbaPanel) -> list[tuple[str, str, str]]:
    """What the layout audit finds in what the panel drew (no legibility floors: the audit
    command checks those against the deck's screen)."""
    safe = QRectF(SAFE_INSET, SAFE_INSET, panel.width - 2 * SAFE_INSET, panel.height - 2 * SAFE_INSET)
    return inspect(collect(panel), safe=safe, floors=lambda t: 0.0)


def labels(frame: MapFrame) -> list[TextItem]:
    return list(frame.labels.values())


def names(frame: MapFrame) -> set[str]:
    return {p.place.name.get("en") for p in frame.plan.places}


# -- the drawn map ---------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
@pytest.mark.parametrize("scale", [1.0, 1.4])
def test_nothing_collides_or_leaves_its_frame(stage_for, bundled_deck, language, size, scale) -> None:
    panel = show(stage_for, bundled_deck, PANEL, language, size, scale)
    assert findings(panel) == []
    for frame in panel.maps():
        assert frame.plan.ok, [p.name for p in frame.plan.places if p.index in frame.plan.misses]
        box = frame.mapToScene(frame.audit_frame()).boundingRect()
        for label in labels(frame):
            assert box.contains(label.mapToScene(label.text_rect()).boundingRect()), label.text


def test_the_map_reports_every_marker_and_link_to_the_audit(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    overview = panel.maps()[0]
    marks = overview.audit_marks()
    for index, marker in overview.markers.items():
        assert any(m.contains(marker.rect.center()) for m in marks), index
    # every link is covered along its length by the squares the audit checks text against
    for index, (_item, pts) in overview.links.items():
        mid = pts[len(pts) // 2] if len(pts) > 2 else (pts[0] + pts[-1]) / 2
        assert any(m.contains(mid) for m in marks), index


def test_a_name_moved_onto_a_marker_is_found(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    overview = panel.maps()[0]
    hub = next(p.index for p in overview.plan.places if p.hub)
    victim = next(p.index for p in overview.plan.places if not p.hub and p.place.kind == "city")
    label = overview.labels[victim]
    centre = overview.plan.centres[hub]
    label.setPos(centre - label.text_rect().center())
    assert any(kind == "overlap" and where == f"places[{victim}].name" for kind, where, _ in findings(panel))


def test_a_name_moved_onto_a_link_is_found(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    overview = panel.maps()[0]
    index, (_item, pts) = next(iter(overview.links.items()))
    mid = (pts[0] + pts[-1]) / 2 if len(pts) == 2 else pts[len(pts) // 2]
    label = next(lab for i, lab in overview.labels.items() if i != index)
    label.setPos(mid - label.text_rect().center())
    assert any(kind == "overlap" for kind, _, _ in findings(panel))


@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
def test_close_places_are_apart_in_the_close_up(stage_for, bundled_deck, size) -> None:
    panel = show(stage_for, bundled_deck, PANEL, size=size)
    overview, inset = panel.maps()
    # the zones live only in the close-up; the whole area keeps the cities
    assert {"Qianhai", "Hetao"} <= names(inset)
    assert not {"Qianhai", "Hetao"} & names(overview)
    assert {"Shenzhen", "Hong Kong", "Macao", "Zhongshan", "Jiangmen"} <= names(overview)
    for frame in (overview, inset):
        places = frame.plan.places
        for k, a in enumerate(places):
            for b in places[k + 1:]:
                d = QLineF(frame.plan.centres[a.index], frame.plan.centres[b.index]).length()
                assert d >= a.radius + b.radius + MARKER_GAP, (a.name, b.name)


def test_every_name_sits_nearest_its_own_marker(stage_for, bundled_deck) -> None:
    """'Zhongshan' on Jiangmen's marker was the defect: each name is nearer its own point."""
    panel = show(stage_for, bundled_deck, PANEL)
    for frame in panel.maps():
        radius = {p.index: p.radius for p in frame.plan.places}
        for index, label in frame.labels.items():
            box = label.mapRectToParent(label.text_rect())
            gaps = {}
            for i, c in frame.plan.centres.items():
                dx = max(box.left() - c.x(), 0.0, c.x() - box.right())
                dy = max(box.top() - c.y(), 0.0, c.y() - box.bottom())
                gaps[i] = math.hypot(dx, dy) - radius[i]
            assert all(gaps[i] > gaps[index] for i in gaps if i != index), label.text


def test_landscape_puts_the_maps_side_by_side_and_portrait_stacks_them(stage_for, bundled_deck) -> None:
    wide = show(stage_for, bundled_deck, PANEL).maps()
    tall = show(stage_for, bundled_deck, PANEL, size=(1080, 1920)).maps()
    a, b = (scene_rect(f.card) for f in wide)
    assert b.left() > a.right() and abs(a.top() - b.top()) < 1
    a, b = (scene_rect(f.card) for f in tall)
    assert b.top() > a.bottom()


def test_the_coastline_is_clipped_in_lon_lat() -> None:
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = clip_ring(square, 2.0, 3.0, 4.0, 5.0)
    xs = [x for x, _ in clipped]
    ys = [y for _, y in clipped]
    assert (min(xs), max(xs), min(ys), max(ys)) == (2.0, 4.0, 3.0, 5.0)
    assert clip_ring(square, 20.0, 20.0, 30.0, 30.0) == []


# -- the face -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_face_draws_exactly_its_face_texts(stage_for, bundled_deck, language) -> None:
    panel = show(stage_for, bundled_deck, PANEL, language)
    model = panel.model
    in_maps = {id(t) for f in panel.maps() for t in [*f.labels.values(), f.caption] if t is not None}
    more = panel.more_button

    def header(t: TextItem) -> bool:
        return getattr(t, "field", "") == "title" or (more is not None and more.isAncestorOf(t))

    drawn = sorted(t.text for t, _, _ in collect(panel).texts if id(t) not in in_maps and not header(t))
    assert drawn == sorted(t.get(language) for t in model.face_texts())
    assert len(model.statements) + 2 <= 3  # a line, the heading, the chips


def test_the_seed_sentences_are_in_the_details(bundled_deck) -> None:
    model = next(p for p in bundled_deck.panels if p.id == PANEL)
    seed = (Path(__file__).resolve().parents[2] / "content" / "panels" / f"{PANEL}.yaml").read_text(encoding="utf-8")
    assert "Shenzhen-Hong Kong cooperation: Relying" not in seed  # no seed colon on screen
    texts = [d.text.get("en") for d in model.details]
    assert any(t.startswith("As an important engine of the Guangdong-Hong Kong-Macao") for t in texts)
    assert any(t.startswith("Relying on Qianhai, the Hetao area and other major strategic platforms") for t in texts)
    assert all(d.source for d in model.details)


def test_map_sources_are_cited_in_both_languages(bundled_deck) -> None:
    model = next(p for p in bundled_deck.panels if p.id == PANEL)
    cited = model.sources()
    assert model.coordinates_source in cited and model.coastline_source in cited
    sources = bundled_deck.sources
    for sid in (model.coordinates_source, model.coastline_source):
        zh = sources[sid].publisher.get("zh")
        assert zh and (zh != sources[sid].publisher.get("en") or sid == "natural-earth")
        assert "Coordinates" not in sources[sid].short("zh")


# -- motion ---------------------------------------------------------------------------------------------
def test_the_build_never_shows_a_name_before_its_place(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    assert panel.build_ms <= 1500 and BUILD_MS <= 1500
    seen_pulse = False
    for t in range(0, int(panel.build_ms) + 1, 25):
        panel.apply(t)
        for frame in panel.maps():
            for index, label in frame.labels.items():
                if label.opacity() > 0.01:
                    # a name appears only once its place has (nearly) popped up
                    assert frame.markers[index].scale() > 0.5, (t, label.text)
                    assert frame.opacity() > 0.5, (t, label.text)
        if panel.pulse_visible():
            seen_pulse = True
            hub = next(p.index for p in panel.maps()[0].plan.places if p.hub)
            assert panel.maps()[0].markers[hub].scale() > 0.99, t
        heading = panel.fields_item.opacity() if panel.fields_item is not None else 1.0
        for chip in panel.chip_cards:
            if chip.opacity() > 0.01:
                assert heading > 0.01, t  # the chips follow their heading
    assert seen_pulse
    panel.apply(panel.build_ms)
    assert not panel.pulse_visible()
    for frame in panel.maps():
        assert frame.opacity() == 1.0
        assert all(m.scale() == 1.0 for m in frame.markers.values())
        assert all(lab.opacity() == 1.0 for lab in frame.labels.values())
    assert all(c.opacity() == 1.0 for c in panel.chip_cards)
    full = panel.drawn_link_length()
    panel.apply(LINKS_HALFWAY := 400)
    assert 0 < panel.drawn_link_length() < full, LINKS_HALFWAY


# -- taps --------------------------------------------------------------------------------------------------
def taps(panel: GbaPanel) -> dict[str, TapArea]:
    out = {}
    stack = list(panel.childItems())
    while stack:
        item = stack.pop()
        if isinstance(item, TapArea):
            out[getattr(item, "label", "")] = item
        stack.extend(item.childItems())
    return out


def test_a_tap_on_a_platform_opens_its_details(stage_for, bundled_deck) -> None:
    panel = show(stage_for, bundled_deck, PANEL)
    found = taps(panel)
    assert {"Qianhai", "Hetao", "Working together on"} <= set(found)
    for label in ("Qianhai", "Hetao"):
        area = found[label]
        assert area.boundingRect().height() >= 64  # a touch target
        found[label].tap()
        layer = panel._details
        assert layer is not None
        shown = {layer.sections[i].about for i in layer.pages[layer.page]}
        assert label.lower() in shown
        panel.close_details()
    found["Working together on"].tap()
    assert panel._details is not None
    assert "fields" in {panel._details.sections[i].about for i in panel._details.pages[panel._details.page]}


# -- odd content ---------------------------------------------------------------------------------------
def odd_deck(deck_copy: Path, change) -> object:
    path = deck_copy / "panels" / f"{PANEL}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    deck = load_deck(deck_copy)
    assert deck.ok, deck.errors
    return deck


def _no_inset(d: dict) -> None:
    d.pop("inset")


def _unknown_hub(d: dict) -> None:
    d["hub"] = {"en": "Atlantis", "zh": "亚特兰蒂斯"}


def _same_place_twice(d: dict) -> None:
    d["places"].append(dict(d["places"][0], name={"en": "Shenzhen again", "zh": "深圳"}))


def _no_fields(d: dict) -> None:
    d["fields"] = []


def _inset_of_strangers(d: dict) -> None:
    d["inset"]["places"] = ["Nowhere", "Elsewhere"]


@pytest.mark.parametrize("change", [_no_inset, _unknown_hub, _same_place_twice, _no_fields, _inset_of_strangers])
def test_odd_content_still_builds(stage_for, deck_copy, change) -> None:
    deck = odd_deck(deck_copy, change)
    stage = stage_for(deck)
    panel = stage.show_panel(deck.index_of(PANEL), animate=False)
    assert isinstance(panel, GbaPanel)  # not the calm fallback card
    panel.finish()
    assert panel.maps()


def _grab(stage):
    import numpy as np
    from PySide6.QtGui import QImage

    image = stage.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    rgb = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return rgb.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].astype(int)


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
def test_the_coastline_is_blitted_from_a_device_pixmap_that_looks_as_drawn(stage_for, bundled_deck, size) -> None:
    # the land path (thousands of points) is filled and stroked once into a device pixmap and
    # blitted while the map fades in and its links grow: 30 → 22 ms p95 at 4K (docs/PERFORMANCE.md)
    from PySide6.QtWidgets import QGraphicsItem

    stage = stage_for(bundled_deck, "en", size)
    panel = panel_helpers.on_stage(stage, bundled_deck, PANEL, 1.0, False)
    stage.show()
    lands = [f.land for f in panel.maps() if f.land is not None]
    assert lands and all(land.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for land in lands)
    cached = _grab(stage)
    for land in lands:
        land.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    drawn = _grab(stage)
    assert abs(cached - drawn).max() <= 2  # measured: at most 1 level apart
    panel.deactivate()
