"""The show window driven as a visitor or presenter would: keys, swipes, taps, language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from szkiosk.content import load_deck
from szkiosk.kit.text import TextItem


def visible_text(win) -> str:
    return " ".join(b.text for b in win.stage.current.text_boxes())


def press(qtbot, win, key: Qt.Key, text: str = "") -> None:
    qtbot.keyClick(win, key)


def test_keys_move_between_panels(qtbot, window) -> None:
    win = window()
    n = win.presentation.count
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown):
        before = win.presentation.index
        qtbot.keyClick(win, key)
        assert win.presentation.index == min(before + 1, n - 1)
    assert win.stage.index == win.presentation.index
    qtbot.keyClick(win, Qt.Key.Key_Left)
    qtbot.keyClick(win, Qt.Key.Key_PageUp)
    assert win.presentation.index == 1
    qtbot.keyClick(win, Qt.Key.Key_End)
    assert win.stage.index == n - 1
    qtbot.keyClick(win, Qt.Key.Key_Home)
    assert win.stage.index == 0


def test_digits_and_enter_jump(qtbot, window) -> None:
    win = window()
    qtbot.keyClicks(win, "3")
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert win.stage.index == 2
    qtbot.keyClicks(win, "99")
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert win.stage.index == 2


def test_slide_transition_runs_then_settles(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.stage.transitioning
    new = win.stage.current
    # the panels do not change while they move: images of them (drawn just before the first
    # frame) slide, and the new panel builds once it has arrived
    assert win.stage.transition_images() == []
    qtbot.waitUntil(lambda: len(win.stage.transition_images()) == 2, timeout=1000)
    arriving, leaving = win.stage.transition_images()
    assert arriving.x() > 0 and leaving.x() == 0
    assert not new.isVisible() and new.animating and new.elapsed_ms == 0
    qtbot.waitUntil(lambda: leaving.x() < 0, timeout=3000)
    qtbot.waitUntil(lambda: not win.stage.transitioning, timeout=3000)
    assert new.pos() == QPointF(0, 0) and new.isVisible()
    assert win.stage.transition_images() == [] and arriving.scene() is None
    qtbot.waitUntil(lambda: new.elapsed_ms > 0, timeout=3000)
    old = win.stage.panel(0)
    assert not old.isVisible() and not old.animating


def drag(qtbot, win, start: QPoint, end: QPoint) -> None:
    viewport = win.stage.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    move = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(end), QPointF(viewport.mapToGlobal(end)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_swipe_left_and_right(qtbot, window) -> None:
    win = window()
    drag(qtbot, win, QPoint(1400, 500), QPoint(600, 520))
    assert win.presentation.index == 1
    drag(qtbot, win, QPoint(500, 500), QPoint(1300, 480))
    assert win.presentation.index == 0
    drag(qtbot, win, QPoint(900, 200), QPoint(950, 800))  # mostly vertical: no swipe
    assert win.presentation.index == 0


def scene_click(qtbot, win, scene_point: QPointF) -> None:
    pos = win.stage.mapFromScene(scene_point)
    qtbot.mouseClick(win.stage.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_nav_dots_and_arrows_are_tappable(qtbot, window) -> None:
    win = window()
    last_dot = win.stage.chrome.dots[-1]
    scene_click(qtbot, win, last_dot.sceneBoundingRect().center())
    assert win.presentation.at_last
    first_dot = win.stage.chrome.dots[0]
    scene_click(qtbot, win, first_dot.sceneBoundingRect().center())
    assert win.presentation.index == 0


def test_language_toggle_changes_visible_text(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    english = visible_text(win)
    button = win.stage.chrome.language_button
    assert button.label.text == "中文"
    scene_click(qtbot, win, button.sceneBoundingRect().center())
    assert win.presentation.language == "zh"
    chinese = visible_text(win)
    assert chinese != english
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert win.stage.chrome.language_button.label.text == "English"
    qtbot.keyClick(win, Qt.Key.Key_L)
    assert visible_text(win) == english


def test_quit_keys_close_outside_kiosk(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_Q)
    assert not win.isVisible()


def test_kiosk_mode_ignores_exit_keys_and_close(qtbot, window) -> None:
    win = window(kiosk=True)
    qtbot.keyClick(win, Qt.Key.Key_Q)
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    win.close()
    assert win.isVisible()
    qtbot.keyClick(win, Qt.Key.Key_End)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.presentation.index == 0  # booth decks wrap around
    win.force_close()
    assert not win.isVisible()


def test_broken_panel_shows_fallback_and_show_goes_on(qtbot, window, deck_copy: Path) -> None:
    panel_file = deck_copy / "panels" / "innovation-figures.yaml"
    panel_file.write_text(panel_file.read_text().replace("type: figures", "type: no-such-type"))
    deck = load_deck(deck_copy)
    assert not deck.ok
    broken = deck.index_of("innovation-figures")
    win = window(deck, start=str(broken))
    qtbot.keyClick(win, Qt.Key.Key_Right)
    from szkiosk.panels.fallback import FallbackPanel

    assert win.stage.index == broken
    assert isinstance(win.stage.current, FallbackPanel)
    assert "being updated" in visible_text(win)
    assert "no-such-type" not in visible_text(win)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.stage.index == broken + 1
    assert not isinstance(win.stage.current, FallbackPanel)


def test_panel_that_raises_while_building_falls_back(qtbot, window, monkeypatch) -> None:
    from szkiosk.panels.columns import ColumnsPanel
    from szkiosk.panels.fallback import FallbackPanel

    def explode(self, rect):
        raise RuntimeError("boom")

    monkeypatch.setattr(ColumnsPanel, "build_body", explode)
    win = window()
    index = next(i for i, p in enumerate(win.deck.panels) if p.type == "columns")
    win.presentation.goto(index + 1)
    assert isinstance(win.stage.current, FallbackPanel)
    qtbot.keyClick(win, Qt.Key.Key_Home)
    assert win.stage.index == 0


@pytest.mark.parametrize("size", [(1280, 720), (1080, 1920), (1000, 1000)])
def test_stage_scales_to_fit_without_clipping(qtbot, window, size) -> None:
    win = window()
    win.resize(*size)
    qtbot.waitUntil(lambda: win.stage.width() == size[0] and win.stage.height() == size[1], timeout=2000)
    rect = win.stage.stage_rect_in_view()
    assert rect.left() >= -1 and rect.top() >= -1
    assert rect.right() <= size[0] + 1 and rect.bottom() <= size[1] + 1
    # fills one dimension (letterboxed in the other)
    assert rect.width() >= size[0] - 2 or rect.height() >= size[1] - 2
    portrait = size[1] > size[0]
    assert (win.stage.logical.height() > win.stage.logical.width()) == portrait
    win.stage.current.finish()
    assert [b.text for b in win.stage.current.text_boxes() if b.elided or b.overflow] == []


def test_blackout_and_help_overlays(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_B)
    assert win.overlay is not None and win.overlay.objectName() == "black"
    image = win.stage.render_image()
    assert image.pixelColor(960, 540).name() == "#000000"
    qtbot.keyClick(win, Qt.Key.Key_B)
    assert win.overlay is None
    qtbot.keyClick(win, Qt.Key.Key_W)
    assert win.stage.render_image().pixelColor(10, 10).name() == "#ffffff"
    qtbot.keyClick(win, Qt.Key.Key_Question)
    assert win.overlay.objectName() == "help"
    texts = [b.text for b in win.overlay.childItems() if hasattr(b, "text")]
    assert "Keys" in texts
    qtbot.keyClick(win, Qt.Key.Key_Escape)  # closes the overlay, does not quit
    assert win.overlay is None and win.isVisible()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.presentation.index == 1


def test_window_forwards_keys_to_the_map_first(qtbot, window) -> None:
    win = window()
    win.presentation.goto("sister-cities")
    panel = win.stage.current
    qtbot.keyClick(win, Qt.Key.Key_Tab)  # the map takes focus instead of the window
    qtbot.keyClick(win, Qt.Key.Key_Right)  # moves between partners, not panels
    assert win.stage.current is panel
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert win.isVisible()


def _pixels(image):
    import numpy as np
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)[:, :, :3].astype(int)


def test_fast_clicking_draws_no_transition_images(qtbot, window) -> None:
    """Transitions cut short before their first frame never draw their panels' images."""
    win = window()
    for _ in range(4):
        qtbot.keyClick(win, Qt.Key.Key_Right)
        assert win.stage.transition_images() == []
    assert win.presentation.index == 4
    qtbot.waitUntil(lambda: len(win.stage.transition_images()) == 2, timeout=1000)
    qtbot.waitUntil(lambda: not win.stage.transitioning, timeout=3000)
    assert win.stage.transition_images() == [] and win.stage.current.isVisible()


@pytest.mark.parametrize("start", ["4", "11"])
def test_transition_images_match_the_live_panels(qtbot, window, start: str) -> None:
    """The images that slide are the panels as drawn live: the leaving one as it was, the
    arriving one as it is when its build starts (compared above the footer chrome)."""
    win = window(start=start)
    stage = win.stage
    stage.current.finish()
    before = stage.viewport().grab().toImage()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: len(stage.transition_images()) == 2, timeout=1000)
    arriving, leaving = stage.transition_images()
    stage._stop_transition()  # land at once
    stage.current.deactivate()
    stage.current.apply(0.0)
    after = stage.viewport().grab().toImage()
    body = slice(0, 880)
    for image, live in ((leaving.pixmap.toImage(), before), (arriving.pixmap.toImage(), after)):
        assert image.size() == live.size()
        diff = abs(_pixels(image)[body] - _pixels(live)[body]).max(axis=2)
        assert diff.mean() < 0.5 and (diff > 24).mean() < 0.001


def test_landing_swaps_image_for_panel_without_stale_pixels(qtbot, window) -> None:
    """At the end of a slide the live panel replaces its image without a repaint: what the
    window shows (its backing store) must then still equal the live panel drawn afresh."""
    win = window(start="4")
    stage = win.stage
    stage.current.finish()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: len(stage.transition_images()) == 2, timeout=1000)
    slide = stage._transition  # driven by hand: the last frame on screen is mid-way
    slide.pause()
    slide.setCurrentTime(slide.totalDuration() // 4)
    QApplication.processEvents()
    live_paints = []

    class Paints(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint and stage.current.isVisible():
                live_paints.append(event.type())
            return False

    counter = Paints()
    stage.viewport().installEventFilter(counter)
    slide.setCurrentTime(slide.totalDuration())  # lands
    assert not stage.transitioning
    stage.current.deactivate()  # hold the build where it landed
    assert stage.transition_images() == [] and stage.current.isVisible()
    QApplication.processEvents()
    stage.viewport().removeEventFilter(counter)
    assert live_paints == []  # the image at rest is drawn; swapping it for the panel repaints nothing
    shown = win.screen().grabWindow(win.winId()).toImage()
    fresh = win.grab().toImage()
    assert shown.size() == fresh.size()
    diff = abs(_pixels(shown) - _pixels(fresh)).max(axis=2)
    assert diff.mean() < 0.5 and (diff > 24).mean() < 0.001


# -- the keymap drives the keys ----------------------------------------------------
def test_every_key_in_the_keymap_is_a_qt_key() -> None:
    from szkiosk.keymap import ACTIONS
    from szkiosk.show.window import key_name

    for action in ACTIONS:
        for key in action.keys:
            assert key_name(getattr(Qt.Key, f"Key_{key}")) == key, (action.name, key)


def test_every_show_action_with_keys_has_a_handler(qtbot, window) -> None:
    from szkiosk.keymap import ACTIONS

    win = window()
    keyed = {a.name for a in ACTIONS if a.keys and a.mode in ("show", "digits")}
    assert keyed == set(win._handlers("1"))


def test_over_an_overlay_esc_and_q_only_close_it(qtbot, window) -> None:
    win = window()
    qtbot.keyClick(win, Qt.Key.Key_Question)
    qtbot.keyClick(win, Qt.Key.Key_Q)
    assert win.overlay is None and win.isVisible()
    qtbot.keyClick(win, Qt.Key.Key_Question)
    qtbot.keyClick(win, Qt.Key.Key_B)  # an overlay key switches overlays
    assert win.overlay.objectName() == "black"
    qtbot.keyClick(win, Qt.Key.Key_Right)  # any other key closes it and does its own job
    assert win.overlay is None and win.presentation.index == 1


def test_esc_forgets_typed_digits_before_it_opens_the_overview(qtbot, window) -> None:
    win = window()
    qtbot.keyClicks(win, "3")
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert win.overlay is None
    qtbot.keyClick(win, Qt.Key.Key_Return)
    assert win.presentation.index == 0
    qtbot.keyClicks(win, "2")
    qtbot.keyClick(win, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert win.presentation.index == 1


def test_kiosk_ignores_keys_that_leave_the_show(qtbot, window) -> None:
    win = window(kiosk=True)
    for key in (Qt.Key.Key_G, Qt.Key.Key_O, Qt.Key.Key_F, Qt.Key.Key_Escape, Qt.Key.Key_Q):
        qtbot.keyClick(win, key)
        assert win.overlay is None and win.isVisible(), key
    assert not win.isFullScreen()
    qtbot.keyClick(win, Qt.Key.Key_Right)  # what a booth allows still works
    assert win.presentation.index == 1
    win.force_close()


# -- more than two languages -------------------------------------------------------
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "launch"


def drawn_texts(win) -> list[str]:
    """The text items the stage draws now (panel, footer, overlays), not the model's words."""
    return [item.text for item in win.stage.scene().items()
            if isinstance(item, TextItem) and item.isVisible() and item.effectiveOpacity() > 0.01
            and item.text]


def test_language_button_steps_through_three_languages(qtbot, window) -> None:
    from szkiosk.catalogue import language_name, ui_text

    deck = load_deck(EXAMPLE)
    assert deck.model.languages == ["en", "zh", "es"]
    numbers = deck.index_of("numbers")
    win = window(deck, start=str(numbers + 1))
    model = deck.panels[numbers]
    seen = []
    for language, following in (("en", "zh"), ("zh", "es"), ("es", "en"), ("en", "zh")):
        win.stage.current.finish()
        texts = drawn_texts(win)
        assert win.presentation.language == language
        assert model.title.get(language) in texts
        assert model.figures[1].label.get(language) in texts
        assert win.stage.chrome.language_button.label.text == language_name(following)
        assert language_name(following) in texts
        source_label = ui_text("footer.source", language, sources="")
        assert any(t.startswith(source_label) for t in texts), (language, source_label)
        seen.append(language)
        button = win.stage.chrome.language_button
        scene_click(qtbot, win, button.sceneBoundingRect().center())
    assert seen == ["en", "zh", "es", "en"]
    assert win.presentation.language == "zh"
    qtbot.keyClick(win, Qt.Key.Key_L)  # L steps the same way
    assert win.presentation.language == "es"
    qtbot.keyClick(win, Qt.Key.Key_Question)
    assert "Teclas" in drawn_texts(win) and "panel siguiente" in drawn_texts(win)


def french_deck(tmp_path: Path) -> Path:
    """The example deck with a language the catalogue lacks: its Spanish text relabelled ``fr``."""
    import shutil

    target = tmp_path / "fr"
    shutil.copytree(EXAMPLE, target)
    for path in target.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace(", es: ", ", fr: ").replace("\n  es: ", "\n  fr: ")
        path.write_text(text.replace("languages: [en, zh, es]", "languages: [en, fr]"), encoding="utf-8")
    return target


def test_a_language_the_catalogue_lacks_shows_english_ui_words(qtbot, window, tmp_path: Path) -> None:
    deck = load_deck(french_deck(tmp_path))
    assert deck.ok, deck.errors
    numbers = deck.index_of("numbers")
    win = window(deck, language="fr", start=str(numbers + 1))
    win.stage.current.finish()
    texts = drawn_texts(win)
    assert deck.panels[numbers].title.get("fr") in texts  # the deck's own words in French
    assert any(t.startswith("Source: ") for t in texts)  # the app's words in English
    assert win.stage.chrome.language_button.label.text == "English"
    qtbot.keyClick(win, Qt.Key.Key_Question)
    assert "Keys" in drawn_texts(win) and "next panel" in drawn_texts(win)
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.keyClick(win, Qt.Key.Key_L)
    assert win.presentation.language == "en"
    assert win.stage.chrome.language_button.label.text == "fr"  # no name in the catalogue: its code
