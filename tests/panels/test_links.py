"""The four chains: names inside their links and clear of every stroke, every meaning readable
on a tap, the chain terms the glossary's, a hint that comes after the links have closed."""

from __future__ import annotations

import pytest
from panel_helpers import CONFIGS, audit_everywhere, by_field, findings, settles_in_time, shown, texts

from szkiosk.authoring.audit import Config
from szkiosk.content.editorial import FACE_HAN, FACE_WORDS, face_size

PANEL = "four-chains"
#: The glossary's terms for the "four chains" the source page names (issue 15).
GLOSSARY = {"四链": "four chains", "产业链": "Industry chain", "创新链": "Innovation chain",
            "人才链": "Talent chain", "教育链": "Education chain", "资金链": "capital chain"}


def test_the_audit_finds_nothing_anywhere(bundled_deck) -> None:
    """``szkiosk audit``'s whole matrix: every size, scale, language, build step and details page."""
    assert audit_everywhere(bundled_deck, PANEL) == []


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.name}-{c.scale:g}")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_meaning_fits_on_a_tap(stage_for, bundled_deck, language, config) -> None:
    with shown(stage_for, bundled_deck, PANEL, language, config) as (stage, panel):
        for i, link in enumerate(panel.model.links):
            panel.taps[i].tap()
            assert panel.selected == i
            assert panel.explanation.line.text == link.meaning.get(language)
            assert panel.shapes[i]._fill is not None, "the tapped link is marked"
            assert findings(stage, panel, bundled_deck) == [], f"link {i} tapped"


@pytest.mark.parametrize("config", [Config((1920, 1080)), Config((1080, 1920)), Config((1920, 1080), 1.4)],
                         ids=["landscape", "portrait", "landscape-1.4"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_each_name_sits_inside_its_link(stage_for, bundled_deck, language, config) -> None:
    with shown(stage_for, bundled_deck, PANEL, language, config) as (_stage, panel):
        names = sorted(by_field(panel, lambda f: f.startswith("links[") and f.endswith(".name")),
                       key=lambda t: t.field)
        assert [n.text for n in names] == [link.name.get(language) for link in panel.model.links]
        assert len({round(n.px, 2) for n in names}) == 1
        for name, shape in zip(names, panel.shapes, strict=True):
            text = name.mapToScene(name.text_rect()).boundingRect()
            link = shape.mapToScene(shape.rect).boundingRect()
            assert link.contains(text), f"{name.text!r} outside its link"
            strokes = [shape.mapToScene(r).boundingRect() for s in panel.shapes for r in s.audit_marks()]
            assert not any(text.intersects(r) for r in strokes), f"{name.text!r} on a stroke"
        face = sorted(t.text for t in texts(panel) if not t.field.startswith(("links[", "title")))
        assert face == sorted(t.get(language) for t in panel.model.face_texts())


def test_the_terms_are_the_glossarys_and_the_capital_chain_is_explained(bundled_deck) -> None:
    model = bundled_deck.panels[bundled_deck.index_of(PANEL)]
    pairs = {link.name.get("zh"): link.name.get("en") for link in model.links}
    assert pairs == {k: v for k, v in GLOSSARY.items() if k in ("产业链", "创新链", "人才链", "教育链")}
    assert "四链" in model.title.get("zh")
    details = {d.title.get("en"): d for d in model.details}
    seed = " ".join(details["What the source page says"].text.get("en").split())
    assert '"four chains" of industry chain, innovation chain, talent chain and education chain' in seed
    capital = details["Education chain or capital chain?"]
    assert "capital" in capital.text.get("en") and "资金链" in capital.text.get("zh")
    assert capital.source == "cpc-20th-report-2022" and capital.year == 2022
    assert face_size(model, "en") <= FACE_WORDS and face_size(model, "zh") <= FACE_HAN


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_hint_and_statement_come_after_the_links_close(stage_for, bundled_deck, size) -> None:
    stage = stage_for(bundled_deck, "en", size)
    panel = stage.show_panel(bundled_deck.index_of(PANEL), animate=False)
    assert panel.build_ms <= 1500
    moved = False
    for t in range(0, int(panel.build_ms) + 1, 20):
        panel.apply(float(t))
        open_ = max(panel.link_offsets()) > 0.5
        moved = moved or open_
        if panel.explanation.slot.opacity() > 0 or panel.statement.opacity() > 0:
            assert not open_, f"text before the links have closed ({t} ms)"
    assert moved, "the links slide together"
    panel.apply(panel.build_ms)
    assert panel.link_offsets() == [0.0] * 4
    assert panel.explanation.slot.opacity() == pytest.approx(1.0)
    panel.deactivate()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_everything_has_settled_by_build_ms(stage_for, bundled_deck, language, size) -> None:
    settles_in_time(stage_for, bundled_deck, PANEL, language, size)
