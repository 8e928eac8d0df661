"""A gauges panel with one or two gauges is laid out as centred cards, not one empty slab."""

from __future__ import annotations

from pathlib import Path

import pytest
from panel_helpers import findings

from szkiosk.content import load_deck

GAUGE = """\
  - value: {value}
    label: {{en: "Capacity left after 1,000 charges", zh: 充电1000次后的剩余容量}}
    source: layout-check
    year: 2026
"""


@pytest.mark.parametrize("count", [1, 2])
def test_few_gauges_make_compact_centred_cards(tmp_path: Path, stage_for, count: int) -> None:
    (tmp_path / "panels").mkdir()
    (tmp_path / "deck.yaml").write_text("title: {en: T, zh: T}\npanels: [panels/g.yaml]\n")
    (tmp_path / "sources.yaml").write_text(
        "layout-check:\n  publisher: {en: Layout check data, zh: 布局检查数据}\n  date: 2026\n")
    (tmp_path / "panels" / "g.yaml").write_text(
        "id: g\ntype: gauges\ntitle: {en: Battery, zh: 电池}\nformat: {en: '{value}%', zh: '{value}%'}\ngauges:\n"
        + "".join(GAUGE.format(value=80 - 10 * i) for i in range(count)))
    deck = load_deck(tmp_path)
    assert deck.ok, [str(e) for e in deck.errors]
    for size in ((1920, 1080), (1080, 1920)):
        for language in ("en", "zh"):
            stage = stage_for(deck, language, size)
            panel = stage.show_panel(0, animate=False)
            panel.finish()
            boxes = [card.node.item.mapToScene(card.node.item.rect).boundingRect() for card in panel.cards]
            assert len(boxes) == count
            assert all(box.height() <= 440 for box in boxes)
            assert len({(round(b.width()), round(b.height())) for b in boxes}) == 1
            middle = sum(b.center().y() for b in boxes) / len(boxes)
            assert abs(middle - stage.logical.height() / 2) < stage.logical.height() * 0.12
            assert findings(stage, panel, deck) == []
            panel.deactivate()
