"""Golden images of every bundled panel (final state) in both languages, compared region by region.

A whole-image mean hides a changed headline: 5.49 -> 1.23 moves 0.3 % of the pixels and the
mean by 0.7 of 255. So both images are softened with a 3x3 box blur (anti-aliasing noise at
glyph edges averages out, a changed glyph does not) and cut into 16 x 16 px tiles (32 logical
px, about one line of body text): any tile whose mean difference exceeds :data:`TILE_TOLERANCE`
fails, and so does a small difference spread over the whole image (:data:`MEAN_TOLERANCE`).

Regenerate after an intended visual change with ``SZKIOSK_UPDATE_GOLDEN=1 bash scripts/test.sh
tests/panels/test_golden.py`` and look at every new image before committing it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from panel_helpers import on_stage
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from conftest import HEADLINE
from szkiosk.content import load_deck

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"
SIZE = QSize(960, 540)
UPDATE = os.environ.get("SZKIOSK_UPDATE_GOLDEN") == "1"
#: Side of a compared tile in image pixels (the image is half the logical stage).
TILE = 16
#: Largest mean absolute difference per channel (0..255) in any tile, after the blur.
#: Measured: a changed headline number gives 62, one changed digit of it 45; every edge pixel
#: of a panel off by up to +-32 levels (anti-aliasing noise) gives at most 7.
TILE_TOLERANCE = 20.0
#: Largest mean difference over the whole image, after the blur (a slight change everywhere,
#: e.g. a surface colour, stays under the tile tolerance but not under this one).
MEAN_TOLERANCE = 1.5

DECK = load_deck(Path(__file__).resolve().parents[2] / "content")
CASES = [(p.id, lang) for p in DECK.panels for lang in DECK.model.languages]


def as_array(image: QImage) -> np.ndarray:
    """The image's RGB channels as an int16 array (height, width, 3)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = image.constBits()
    data = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].astype(np.int16)


def box_blur(a: np.ndarray) -> np.ndarray:
    """Mean of each pixel's 3x3 neighbourhood (edges repeated), per channel."""
    padded = np.pad(a.astype(np.float32), ((1, 1), (1, 1), (0, 0)), mode="edge")
    h, w = a.shape[:2]
    return sum(padded[dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3)) / 9.0


@dataclass(frozen=True)
class Difference:
    """How two images differ: the worst tile (its mean and where it is) and the overall mean."""

    tile: float
    where: tuple[int, int]
    mean: float

    @property
    def rejected(self) -> bool:
        """True when a visitor could see the difference."""
        return self.tile > TILE_TOLERANCE or self.mean > MEAN_TOLERANCE

    def __str__(self) -> str:
        x, y = self.where
        return (f"worst {TILE}x{TILE} tile at ({x}, {y}) differs by {self.tile:.1f} (max {TILE_TOLERANCE}), "
                f"whole image by {self.mean:.2f} (max {MEAN_TOLERANCE})")


def compare(actual: QImage, expected: QImage) -> Difference:
    """Compare two images of the same size region by region (see the module docstring)."""
    a, b = as_array(actual), as_array(expected)
    assert a.shape == b.shape, f"image sizes differ: {a.shape} and {b.shape}"
    diff = np.abs(box_blur(a) - box_blur(b)).mean(axis=2)
    h, w = diff.shape
    rows, cols = np.arange(0, h, TILE), np.arange(0, w, TILE)
    sums = np.add.reduceat(np.add.reduceat(diff, rows, axis=0), cols, axis=1)
    counts = np.outer(np.diff(np.append(rows, h)), np.diff(np.append(cols, w)))
    tiles = sums / counts
    r, c = np.unravel_index(int(tiles.argmax()), tiles.shape)
    return Difference(float(tiles[r, c]), (int(cols[c]), int(rows[r])), float(diff.mean()))


def render_panel(stage_for, deck, panel_id: str, language: str) -> QImage:
    """The stage showing ``panel_id`` at its final state, at 1920x1080, scaled to :data:`SIZE`."""
    stage = stage_for(deck, language, (1920, 1080))
    panel = on_stage(stage, deck, panel_id)
    image = stage.render_image(QSize(1920, 1080)).scaled(
        SIZE, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    panel.deactivate()
    return image


def golden(panel_id: str, language: str) -> QImage:
    path = GOLDEN / f"{panel_id}.{language}.png"
    assert path.exists(), f"no golden image {path.name}; run with SZKIOSK_UPDATE_GOLDEN=1 and review it"
    return QImage(str(path))


def edge_noise(image: QImage, amplitude: int, seed: int = 13) -> QImage:
    """``image`` with every edge pixel (where the 3x3 neighbourhood varies by more than 16
    levels) moved by a random amount up to +-``amplitude``: anti-aliasing that differs."""
    a = as_array(image).astype(np.int32)
    grey = a.max(axis=2)
    padded = np.pad(grey, 1, mode="edge")
    h, w = grey.shape
    shifted = [padded[dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3)]
    edge = (np.max(shifted, axis=0) - np.min(shifted, axis=0)) > 16
    noise = np.random.default_rng(seed).integers(-amplitude, amplitude + 1, size=(h, w))
    out = np.where(edge[..., None], np.clip(a + noise[..., None], 0, 255), a).astype(np.uint8)
    # as_array keeps the bytes' order (B, G, R on little-endian machines): add the fourth byte back
    pixels = np.concatenate([out, np.full((h, w, 1), 255, np.uint8)], axis=2)
    return QImage(pixels.tobytes(), w, h, w * 4, QImage.Format.Format_RGB32).copy()


def test_compare_rejects_a_changed_region_and_accepts_the_same_image() -> None:
    blank = QImage(SIZE, QImage.Format.Format_RGB32)
    blank.fill(Qt.GlobalColor.black)
    marked = blank.copy()
    for x in range(300, 330):  # 30 x 20 px: far less than 1 % of the image
        for y in range(200, 220):
            marked.setPixel(x, y, 0xFFFFFFFF)
    difference = compare(marked, blank)
    assert difference.rejected, str(difference)
    assert difference.mean < MEAN_TOLERANCE, "found by its tile, not by the whole-image mean"
    assert 288 <= difference.where[0] <= 330 and 192 <= difference.where[1] <= 220, str(difference)
    same = compare(blank, blank.copy())
    assert (same.tile, same.mean) == (0.0, 0.0) and not same.rejected


def test_compare_rejects_a_slight_change_everywhere() -> None:
    dark = QImage(SIZE, QImage.Format.Format_RGB32)
    dark.fill(0x0A1A33)
    lighter = QImage(SIZE, QImage.Format.Format_RGB32)
    lighter.fill(0x0E1E37)  # every channel 4 levels up: under the tile tolerance, over the mean one
    difference = compare(lighter, dark)
    assert difference.tile < TILE_TOLERANCE and difference.rejected, str(difference)


@pytest.mark.parametrize("language", DECK.model.languages)
def test_anti_aliasing_noise_passes(language: str) -> None:
    expected = golden(HEADLINE[0], language)
    noisy = edge_noise(expected, 32)
    changed = np.abs(as_array(noisy) - as_array(expected)).max(axis=2) > 0
    assert changed.mean() > 0.05, "the noise touches a good share of the pixels"
    difference = compare(noisy, expected)
    assert not difference.rejected, str(difference)


@pytest.mark.parametrize("language", DECK.model.languages)
def test_a_changed_headline_is_rejected(stage_for, changed_headline_deck, language: str) -> None:
    """5.49 -> 1.23 in the R&D figure: the whole-image mean let it pass in both languages."""
    panel_id = HEADLINE[0]
    image = render_panel(stage_for, changed_headline_deck, panel_id, language)
    difference = compare(image, golden(panel_id, language))
    assert difference.rejected, str(difference)
    assert difference.tile > 2 * TILE_TOLERANCE, str(difference)
    assert difference.mean < MEAN_TOLERANCE, "a whole-image mean alone would let it pass"
    x, y = difference.where
    assert x < SIZE.width() / 3 and y < SIZE.height() / 2, f"the worst tile is the R&D headline: {difference}"


@pytest.mark.parametrize(("panel_id", "language"), CASES, ids=[f"{p}-{lang}" for p, lang in CASES])
def test_panel_matches_golden(stage_for, panel_id: str, language: str) -> None:
    image = render_panel(stage_for, DECK, panel_id, language)
    path = GOLDEN / f"{panel_id}.{language}.png"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        assert image.save(str(path))
        return
    difference = compare(image, golden(panel_id, language))
    if difference.rejected:
        ARTIFACTS.mkdir(exist_ok=True)
        image.save(str(ARTIFACTS / path.name))
        pytest.fail(f"{path.name}: {difference}; actual saved in {ARTIFACTS}")
