"""Every panel example in docs/AUTHORING.md validates as it stands."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from szkiosk.content import PANEL_MODELS, load_deck

DOC = Path(__file__).resolve().parents[2] / "docs" / "AUTHORING.md"


def blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_every_panel_type_has_an_example() -> None:
    types = {yaml.safe_load(b).get("type") for b in blocks() if b.startswith("id:")}
    assert types == set(PANEL_MODELS)


def test_every_example_validates(tmp_path: Path) -> None:
    panels = [b for b in blocks() if b.startswith("id:")]
    partners = next(b for b in blocks() if b.startswith("partners:"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "partners.yaml").write_text(partners, encoding="utf-8")
    (tmp_path / "panels").mkdir()
    names = []
    for text in panels:
        pid = yaml.safe_load(text)["id"]
        (tmp_path / "panels" / f"{pid}.yaml").write_text(text, encoding="utf-8")
        names.append(f"  - panels/{pid}.yaml")
    deck = next(b for b in blocks() if b.startswith("title:"))
    deck = deck.split("panels:")[0] + "panels:\n" + "\n".join(names) + "\n"
    (tmp_path / "deck.yaml").write_text(deck, encoding="utf-8")
    sources = next(b for b in blocks() if "publisher:" in b and not b.startswith("id:"))
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    loaded = load_deck(tmp_path)
    assert [str(e) for e in loaded.errors] == []
    assert len(loaded.panels) == len(PANEL_MODELS)
