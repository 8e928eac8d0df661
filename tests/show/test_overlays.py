"""Overlays over the stage, drawn: the help card from the keymap, the G prompt, the overview grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from szkiosk.catalogue import ui_text
from szkiosk.content import load_deck
from szkiosk.keymap import ACTIONS, help_rows
from szkiosk.kit.items import Pill
from szkiosk.kit.text import TextItem
from szkiosk.show.overview import Overview

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "launch"


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)[:, :, :3].astype(int)


def texts(item) -> list[TextItem]:
    """Every text item drawn under ``item``."""
    found, stack = [], list(item.childItems())
    while stack:
        child = stack.pop()
        if isinstance(child, TextItem) and child.isVisible():
            found.append(child)
        stack.extend(child.childItems())
    return found


@pytest.mark.parametrize("language", ["en", "zh"])
def test_help_card_lists_the_keymap_in_the_current_language(qtbot, window, language: str) -> None:
    win = window(language=language)
    qtbot.keyClick(win, Qt.Key.Key_Question)
    card = win.overlay
    assert card.objectName() == "help"
    drawn = [(keys.item.text, words.item.text) for keys, words in card.rows]
    assert drawn == help_rows(language)
    shown = {box.text for box in texts(card)}
    assert ui_text("keys.title", language) in shown
    listed = [a for a in ACTIONS if a.listed and a.mode == "show" and a.keys]
    assert {a.words(language) for a in listed} <= shown
    assert [box.text for box in texts(card) if (box.elided or box.overflow)] == []


def test_chinese_help_says_g_jumps_by_panel_id(qtbot, window) -> None:
    win = window(language="zh")
    qtbot.keyClick(win, Qt.Key.Key_Question)
    rows = dict((keys.item.text, words.item.text) for keys, words in win.overlay.rows)
    assert "ID" in rows["G + 字母"] and "编号" not in rows["G + 字母"]


def test_help_card_in_kiosk_mode_leaves_out_what_a_booth_ignores(qtbot, window) -> None:
    win = window(kiosk=True)
    qtbot.keyClick(win, Qt.Key.Key_Question)
    shown = {box.text for box in texts(win.overlay)}
    assert ui_text("keys.next", "en") in shown
    assert ui_text("keys.quit", "en") not in shown and ui_text("keys.overview", "en") not in shown
    win.force_close()


@pytest.mark.parametrize("language", ["zh", "es"])
@pytest.mark.parametrize("scale", [1.0, 1.4], ids=["text", "large-text"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_help_card_fits_the_stage_without_overlap(qtbot, window, size, scale: float, language: str) -> None:
    from szkiosk.kit.access import AccessMode

    win = window(load_deck(EXAMPLE), language=language)
    win.stage.set_access(AccessMode(text_scale=scale))
    win.resize(*size)
    qtbot.waitUntil(lambda: win.stage.width() == size[0], timeout=2000)
    win.toggle_overlay("help")
    card = win.overlay
    stage = win.stage.scene().sceneRect()
    boxes = [box.mapToScene(box.text_rect()).boundingRect() for box in texts(card)]
    assert all(stage.contains(b) for b in boxes)
    assert [box.text for box in texts(card) if (box.elided or box.overflow)] == []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a.intersected(b)
            assert overlap.width() <= 1 or overlap.height() <= 1


def test_goto_prompt_words_come_from_the_catalogue(qtbot, window) -> None:
    win = window(language="zh")
    qtbot.keyClick(win, Qt.Key.Key_G)
    qtbot.keyClicks(win, "ti")
    assert win.overlay.query.text.startswith(ui_text("keys.goto_prompt", "zh") + " ti")
    qtbot.keyClick(win, Qt.Key.Key_Escape)


def test_overview_is_opaque(qtbot, window) -> None:
    """Nothing of the panel under the grid shows between or around the thumbnails."""
    win = window()
    win.stage.current.finish()
    under = pixels(win.stage.render_image())
    qtbot.keyClick(win, Qt.Key.Key_O)
    overview = win.overlay
    assert isinstance(overview, Overview)
    drawn = pixels(win.stage.render_image())
    free = np.ones(drawn.shape[:2], bool)  # the grid's own background: not a thumbnail, caption or frame
    for child in overview.childItems():
        rect = child.sceneBoundingRect().toAlignedRect().adjusted(-2, -2, 2, 2)
        free[max(0, rect.top()):rect.bottom() + 1, max(0, rect.left()):rect.right() + 1] = False
    colour = win.stage.theme.colour("background")
    background = np.array([colour.blue(), colour.green(), colour.red()])  # Format_RGB32 is BGRA in memory
    assert free.mean() > 0.1
    assert (np.abs(under[free] - background).max(axis=1) > 40).sum() > 1000  # the panel has content there
    assert np.abs(drawn[free] - background).max() <= 1


def test_overview_keeps_taps_from_what_it_covers(qtbot, window) -> None:
    """A tap beside the thumbnails reaches neither the panel nor the footer under the grid."""
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_O)
    overview = win.overlay
    forward = next(p for p in win.stage.chrome.childItems() if isinstance(p, Pill) and p.label.text == "›")
    point = forward.sceneBoundingRect().center()
    assert not any(child.sceneBoundingRect().contains(point) for child in overview.childItems())
    qtbot.mouseClick(win.stage.viewport(), Qt.MouseButton.LeftButton, pos=win.stage.mapFromScene(point))
    assert win.presentation.index == 0
    assert win.overlay is overview
