"""The printed handout: white paper, A4 or Letter, no touch controls, faces, details, notes
only on request, every source in full; pages rendered with poppler and read back as text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRectF

from szkiosk.catalogue import language_name, ui_text
from szkiosk.content import PanelModel
from szkiosk.content.legibility import contrast_ratio
from szkiosk.content.schema import Theme
from szkiosk.kit.access import tappable_controls
from szkiosk.kit.items import Card, Pill, TapArea
from szkiosk.kit.text import TextItem
from szkiosk.kit.theme import QtTheme
from szkiosk.panels.base import Panel
from szkiosk.talk.export import PrintStage, hide_controls, lay_out_handout, print_deck, source_numbers
from szkiosk.talk.handout import Page, PageGeometry, Paginator, Para, PlacedLine, PrintRuns, print_resolution
from szkiosk.talk.print_theme import PAPER, print_theme, text_pairs
from szkiosk.typeset import broken_words

ROOT = Path(__file__).resolve().parents[2]
POPPLER = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None,
                             reason="poppler-utils is installed by scripts/setup.sh --test")


def letters(text: str) -> str:
    """:func:`norm` without digits: a face's digits are not yet in the PDF's text layer (the kit's
    fonts keep the CJK font's ``locl`` feature, which draws Latin digits from unmapped glyphs)."""
    return re.sub(r"\d", "", norm(text))


def norm(text: str) -> str:
    """Letters and digits only (line breaks, spaces and the font's curly quotes vary in extraction).

    NFKC also undoes the ligatures and the Kangxi radicals the CJK font's ToUnicode table uses.
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


@dataclass
class Handout:
    path: Path
    out: str
    pages: list[str]

    @property
    def text(self) -> str:
        return unicodedata.normalize("NFKC", "\n".join(self.pages))


def export(out_dir: Path, name: str, *args: str) -> Handout:
    pdf = out_dir / f"{name}.pdf"
    env = dict(os.environ, HOME=str(out_dir / "home"), XDG_CACHE_HOME=str(out_dir / "cache"),
               XDG_STATE_HOME=str(out_dir / "state"), XDG_CONFIG_HOME=str(out_dir / "config"))
    done = subprocess.run([sys.executable, "-m", "szkiosk", "export", "content", "--pdf", str(pdf), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return Handout(pdf, done.stdout, [page.extract_text() or "" for page in PdfReader(str(pdf)).pages])


@pytest.fixture(scope="module")
def handouts(tmp_path_factory) -> dict[str, Handout]:
    """The handouts, exported once: English and Chinese (A4, no notes), English with notes on
    Letter, Chinese with notes."""
    out = tmp_path_factory.mktemp("handouts")
    return {
        "en": export(out, "en"),
        "zh": export(out, "zh", "--lang", "zh"),
        "en-notes-letter": export(out, "en-notes-letter", "--notes", "--paper", "letter"),
        "zh-notes": export(out, "zh-notes", "--lang", "zh", "--notes"),
    }


def models(deck) -> Iterator[PanelModel]:
    yield from (m for m in deck.panels if isinstance(m, PanelModel))


# -- the print theme -------------------------------------------------------------------------------
@pytest.mark.parametrize("deck_path", ["content", "examples/launch", None])
def test_print_theme_reads_on_white(deck_path: str | None) -> None:
    from szkiosk.content import load_deck

    base = load_deck(ROOT / deck_path).model.theme if deck_path else Theme(
        background="#F0F0F0", surface="#FFFFFF", text="#111111", muted="#DDDDDD", accent="#FFEE00", data="#00FFFF",
        palette=["#FFFF00", "#00FF00"])
    theme = print_theme(base)
    assert theme.background == PAPER
    for name, fg, bg, least in text_pairs(theme):
        assert contrast_ratio(fg, bg) >= max(4.5, least), f"{name}: {fg} on {bg}"
    # the same accents: hue kept where a colour had to darken
    assert len(theme.palette) == len(base.palette)
    assert base.model_copy(update={"background": "#FFFFFF"}).headline_size == theme.headline_size


def test_print_stage_builds_panels_for_print_with_the_print_theme(bundled_deck) -> None:
    stage = PrintStage(print_deck(bundled_deck), "en")
    try:
        panel = stage.panel(0)
        assert panel.ctx.medium == "print" and panel.for_print
        assert stage.theme.colour("background").name().upper() == PAPER
        assert stage.theme.model == print_theme(bundled_deck.model.theme)
    finally:
        stage.stop()
        stage.deleteLater()


# -- no touch controls -------------------------------------------------------------------------------
class HintPanel(Panel):
    """A panel with a tappable pill and a hint made with the base helpers."""

    build_ms = 0.0

    def build_body(self, rect: QRectF) -> None:
        self.hint_node = self.text("Tap a card to see more", "body", "muted", hint=True)
        self.hint_node.place(QRectF(rect.left(), rect.top(), 800, 0), self)
        self.plain = self.text("Ten firms", "body")
        self.plain.place(QRectF(rect.left(), rect.top() + 100, 800, 0), self)
        theme = self.ctx.theme
        self.chip = Pill(QRectF(rect.left(), rect.top() + 200, 200, 72), "All", theme.style("control"),
                         theme.colour("surface"), theme.colour("text"), lambda: None, parent=self)
        self.label = Pill(QRectF(rect.left(), rect.top() + 300, 200, 72), "Huawei", theme.style("control"),
                          theme.colour("surface"), theme.colour("text"), None, parent=self)
        # a control of the panel's own making, marked as one
        self.toggle = Card(QRectF(rect.left(), rect.top() + 400, 200, 72), theme.colour("surface"), parent=self)
        self.toggle.control = True
        # a card a tap opens details from, labelled for the keyboard and the reach bar: content, kept
        self.figure = Card(QRectF(rect.left(), rect.top() + 600, 200, 72), theme.colour("surface"), parent=self)
        TextItem("R&D funds", theme.style("label"), QRectF(rect.left(), rect.top() + 600, 200, 72), parent=self.figure)
        TapArea(QRectF(rect.left(), rect.top() + 600, 200, 72), lambda: None, self.figure).label = "R&D funds"


def test_hints_and_tappable_pills_are_hidden_in_print(bundled_deck) -> None:
    stage = PrintStage(print_deck(bundled_deck), "en")
    try:
        panel = HintPanel(bundled_deck.panels[1], stage.context())
        assert panel.hint_node.item.hint is True and not getattr(panel.plain.item, "hint", False)
        hidden = hide_controls(panel)
        assert panel.hint_node.item in hidden and panel.chip in hidden and panel.more_button in hidden
        assert panel.toggle in hidden
        assert panel.plain.item.isVisible() and panel.label.isVisible() and panel.figure.isVisible()  # content
        assert not [label for label, item, _ in tappable_controls(panel) if isinstance(item, Pill)]
    finally:
        stage.stop()
        stage.deleteLater()


def test_no_panel_of_the_deck_keeps_a_control_or_hint_in_print(bundled_deck) -> None:
    stage = PrintStage(print_deck(bundled_deck), "en")
    stage.show_controls = False
    try:
        for i, model in enumerate(bundled_deck.panels):
            panel = stage.show_panel(i, animate=False)
            panel.finish()
            cards = [item.parentItem() for _, item, _ in tappable_controls(panel)
                     if isinstance(item, TapArea) and isinstance(item.parentItem(), Card)
                     and not callable(getattr(item.parentItem(), "set_on", None))]
            hide_controls(panel)
            pills = [label for label, item, _ in tappable_controls(panel) if isinstance(item, Pill)]
            assert not pills, f"{model.id}: {pills}"
            hint = getattr(model, "hint", None)
            texts = [t.text for t in _texts(panel) if t.isVisibleTo(panel)]
            assert hint is None or hint.get("en") not in texts, model.id
            controls = {ui_text(k, "en") for k in CONTROL_KEYS} - set(str(model.model_dump()).split("'"))
            assert not controls & set(texts), f"{model.id}: {controls & set(texts)}"
            # the content stays: every card a tap opens details from (gauges, figures, counts)
            assert all(card.isVisible() for card in cards), model.id
            panel.deactivate()
    finally:
        stage.stop()
        stage.deleteLater()


#: Labels of the show's controls (chips, buttons): never printed, unless the content says them.
CONTROL_KEYS = ("details.more", "details.close", "access.button", "worldmap.all", "worldmap.sister",
                "worldmap.friendly", "worldmap.list", "worldmap.map", "worldmap.world", "worldmap.asia",
                "worldmap.europe", "worldmap.africa", "worldmap.americas", "worldmap.oceania")


def _texts(panel: Panel) -> list[TextItem]:
    out, stack = [], list(panel.childItems())
    while stack:
        item = stack.pop()
        stack.extend(item.childItems())
        if hasattr(item, "text") and isinstance(getattr(item, "text", None), str):
            out.append(item)
    return out


# -- page layout -------------------------------------------------------------------------------------------
def _geometry(theme: QtTheme, width_pt: float = 595.276, height_pt: float = 841.89) -> PageGeometry:
    dpi = print_resolution(theme.model.body_size)
    return PageGeometry(width_pt * dpi / 72, height_pt * dpi / 72, dpi)


def check_pages(pages: list[Page], geometry: PageGeometry) -> None:
    """No clipped text, no heading alone at a column's foot, no split leaving one line."""
    body = geometry.body
    for n, page in enumerate(pages, 1):
        lines = page.lines
        for line in lines:
            width = PrintRuns.of(line.style).width(line.text)
            frame = line.frame
            where = f"page {n}: {line.text!r}"
            assert frame.left() - 0.5 <= line.x and line.x + width <= frame.right() + 0.5, where
            assert frame.top() - 0.5 <= line.top and line.bottom <= frame.bottom() + 0.5, where
            assert body.top() - 0.5 <= line.top and line.bottom <= body.bottom() + 0.5, where
        for i, line in enumerate(lines):
            if line.kind == "source":  # a source line stays with the text it cites
                assert [x for x in lines[:i] if x.frame == line.frame], f"page {n}: {line.text!r} starts a column"
            if line.kind == "heading" and line.last and line.para.keep:
                following = [x for x in lines[i + 1:] if x.frame == line.frame and x.kind != "heading"]
                assert following, f"page {n}: heading {line.text!r} ends its column"
    # a paragraph split between columns or pages leaves at least two lines on each side
    pieces: dict[int, dict[tuple[int, float, float], int]] = {}
    for n, page in enumerate(pages):
        for line in page.lines:
            if line.kind != "label":
                where = pieces.setdefault(id(line.para), {})
                key = (n, line.frame.left(), line.frame.top())
                where[key] = where.get(key, 0) + 1
    for counts in pieces.values():
        if len(counts) > 1:
            assert min(counts.values()) >= 2, f"a lone line of a split paragraph: {counts}"


def _paras(theme: QtTheme, language: str) -> list[Para]:
    s = theme.style
    body = s("body", "text", language)
    text = {"en": "Shenzhen has accelerated the integration of the four chains: industry, innovation, talent and "
                  "education, and built a modern industrial system for the future. ",
            "zh": "深圳加快推进产业链、创新链、人才链、教育链“四链”融合，"
                  "构建现代化产业体系，打造具有全球影响力的科技和产业创新高地。"}[language]
    out: list[Para] = []
    for i in range(14):
        out.append(Para(f"Section {i}" if language == "en" else f"第{i}节", s("title", "text", language), 40,
                        keep=True, kind="heading"))
        out.append(Para(text * (1 + i % 5), body, 10))
    return out


@pytest.mark.parametrize("language", ["en", "zh"])
def test_paragraphs_flow_into_columns_without_clipping_or_orphans(language: str) -> None:
    theme = QtTheme(print_theme(Theme(body_size=34)))
    geometry = _geometry(theme)
    pager = Paginator(geometry)
    paras = _paras(theme, language)
    pager.add(paras[:6], face=0, face_height=geometry.text_width * 9 / 16)
    pager.add(paras[6:])
    pager.new_page()
    pager.add([replace(p, kind=p.kind) for p in paras[:4]], columns=1)  # new paragraphs, one column
    assert len(pager.pages) >= 3
    check_pages(pager.pages, geometry)
    placed = [line for page in pager.pages for line in page.lines]
    body = [p for p in paras if p.kind == "body"]
    # every paragraph is there, whole, and Chinese breaks between words
    for para in body[:3]:
        lines = [ln.text for ln in placed if ln.para is para]
        assert norm("".join(lines)) == norm(para.text)
        if language == "zh":
            assert broken_words(para.text, lines) == []


@pytest.mark.parametrize(("language", "paper"), [("en", "a4"), ("zh", "letter")])
def test_the_decks_handout_lays_out_cleanly(bundled_deck, language: str, paper: str) -> None:
    deck = print_deck(bundled_deck)
    theme = QtTheme(deck.model.theme)
    dpi = print_resolution(theme.model.body_size)
    handout = lay_out_handout(deck, language, notes=True, paper=paper, dpi=dpi, theme=theme)
    check_pages(handout.pages, handout.geometry)
    faces = [item.index for page in handout.pages for item in page.items if not isinstance(item, PlacedLine)]
    assert faces == [i for i, m in enumerate(deck.panels) if isinstance(m, PanelModel)]


# -- the PDF ---------------------------------------------------------------------------------------------------
def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


@POPPLER
@pytest.mark.parametrize(("name", "size"), [("en", (595, 842)), ("zh-notes", (595, 842)),
                                            ("en-notes-letter", (612, 792))])
def test_pages_are_a4_or_letter_portrait(handouts, name: str, size: tuple[int, int]) -> None:
    handout = handouts[name]
    sizes = page_sizes(handout.path)
    assert len(sizes) == len(handout.pages) > 1
    assert set(sizes) == {size}
    assert f"[{len(sizes)}/{len(sizes)}]" in handout.out


@POPPLER
@pytest.mark.parametrize("name", ["en", "zh-notes"])
def test_every_page_is_light_paper(handouts, tmp_path: Path, name: str) -> None:
    from PySide6.QtGui import QImage

    subprocess.run(["pdftoppm", "-r", "24", "-gray", "-png", str(handouts[name].path), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(handouts[name].pages)
    for page in pages:
        image = QImage(str(page)).convertToFormat(QImage.Format.Format_Grayscale8)
        bits = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
        grey = bits[:, : image.width()].astype(float)
        h, w = grey.shape
        border = np.concatenate([grey[: h // 20].ravel(), grey[-h // 20:].ravel(),
                                 grey[:, : w // 20].ravel(), grey[:, -w // 20:].ravel()])
        assert border.mean() > 250, f"{page.name}: border {border.mean():.0f}"
        assert grey.mean() > 225, f"{page.name}: page {grey.mean():.0f}"
        assert np.percentile(grey, 25) > 240, f"{page.name}: a quarter of the page is dark"
        assert grey.min() < 200, f"{page.name} is blank"


@POPPLER
@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_control_words_in_print(handouts, bundled_deck, language: str) -> None:
    text = handouts[language].text
    others = [c for c in bundled_deck.model.languages if c != language]
    words = [ui_text("details.more", language), ui_text("access.more", language), ui_text("details.close", language),
             ui_text("fallback.hint", language), "‹", "›", *(language_name(c) for c in others)]
    for word in words:
        assert word not in text, word
    # the chips' words, in the panels' pages (the appendix cites "List of twin towns ..."), where
    # the content does not use them itself
    lead = norm(ui_text("talk.handout.appendix_lead", language))
    pages = handouts[language].pages
    panels = unicodedata.normalize("NFKC", "\n".join(pages[:next(i for i, p in enumerate(pages) if lead in norm(p))]))
    content = " ".join(str(m.model_dump()) for m in models(bundled_deck))
    for key in ("access.button", "worldmap.list", "worldmap.map", "worldmap.all", "worldmap.world",
                "worldmap.europe", "worldmap.asia"):
        word = ui_text(key, language)
        pattern = rf"(?<!\w){re.escape(word)}(?!\w)"
        if not re.search(pattern, content):
            assert not re.search(pattern, panels), word
    if language == "en":  # no instruction to touch ("Tap a city ...", "Swipe or tap ...")
        assert not re.search(r"(^|\n|[.!?:]\s+)(Tap|Swipe|Touch)\b", text.replace("\t", " "))
    for model in models(bundled_deck):  # the panels' own "Tap a city ..." lines
        hint = getattr(model, "hint", None)
        if hint is not None:
            assert norm(hint.get(language)) not in norm(text), model.id
    # no page number of the footer row: the only "n / N" is none at all
    assert not re.search(rf"\b1 / {len(bundled_deck.panels)}\b", text)


@POPPLER
def test_faces_details_and_page_furniture(handouts, bundled_deck) -> None:
    handout = handouts["en"]
    text = norm(handout.text)
    for model in models(bundled_deck):
        assert letters(model.title.get("en")) in letters(handout.text), model.id  # the faces, as text
        for detail in model.details:
            assert norm(detail.text.get("en"))[:80] in text, f"{model.id}: {detail.text.get('en')[:40]}"
            if detail.title is not None:
                assert norm(detail.title.get("en")) in text
    title = bundled_deck.model.title.get("en")
    total = len(handout.pages)
    for n, page in enumerate(handout.pages, 1):
        assert norm(title) in norm(page) and "English" in page  # the running header
        assert norm(ui_text("talk.handout.page", "en", page=n, pages=total)) in norm(page)


@POPPLER
def test_every_source_in_full_in_the_appendix(handouts, bundled_deck) -> None:
    for name, language in (("en", "en"), ("zh-notes", "zh")):
        pages = handouts[name].pages
        lead = norm(ui_text("talk.handout.appendix_lead", language))
        start = next(i for i, page in enumerate(pages) if lead in norm(page))
        furniture = [bundled_deck.model.title.get(language), language_name(language)]
        appendix = ""
        for n, page in enumerate(pages[start:], start + 1):  # without the running header and footer
            page = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page))
            for words in [*furniture, ui_text("talk.handout.page", language, page=n, pages=len(pages))]:
                page = page.replace(re.sub(r"\s+", " ", words), "", 1)
            appendix += page
        flat = re.sub(r"\s+", "", appendix)
        numbers = source_numbers(bundled_deck)
        assert sorted(numbers.values()) == list(range(1, len(bundled_deck.sources) + 1))
        for sid, source in bundled_deck.sources.items():
            if source.url:
                assert source.url in flat, f"{name}: {sid} {source.url}"
            assert norm(source.publisher.get(language)) in norm(appendix), f"{name}: {sid}"
            assert source.date in flat and f"[{numbers[sid]}]" in flat
        # the panels cite by those numbers
        body = "".join(pages[:start])
        assert "[1]" in body


@POPPLER
def test_notes_only_with_notes_and_never_a_dash(handouts, bundled_deck) -> None:
    with_notes = [m for m in models(bundled_deck) if m.notes is not None]
    assert with_notes
    for language in ("en", "zh"):
        plain, noted = handouts[language], handouts["en-notes-letter" if language == "en" else "zh-notes"]
        heading = norm(ui_text("talk.handout.notes", language))
        assert heading not in norm(plain.text)
        assert norm(noted.text).count(heading) == len(with_notes)
        for model in with_notes:
            snippet = norm(model.notes.get(language))[:40]
            assert snippet in norm(noted.text), f"{language}: {model.id}"
            assert snippet not in norm(plain.text), f"{language}: {model.id}"
        for handout in (plain, noted):
            assert not [line for line in handout.text.splitlines() if line.strip() in ("—", "-", "–")]


@POPPLER
def test_chinese_handout_embeds_its_font_and_draws_chinese(handouts, bundled_deck) -> None:
    handout = handouts["zh-notes"]
    fonts = subprocess.run(["pdffonts", str(handout.path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSansSC" in line or "CJK" in line]
    assert cjk and all(" yes " in line.split("Identity-H", 1)[-1] for line in cjk), fonts
    text = handout.text
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 1000
    for model in models(bundled_deck):
        assert letters(model.title.get("zh")) in letters(text), model.id
    # the text layer says 人民 and 页, not the radicals ⼈⺠ and ⻚ that share their glyphs
    raw = "".join(handout.pages)
    assert not [ch for ch in raw if 0x2E80 <= ord(ch) < 0x2FE0]
    assert "人民政府" in raw and "页" in raw
    first = norm(handout.pages[0])
    assert norm("中文") in first and norm(bundled_deck.model.title.get("zh")) in first
    assert norm(ui_text("talk.handout.page", "zh", page=1, pages=len(handout.pages))) in norm(handout.pages[0])


def test_export_needs_an_output(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "szkiosk", "export", "content"], cwd=ROOT, capture_output=True,
                         text=True, timeout=180)
    assert out.returncode == 2
    assert "--pdf" in out.stderr


def test_export_refuses_an_unknown_paper(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "szkiosk", "export", "content", "--pdf", str(tmp_path / "x.pdf"),
                          "--paper", "a3"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert out.returncode == 2 and "letter" in out.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_details_list_prints_as_items_whose_wrapped_lines_hang_under_their_text(bundled_deck) -> None:
    """The five-actions details are "• ..." lines: each becomes an item with its bullet in the
    margin and every line of its text one indent in, as on screen."""
    deck = print_deck(bundled_deck)
    theme = QtTheme(deck.model.theme)
    handout = lay_out_handout(deck, "en", notes=False, paper="a4", dpi=print_resolution(theme.model.body_size),
                              theme=theme)
    placed = [ln for page in handout.pages for ln in page.items if isinstance(ln, PlacedLine)]
    items = [ln for ln in placed if ln.para is not None and ln.para.kind == "item"]
    wanted = "Best place for industrialization of scientific and technological achievements"
    lines = [ln for ln in items if ln.para.text == wanted]
    texts = [ln for ln in lines if ln.kind != "label"]
    labels = [ln for ln in lines if ln.kind == "label"]
    assert len(texts) >= 2 and len(labels) == 1 and labels[0].text == "•"  # it wraps, one bullet
    assert norm("".join(ln.text for ln in texts)) == norm(wanted)
    indent = lines[0].para.indent
    assert indent > 0
    assert labels[0].x == pytest.approx(labels[0].frame.left())
    assert all(ln.x == pytest.approx(ln.frame.left() + indent) for ln in texts)  # first and wrapped lines
    assert not any("•" in ln.text for ln in texts)
    # every item of the three lists, none lost
    model = next(m for m in deck.panels if m.id == "five-actions")
    bullets = [line[2:] for d in model.details for line in d.text.get("en").split("\n") if line.startswith("• ")]
    assert sorted({ln.para.text for ln in items}) == sorted(set(bullets))
