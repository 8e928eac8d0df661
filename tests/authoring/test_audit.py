"""The layout audit finds each kind of defect it promises to find, planted one at a time."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsObject, QGraphicsScene

from szkiosk.authoring.audit import QUICK, Config, Drawn, audit_deck, collect, inspect
from szkiosk.content import load_deck
from szkiosk.kit.items import Card
from szkiosk.kit.text import ROLES, TextItem, TextStyle

ROOT = Path(__file__).resolve().parents[2]
SAFE = QRectF(24, 24, 1872, 1032)


def style(role: str = "body", px: float | None = None, language: str = "en") -> TextStyle:
    r = ROLES[role]
    return TextStyle(r, px if px is not None else r.size, QColor("white"), language)


class Holder(QGraphicsObject):
    """A bare root item for planted texts."""

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 1920, 1080)

    def paint(self, *args: object) -> None:
        """Nothing."""


class Marks(QGraphicsObject):
    """An item that reports chart marks, like SeriesChart's frame does."""

    def __init__(self, marks: list[QRectF], parent: QGraphicsObject) -> None:
        super().__init__(parent)
        self._marks = marks

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 1920, 1080)

    def paint(self, *args: object) -> None:
        """Nothing."""

    def audit_marks(self) -> list[QRectF]:
        return self._marks


@pytest.fixture
def root(qapp):
    scene = QGraphicsScene()
    holder = Holder()
    scene.addItem(holder)
    yield holder
    scene.clear()


def kinds(root) -> list[str]:
    found = inspect(collect(root), safe=SAFE, floors=lambda t: ROLES[t.role].floor)
    return [k for k, _, _ in found]


def test_clean_text_has_no_findings(root) -> None:
    TextItem("Innovation in numbers", style("headline"), QRectF(96, 64, 1200, 0), parent=root)
    TextItem("研发投入与专利", style("body", language="zh"), QRectF(96, 200, 600, 0), parent=root)
    assert kinds(root) == []


def test_overlapping_text_is_found(root) -> None:
    TextItem("18,081", style("data"), QRectF(100, 100, 200, 0), parent=root)
    TextItem("17,459", style("data"), QRectF(140, 105, 200, 0), parent=root)
    assert "overlap" in kinds(root)


def test_text_on_a_chart_mark_is_found(root) -> None:
    TextItem("19,647", style("data"), QRectF(100, 100, 160, 0), parent=root)
    marks = Marks([QRectF(120, 90, 40, 300)], root)  # kept: PySide drops an unreferenced subclass's methods
    assert "overlap" in kinds(root)
    marks.setVisible(False)
    assert kinds(root) == []


def test_an_over_long_label_is_found(root) -> None:
    card = Card(QRectF(96, 100, 300, 200), QColor("navy"), parent=root)
    TextItem("Supercalifragilisticexpialidocious", style("label"), QRectF(120, 120, 250, 0), parent=card)
    found = kinds(root)
    assert "clipped" in found and "outside" in found


def test_text_outside_the_safe_area_is_found(root) -> None:
    TextItem("Source: somewhere", style("source"), QRectF(96, 1070, 900, 0), parent=root)
    assert "outside" in kinds(root)


def test_elided_text_is_found(root) -> None:
    TextItem("one two three four five six seven eight nine ten eleven twelve", style("body"),
             QRectF(96, 100, 200, 0), max_lines=1, parent=root)
    assert "clipped" in kinds(root)


def test_text_below_its_floor_is_found(root) -> None:
    TextItem("tiny", style("body", px=18), QRectF(96, 100, 400, 0), parent=root)
    assert "small" in kinds(root)


def test_siblings_at_different_sizes_are_found(root) -> None:
    TextItem("Network and communications", style("label", px=32), QRectF(96, 100, 600, 0), group="chips",
             parent=root)
    TextItem("Smart terminals", style("label", px=36), QRectF(96, 200, 600, 0), group="chips", parent=root)
    assert "siblings" in kinds(root)


def test_a_chinese_word_forced_across_a_line_is_found(root) -> None:
    item = TextItem("深圳拥有腾讯企业", style("label", language="zh"), QRectF(96, 100, 900, 0), parent=root)
    item._lines = ("深圳拥有腾", "讯企业")  # planted: what a break-anywhere engine draws
    found = inspect(collect(root), safe=SAFE, floors=lambda t: ROLES[t.role].floor)
    assert any(k == "word break" and "腾|讯" in msg for k, _, msg in found)


def test_the_typesetter_never_breaks_that_word(root) -> None:
    for width in range(120, 700, 20):
        item = TextItem("深圳拥有腾讯、华为等《财富》世界500强企业", style("label", language="zh"),
                        QRectF(96, 100, width, 0), parent=root)
        assert "word break" not in kinds(root), width
        item.setParentItem(None)


def test_closing_punctuation_at_a_line_start_is_found(root) -> None:
    item = TextItem("深圳拥有腾讯，华为", style("body", language="zh"), QRectF(96, 100, 900, 0), parent=root)
    item._lines = ("深圳拥有腾讯", "，华为")
    assert "punctuation" in kinds(root)


# -- whole decks ---------------------------------------------------------------------------------------
def _copy_example(tmp_path: Path) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "launch", deck)
    return deck


def test_a_panel_with_too_much_text_at_1_4_is_found(tmp_path: Path, qapp) -> None:
    import yaml

    deck = _copy_example(tmp_path)
    roadmap = deck / "panels" / "roadmap.yaml"
    data = yaml.safe_load(roadmap.read_text(encoding="utf-8"))
    words = " ".join(["The pilot fleet grew along the river and the old harbour every single week."] * 12)
    data["milestones"][0]["headline"] = {lang: words for lang in data["milestones"][0]["headline"]}
    roadmap.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = load_deck(deck)
    assert loaded.errors == [], "the planted text must still validate (only its length is wrong)"
    records = list(audit_deck(loaded, [Config((1920, 1080), 1.4)], languages=["en"], only="roadmap"))
    assert any(f.kind in ("outside", "clipped", "overlap") for r in records for f in r.findings)


def test_cli_writes_json_and_exits_1_on_findings(tmp_path: Path) -> None:
    out = tmp_path / "audit.json"
    proc = subprocess.run([sys.executable, "-m", "szkiosk", "audit", str(ROOT / "content"), "--quick",
                           "--panel", "innovation-figures", "--json", str(out)], capture_output=True, text=True,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=300)
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["id"] for r in records} == {"innovation-figures"}
    assert {(r["language"], r["size"], r["scale"]) for r in records} >= {("en", "1920x1080", 1.0)}
    first = records[0]
    assert first["texts"] and {"text", "role", "px", "box"} <= set(first["texts"][0])
    assert "face_words" in first
    findings = sum(len(r["findings"]) for r in records)
    assert proc.returncode == (1 if findings else 0), proc.stderr[-2000:]
    assert len(QUICK) == 3


def test_collect_skips_hidden_items(root) -> None:
    hidden = TextItem("hidden", style("body", px=10), QRectF(96, 100, 400, 0), parent=root)
    hidden.setVisible(False)
    assert isinstance(collect(root), Drawn) and kinds(root) == []
