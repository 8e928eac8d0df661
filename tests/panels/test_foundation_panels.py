"""Title, figures and columns panels: they animate, stop, replay and never clip."""

from __future__ import annotations

import pytest

from szkiosk.panels.columns import ColumnsPanel
from szkiosk.panels.figures import FiguresPanel

#: Longest wait for a panel's timer to tick (ms): generous, no frame rate is asserted.
WAIT_MS = 10_000


def first_of(stage, deck, kind: type):
    for i in range(len(deck.panels)):
        panel = stage.panel(i)
        if isinstance(panel, kind):
            return i, panel
    raise AssertionError(f"no {kind.__name__} in the deck")


def test_figures_count_up_and_charts_grow(qtbot, stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    index, panel = first_of(stage, bundled_deck, FiguresPanel)
    panel = stage.show_panel(index, animate=False)
    assert panel.animating
    panel.apply(200)
    early_numbers = panel.shown_numbers()
    charts = [c.chart for c in panel.cards if c.chart is not None]
    assert charts, "the innovation figures carry charts"
    early_heights = [sum(c.bar_heights()) for c in charts]
    panel.apply(panel.build_ms)
    final_numbers = panel.shown_numbers()
    assert early_numbers != final_numbers
    assert "23,000" in final_numbers
    assert [sum(c.bar_heights()) for c in charts] > early_heights
    # replayed by its own timer: it starts from zero, each frame shows the state of the panel's
    # clock, and it lands on the final numbers (how long a frame takes is not asserted here)
    panel.activate()
    assert panel.animating and panel.shown_numbers() != final_numbers
    qtbot.waitUntil(lambda: panel.elapsed_ms > 0, timeout=WAIT_MS)
    t, shown = panel.elapsed_ms, panel.shown_numbers()
    panel.apply(t)
    assert panel.shown_numbers() == shown
    qtbot.waitUntil(lambda: not panel.animating, timeout=panel.build_ms + WAIT_MS)
    assert panel.elapsed_ms == panel.build_ms
    assert panel.shown_numbers() == final_numbers


def test_deactivate_stops_the_timer_and_replay_restarts(qtbot, stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    index, _ = first_of(stage, bundled_deck, FiguresPanel)
    panel = stage.show_panel(index, animate=False)
    qtbot.waitUntil(lambda: panel.elapsed_ms > 0, timeout=WAIT_MS)  # its timer runs
    panel.deactivate()
    assert not panel.animating
    frozen = panel.elapsed_ms
    qtbot.wait(100)  # events flow; a timer left running would move the clock
    assert panel.elapsed_ms == frozen
    panel.activate()
    assert panel.animating and panel.elapsed_ms == 0
    panel.deactivate()


def test_columns_reveal_in_sequence(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    index, panel = first_of(stage, bundled_deck, ColumnsPanel)
    panel = stage.show_panel(index, animate=False)
    panel.deactivate()
    seen = []
    for t in range(0, int(panel.build_ms) + 1, 100):
        panel.apply(t)
        seen.append(panel.revealed_columns())
    assert seen[0] == 0
    assert seen == sorted(seen)
    assert seen[-1] == len(panel.model.columns)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_no_text_clips_in_any_panel(stage_for, bundled_deck, language, size) -> None:
    stage = stage_for(bundled_deck, language, size)
    clipped = []
    for i, model in enumerate(bundled_deck.panels):
        panel = stage.show_panel(i, animate=False)
        panel.finish()
        clipped += [f"{model.id}: {b.text[:40]!r}" for b in panel.text_boxes() if b.elided or b.overflow]
        panel.deactivate()
    assert clipped == []
