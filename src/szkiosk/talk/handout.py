"""Page layout of the printed handout: paragraphs of the kit's text roles flowed into columns.

The page is measured in device pixels of a PDF whose resolution makes the theme's body size
10 pt (:func:`print_resolution`), so the kit's roles (headline, title, body, caption, source)
keep their proportions on paper and text is broken into lines by the same typesetter as on
the stage (:func:`szkiosk.typeset.break_lines`: words whole, Chinese broken between words and
by its punctuation rules), measured and drawn by :class:`PrintRuns`, so that the PDF's text
layer reads back what was written.

Rules the layout keeps:

* every line lies inside its column (text is never clipped or shrunk);
* a heading stays with the first two lines of what follows it (no heading at a page bottom),
  and a source line with the last lines of the text it cites;
* a paragraph split across columns or pages leaves at least two lines on each side;
* a panel's face runs across the page, its texts follow in two balanced columns; a panel
  starts on a new page only when its face and first lines do not fit the current one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QPainter

from szkiosk.kit.text import INK_ASCENT, INK_DESCENT, LATIN_FAMILIES, LATIN_SYMBOLS, TextStyle
from szkiosk.typeset import break_lines, has_han

#: Size of the theme's body text on paper, in points.
BODY_PT = 10.0
MM_PER_INCH = 25.4


def print_resolution(body_px: float) -> int:
    """PDF resolution (dpi) at which ``body_px`` device pixels are :data:`BODY_PT` points."""
    return round(72.0 * body_px / BODY_PT)


@dataclass(frozen=True)
class PageGeometry:
    """Where things go on a page, in device pixels."""

    width: float
    height: float
    dpi: float
    side_mm: float = 18.0
    top_mm: float = 12.0
    bottom_mm: float = 12.0
    #: Height of the running header and footer bands, and the air between them and the text.
    band_mm: float = 6.0
    band_gap_mm: float = 5.0
    gutter_mm: float = 8.0
    columns: int = 2

    def mm(self, value: float) -> float:
        """``value`` mm in device pixels."""
        return value / MM_PER_INCH * self.dpi

    @property
    def header(self) -> QRectF:
        """The running header's band."""
        return QRectF(self.mm(self.side_mm), self.mm(self.top_mm), self.text_width, self.mm(self.band_mm))

    @property
    def footer(self) -> QRectF:
        """The running footer's band."""
        h = self.mm(self.band_mm)
        return QRectF(self.mm(self.side_mm), self.height - self.mm(self.bottom_mm) - h, self.text_width, h)

    @property
    def body(self) -> QRectF:
        """The area text and faces go in."""
        top = self.header.bottom() + self.mm(self.band_gap_mm)
        bottom = self.footer.top() - self.mm(self.band_gap_mm)
        return QRectF(self.mm(self.side_mm), top, self.text_width, bottom - top)

    @property
    def text_width(self) -> float:
        """Width between the side margins."""
        return self.width - 2 * self.mm(self.side_mm)

    def frames(self, top: float, columns: int | None = None, height: float | None = None) -> list[QRectF]:
        """The columns of the body from ``top`` down (``height`` tall, default: to the bottom)."""
        n = columns or self.columns
        body = self.body
        gutter = self.mm(self.gutter_mm)
        w = (body.width() - gutter * (n - 1)) / n
        h = body.bottom() - top if height is None else height
        return [QRectF(body.left() + i * (w + gutter), top, w, h) for i in range(n)]


# -- blocks ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Para:
    """A paragraph of one style. ``keep`` ends it in the column where the next block starts
    (headings, a text before its source line); ``label`` is drawn in a hanging indent of
    ``indent`` px before the first line (the numbers of the source list)."""

    text: str
    style: TextStyle
    space_before: float = 0.0
    keep: bool = False
    label: str = ""
    indent: float = 0.0
    #: What the paragraph is (``heading``, ``body``, ``source``, ``notes``...): tests read it.
    kind: str = "body"


@dataclass(frozen=True)
class Lines:
    """A paragraph broken into lines at a column's width (a split paragraph keeps the rest)."""

    para: Para
    lines: tuple[str, ...]
    step: float
    ascent: float
    descent: float
    first: bool = True

    def height(self, n: int | None = None) -> float:
        """Height of the first ``n`` lines (all by default)."""
        n = len(self.lines) if n is None else n
        return 0.0 if n <= 0 else self.step * (n - 1) + self.ascent + self.descent


def break_para(para: Para, width: float) -> Lines:
    """``para`` broken into lines for a column ``width`` px wide."""
    style = para.style
    role = style.role
    lines = break_lines(para.text, PrintRuns.of(style).width, width - para.indent, mode=role.mode,
                        balance=role.balance).lines
    step = role.line_step(style.px, style.language == "zh" or has_han(para.text))
    return Lines(para, tuple(lines), step, style.px * INK_ASCENT, style.px * INK_DESCENT)


# -- text that reads back -----------------------------------------------------------------------------
#: In Latin text the kit asks the CJK font for proportional quotes and dots (``pwid``); those
#: glyphs map to no character, so the PDF's text layer would lose them. Drawn from a Latin face.
LATIN_FACE = frozenset("“”‘’…") | LATIN_SYMBOLS


def searchable_font(font: QFont) -> QFont:
    """``font`` without the ``locl`` feature.

    Outside a zh-CN locale the CJK font's ``locl`` swaps Latin digits for look-alike glyphs
    that no code point maps to; Qt's PDF writer then gives them no Unicode, and a search for
    "2023" (or a screen reader) finds nothing. Without it the same shapes, with the same
    advances, come from the mapped glyphs.
    """
    out = QFont(font)
    out.setFeature(QFont.Tag("locl"), 0)
    return out


class PrintRuns:
    """Measures and draws one style's lines for the handout (see :data:`LATIN_FACE` and
    :func:`searchable_font`): the stage's look, and a text layer that reads back."""

    _cache: ClassVar[dict[tuple, PrintRuns]] = {}

    @classmethod
    def of(cls, style: TextStyle) -> PrintRuns:
        """The runs for ``style`` (one per style)."""
        key = (round(style.px, 2), style.bold, style.family, style.language)
        hit = cls._cache.get(key)
        if hit is None:
            hit = cls._cache[key] = cls(style)
        return hit

    def __init__(self, style: TextStyle) -> None:
        self.font = searchable_font(style.font)
        self.metrics = QFontMetricsF(self.font)
        self.latin: QFont | None = None
        families = set(QFontDatabase.families())
        family = next((f for f in LATIN_FAMILIES if f in families), None)
        if style.language != "zh" and family is not None:
            latin = QFont(family)
            latin.setPixelSize(round(style.px))
            latin.setBold(style.bold)
            self.latin = latin
        self.latin_metrics = QFontMetricsF(self.latin) if self.latin is not None else None
        self._widths: dict[str, float] = {}

    def _split(self, text: str) -> list[tuple[str, bool]]:
        if self.latin is None or not any(ch in LATIN_FACE for ch in text):
            return [(text, False)]
        runs: list[tuple[str, bool]] = []
        for ch in text:
            latin = ch in LATIN_FACE
            if runs and runs[-1][1] == latin:
                runs[-1] = (runs[-1][0] + ch, latin)
            else:
                runs.append((ch, latin))
        return runs

    def width(self, text: str) -> float:
        """Advance width of ``text``."""
        hit = self._widths.get(text)
        if hit is None:
            hit = sum((self.latin_metrics if latin and self.latin_metrics else self.metrics).horizontalAdvance(run)
                      for run, latin in self._split(text))
            self._widths[text] = hit
        return hit

    def draw(self, painter: QPainter, x: float, baseline: float, text: str) -> None:
        """Draw ``text`` from ``x`` on ``baseline``."""
        for run, latin in self._split(text):
            use_latin = latin and self.latin is not None
            painter.setFont(self.latin if use_latin else self.font)
            painter.drawText(QPointF(x, baseline), run)
            x += (self.latin_metrics if use_latin else self.metrics).horizontalAdvance(run)


# -- what a page holds ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PlacedLine:
    """One line of text: its style, where its box is (top-left, width) and its baseline."""

    text: str
    style: TextStyle
    x: float
    baseline: float
    top: float
    bottom: float
    kind: str
    #: The column (or band) it was placed in.
    frame: QRectF
    #: True for the last line of a paragraph.
    last: bool = False
    #: The paragraph the line belongs to.
    para: Para | None = None


@dataclass(frozen=True)
class PlacedFace:
    """A panel's face (rendered from the stage) in ``rect``; ``index`` is the panel's position."""

    index: int
    rect: QRectF


@dataclass
class Page:
    """One page: its lines and faces in reading order."""

    items: list[PlacedLine | PlacedFace] = field(default_factory=list)

    @property
    def lines(self) -> list[PlacedLine]:
        """The page's text lines."""
        return [i for i in self.items if isinstance(i, PlacedLine)]


# -- flowing ---------------------------------------------------------------------------------------
MIN_LINES = 2


def _fit_lines(block: Lines, avail: float) -> int:
    """How many of ``block``'s lines fit a height of ``avail``."""
    if avail < block.ascent + block.descent:
        return 0
    return min(len(block.lines), math.floor((avail - block.ascent - block.descent) / block.step + 1e-6) + 1)


def _place(block: Lines, n: int, frame: QRectF, y: float, out: list[PlacedLine]) -> float:
    """Place the first ``n`` lines of ``block`` with their top at ``y``; returns the bottom."""
    style = block.para.style
    for i in range(n):
        top = y + i * block.step
        label = block.para.label if block.first and i == 0 else ""
        if label:
            out.append(PlacedLine(label, style, frame.left(), top + block.ascent, top,
                                  top + block.ascent + block.descent, "label", frame, para=block.para))
        out.append(PlacedLine(block.lines[i], style, frame.left() + block.para.indent, top + block.ascent, top,
                              top + block.ascent + block.descent, block.para.kind, frame,
                              last=i == len(block.lines) - 1, para=block.para))
    return y + block.height(n)


def _lines_here(block: Lines, avail: float) -> int:
    """How many lines of ``block`` :func:`flow` puts in ``avail`` (0: it starts in the next column)."""
    n = len(block.lines)
    if block.height() <= avail:
        return n
    k = _fit_lines(block, avail)
    if n - k < MIN_LINES:
        k = n - MIN_LINES  # no lonely last line at the top of the next column
    # no lonely first line at a column's foot (a column too short for two is skipped)
    return k if k >= MIN_LINES else 0


def _starts_here(todo: Sequence[Lines], i: int, room: float, split: bool) -> bool:
    """Whether ``todo[i]`` puts a line in what is left of a column (``room``), its kept
    followers included (a heading is no start for a text that must go on to the next column)."""
    block = todo[i]
    n = len(block.lines)
    k = _lines_here(block, room) if split else (n if block.height() <= room else 0)
    if k == 0:
        return False
    if block.para.keep and i + 1 < len(todo) and k == n:
        rest = room - block.height() - todo[i + 1].para.space_before
        if not _starts_here(todo, i + 1, rest, split):
            return split and n - MIN_LINES >= MIN_LINES  # it carries its last lines over
    return True


def flow(blocks: Sequence[Lines], frames: Sequence[QRectF], *,
         split: bool = True) -> tuple[list[PlacedLine], list[Lines]]:
    """Fill ``frames`` in order with ``blocks``; returns the lines placed and the blocks left.

    ``split=False`` moves a paragraph that does not fit whole to the next column (unless it
    starts the column: then it must be split).
    """
    todo = list(blocks)
    placed: list[PlacedLine] = []
    for frame in frames:
        y = frame.top()
        first = True
        while todo:
            block = todo[0]
            if not block.lines:
                todo.pop(0)
                continue
            gap = 0.0 if first else (block.para.space_before if block.first else 0.0)
            avail = frame.bottom() - (y + gap)
            n = len(block.lines)
            if block.para.keep and len(todo) > 1 and block.height() <= avail:
                # a kept block ends where what follows it starts: a heading moves on with it, a
                # paragraph carries its last lines over to the next column with its source line
                room = avail - block.height() - todo[1].para.space_before
                if not _starts_here(todo, 1, room, split):
                    k = n - MIN_LINES
                    if split and k >= MIN_LINES:
                        _place(block, k, frame, y + gap, placed)
                        todo[0] = replace(block, lines=block.lines[k:], first=False)
                    break
            k = _lines_here(block, avail)
            if not split and not first and k < n:
                k = 0
            if k == n:
                y = _place(block, n, frame, y + gap, placed)
                todo.pop(0)
                first = False
                continue
            if k == 0:
                break
            _place(block, k, frame, y + gap, placed)
            todo[0] = replace(block, lines=block.lines[k:], first=False)
            break
    return placed, todo


def balanced(blocks: Sequence[Lines], frames: Sequence[QRectF]) -> list[PlacedLine] | None:
    """The blocks in ``frames`` cut to the shortest height that still takes them all (even
    columns); None when they do not fit the frames at all."""
    placed, rest = flow(blocks, frames)
    if rest:
        return None
    if len(frames) < 2:
        return placed
    split_height, split_lines = _shortest(blocks, frames, True)
    whole_height, whole_lines = _shortest(blocks, frames, False)
    # columns that break between paragraphs read better: worth a few lines more of height
    slack = 4 * max((b.step for b in blocks), default=0.0)
    if whole_lines is not None and whole_height <= split_height + slack:
        return whole_lines
    return split_lines or placed


def _shortest(blocks: Sequence[Lines], frames: Sequence[QRectF], split: bool) -> tuple[float, list[PlacedLine] | None]:
    """The least column height that takes every block, and the lines placed at it."""
    lo, hi = 0.0, frames[0].height()
    best: list[PlacedLine] | None = None
    trial, rest = flow(blocks, frames, split=split)
    if rest:
        return hi, None
    best = trial
    for _ in range(14):
        mid = (lo + hi) / 2
        trial, rest = flow(blocks, [QRectF(f.left(), f.top(), f.width(), mid) for f in frames], split=split)
        if rest:
            lo = mid
        else:
            best, hi = trial, mid
    return hi, best


class Paginator:
    """Lays sections out page after page: a panel (its face across the page, then its texts in
    columns, balanced) starts on the current page when its face and first lines still fit
    there, else on a new one; :meth:`new_page` forces one (the appendix)."""

    def __init__(self, geometry: PageGeometry) -> None:
        self.geometry = geometry
        self.pages: list[Page] = [Page()]
        self.y = geometry.body.top()
        #: Air between the end of one section and the face of the next.
        self.section_gap = geometry.mm(9.0)
        self.face_gap = geometry.mm(6.0)

    @property
    def at_top(self) -> bool:
        """True when nothing is on the current page yet."""
        return not self.pages[-1].items

    def new_page(self) -> None:
        """Go on on a fresh page (unless the current one is still empty)."""
        if not self.at_top:
            self.pages.append(Page())
        self.y = self.geometry.body.top()

    def add(self, paras: Sequence[Para], *, face: int | None = None, face_height: float = 0.0,
            heading: Para | None = None, columns: int | None = None) -> None:
        """One section: an optional face or ``heading`` across the page, then ``paras`` in
        ``columns`` (default: the geometry's)."""
        g = self.geometry
        n = columns or g.columns
        blocks = [break_para(p, g.frames(g.body.top(), n)[0].width()) for p in paras]
        lead = break_para(heading, g.text_width) if heading is not None else None
        head = face_height if face is not None else lead.height() if lead is not None else None
        top = self.y if self.at_top else self.y + self.section_gap
        if not self.at_top and not self._fits(blocks, top, head, n):
            # a section that fits a page starts on a new one rather than leave its end apart
            self.new_page()
            top = self.y
        page = self.pages[-1]
        if face is not None:
            rect = QRectF(g.body.left(), top, g.text_width, face_height)
            page.items.append(PlacedFace(face, rect))
            top = rect.bottom() + self.face_gap
            self.y = rect.bottom()
        elif lead is not None:
            frame = QRectF(g.body.left(), top, g.text_width, lead.height())
            lines: list[PlacedLine] = []
            self.y = _place(lead, len(lead.lines), frame, top, lines)
            page.items.extend(lines)
            top = self.y + self.face_gap
        while blocks:
            frames = g.frames(top, n)
            placed, rest = flow(blocks, frames)
            if not rest:
                placed = balanced(blocks, frames) or placed
                page.items.extend(placed)
                self.y = max((line.bottom for line in placed), default=self.y)
                return
            if not placed and top == g.body.top():
                raise ValueError("a block does not fit an empty page")
            page.items.extend(placed)
            self.pages.append(Page())
            page = self.pages[-1]
            blocks = rest
            top = self.y = g.body.top()


    def _fits(self, blocks: Sequence[Lines], top: float, face_height: float | None, columns: int) -> bool:
        """True when the whole section fits between ``top`` and the page's foot."""
        if face_height is not None:
            top += face_height + self.face_gap
        if top > self.geometry.body.bottom():
            return False
        return not flow(blocks, self.geometry.frames(top, columns))[1]

