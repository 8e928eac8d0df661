"""Odd content on the title, chain and links panels: a show never breaks for it (no fallback
card, no exception) at any size, and what does fit passes the audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from panel_helpers import findings

from szkiosk.content import load_deck
from szkiosk.kit.access import AccessMode
from szkiosk.panels.fallback import FallbackPanel

LONG = "Interdisciplinary internationalization of characteristically extraordinary responsibilities"


def _deck(tmp_path: Path, body: str):
    (tmp_path / "panels").mkdir()
    (tmp_path / "deck.yaml").write_text("title: {en: T, zh: T}\npanels: [panels/p.yaml]\n", encoding="utf-8")
    (tmp_path / "panels" / "p.yaml").write_text(body, encoding="utf-8")
    deck = load_deck(tmp_path)
    assert deck.ok, [str(e) for e in deck.errors]
    return deck


def _item(en: str, zh: str) -> str:
    return f"{{en: \"{en}\", zh: \"{zh}\"}}"


CHAIN = "id: p\ntype: chain\ntitle: {en: Chain, zh: 链}\nhint: {en: Tap, zh: 点击}\nstages:\n" + "".join(
    f"  - label: {_item(LONG if i == 2 else f'Stage {i}', '阶段' * (i + 1))}\n"
    f"    explain: {_item(' '.join([LONG] * 2), '说明' * 30)}\n" for i in range(6)
) + "badges:\n" + "".join(f"  - {_item(LONG, '短语' * 8)}\n" for _ in range(3)) + (
    "examples:\n" + "".join(f"  - {_item(f'Company {k}', f'公司{k}')}\n" for k in range(6)))

LINKS = "id: p\ntype: links\ntitle: {en: Links, zh: 链}\nhint: {en: Tap, zh: 点击}\n" + (
    f"statement: {_item(LONG, '陈述' * 20)}\nlinks:\n") + "".join(
    f"  - name: {_item(LONG if i == 0 else f'Link {i}', '链环' * (i + 1))}\n"
    f"    meaning: {_item(LONG, '含义' * 20)}\n" for i in range(5))

TWO_LINKS = "id: p\ntype: links\ntitle: {en: Links, zh: 链}\nhint: {en: Tap, zh: 点击}\n" + (
    "statement: {en: Two, zh: 二}\nlinks:\n"
    "  - {name: {en: A, zh: 甲}, meaning: {en: First., zh: 第一。}}\n"
    "  - {name: {en: B, zh: 乙}, meaning: {en: Second., zh: 第二。}}\n")

TITLE = f"id: p\ntype: title\ntitle: {_item(' '.join([LONG] * 2), '标题' * 20)}\n"


@pytest.mark.parametrize("body", [CHAIN, LINKS, TWO_LINKS, TITLE], ids=["chain", "links", "two-links", "title"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_odd_content_never_breaks_the_show(tmp_path: Path, stage_for, body, size, language) -> None:
    deck = _deck(tmp_path, body)
    for scale in (1.0, 1.4):
        stage = stage_for(deck, language, size)
        stage.set_access(AccessMode(text_scale=scale))
        panel = stage.show_panel(0, animate=False)
        assert not isinstance(panel, FallbackPanel)
        for t in (0.0, panel.build_ms / 2, panel.build_ms):
            panel.apply(t)
        for i in range(8):
            if hasattr(panel, "select"):
                panel.select(i if i < 7 else None)  # past the last item: nothing to show, no error
        panel.deactivate()


def test_two_links_pass_the_audit(tmp_path: Path, stage_for) -> None:
    deck = _deck(tmp_path, TWO_LINKS)
    for size in ((1920, 1080), (1080, 1920)):
        stage = stage_for(deck, "en", size)
        panel = stage.show_panel(0, animate=False)
        panel.finish()
        assert findings(stage, panel, deck) == []
        panel.deactivate()
