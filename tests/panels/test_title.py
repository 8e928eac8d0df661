"""The opening panel: a title clear of the QR code, no unsourced claim, no author credit, and
a build that settles in time."""

from __future__ import annotations

from pathlib import Path

import pytest
from panel_helpers import CONFIGS, audit_everywhere, scene_rect, settles_in_time, shown, texts

from szkiosk.authoring.audit import Config, audit_deck
from szkiosk.content import load_deck

PANEL = "title"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "launch"


def test_the_audit_finds_nothing_anywhere(bundled_deck) -> None:
    """``szkiosk audit``'s whole matrix: every size, scale, language, build step and details page."""
    assert audit_everywhere(bundled_deck, PANEL) == []


def test_a_title_with_kicker_and_tagline_passes_the_audit() -> None:
    """The example deck's title has both optional lines, in three languages."""
    deck = load_deck(EXAMPLE)
    records = list(audit_deck(deck, CONFIGS, only="title"))
    assert records and [str(f) for r in records for f in r.findings] == []


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.name}-{c.scale:g}")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_title_stays_clear_of_the_qr_code(stage_for, bundled_deck, language, config) -> None:
    with shown(stage_for, bundled_deck, PANEL, language, config) as (stage, panel):
        take_away = [scene_rect(item) for item in stage.chrome.take_away]
        assert take_away, "the stage draws the source page's QR code"
        drawn = texts(panel)
        assert {t.field for t in drawn} == {"title", "tagline"}
        for t in drawn:
            box = t.mapToScene(t.text_rect()).boundingRect()
            assert not any(box.intersects(q) for q in take_away), f"{t.text!r} under the QR code"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_unsourced_claim_and_no_author_credit(stage_for, bundled_deck, language) -> None:
    model = bundled_deck.panels[bundled_deck.index_of(PANEL)]
    assert model.kicker is None, "the portal is the source, not the author: no kicker naming it"
    with shown(stage_for, bundled_deck, PANEL, language, Config((1920, 1080))) as (_stage, panel):
        drawn = " ".join(t.text for t in texts(panel))
        for claim in ("youngest", "megacity", "最年轻", "超大城市", "· 2023"):
            assert claim not in drawn
        # the tagline says where the content comes from, in the visitor's language
        assert ("Shenzhen Government Online" if language == "en" else "深圳政府在线") in drawn


def test_the_build_settles_in_time_and_in_reading_order(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck, "en", (1920, 1080))
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    assert panel.build_ms <= 1500
    first_seen: dict[str, float] = {}
    for t in range(0, int(panel.build_ms) + 1, 20):
        panel.apply(float(t))
        for name in ("title", "tagline"):
            if getattr(panel, name).opacity() > 0 and name not in first_seen:
                first_seen[name] = t
        if panel.rule.scale() > 0.01:
            first_seen.setdefault("rule", t)
    assert first_seen["title"] < first_seen["rule"] < first_seen["tagline"]
    panel.apply(panel.build_ms)
    assert panel.title.opacity() == pytest.approx(1.0) and panel.tagline.opacity() == pytest.approx(1.0)
    assert panel.rule.scale() == pytest.approx(1.0)
    panel.deactivate()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_everything_has_settled_by_build_ms(stage_for, bundled_deck, language, size) -> None:
    settles_in_time(stage_for, bundled_deck, PANEL, language, size)
