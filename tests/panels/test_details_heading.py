"""The detail layer's heading: beside the buttons it leaves room for the page button only when
there is more than one page, so a title that fits beside the close button stays on one line."""

from __future__ import annotations

import panel_helpers
import pytest
from PySide6.QtCore import QRectF

from szkiosk.kit.text import TextItem
from szkiosk.panels.details import DetailsLayer


def layer_of(panel) -> DetailsLayer:
    panel.open_details()
    layer = panel._details
    assert isinstance(layer, DetailsLayer)
    return layer


def heading(layer: DetailsLayer) -> TextItem:
    found = [i for i in layer.childItems() if isinstance(i, TextItem) and getattr(i, "field", None) == "details"]
    assert len(found) == 1
    return found[0]


def ink(item: TextItem) -> QRectF:
    """The heading's drawn lines, in the layer's coordinates."""
    box = QRectF()
    for rect in item.line_rects():
        box = box.united(item.mapRectToParent(rect))
    return box


def test_a_one_page_heading_that_fits_beside_the_close_button_is_one_line(stage_for, bundled_deck) -> None:
    # "五大行动、五力、五地：详情" in portrait: it broke after "五力、" when room was kept for
    # a page button the one-page layer never shows
    panel = panel_helpers.show(stage_for, bundled_deck, "five-actions", "zh", (1080, 1920))
    layer = layer_of(panel)
    assert len(layer.pages) == 1 and layer.page_button is None
    title = heading(layer)
    assert len(title.lines) == 1, title.lines
    assert "".join(title.lines) == "五大行动、五力、五地：详情"
    assert ink(title).right() < layer.close_button.mapRectToParent(layer.close_button.rect).left()


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_heading_never_runs_under_a_button(stage_for, bundled_deck, language, size) -> None:
    for model in bundled_deck.panels:
        if not getattr(model, "details", None):
            continue
        panel = panel_helpers.show(stage_for, bundled_deck, model.id, language, size, 1.4)
        layer = layer_of(panel)
        title = heading(layer)
        buttons = [b for b in (layer.close_button, layer.page_button) if b is not None]
        for button in buttons:
            assert not ink(title).intersects(button.mapRectToParent(button.rect)), (model.id, title.lines)
        assert (layer.page_button is not None) == (len(layer.pages) > 1)
        panel.close_details()


def test_a_heading_squeezed_into_a_narrow_column_beside_the_buttons_goes_above_them(stage_for, bundled_deck) -> None:
    # "A whole-process innovation chain: more" beside "1 / 2 ›" and "Close ×" in portrait at
    # text scale 1.4 took four lines of one or two words; above the buttons it takes two
    panel = panel_helpers.show(stage_for, bundled_deck, "innovation-chain", "en", (1080, 1920), 1.4)
    layer = layer_of(panel)
    assert layer.page_button is not None
    title = heading(layer)
    assert len(title.lines) <= 2, title.lines
    assert " ".join(title.lines).replace("- ", "-") == "A whole-process innovation chain: more"
    for button in (layer.close_button, layer.page_button):
        assert ink(title).bottom() <= button.mapRectToParent(button.rect).top()
