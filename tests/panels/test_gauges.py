"""The six "more than 90%": one figure said once, six rings of one size, a qualifier that never
sits on a moving number, and a per-ring figure for decks whose gauges differ."""

from __future__ import annotations

from pathlib import Path

import pytest
from panel_helpers import CONFIGS, audit_everywhere, by_field, findings, settles_in_time, shown, texts

from szkiosk.authoring.audit import Config, audit_deck
from szkiosk.content import load_deck
from szkiosk.content.editorial import FACE_HAN, FACE_WORDS, face_size
from szkiosk.panels.gauges import CARD_MS, COUNT_MS, FILL_MS, LANDED_MS

PANEL = "ninety-percent"


def test_the_audit_finds_nothing_anywhere(bundled_deck) -> None:
    """``szkiosk audit``'s whole matrix: every size, scale, language, build step and details page."""
    assert audit_everywhere(bundled_deck, PANEL) == []


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.name}-{c.scale:g}")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_one_figure_six_equal_cards(stage_for, bundled_deck, language, config) -> None:
    with shown(stage_for, bundled_deck, PANEL, language, config) as (_stage, panel):
        assert panel.fills() == pytest.approx([0.9] * 6)
        drawn = [t.text for t in texts(panel)]
        assert drawn.count("90%") == 1, "the shared figure is said once"
        assert not any("90" in t for t in drawn if t != "90%"), "no label repeats the number"
        qualifier = panel.model.qualifier.get(language)
        assert panel.hero_qualifier is not None and panel.hero_qualifier.text == qualifier
        above = panel.hero_qualifier.mapToScene(panel.hero_qualifier.text_rect()).boundingRect()
        number = panel.hero_number.mapToScene(panel.hero_number.text_rect()).boundingRect()
        # "more than 90%" reads top down in English, "90%以上" in Chinese
        assert (above.bottom() <= number.top() + 1) == (language == "en")
        cards = [c.node.item.rect for c in panel.cards]
        assert len({(round(r.width(), 1), round(r.height(), 1)) for r in cards}) == 1, "siblings share one size"
        rings = [r.rect for r in panel.rings]
        assert len({round(r.width(), 1) for r in rings}) == 1
        labels = by_field(panel, lambda f: f.startswith("gauges[") and f.endswith(".label"))
        assert len(labels) == 6 and len({round(t.px, 2) for t in labels}) == 1
        face = sorted(t.text for t in labels)
        assert face == sorted(t.get(language) for t in panel.model.face_texts())


def test_the_face_keeps_to_its_budget_and_the_seed_sentences_are_in_the_details(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of(PANEL)]
    assert face_size(model, "en") <= FACE_WORDS and face_size(model, "zh") <= FACE_HAN
    details = " ".join(" ".join(d.text.get("en").split()) for d in model.details)
    for sentence in ("More than 90% of innovative enterprises are local enterprises",
                     "More than 90% of major technological invention patents are owned by leading enterprises"):
        assert sentence in details
    assert "gives no year" in details, "the missing year is said, not invented"


def _states(panel, step: float = 10.0):
    t = 0.0
    while t <= panel.build_ms + step:
        panel.apply(t)
        yield t
        t += step


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_figure_never_says_something_false_while_it_counts(stage_for, bundled_deck, language) -> None:
    """The old rings counted through "37% 以上" (more than 37%)."""
    stage = stage_for(bundled_deck, language, (1920, 1080))
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    assert panel.build_ms <= 1500
    shown_values = set()
    for t in _states(panel):
        text = panel.hero_number.text
        qualifier_seen = panel.hero_qualifier.opacity() > 0
        assert text != "0" and not text.startswith("0"), f"a 0 at {t} ms"
        if text != "90%":
            assert "%" not in text, f"{text!r}: a unit on a moving number at {t} ms"
            assert not qualifier_seen, f"qualifier beside {text!r} at {t} ms"
        shown_values.add(text)
    assert len(shown_values) > 5, "it counts"
    assert panel.hero_number.text == "90%" and panel.hero_qualifier.opacity() == pytest.approx(1.0)
    # each element within the 300-800 ms an element may take
    assert all(300 <= ms <= 800 for ms in (CARD_MS, COUNT_MS, FILL_MS, LANDED_MS))
    panel.deactivate()


def test_a_tap_on_a_gauge_opens_its_details(stage_for, bundled_deck) -> None:
    stage = stage_for(bundled_deck, "en", (1920, 1080))
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    panel.finish()
    taps = [c for card in panel.cards for c in card.node.item.childItems() if hasattr(c, "tap")]
    assert len(taps) == 6 and taps[4].label == "R&D funds from enterprises"
    taps[4].tap()
    assert panel.details_open
    drawn = " ".join(t.text for t in texts(panel._details))
    assert "More than 90% of R&D funds are contributed by enterprises" in " ".join(drawn.split())
    assert findings(stage, panel, bundled_deck, root=panel._details) == []
    panel.deactivate()


# -- a deck whose gauges differ: each ring carries its own number ------------------------------
GAUGE = """\
  - value: {value}
    label: {{en: "{label}", zh: {zh}}}
    source: test-data
    year: 2026
"""


def _deck(tmp_path: Path, values: list[int]):
    (tmp_path / "panels").mkdir()
    (tmp_path / "deck.yaml").write_text("title: {en: T, zh: T}\npanels: [panels/g.yaml]\n", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "test-data:\n  publisher: {en: Test data, zh: 测试数据}\n  date: 2026\n", encoding="utf-8")
    labels = [("Capacity left after 1,000 charges", "充电1000次后的剩余容量"),
              ("Parts repaired locally", "本地维修的零件"), ("Frames made of recycled aluminium", "再生铝车架")]
    body = "".join(GAUGE.format(value=v, label=labels[i % 3][0], zh=labels[i % 3][1]) for i, v in enumerate(values))
    (tmp_path / "panels" / "g.yaml").write_text(
        "id: g\ntype: gauges\ntitle: {en: Battery, zh: 电池}\nqualifier: {en: over, zh: 以上}\n"
        "qualifier_after: [zh]\nformat: {en: '{value}%', zh: '{value}%'}\ngauges:\n" + body, encoding="utf-8")
    deck = load_deck(tmp_path)
    assert deck.ok, [str(e) for e in deck.errors]
    return deck


@pytest.mark.parametrize("language", ["en", "zh"])
def test_gauges_that_differ_each_count_their_own_number(tmp_path: Path, stage_for, language) -> None:
    deck = _deck(tmp_path, [80, 65, 95])
    stage = stage_for(deck, language, (1920, 1080))
    panel = stage.show_panel(0, animate=False)
    assert panel.hero_number is None and len(panel.numbers) == 3
    for t in _states(panel):
        for card in panel.cards:
            text = card.number.item.text
            landed = text == f"{card.gauge.value:g}%"
            assert text != "0", f"a 0 at {t} ms"
            assert landed or "%" not in text
            assert (card.qualifier.item.opacity() > 0) == landed, f"qualifier beside {text!r} at {t} ms"
    assert [n.text for n in panel.numbers] == ["80%", "65%", "95%"]
    assert findings(stage, panel, deck) == []
    for card in panel.cards:  # the number sits in the ring's hole
        hole = card.ring.mapToScene(card.ring.hole()).boundingRect()
        assert hole.contains(card.number.item.mapToScene(card.number.item.text_rect()).boundingRect())
    panel.deactivate()


@pytest.mark.parametrize(("config", "count"), [(Config((1920, 1080)), 6), (Config((1080, 1920)), 6),
                                              (Config((1920, 1080), 1.4), 4), (Config((1080, 1920), 1.4), 4)],
                         ids=["landscape", "portrait", "landscape-1.4", "portrait-1.4"])
def test_gauges_that_differ_pass_the_audit(tmp_path: Path, config, count) -> None:
    deck = _deck(tmp_path, [80, 65, 95, 70, 55, 90][:count])
    records = list(audit_deck(deck, [config]))
    assert records and [str(f) for r in records for f in r.findings] == []


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_everything_has_settled_by_build_ms(stage_for, bundled_deck, language, size) -> None:
    settles_in_time(stage_for, bundled_deck, PANEL, language, size)


@pytest.mark.parametrize("values", [[0], [100, 0], [0, 0, 0], [100] * 6, [1, 99, 50, 0, 100, 33]])
def test_odd_values_never_break_the_panel(tmp_path: Path, stage_for, values) -> None:
    from szkiosk.panels.fallback import FallbackPanel

    deck = _deck(tmp_path, values)
    for size in ((1920, 1080), (1080, 1920)):
        stage = stage_for(deck, "zh", size)
        panel = stage.show_panel(0, animate=False)
        assert not isinstance(panel, FallbackPanel)
        for t in (0.0, 300.0, panel.build_ms):
            panel.apply(t)
            assert all(n.text != "0" for n in panel.numbers), "a zero is drawn as 0%, once landed"
        panel.deactivate()
