"""PDF handouts: one page per panel, non-blank pages, Chinese text present as text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]


def export(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "szkiosk", "export", "content", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_pdf_has_one_page_per_panel_with_text(tmp_path: Path, bundled_deck, language: str) -> None:
    pdf = tmp_path / f"handout-{language}.pdf"
    out = export(tmp_path, "--pdf", str(pdf), "--lang", language, "--notes")
    assert out.returncode == 0, out.stderr
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == len(bundled_deck.panels)
    # the CJK font maps some ideographs to Kangxi radicals in its ToUnicode table; NFKC undoes it
    text = unicodedata.normalize("NFKC", "".join(page.extract_text() or "" for page in reader.pages))
    first_title = bundled_deck.model.title.get(language)
    assert first_title.replace(" ", "")[:4] in text.replace(" ", "")
    if language == "zh":
        assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 100
    assert f"[{len(reader.pages)}/{len(reader.pages)}]" in out.stdout


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is installed by scripts/setup.sh --test")
def test_pdf_pages_render_non_blank(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    pdf = tmp_path / "h.pdf"
    assert export(tmp_path, "--pdf", str(pdf)).returncode == 0
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    for page in pages:
        image = QImage(str(page))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
        assert len(colours) > 10, f"{page.name} is blank"


def test_export_needs_an_output(tmp_path: Path) -> None:
    out = export(tmp_path)
    assert out.returncode == 2
    assert "--pdf" in out.stderr
