"""The seed panels added for issue 4: they animate, stop on deactivate, take taps, never clip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGraphicsScene

from szkiosk.panels.chain import ChainPanel
from szkiosk.panels.gauges import GaugesPanel
from szkiosk.panels.gba import GbaPanel
from szkiosk.panels.grid import GridPanel
from szkiosk.panels.links import LinksPanel
from szkiosk.panels.showcase import ShowcasePanel
from szkiosk.panels.timeline import TimelinePanel


def show(stage, deck, panel_id: str):
    index = deck.index_of(panel_id)
    assert index is not None, f"{panel_id} is in the deck"
    return stage.show_panel(index, animate=False)


def state(panel) -> object:
    """A snapshot of what moves on each panel type."""
    if isinstance(panel, ChainPanel):
        return ([n.opacity() for n in panel.nodes], panel.pulse_positions())
    if isinstance(panel, GaugesPanel):
        return panel.fills()
    if isinstance(panel, LinksPanel):
        return panel.link_offsets()
    if isinstance(panel, GridPanel):
        return panel.shown_chips()
    if isinstance(panel, TimelinePanel):
        return (panel.axis_length(), panel.shown_numbers())
    if isinstance(panel, ShowcasePanel):
        return (panel.shown_numbers(), panel.chart.bar_heights() if panel.chart else None)
    if isinstance(panel, GbaPanel):
        return (panel.drawn_link_length(), panel.pulse_visible())
    raise AssertionError(type(panel))


ANIMATED = [
    ("innovation-chain", ChainPanel),
    ("ninety-percent", GaugesPanel),
    ("four-chains", LinksPanel),
    ("industry-clusters", GridPanel),
    ("future-industries", GridPanel),
    ("reforms", TimelinePanel),
    ("reforms-2021", TimelinePanel),
    ("opening-up", ShowcasePanel),
    ("greater-bay-area", GbaPanel),
]


@pytest.mark.parametrize(("panel_id", "kind"), ANIMATED)
def test_animation_progresses_and_stops_on_deactivate(qtbot, stage_for, bundled_deck, panel_id, kind) -> None:
    stage = stage_for(bundled_deck)
    panel = show(stage, bundled_deck, panel_id)
    assert isinstance(panel, kind)
    assert panel.animating
    panel.apply(150)
    early = state(panel)
    panel.apply(panel.build_ms * 0.6)
    mid = state(panel)
    panel.apply(panel.build_ms)
    final = state(panel)
    assert early != mid or mid != final
    assert early != final
    panel.activate()
    qtbot.waitUntil(lambda: panel.elapsed_ms > 0, timeout=10_000)  # its timer runs
    panel.deactivate()
    assert not panel.animating
    frozen = panel.elapsed_ms
    qtbot.wait(80)  # events flow; a timer left running would move the clock
    assert panel.elapsed_ms == frozen


def test_chain_pulses_run_then_stop(stage_for, bundled_deck) -> None:
    panel = show(stage_for(bundled_deck), bundled_deck, "innovation-chain")
    panel.apply(panel.stage_start(4) + 600)
    first = panel.pulse_positions()
    panel.apply(panel.stage_start(4) + 900)
    assert first and first != panel.pulse_positions()
    panel.finish()
    assert panel.pulse_positions() == [], "pulses are bounded in time: still at the end"
    panel.deactivate()


def test_gauges_fill_to_ninety(stage_for, bundled_deck) -> None:
    panel = show(stage_for(bundled_deck), bundled_deck, "ninety-percent")
    panel.apply(0)
    assert all(f == 0 for f in panel.fills())
    panel.finish()
    assert panel.fills() == pytest.approx([0.9] * 6)
    assert all(n.text == "90%" for n in panel.numbers)


def test_timeline_counts_up(stage_for, bundled_deck) -> None:
    panel = show(stage_for(bundled_deck), bundled_deck, "reforms")
    panel.finish()
    forty = panel.shown_numbers().index("40")
    assert "44" in panel.shown_numbers()
    panel.apply(panel.milestone_start(0) + 400)
    assert panel.shown_numbers()[forty] != "40"
    panel.deactivate()


def _click(stage, item, qtbot) -> None:
    """A real mouse click on the viewport at the item's centre."""
    centre = item.mapToScene(item.boundingRect().center())
    pos = stage.mapFromScene(centre)
    qtbot.mouseClick(stage.viewport(), Qt.MouseButton.LeftButton, pos=pos)


@pytest.mark.parametrize("panel_id", ["innovation-chain", "four-chains"])
def test_tap_shows_then_changes_then_hides_explanation(qtbot, stage_for, bundled_deck, panel_id) -> None:
    stage = stage_for(bundled_deck)
    stage.show()
    qtbot.waitExposed(stage)
    panel = show(stage, bundled_deck, panel_id)
    panel.finish()
    targets = panel.stage_taps if isinstance(panel, ChainPanel) else panel.taps
    assert panel.selected is None
    assert not panel.explanation.card.isVisible()
    _click(stage, targets[1], qtbot)
    assert panel.selected == 1
    assert panel.explanation.card.isVisible()
    first = panel.explanation.line.text
    _click(stage, targets[2], qtbot)
    assert panel.selected == 2 and panel.explanation.line.text != first
    # a tap on empty stage (top right corner, away from every target) hides the card
    qtbot.mouseClick(stage.viewport(), Qt.MouseButton.LeftButton,
                     pos=stage.mapFromScene(QPointF(stage.logical.width() - 20, 30)))
    assert panel.selected is None and not panel.explanation.card.isVisible()
    panel.deactivate()


def test_tap_through_a_scene_event(stage_for, bundled_deck) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QGraphicsSceneMouseEvent

    stage = stage_for(bundled_deck)
    panel = show(stage, bundled_deck, "innovation-chain")
    panel.finish()
    target = panel.stage_taps[3]
    scene: QGraphicsScene = stage.scene()
    for kind in (QEvent.Type.GraphicsSceneMousePress, QEvent.Type.GraphicsSceneMouseRelease):
        event = QGraphicsSceneMouseEvent(kind)
        event.setButton(Qt.MouseButton.LeftButton)
        event.setPos(target.boundingRect().center())
        event.setScenePos(target.mapToScene(target.boundingRect().center()))
        scene.sendEvent(target, event)
    assert panel.selected == 3
    panel.deactivate()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_panel_clips(stage_for, bundled_deck, language, size) -> None:
    stage = stage_for(bundled_deck, language, size)
    clipped = []
    for i, model in enumerate(bundled_deck.panels):
        panel = stage.show_panel(i, animate=False)
        panel.finish()
        clipped += [f"{model.id}: {box.text[:60]!r}" for box in panel.text_boxes() if box.elided or box.overflow]
        panel.deactivate()
    assert not clipped, "\n".join(clipped)
