"""Booth hot reload and the warm-up self-test, on a writable copy of the deck."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from szkiosk.booth.booth import Booth
from szkiosk.booth.warmup import WarmUp
from szkiosk.content import load_deck


@pytest.fixture
def booth(qtbot, window, deck_copy: Path, tmp_path: Path):
    made: list[Booth] = []

    def make(**kwargs):
        win = window(load_deck(deck_copy), kiosk=True)
        win.stage.animate_transitions = False
        b = Booth(win, deck_copy, analytics_path=tmp_path / "a.sqlite3", hide_cursor=False,
                  reload_debounce_ms=50, **kwargs)
        b.start(warm_up=False)
        made.append(b)
        return win, b

    yield make
    for b in made:
        b.stop()
        b.window.stage.stop()


def visible_text(win) -> str:
    return " ".join(b.text for b in win.stage.current.text_boxes())


def test_edit_shows_new_text_on_the_same_panel(qtbot, booth, deck_copy: Path) -> None:
    win, b = booth()
    win.presentation.goto("five-actions")
    panel_file = deck_copy / "panels" / "five-actions.yaml"
    text = panel_file.read_text(encoding="utf-8")
    old_title = win.deck.panels[win.presentation.index].title.get("en")
    assert old_title in visible_text(win)
    panel_file.write_text(text.replace(old_title, "Five Actions, Edited At The Booth", 1), encoding="utf-8")
    qtbot.waitUntil(lambda: "Five Actions, Edited At The Booth" in visible_text(win), timeout=5000)
    assert win.presentation.current_id == "five-actions"
    assert win.stage.index == win.presentation.index
    assert b.reload.errors == [] and b.reload.reloads == 1
    qtbot.keyClick(win, Qt.Key.Key_Right)  # navigation still works on the new deck
    assert win.presentation.index == win.deck.index_of("five-actions") + 1


def test_broken_yaml_keeps_the_last_good_deck(qtbot, booth, deck_copy: Path, caplog) -> None:
    win, b = booth()
    win.presentation.goto("reforms")
    win.stage.current.finish()  # its numbers count up: compare the settled panel, not a moment of its build
    before = visible_text(win)
    good_deck = win.deck
    panel_file = deck_copy / "panels" / "reforms.yaml"
    panel_file.write_text(panel_file.read_text(encoding="utf-8") + "\n  : : [unclosed\n", encoding="utf-8")
    qtbot.waitUntil(lambda: b.reload.errors != [], timeout=5000)
    assert win.deck is good_deck and visible_text(win) == before
    assert any("reforms.yaml:" in e for e in b.reload.errors)  # file:line for staff
    assert any("reforms.yaml:" in r.getMessage() for r in caplog.records)
    assert "FallbackPanel" not in type(win.stage.current).__name__
    # staff see the errors in the admin menu, visitors nowhere
    b.controller.request_admin(gesture=False)
    qtbot.waitUntil(lambda: b.controller.pin_pad is not None or b.controller.admin is not None, timeout=1000)
    b.controller.open_admin()
    assert "reforms.yaml:" in b.controller.admin.info.text
    b.controller.close_admin()
    # deleting a panel file does not crash either
    (deck_copy / "panels" / "industries.yaml").unlink()
    qtbot.waitUntil(lambda: any("industries.yaml" in e for e in b.reload.errors), timeout=5000)
    assert win.deck is good_deck and win.isVisible()


def test_admin_reload_picks_up_a_fix(qtbot, booth, deck_copy: Path) -> None:
    win, b = booth()
    deck_file = deck_copy / "deck.yaml"
    good = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(good.replace("title:", "title: [", 1), encoding="utf-8")
    qtbot.waitUntil(lambda: b.reload.errors != [], timeout=5000)
    deck_file.write_text(good.replace("Shenzhen High-Quality Development", "Shenzhen HQD (edited)", 1),
                         encoding="utf-8")
    b.reload.reload_now()
    assert b.reload.errors == []
    assert win.deck.model.title.get("en") == "Shenzhen HQD (edited)"


def test_warm_up_builds_every_panel_and_reports_failures(qtbot, deck_copy: Path, monkeypatch) -> None:
    from szkiosk.panels.columns import ColumnsPanel

    deck = load_deck(deck_copy)
    report = WarmUp(deck, "en").run_now()
    assert report.problems == [] and report.failed == set()
    assert report.panels_built == len(deck.panels)
    assert report.assets_checked >= 1  # data/partners.yaml

    def explode(self, rect):
        raise RuntimeError("boom")

    monkeypatch.setattr(ColumnsPanel, "build_body", explode)
    report = WarmUp(deck, "en").run_now()
    columns = {p.id for p in deck.panels if p.type == "columns"}
    assert report.failed == columns
    assert report.panels_built == len(deck.panels) - len(columns)  # skipped, not fatal
    assert any("boom" in p for p in report.problems)


def test_background_warm_up_feeds_the_controller(qtbot, booth, monkeypatch) -> None:
    from szkiosk.panels.gauges import GaugesPanel

    monkeypatch.setattr(GaugesPanel, "build_body", lambda self, rect: 1 / 0)
    _win, b = booth()
    b.run_warmup()
    qtbot.waitUntil(lambda: b.report is not None, timeout=20000)
    assert "ninety-percent" in b.controller.skipped
    assert "ninety-percent" not in b.controller.attract_ids()
    assert any("ZeroDivisionError" in p for p in b.controller.problems)
