"""The innovation chain: a face within budget, every stage explanation readable, a build that
never points at what is not there yet, a portrait layout that uses the screen."""

from __future__ import annotations

import pytest
from panel_helpers import CONFIGS, audit_everywhere, by_field, findings, settles_in_time, shown, texts

from szkiosk.authoring.audit import Config
from szkiosk.content.editorial import FACE_HAN, FACE_WORDS, face_size
from szkiosk.panels.chain import BUILD_MS, STAGE_MS, ChainPanel

PANEL = "innovation-chain"
LANDSCAPE = Config((1920, 1080))
PORTRAIT = Config((1080, 1920))


def test_the_audit_finds_nothing_anywhere(bundled_deck) -> None:
    """``szkiosk audit``'s whole matrix: every size, scale, language, build step and details page."""
    assert audit_everywhere(bundled_deck, PANEL) == []


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.name}-{c.scale:g}")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_stage_explanation_fits_and_collides_with_nothing(stage_for, bundled_deck, language, config) -> None:
    """The audit never taps: tap every stage here and inspect what is drawn then."""
    with shown(stage_for, bundled_deck, PANEL, language, config) as (stage, panel):
        model = panel.model
        for i, stage_model in enumerate(model.stages):
            panel.select(i)
            assert panel.explanation.card.isVisible() and not panel.explanation.hint_item.isVisible()
            assert panel.explanation.line.text == stage_model.explain.get(language)
            assert panel.explanation.line.lines, "the explanation is drawn"
            assert findings(stage, panel, bundled_deck) == [], f"stage {i} tapped"


@pytest.mark.parametrize("config", [LANDSCAPE, PORTRAIT, Config((1920, 1080), 1.4), Config((1080, 1920), 1.4)],
                         ids=["landscape", "portrait", "landscape-1.4", "portrait-1.4"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_stage_labels_share_one_size_and_the_face_is_its_model(stage_for, bundled_deck, language, config) -> None:
    with shown(stage_for, bundled_deck, PANEL, language, config) as (_stage, panel):
        labels = by_field(panel, lambda f: f.startswith("stages[") and f.endswith(".label"))
        assert len(labels) == 5
        assert len({round(t.px, 2) for t in labels}) == 1, [(t.text, t.px) for t in labels]
        assert {t.role for t in labels} <= {"label", "title"}
        # the face outside the chain is exactly what face_texts() counts
        visual = ("stages[", "title")
        face = sorted(t.text for t in texts(panel) if not t.field.startswith(visual))
        assert face == sorted(t.get(language) for t in panel.model.face_texts())


def test_the_face_keeps_to_its_budget_and_the_seed_sentence_is_in_the_details(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of(PANEL)]
    assert face_size(model, "en") <= FACE_WORDS
    assert face_size(model, "zh") <= FACE_HAN
    details = " ".join(" ".join(d.text.get("en").split()) for d in model.details)
    assert ('"basic research + technical research + achievement industrialization + technology finance + '
            'talent support"') in details
    assert "A large number of innovative companies have emerged, such as Huawei, BYD, Tencent and DJI" in details
    assert "glosses" in details and "not quotes" in details


def test_the_details_layer_shows_the_gloss_note(stage_for, bundled_deck) -> None:
    with shown(stage_for, bundled_deck, PANEL, "en", LANDSCAPE) as (stage, panel):
        panel.open_details()
        assert panel.details_open
        drawn = " ".join(t.text for t in texts(panel))
        assert "not quotes from the source page" in drawn
        assert findings(stage, panel, bundled_deck, root=panel._details) == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_portrait_uses_the_height(stage_for, bundled_deck, language) -> None:
    """The chain once filled the top half of a totem and left the rest empty."""
    with shown(stage_for, bundled_deck, PANEL, language, PORTRAIT) as (_stage, panel):
        body = panel.body_rect(0)
        nodes = [n.mapToScene(n.rect).boundingRect() for n in panel.nodes]
        assert nodes[0].center().x() == pytest.approx(nodes[-1].center().x()), "a column of stages"
        span = nodes[-1].bottom() - nodes[0].top()
        assert span >= 0.35 * panel.height
        lowest = max(t.mapToScene(t.text_rect()).boundingRect().bottom() for t in texts(panel))
        assert lowest >= body.bottom() - 0.1 * body.height(), "no empty lower part"


def _sample(panel: ChainPanel, t: float) -> dict:
    panel.apply(t)
    return {
        "nodes": [n.opacity() for n in panel.nodes],
        "labels": [lab.opacity() for lab in panel.stage_labels],
        "hint": panel.explanation.slot.opacity(),
        "pulses": panel.pulse_positions(),
    }


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_build_never_points_at_what_is_not_there(stage_for, bundled_deck, size) -> None:
    stage = stage_for(bundled_deck, "en", size)
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    assert panel.build_ms <= 1500
    seen_pulses = False
    for t in range(0, int(panel.build_ms) + 1, 20):
        s = _sample(panel, float(t))
        if s["hint"] > 0:
            assert all(o == pytest.approx(1.0) for o in s["nodes"]), f"hint before every stage at {t} ms"
        lit = [o > 0 for o in s["nodes"]]
        assert lit == sorted(lit, reverse=True), f"stages light up in order ({t} ms)"
        seen_pulses = seen_pulses or bool(s["pulses"])
    assert seen_pulses, "pulses flow along the links while the chain builds"
    final = _sample(panel, panel.build_ms)
    assert final["pulses"] == [] and final["hint"] == pytest.approx(1.0)
    assert all(o == pytest.approx(1.0) for o in final["nodes"] + final["labels"])
    # each stage lights up within the 300-800 ms an element may take
    assert 300 <= STAGE_MS <= 800 and BUILD_MS <= 1500
    panel.deactivate()


def test_a_tap_highlights_its_stage_and_a_replay_clears_it(qtbot, stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck, "en", (1080, 1920))
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    panel.finish()
    panel.stage_taps[3].tap()
    assert panel.selected == 3
    assert panel.rows[3].opacity() > 0 and panel.rows[3]._outline is not None
    assert all(r._outline is None for i, r in enumerate(panel.rows) if i != 3)
    assert getattr(panel.stage_taps[3], "label", "") == "Technology finance", "the reach bar can name it"
    panel.activate()
    assert panel.selected is None and not panel.explanation.card.isVisible()
    panel.deactivate()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_everything_has_settled_by_build_ms(stage_for, bundled_deck, language, size) -> None:
    settles_in_time(stage_for, bundled_deck, PANEL, language, size)


def test_step_builds_light_one_stage_per_next(stage_for, bundled_deck) -> None:
    """With a clicker, each Next lights the next stage; the hint and the phrases come with the last."""
    stage = stage_for(bundled_deck, "en", (1920, 1080))
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    n = len(panel.model.stages)
    assert panel.step_count == n - 1
    assert all(panel.stage_length(k) <= 800 for k in range(n))
    for k in range(n):
        panel.settle(step=k)
        lit = [node.opacity() > 0.99 for node in panel.nodes]
        assert lit == [i <= k for i in range(n)], f"step {k}"
        last = k == n - 1
        assert (panel.explanation.slot.opacity() > 0.99) == last
        assert all((item.opacity() > 0.99) == last for group in panel.late for item in group)
    panel.deactivate()
