"""Images for the next transitions, prepared in idle time once the current panel has settled.

A slide starts from images of the two panels; drawing them when the key is pressed cost the
first frame 22-42 ms at 1080p (110-190 ms at 4K). The stage draws them beforehand, in small
slices of idle time, and must drop them whenever they could be stale.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from szkiosk.show.stage import PREPARE_AFTER_MS


def _pixels(image: QImage):
    import numpy as np

    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)[:, :, :3].astype(int)


def _same(a: QImage, b: QImage) -> bool:
    """Equal within the tolerance the window tests use for images of live panels."""
    assert a.size() == b.size()
    diff = abs(_pixels(a) - _pixels(b)).max(axis=2)
    return bool(diff.mean() < 0.5 and (diff > 24).mean() < 0.001)


def settled(win, start: int, qtbot) -> dict:
    """Let the window's current panel finish and idle time pass; the prepared images."""
    stage = win.stage
    stage.current.finish()
    want = {(start - 1, "start"), (start + 1, "start"), (start, "rest")}
    qtbot.waitUntil(lambda: want <= set(stage.prepared_images()) and not stage.preparing, timeout=20000)
    return stage.prepared_images()


def test_neighbour_images_exist_once_the_panel_has_settled(qtbot, window) -> None:
    win = window(start="5")  # index 4
    stage = win.stage
    assert stage.prepared_images() == {}  # nothing before the panel has settled and idled
    images = settled(win, 4, qtbot)
    assert set(images) == {(3, "start"), (5, "start"), (4, "rest")}
    for image in images.values():
        assert image.size() == stage.viewport().size()  # the stage fills the 16:9 window
    # the neighbours were built (off screen) and hold at their build's start, as a slide shows them
    assert stage.panel(5).elapsed_ms == 0 and not stage.panel(5).isVisible()


def test_a_transition_from_prepared_images_draws_what_a_cold_one_draws(qtbot, window) -> None:
    warm, cold = window(start="5"), window(start="5")
    cold.stage.enable_preparation(False)
    prepared = settled(warm, 4, qtbot)
    cold.stage.current.finish()
    QApplication.processEvents()
    frames = []
    for win in (warm, cold):
        qtbot.keyClick(win, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda win=win: len(win.stage.transition_images()) == 2, timeout=1000)
        slide = win.stage._transition  # hold the slide a third of the way
        slide.pause()
        slide.setCurrentTime(slide.totalDuration() // 3)
        QApplication.processEvents()
        frames.append((win.stage.transition_images(), win.stage.viewport().grab().toImage()))
    (warm_images, warm_frame), (cold_images, cold_frame) = frames
    # the warm slide used the prepared images, not new drawings
    assert warm_images[0].pixmap.cacheKey() == prepared[(5, "start")].cacheKey()
    assert warm_images[1].pixmap.cacheKey() == prepared[(4, "rest")].cacheKey()
    for a, b in zip(warm_images, cold_images, strict=True):
        assert _same(a.pixmap.toImage(), b.pixmap.toImage())
    assert _same(warm_frame, cold_frame)


def test_prepared_images_match_the_live_panels(qtbot, window) -> None:
    """Each image is its panel as drawn live: the current one now, a neighbour as its build starts."""
    win = window(start="11")
    stage = win.stage
    images = settled(win, 10, qtbot)
    body = slice(0, 880)  # above the footer chrome, which the images leave out
    live = stage.viewport().grab().toImage()
    assert _same(images[(10, "rest")].toImage().copy(0, 0, 1920, 880), live.copy(0, 0, 1920, 880))
    stage.show_panel(11, animate=False)
    stage.current.deactivate()
    stage.current.apply(0.0)
    live = stage.viewport().grab().toImage()
    image = images[(11, "start")].toImage()
    assert abs(_pixels(image)[body] - _pixels(live)[body]).max(axis=2).mean() < 0.5


def test_never_more_than_two_neighbours(qtbot, window) -> None:
    win = window(start="2")
    stage = win.stage
    counts = []

    def count() -> None:
        kinds = [state for _, state in stage.prepared_images()]
        counts.append((kinds.count("start"), kinds.count("rest")))

    stage._prepare_timer.timeout.connect(count)  # after every slice of idle work
    for index in (1, 2, 3, 2, 7):
        if index != stage.index:
            stage.show_panel(index, 1 if index > stage.index else -1)
            qtbot.waitUntil(lambda: not stage.transitioning, timeout=3000)
        settled(win, index, qtbot)
        count()
    assert counts and max(c[0] for c in counts) <= 2 and max(c[1] for c in counts) <= 1
    assert set(stage.prepared_images()) == {(6, "start"), (8, "start"), (7, "rest")}


def test_language_size_access_and_reload_drop_the_images(qtbot, window, bundled_deck) -> None:
    win = window(start="5")
    stage = win.stage
    settled(win, 4, qtbot)
    first = stage.prepared_images()[(5, "start")]
    win.presentation.toggle_language()
    assert stage.prepared_images() == {}
    images = settled(win, 4, qtbot)
    assert not _same(images[(5, "start")].toImage(), first.toImage())  # drawn in the new language

    win.resize(1280, 720)
    qtbot.waitUntil(lambda: stage.viewport().width() == 1280, timeout=3000)
    assert stage.prepared_images() == {}
    images = settled(win, 4, qtbot)
    assert images[(5, "start")].size() == stage.viewport().size()

    stage.set_access(stage.access.toggled("high_contrast"))
    assert stage.prepared_images() == {}
    settled(win, 4, qtbot)
    stage.replace_deck(bundled_deck)
    assert stage.prepared_images() == {}
    settled(win, 4, qtbot)


def test_reduced_motion_prepares_nothing(qtbot, window) -> None:
    win = window(start="5")
    stage = win.stage
    stage.set_access(stage.access.toggled("reduced_motion"))  # no slides: nothing to prepare
    stage.current.finish()
    qtbot.wait(PREPARE_AFTER_MS * 3)
    qtbot.waitUntil(lambda: not stage.preparing, timeout=5000)
    assert stage.prepared_images() == {}


def test_input_cancels_the_work_and_a_repaint_drops_the_current_image(qtbot, window) -> None:
    win = window(start="5")
    stage = win.stage
    stage.current.finish()
    qtbot.waitUntil(lambda: stage._prepare_job is not None and stage._prepare_job.row > 0, timeout=20000)
    qtbot.mouseMove(stage.viewport(), QPoint(400, 300))  # a visitor touches the screen
    assert stage._prepare_job is None  # the half-drawn image is abandoned at once
    assert stage._prepare_timer.isActive() and stage._prepare_timer.interval() == PREPARE_AFTER_MS
    settled(win, 4, qtbot)
    rest = stage.prepared_images()[(4, "rest")]
    # the panel changes on screen (its build replayed from the start): its image is stale
    stage.current.apply(0.0)
    qtbot.waitUntil(lambda: (4, "rest") not in stage.prepared_images(), timeout=3000)
    assert (5, "start") in stage.prepared_images()  # the neighbours have not changed
    qtbot.waitUntil(lambda: (4, "rest") in stage.prepared_images() and not stage.preparing, timeout=20000)
    again = stage.prepared_images()[(4, "rest")]
    assert again.cacheKey() != rest.cacheKey()
    assert not _same(again.toImage(), rest.toImage())


@pytest.mark.parametrize("kiosk", [False, True])
def test_the_last_panel_prepares_the_first_only_in_kiosk_mode(qtbot, window, kiosk: bool) -> None:
    win = window(kiosk=kiosk)
    stage = win.stage
    last = win.presentation.count - 1
    stage.show_panel(last, animate=False)
    stage.current.finish()
    want = {(last - 1, "start"), (last, "rest")} | ({(0, "start")} if kiosk else set())
    qtbot.waitUntil(lambda: not stage.preparing and set(stage.prepared_images()) == want, timeout=20000)
    assert QPointF(stage.current.pos()) == QPointF(0, 0)


def test_a_hidden_window_does_not_keep_polling(qtbot, window) -> None:
    """Hidden, the stage has nothing to prepare for and keeps no timer; shown again, it prepares."""
    win = window(start="5")  # index 4
    stage = win.stage
    win.hide()
    stage.current.finish()
    qtbot.waitUntil(lambda: not stage.preparing, timeout=5000)
    qtbot.wait(600)  # longer than the settle wait: nothing starts again by itself
    assert not stage.preparing
    win.show()
    qtbot.waitExposed(win)
    assert set(settled(win, 4, qtbot)) == {(3, "start"), (5, "start"), (4, "rest")}


def test_the_garbage_collector_waits_while_a_slide_moves(qtbot, window) -> None:
    """A full collection inside a slide would drop a frame: it is held while the slide moves
    and runs again once it lands (or the stage stops). Automatic collection stays off: the
    GUI thread's collector (szkiosk.show.collector) is in charge."""
    import gc

    from szkiosk.show.collector import installed

    win = window(start="5")
    settled(win, 4, qtbot)
    gui = installed()
    assert gui is not None and not gc.isenabled() and not gui.held()
    win.presentation.next()
    assert win.stage.transitioning and gui.held()
    qtbot.waitUntil(lambda: not win.stage.transitioning, timeout=10_000)
    assert not gui.held()
    win.presentation.next()
    assert gui.held()
    win.stage.stop()  # a window closing mid-slide
    assert not gui.held() and not gc.isenabled()


def test_the_collector_comes_back_even_if_a_slide_never_lands(qtbot, window) -> None:
    """A stage that goes away mid-slide without stop() still gives the collector back."""
    from szkiosk.show.collector import installed

    win = window(start="5")
    settled(win, 4, qtbot)
    win.presentation.next()
    gui = installed()
    assert gui is not None and gui.held()
    win.stage._collector_paused = False  # as if the stage were gone: nobody will resume it
    qtbot.waitUntil(lambda: not gui.held(), timeout=10_000)  # the fallback, a second after the slide's end


def test_the_heap_is_trimmed_once_each_time_all_is_prepared(qtbot, window, monkeypatch) -> None:
    """Building neighbours and drawing their images leaves freed heap behind (about 8 MB at
    1080p); once all is ready the stage gives it back to the system, once, not on every turn."""
    import szkiosk.show.stage as stage_module

    trims: list[int] = []
    real = stage_module.trim_heap
    monkeypatch.setattr(stage_module, "trim_heap", lambda: trims.append(1) or real())
    win = window(start="5")
    settled(win, 4, qtbot)
    qtbot.waitUntil(lambda: len(trims) == 1, timeout=5000)
    qtbot.wait(600)  # idle turns with nothing to prepare: no further trim
    assert len(trims) == 1
    win.presentation.next()
    qtbot.waitUntil(lambda: not win.stage.transitioning, timeout=10_000)
    settled(win, 5, qtbot)
    qtbot.waitUntil(lambda: len(trims) == 2, timeout=5000)
