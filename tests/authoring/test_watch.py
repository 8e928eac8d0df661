"""``--watch``: an edit shows on screen; a broken file shows an author overlay over the last
good render, which goes away when the file is fixed.

How fast an edit shows is a timing figure for ``szkiosk bench``, not asserted here: the waits
below are generous so a busy machine does not fail them.
"""

from __future__ import annotations

from pathlib import Path

from szkiosk.authoring.watch import AuthorOverlay, watch_window
from szkiosk.content import load_deck
from szkiosk.show.reload import ContentWatcher

#: Longest wait for the watcher to notice a change (ms): generous, it is no performance figure.
WAIT_MS = 10_000


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_edit_shows_then_error_overlay_then_recovery(window, deck_copy, qtbot) -> None:
    win = window(load_deck(deck_copy))
    link = watch_window(win, deck_copy)
    title_file = deck_copy / "panels" / "title.yaml"
    assert not win.stage.current.title.text.startswith("Shenzhen, Edited Live")

    _edit(title_file, "Shenzhen High-Quality Development", "Shenzhen, Edited Live")
    qtbot.waitUntil(lambda: win.stage.current.title.text.startswith("Shenzhen, Edited Live"), timeout=WAIT_MS)

    _edit(title_file, "title:", "titel:")
    qtbot.waitUntil(lambda: link.overlay is not None, timeout=WAIT_MS)
    overlay = link.overlay
    assert isinstance(overlay, AuthorOverlay)
    assert any("title.yaml:" in e and "titel" in e for e in overlay.errors), overlay.errors
    assert win.stage.current.title.text.startswith("Shenzhen, Edited Live"), "last good render stays"

    _edit(title_file, "titel:", "title:")
    qtbot.waitUntil(lambda: link.overlay is None, timeout=WAIT_MS)
    assert win.stage.current.title.text.startswith("Shenzhen, Edited Live")
    link.watcher.stop()


def test_watcher_keeps_position_when_panels_change(window, deck_copy, qtbot) -> None:
    win = window(load_deck(deck_copy))
    link = watch_window(win, deck_copy)
    win.presentation.goto("reforms")
    deck_yaml = deck_copy / "deck.yaml"
    count = win.presentation.count
    _edit(deck_yaml, "  - panels/five-actions.yaml\n", "")
    qtbot.waitUntil(lambda: win.presentation.count == count - 1, timeout=WAIT_MS)
    assert link.overlay is None
    assert win.presentation.current_id == "reforms"
    assert win.stage.current.model.id == "reforms"
    assert "five-actions" not in win.presentation.ids
    link.watcher.stop()


def test_content_watcher_reports_yaml_syntax_errors(deck_copy, qtbot) -> None:
    watcher = ContentWatcher(deck_copy)
    (deck_copy / "panels" / "reforms.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with qtbot.waitSignal(watcher.failed, timeout=WAIT_MS) as blocker:
        pass
    assert any("reforms.yaml" in str(e) for e in blocker.args[0])
    watcher.stop()
