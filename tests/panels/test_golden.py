"""Golden images of every bundled panel (final state) in both languages, with tolerance.

Regenerate after an intended visual change with ``SZKIOSK_UPDATE_GOLDEN=1 scripts/test.sh
tests/test_golden.py`` and look at the new images before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from szkiosk.content import load_deck

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"
SIZE = QSize(960, 540)
UPDATE = os.environ.get("SZKIOSK_UPDATE_GOLDEN") == "1"
#: Mean absolute difference per channel (0..255) and share of clearly different pixels.
MEAN_TOLERANCE = 1.5
PIXEL_TOLERANCE = 0.005

DECK = load_deck(Path(__file__).resolve().parents[2] / "content")
CASES = [(p.id, lang) for p in DECK.panels for lang in DECK.model.languages]


def as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = image.constBits()
    data = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].astype(np.int16)


def compare(actual: QImage, expected: QImage) -> tuple[float, float]:
    a, b = as_array(actual), as_array(expected)
    diff = np.abs(a - b)
    return float(diff.mean()), float((diff.max(axis=2) > 48).mean())


def test_compare_detects_a_changed_image() -> None:
    blank = QImage(SIZE, QImage.Format.Format_RGB32)
    blank.fill(Qt.GlobalColor.black)
    marked = blank.copy()
    for x in range(200):
        for y in range(100):
            marked.setPixel(x, y, 0xFFFFFFFF)
    mean, share = compare(blank, marked)
    assert mean > MEAN_TOLERANCE or share > PIXEL_TOLERANCE
    assert compare(blank, blank.copy()) == (0.0, 0.0)


@pytest.mark.parametrize(("panel_id", "language"), CASES, ids=[f"{p}-{lang}" for p, lang in CASES])
def test_panel_matches_golden(stage_for, panel_id: str, language: str) -> None:
    stage = stage_for(DECK, language, (1920, 1080))
    index = DECK.index_of(panel_id)
    panel = stage.show_panel(index, animate=False)
    panel.finish()
    image = stage.render_image(QSize(1920, 1080)).scaled(
        SIZE, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    panel.deactivate()
    path = GOLDEN / f"{panel_id}.{language}.png"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        assert image.save(str(path))
        return
    assert path.exists(), f"no golden image {path.name}; run with SZKIOSK_UPDATE_GOLDEN=1 and review it"
    expected = QImage(str(path))
    mean, share = compare(image, expected)
    if mean > MEAN_TOLERANCE or share > PIXEL_TOLERANCE:
        ARTIFACTS.mkdir(exist_ok=True)
        image.save(str(ARTIFACTS / path.name))
        pytest.fail(f"{path.name}: mean diff {mean:.2f} (max {MEAN_TOLERANCE}), "
                    f"{share:.2%} pixels differ (max {PIXEL_TOLERANCE:.1%}); actual saved in {ARTIFACTS}")
