"""Accessibility modes: every panel without clipping, reduced motion without animation,
high-contrast ratios, reach bar, access card and accessible names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractAnimation, QTimer

from szkiosk.content.legibility import contrast_ratio
from szkiosk.content.schema import Theme
from szkiosk.kit.access import REDUCED_FADE_MS, TOGGLES, AccessMode, is_on
from szkiosk.panels.chain import ChainPanel
from szkiosk.panels.figures import FiguresPanel

LARGE = AccessMode(text_scale=1.4)
ALL = AccessMode(reduced_motion=True, high_contrast=True, text_scale=1.4, reach=True)
SIZES = [(1920, 1080), (1080, 1920)]


def clipped(panel) -> list[str]:
    """Text cut short or wider than its box."""
    return [box.text[:40] for box in panel.text_boxes() if box.elided or box.overflow]


def size_of(box) -> float:
    """Font size a text item is drawn at."""
    return box.px


@pytest.mark.parametrize("mode", [LARGE, ALL], ids=["large-text", "all-modes"])
@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_panel_fits_in_each_mode(stage_for, bundled_deck, mode, size, language) -> None:
    stage = stage_for(bundled_deck, language, size)
    stage.set_access(mode)
    problems = {}
    for i, model in enumerate(bundled_deck.panels):
        panel = stage.show_panel(i, animate=False)
        panel.finish()
        if clipped(panel):
            problems[model.id] = clipped(panel)
    assert not problems, problems


@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
def test_reach_bar_covers_no_panel_text(stage_for, bundled_deck, size) -> None:
    stage = stage_for(bundled_deck, "en", size)
    stage.set_access(AccessMode(reach=True))
    for i, model in enumerate(bundled_deck.panels):
        panel = stage.show_panel(i, animate=False)
        panel.finish()
        bar = stage.reach_bar
        if bar is None or not bar.isVisible():
            continue
        area = bar.sceneBoundingRect()
        for box in panel.text_boxes():
            if box.text.strip() and box.effectiveOpacity() > 0.01:
                hit = area.intersected(box.mapToScene(box.text_rect()).boundingRect())
                assert hit.width() <= 4 or hit.height() <= 4, (model.id, box.text[:30])


def test_large_text_makes_text_larger(stage_for, bundled_deck) -> None:
    plain = stage_for(bundled_deck)
    large = stage_for(bundled_deck)
    large.set_access(LARGE)
    totals = []
    for stage in (plain, large):
        total = 0
        for i in range(len(bundled_deck.panels)):
            panel = stage.show_panel(i, animate=False)
            panel.finish()
            total += sum(size_of(box) for box in panel.text_boxes())
        totals.append(total)
    assert totals[1] >= totals[0] * 1.15, "text is larger on average"


def _running(panel) -> list[object]:
    timers = [t for t in panel.findChildren(QTimer) if t.isActive()]
    anims = [a for a in panel.findChildren(QAbstractAnimation)
             if a.state() == QAbstractAnimation.State.Running]
    return timers + anims


def test_reduced_motion_shows_final_state_with_only_a_short_fade(stage_for, bundled_deck, qtbot) -> None:
    stage = stage_for(bundled_deck)
    stage.set_access(AccessMode(reduced_motion=True))
    for i in range(len(bundled_deck.panels)):
        panel = stage.show_panel(i, animate=False)
        assert not panel.animating, "no build timer in reduced motion"
        running = _running(panel)
        assert all(isinstance(a, QAbstractAnimation) and a.duration() <= 300 for a in running)
        assert panel.elapsed_ms == panel.build_ms or panel.build_ms == 0
    qtbot.waitUntil(lambda: not _running(stage.current), timeout=REDUCED_FADE_MS + 1000)
    assert stage.current.opacity() == 1.0
    assert not stage.transitioning


def test_reduced_motion_count_ups_show_final_numbers(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    stage.set_access(AccessMode(reduced_motion=True))
    panel = stage.show_panel(bundled_deck.index_of("innovation-figures"), animate=False)
    assert isinstance(panel, FiguresPanel)
    final = [c.number.text for c in panel.cards]
    assert "5.49" in final[0]
    chain = stage.show_panel(bundled_deck.index_of("innovation-chain"))
    assert isinstance(chain, ChainPanel)
    assert chain.pulse_positions() == [], "no particles in reduced motion"
    assert not stage.transitioning, "no slide between panels in reduced motion"
    stage.stop()


def test_high_contrast_text_reaches_7_to_1() -> None:
    theme = AccessMode(high_contrast=True).theme(Theme())
    assert theme.background == "#000000" and theme.text == "#FFFFFF"
    for ground in (theme.background, theme.surface):
        for name in ("text", "muted", "accent", "data"):
            assert contrast_ratio(getattr(theme, name), ground) >= 7.0, (name, ground)
        for colour in theme.palette:
            assert contrast_ratio(colour, ground) >= 7.0, (colour, ground)


def test_high_contrast_chart_highlight_has_a_pattern(stage_for, bundled_deck) -> None:
    from PySide6.QtCore import Qt

    stage = stage_for(bundled_deck)
    stage.set_access(AccessMode(high_contrast=True))
    import pyqtgraph as pg

    bars = []
    for i in range(len(bundled_deck.panels)):
        stage.show_panel(i, animate=False).finish()
        bars += [item for item in stage.scene().items() if isinstance(item, pg.BarGraphItem) and item.isVisible()]
    assert bars, "the deck draws bar charts"
    styles = {b.style() for bar in bars for b in bar.opts["brushes"]}
    assert Qt.BrushStyle.BDiagPattern in styles


def test_default_mode_is_unchanged() -> None:
    mode = AccessMode()
    assert not mode.active
    assert mode.theme(Theme()) == Theme()


def test_toggles_flip_one_mode() -> None:
    mode = AccessMode()
    for name in TOGGLES:
        assert is_on(mode.toggled(name), name)
        assert not is_on(mode.toggled(name).toggled(name), name)


def test_reach_bar_repeats_high_controls_low(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck)
    stage.set_access(AccessMode(reach=True, reach_zone=0.4))
    limit = 1080 * 0.6
    chain = stage.show_panel(bundled_deck.index_of("innovation-chain"), animate=False)
    assert isinstance(chain, ChainPanel)
    high = [tap for tap in chain.stage_taps if tap.sceneBoundingRect().top() < limit]
    if high:  # stages out of reach are repeated in the bar (over its pages), each one
        bar = stage.reach_bar
        repeated: list[str] = []
        for _ in range(4):
            repeated += [b.label.text for b in bar.buttons] if bar.isVisible() else []
            bar.next_page()
        labels = [stage_model.label.get("en") for stage_model in chain.model.stages]
        assert all(label in repeated for label in labels), (repeated, labels)
    else:
        assert not stage.reach_bar.isVisible(), "nothing to repeat"
    panel = stage.show_panel(bundled_deck.index_of("four-chains"), animate=False)
    bar = stage.reach_bar
    assert bar is not None and bar.isVisible()
    labels = [b.label.text for b in bar.buttons]
    assert "Industry chain" in labels
    for button in bar.buttons:
        assert button.sceneBoundingRect().top() >= limit
        assert button.rect.height() >= 64
    for item in stage.chrome.childItems():
        if item is not stage.chrome.source_box and item.isVisible():
            assert item.sceneBoundingRect().top() >= limit
    bar.buttons[labels.index("Industry chain")]._on_tap()
    assert panel.selected == 0


def test_access_button_opens_toggles_that_switch_modes(window, qtbot) -> None:
    win = window()
    stage = win.stage
    button = stage.chrome.access_button
    assert button is not None and button.rect.height() >= 64
    button._on_tap()
    card = stage.access_card
    assert card is not None
    for pill in card.rows.values():
        assert pill.rect.height() >= 64
        assert pill.sceneBoundingRect().top() >= 1080 * 0.5
    card.rows["high_contrast"]._on_tap()
    assert stage.access.high_contrast
    assert stage.theme.colour("background").name() == "#000000"
    assert stage.access_card is not None, "the card stays open after a toggle"
    stage.access_card.rows["reduced_motion"]._on_tap()
    win.presentation.next()
    assert not stage.current.animating
    qtbot.wait(REDUCED_FADE_MS + 100)


def test_accessible_names_and_descriptions(window, bundled_deck) -> None:
    win = window()
    assert win.accessibleName()
    assert win.accessibleDescription()
    assert win.stage.accessibleName()
    assert "Shenzhen" in win.stage.accessibleDescription()
    win.presentation.goto("sister-cities")
    text = win.stage.accessibleDescription()
    assert "Houston" in text and "90" in text
    win.presentation.goto("innovation-figures")
    assert "2022: 5.81" in win.stage.accessibleDescription()
