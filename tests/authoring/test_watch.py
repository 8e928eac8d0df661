"""``--watch``: an edit shows within a second; a broken file shows an author overlay over the
last good render, which goes away when the file is fixed."""

from __future__ import annotations

import time
from pathlib import Path

from szkiosk.authoring.watch import AuthorOverlay, watch_window
from szkiosk.content import load_deck
from szkiosk.show.reload import ContentWatcher


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_edit_shows_within_a_second_then_error_overlay_then_recovery(window, deck_copy, qtbot) -> None:
    win = window(load_deck(deck_copy))
    link = watch_window(win, deck_copy)
    title_file = deck_copy / "panels" / "title.yaml"
    qtbot.wait(50)

    started = time.monotonic()
    _edit(title_file, "Shenzhen High-Quality Development", "Shenzhen, Edited Live")
    qtbot.waitUntil(lambda: win.stage.current.title.text.startswith("Shenzhen, Edited Live"), timeout=1000)
    assert time.monotonic() - started < 1.0

    _edit(title_file, "title:", "titel:")
    qtbot.waitUntil(lambda: link.overlay is not None, timeout=1000)
    overlay = link.overlay
    assert isinstance(overlay, AuthorOverlay)
    assert any("title.yaml:" in e and "titel" in e for e in overlay.errors), overlay.errors
    assert win.stage.current.title.text.startswith("Shenzhen, Edited Live"), "last good render stays"

    _edit(title_file, "titel:", "title:")
    qtbot.waitUntil(lambda: link.overlay is None, timeout=1000)
    assert win.stage.current.title.text.startswith("Shenzhen, Edited Live")
    link.watcher.stop()


def test_watcher_keeps_position_when_panels_change(window, deck_copy, qtbot) -> None:
    win = window(load_deck(deck_copy))
    link = watch_window(win, deck_copy)
    win.presentation.goto("reforms")
    deck_yaml = deck_copy / "deck.yaml"
    count = win.presentation.count
    _edit(deck_yaml, "  - panels/five-actions.yaml\n", "")
    qtbot.waitUntil(lambda: win.presentation.count == count - 1, timeout=1000)
    assert link.overlay is None
    assert win.presentation.current_id == "reforms"
    assert win.stage.current.model.id == "reforms"
    assert "five-actions" not in win.presentation.ids
    link.watcher.stop()


def test_content_watcher_reports_yaml_syntax_errors(deck_copy, qtbot) -> None:
    watcher = ContentWatcher(deck_copy)
    (deck_copy / "panels" / "reforms.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with qtbot.waitSignal(watcher.failed, timeout=1000) as blocker:
        pass
    assert any("reforms.yaml" in str(e) for e in blocker.args[0])
    watcher.stop()
