"""The printed handout (``szkiosk export DECK --pdf FILE``): a portrait PDF fit to print.

For each panel: its face (the stage at the panel's final state, drawn with the print theme,
text as vector text, no touch controls), then every section of its detail layer, then its
speaker notes (``--notes``; nothing when a panel has none); at the end an appendix with every
source of the deck in full (publisher, title, date, address), numbered as the panels cite
them, in the handout's language. A4 by default, US Letter on request; a running header with
the deck's title and language and a page number on every page.

Print is a medium of the panel context (``PanelContext.medium == "print"``): panels may
arrange themselves for paper (:attr:`~szkiosk.panels.base.Panel.for_print`). Whatever they
do, the handout hides every control a visitor taps (a :class:`~szkiosk.kit.items.Pill` with
an action: "More ›", the footer row; any item marked ``control = True``: filter chips) and
every text marked as a touch hint (``Panel.text(..., hint=True)`` sets ``item.hint = True``):
see :func:`hide_controls`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPicture,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.catalogue import language_name, ui_text
from szkiosk.content import LoadedDeck, PanelModel
from szkiosk.content.schema import Accessibility
from szkiosk.content.sources import Source
from szkiosk.kit.items import Card, Pill
from szkiosk.kit.text import BULLET, INK_ASCENT, TextItem, TextStyle
from szkiosk.kit.theme import QtTheme
from szkiosk.panels.base import Panel, PanelContext
from szkiosk.panels.details import Section, sections_for
from szkiosk.panels.registry import fallback_class
from szkiosk.show.stage import Stage
from szkiosk.talk.handout import (
    Page,
    PageGeometry,
    Paginator,
    Para,
    PlacedFace,
    PlacedLine,
    PrintRuns,
    print_resolution,
)
from szkiosk.talk.pdftext import searchable_chinese
from szkiosk.talk.print_theme import print_theme

log = logging.getLogger(__name__)

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
#: The stage a face is rendered from (logical px).
STAGE_W, STAGE_H = 1920, 1080


class PrintStage(Stage):
    """A stage whose panels are built for print (``medium="print"``)."""

    def context(self) -> PanelContext:
        return replace(super().context(), medium="print")


def print_deck(deck: LoadedDeck) -> LoadedDeck:
    """The deck with the print theme and no accessibility modes (paper has its own contrast)."""
    model = deck.model.model_copy(update={"theme": print_theme(deck.model.theme), "accessibility": Accessibility()})
    return replace(deck, model=model)


def hide_controls(panel: Panel) -> list[QGraphicsItem]:
    """Hide what is only for touch; returns what it hid.

    Controls are every :class:`~szkiosk.kit.items.Pill` with an action ("More ›", the footer's
    buttons) and every item marked ``control = True``; hints are every item marked
    ``hint = True`` (``Panel.text(..., hint=True)``). Cards and texts that a tap opens details
    from stay: they carry content. Until every panel marks its own, two stop-gaps: a text that
    repeats the panel's ``hint:`` field ("Tap a city for its story"), and a card with an on/off
    state (``set_on``: a filter chip).
    """
    model = panel.model
    content_hint = getattr(model, "hint", None)
    hint_text = content_hint.get(panel.ctx.language).strip() if content_hint is not None else None
    found: list[QGraphicsItem] = []
    stack: list[QGraphicsItem] = list(panel.childItems())
    while stack:
        item = stack.pop()
        stack.extend(item.childItems())
        if _is_control(item) or _is_hint(item, hint_text):
            found.append(item)
    hidden = [item for item in found if item.isVisible()]
    for item in hidden:
        item.setVisible(False)
    return hidden


def _is_control(item: QGraphicsItem) -> bool:
    if isinstance(item, Pill) and item._on_tap is not None:  # as kit.access reads it
        return True
    chip = isinstance(item, Card) and callable(getattr(item, "set_on", None))
    return chip or getattr(item, "control", False) is True


def _is_hint(item: QGraphicsItem, content_hint: str | None) -> bool:
    if getattr(item, "hint", False) is True:
        return True
    return isinstance(item, TextItem) and content_hint is not None and item.text.strip() == content_hint


# -- the words ---------------------------------------------------------------------------------------
def source_numbers(deck: LoadedDeck) -> dict[str, int]:
    """Each source of the deck by its number in the appendix: in order of first citation,
    then the ones no panel cites (in the registry's order)."""
    order: list[str] = []
    for model in deck.panels:
        if isinstance(model, PanelModel):
            order += [s for s in model.sources() if s in deck.sources and s not in order]
    order += [s for s in deck.sources if s not in order]
    return {sid: i + 1 for i, sid in enumerate(order)}


@dataclass(frozen=True)
class Styles:
    """The kit's text roles as the handout uses them."""

    heading: TextStyle
    title: TextStyle
    body: TextStyle
    source: TextStyle
    caption: TextStyle
    notes_heading: TextStyle
    note: TextStyle

    @classmethod
    def of(cls, theme: QtTheme, language: str) -> Styles:
        s = theme.style
        return cls(s("headline", "text", language), s("title", "text", language), s("body", "text", language),
                   s("source", "muted", language), s("caption", "text", language), s("title", "accent", language),
                   s("caption", "muted", language))


def _ref(n: int) -> str:
    return f"[{n}]"


def panel_paras(model: PanelModel, deck: LoadedDeck, language: str, numbers: dict[str, int], styles: Styles,
                *, notes: bool) -> list[Para]:
    """A panel's printed texts: its detail sections, then (``notes``) its speaker notes.

    The detail layer's own list of sources becomes a list of references to the appendix.
    """
    body = styles.body.px
    out: list[Para] = []
    cited = [s for s in model.sources() if s in deck.sources]
    for section in sections_for(model.details, cited, deck.sources, language):
        out += _section(section, model, deck, language, numbers, styles, body)
    text = model.notes.get(language).strip() if notes and model.notes is not None else ""
    if text:
        out.append(Para(ui_text("talk.handout.notes", language), styles.notes_heading, body * 1.2, keep=True,
                        kind="heading"))
        out += [Para(p, styles.body, body * (0.3 if i == 0 else 0.5), kind="notes")
                for i, p in enumerate(_paragraphs(text))]
    return out


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _items(paragraph: str) -> list[str] | None:
    """The items of ``paragraph`` when every line of it is a list item (``• ...``), else None."""
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    if not lines or not all(line.startswith(BULLET) for line in lines):
        return None
    return [line[len(BULLET):].strip() for line in lines]


def _section(section: Section, model: PanelModel, deck: LoadedDeck, language: str, numbers: dict[str, int],
             styles: Styles, body: float) -> list[Para]:
    out: list[Para] = []
    if section.title:
        out.append(Para(section.title, styles.title, body * 1.2, keep=True, kind="heading"))
    if section.about == "sources":
        cited = sorted((s for s in model.sources() if s in deck.sources), key=numbers.__getitem__)
        indent = PrintRuns.of(styles.source).width(_ref(99)) + styles.source.px * 0.6
        out += _list([Para(deck.sources[s].short(language), styles.source, body * (0.3 if i == 0 else 0.15),
                           label=_ref(numbers[s]), indent=indent, kind="reference") for i, s in enumerate(cited)])
        return out
    detail = next((d for i, d in enumerate(model.details) if f"details[{i}]" == section.field), None)
    cites = bool(section.source) and detail is not None and detail.source in numbers
    paragraphs = _paragraphs(section.text)
    hang = PrintRuns.of(styles.body).width(BULLET)
    for i, p in enumerate(paragraphs):
        space = body * (0.3 if i == 0 else 0.5) if section.title or i else body * 1.2
        keep = cites and i == len(paragraphs) - 1
        items = _items(p)
        if items is None:
            out.append(Para(p, styles.body, space, keep=keep))
            continue
        # a list: each item's wrapped lines hang under its text, as on screen
        entries = _list([Para(item, styles.body, space if j == 0 else body * 0.15, label=BULLET.strip(),
                              indent=hang, kind="item") for j, item in enumerate(items)])
        if keep:
            entries[-1] = replace(entries[-1], keep=True)
        out += entries
    if cites:
        out.append(Para(f"{section.source} {_ref(numbers[detail.source])}", styles.source, body * 0.3,
                        kind="source"))
    return out


def _list(entries: list[Para]) -> list[Para]:
    """A list whose first two and last two entries stay together (no entry alone in a column)."""
    if len(entries) >= 2:
        for i in {0, len(entries) - 2}:
            entries[i] = replace(entries[i], keep=True)
    return entries


def appendix_paras(deck: LoadedDeck, language: str, numbers: dict[str, int], styles: Styles) -> list[Para]:
    """The sources appendix: a heading, a line on the numbering, every source in full."""
    body = styles.body.px
    out = [Para(ui_text("talk.handout.appendix", language), styles.heading, keep=True, kind="heading"),
           Para(ui_text("talk.handout.appendix_lead", language), styles.body, body * 0.4, kind="body")]
    indent = PrintRuns.of(styles.caption).width(_ref(len(numbers) * 10 + 9)) + styles.caption.px * 0.7
    entries: list[list[Para]] = []
    for i, (sid, n) in enumerate(sorted(numbers.items(), key=lambda kv: kv[1])):
        source: Source = deck.sources[sid]
        entry = [Para(source.citation(language), styles.caption, body * (0.9 if i == 0 else 0.45), label=_ref(n),
                      indent=indent, kind="citation")]
        if source.note is not None:  # how the figure was read: with its citation, quieter
            entry.append(Para(source.note.get(language), styles.note, 0.0, indent=indent, kind="note"))
        entries.append(entry)
    # an entry stays whole, and the first two and last two entries stay together
    together = {0, len(entries) - 2} if len(entries) >= 2 else set()
    for i, entry in enumerate(entries):
        last = len(entry) - 1
        out += [replace(p, keep=j < last or i in together) for j, p in enumerate(entry)]
    return out


# -- pages -----------------------------------------------------------------------------------------------
@dataclass
class Handout:
    """The laid-out handout: pages, and what each face shows."""

    pages: list[Page]
    geometry: PageGeometry
    theme: QtTheme
    language: str
    title: str
    #: Panels whose face could not be built (drawn as a heading instead).
    faceless: list[int]


def _writer(path: Path, paper: str, dpi: int, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("szkiosk")
    writer.setResolution(dpi)
    writer.setPageLayout(QPageLayout(QPageSize(PAPERS[paper]), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    return writer


def lay_out_handout(deck: LoadedDeck, language: str, *, notes: bool, paper: str, dpi: int, theme: QtTheme,
                    faceless: Sequence[int] = ()) -> Handout:
    """Every page of the handout, laid out (nothing drawn yet)."""
    size = QPageSize(PAPERS[paper]).sizePoints()
    geometry = PageGeometry(size.width() * dpi / 72.0, size.height() * dpi / 72.0, dpi)
    styles = Styles.of(theme, language)
    numbers = source_numbers(deck)
    face_h = geometry.text_width * STAGE_H / STAGE_W
    pager = Paginator(geometry)
    for i, model in enumerate(deck.panels):
        if not isinstance(model, PanelModel):
            log.warning("panel %s has content errors (szkiosk validate): left out of the handout", model.id)
            continue
        paras = panel_paras(model, deck, language, numbers, styles, notes=notes)
        if i in faceless:
            pager.add(paras, heading=Para(model.title.get(language), styles.heading, kind="heading"))
        else:
            pager.add(paras, face=i, face_height=face_h)
    pager.new_page()
    pager.add(appendix_paras(deck, language, numbers, styles), columns=1)
    pages = pager.pages
    return Handout(pages, geometry, theme, language, deck.model.title.get(language), list(faceless))


def export_pdf(deck: LoadedDeck, path: Path, language: str, *, notes: bool = False,
               paper: str = "a4") -> Iterator[tuple[int, int]]:
    """Write the handout; yields (page, pages) as each page is drawn."""
    yield from _export(deck, path, language, notes=notes, paper=paper)
    searchable_chinese(path)


def _export(deck: LoadedDeck, path: Path, language: str, *, notes: bool, paper: str) -> Iterator[tuple[int, int]]:
    printed = print_deck(deck)
    stage = PrintStage(printed, language)
    stage.resize(STAGE_W, STAGE_H)
    stage.fit_to(STAGE_W, STAGE_H)
    stage.animate_transitions = False
    stage.show_controls = False
    theme = stage.theme
    dpi = print_resolution(theme.model.body_size)
    faceless = _faceless(stage, printed)
    handout = lay_out_handout(printed, language, notes=notes, paper=paper, dpi=dpi, theme=theme, faceless=faceless)
    writer = _writer(path, paper, dpi, handout.title)
    painter = QPainter(writer)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    total = len(handout.pages)
    try:
        for n, page in enumerate(handout.pages, 1):
            if n > 1:
                writer.newPage()
            _draw_bands(painter, handout, n, total)
            for item in page.items:
                if isinstance(item, PlacedFace):
                    _draw_face(painter, stage, item, theme)
                else:
                    _draw_line(painter, item)
            yield n, total
    finally:
        painter.end()
        stage.stop()
        stage.deleteLater()


def _faceless(stage: Stage, deck: LoadedDeck) -> list[int]:
    """Panels whose face fails to build (the stage shows its fallback card): printed without."""
    fallback = fallback_class()
    out = []
    for i, model in enumerate(deck.panels):
        if isinstance(model, PanelModel) and isinstance(stage.panel(i), fallback):
            log.warning("panel %s could not be drawn: its face is left out of the handout", model.id)
            out.append(i)
    return out


def _draw_text_item(painter: QPainter, item: TextItem, transform: QTransform, clip: QPainterPath | None,
                    opacity: float, bounds: QRectF) -> None:
    """A kit text item's lines as it lays them out, drawn by :class:`PrintRuns`."""
    style = item.style
    runs = PrintRuns.of(style)
    painter.save()
    painter.setClipRect(bounds)
    painter.setTransform(transform)
    if clip is not None:
        painter.setClipPath(clip, Qt.ClipOperation.IntersectClip)
    painter.setOpacity(opacity)
    painter.setPen(style.colour)
    for line, rect in zip(item.lines, item.line_rects(), strict=True):
        runs.draw(painter, rect.left(), rect.top() + style.px * INK_ASCENT, line)
    painter.restore()


def _draw_line(painter: QPainter, line: PlacedLine) -> None:
    painter.setPen(line.style.colour)
    PrintRuns.of(line.style).draw(painter, line.x, line.baseline, line.text)


def _draw_bands(painter: QPainter, handout: Handout, page: int, total: int) -> None:
    """The running header (title, language, a hairline) and footer (page number)."""
    g = handout.geometry
    t = handout.theme
    style = t.style("source", "muted", handout.language)
    runs = PrintRuns.of(style)
    painter.setPen(style.colour)
    head = g.header
    baseline = head.bottom() - g.mm(1.8)
    runs.draw(painter, head.left(), baseline, handout.title)
    lang = language_name(handout.language)
    runs.draw(painter, head.right() - runs.width(lang), baseline, lang)
    painter.setPen(QPen(t.colour("muted", 0.5), max(1.0, g.mm(0.2))))
    painter.drawLine(head.bottomLeft(), head.bottomRight())
    label = ui_text("talk.handout.page", handout.language, page=page, pages=total)
    foot = g.footer
    painter.setPen(style.colour)
    runs.draw(painter, foot.center().x() - runs.width(label) / 2, foot.bottom() - g.mm(1.0), label)


def _draw_face(painter: QPainter, stage: Stage, face: PlacedFace, theme: QtTheme) -> None:
    """The panel at its final state, without touch controls, scaled into ``face.rect``."""
    panel = stage.show_panel(face.index, animate=False)
    panel.finish()
    hide_controls(panel)
    if stage.chrome.source_box is not None:
        # the handout lists sources under the face; the footer line may point at "More ›"
        stage.chrome.source_box.setVisible(False)
    scene = stage.scene()
    for item in scene.items():
        # draw every item itself, not a pixmap of it: text stays vector text in the PDF
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    # the kit's text is drawn after the rest, line by line where the kit laid it out, with
    # glyphs the PDF's text layer can name (PrintRuns); the recorded picture goes without it
    texts = [i for i in scene.items() if isinstance(i, TextItem) and i.isVisible() and i.effectiveOpacity() > 0.01]
    lifted = [(i, i.sceneTransform(), i.clipPath() if i.isClipped() else None, i.effectiveOpacity()) for i in texts]
    for item in texts:
        item.setVisible(False)
    # Recorded at the stage's own scale, then played onto the page: QPicture.play() scales what
    # it replays by the device's dpi over the default (96), so drawing the scene straight onto
    # the PDF would throw pyqtgraph's bars (QPictures in data coordinates) off the page.
    picture = QPicture()
    recorder = QPainter(picture)
    recorder.setRenderHints(painter.renderHints())
    scene.render(recorder, QRectF(0, 0, STAGE_W, STAGE_H), scene.sceneRect())
    recorder.end()
    for item in texts:
        item.setVisible(True)
    scale = face.rect.width() / STAGE_W * picture.logicalDpiX() / painter.device().logicalDpiX()
    painter.save()
    painter.setClipRect(face.rect)
    painter.translate(face.rect.topLeft())
    painter.scale(scale, scale)
    picture.play(painter)
    painter.restore()
    page = QTransform.fromTranslate(face.rect.left(), face.rect.top()).scale(face.rect.width() / STAGE_W,
                                                                               face.rect.width() / STAGE_W)
    for item, transform, clip, opacity in lifted:
        _draw_text_item(painter, item, transform * page, clip, opacity, face.rect)
    painter.save()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor(theme.colour("muted", 0.35)), 3.0))
    painter.drawRoundedRect(face.rect, 12, 12)
    painter.restore()
    panel.deactivate()
