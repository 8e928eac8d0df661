"""Text on the stage: a type scale of roles and a text item that reflows, never shrinks.

Every piece of text has a **role** (display, headline, title, body, label, data, caption,
source) with one size per text scale. A :class:`TextItem` breaks its text into lines with
:mod:`szkiosk.typeset` (words whole, Chinese punctuation rules, balanced display lines) at the
width it is given and reports the height it needs; a layout that does not have that height
must reflow (more rows, a taller card, another arrangement), not make the text smaller.

Each item keeps what the layout audit checks: its role, pixel size, lines and their boxes,
and whether a word did not fit (:attr:`TextItem.overflow`) or lines were cut
(:attr:`TextItem.elided`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.kit.fonts import font as make_font
from szkiosk.kit.ownership import retain
from szkiosk.typeset import BODY, DISPLAY, break_lines, has_han

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft
ALIGN_CENTER = Qt.AlignmentFlag.AlignHCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight

#: Symbols the Chinese font draws full-width (or, in a PDF, as glyphs that do not read back
#: as text); in Latin text they come from a Latin face.
LATIN_SYMBOLS = frozenset("≥≤±×“”‘’…")
#: Latin faces for those symbols, best first (DejaVu Sans comes with fontconfig on Debian).
LATIN_FAMILIES = ("Noto Sans", "DejaVu Sans", "Liberation Sans")
#: Where ink sits around the baseline, as a share of the size (Noto Sans SC: Han characters
#: reach 0.86 up and 0.10 down, capitals 0.73, accented capitals 0.97, descenders 0.25). A
#: line's box runs from ``INK_ASCENT`` above to ``INK_DESCENT`` below its baseline; the font's
#: own ascent (1.16) and descent (0.29) would leave a third of a line of air around each box.
INK_ASCENT = 0.92
INK_DESCENT = 0.24


@dataclass(frozen=True)
class Role:
    """A step of the type scale: size, the smallest it may be drawn at, spacing, line mode."""

    name: str
    #: Size in logical px at text scale 1.0.
    size: float
    #: Smallest size this role may be drawn at (logical px at text scale 1.0).
    floor: float
    #: Line step as a multiple of the size (Chinese body text gets ``zh_leading``).
    leading: float
    #: Display roles keep words whole and balance their lines; body text may break a long word.
    mode: str = BODY
    balance: bool = False
    zh_leading: float | None = None
    #: Read from the aisle (3 m) rather than at arm's length (source lines, hints).
    far: bool = True

    def line_step(self, px: float, chinese: bool) -> float:
        """Distance between baselines for a font of ``px``."""
        lead = self.zh_leading if chinese and self.zh_leading else self.leading
        return px * lead


#: The type scale. Sizes are the design; floors keep every role legible and never shrink.
ROLES: dict[str, Role] = {
    "display": Role("display", 112, 96, 1.05, DISPLAY),
    "headline": Role("headline", 64, 56, 1.18, DISPLAY, balance=True, zh_leading=1.3),
    "title": Role("title", 40, 36, 1.25, DISPLAY, balance=True, zh_leading=1.4),
    "body": Role("body", 32, 30, 1.42, BODY, zh_leading=1.6),
    "label": Role("label", 32, 30, 1.25, DISPLAY, balance=True, zh_leading=1.35),
    "data": Role("data", 30, 28, 1.2, DISPLAY),
    "caption": Role("caption", 26, 22, 1.35, BODY, zh_leading=1.5, far=False),
    "source": Role("source", 24, 22, 1.3, BODY, far=False),
    # buttons, arrows and other touch controls: sized by their control, not by a sibling
    "control": Role("control", 32, 28, 1.2, DISPLAY, far=False),
}


@dataclass(frozen=True)
class TextStyle:
    """How one text item looks: role, size actually used, colour, weight, language."""

    role: Role
    px: float
    colour: QColor
    language: str = "en"
    bold: bool = False
    family: str | None = None

    def with_colour(self, colour: QColor) -> TextStyle:
        """The same style in another colour."""
        return replace(self, colour=QColor(colour))

    def scaled(self, factor: float) -> TextStyle:
        """The same role one step larger or smaller (``factor`` of its size), for emphasis."""
        return replace(self, px=self.px * factor)

    @property
    def font(self) -> QFont:
        """The QFont to draw with."""
        return _font(round(self.px), self.bold, self.family, self.language)


@cache
def _latin_family() -> str | None:
    families = set(QFontDatabase.families())
    return next((f for f in LATIN_FAMILIES if f in families), None)


@cache
def _font(px: int, bold: bool, family: str | None, language: str) -> QFont:
    f = make_font(px, bold=bold, family=family)
    if language != "zh":
        # Latin text: proportional quotes and dashes from the CJK face (its default is full width)
        f.setFeature(QFont.Tag("pwid"), 1)
    return f


@cache
def _symbol_font(px: int, bold: bool) -> QFont | None:
    family = _latin_family()
    if family is None:
        return None
    f = QFont(family)
    f.setPixelSize(px)
    f.setBold(bold)
    return f


class Runs:
    """Measures and draws a line, taking :data:`LATIN_SYMBOLS` from a Latin face in Latin text."""

    def __init__(self, style: TextStyle) -> None:
        self.font = style.font
        self.metrics = QFontMetricsF(self.font)
        self.symbols = _symbol_font(round(style.px), style.bold) if style.language != "zh" else None
        self.symbol_metrics = QFontMetricsF(self.symbols) if self.symbols is not None else None
        self._widths: dict[str, float] = {}

    def _split(self, text: str) -> list[tuple[str, bool]]:
        if self.symbols is None or not any(ch in LATIN_SYMBOLS for ch in text):
            return [(text, False)]
        runs: list[tuple[str, bool]] = []
        for ch in text:
            sym = ch in LATIN_SYMBOLS
            if runs and runs[-1][1] == sym:
                runs[-1] = (runs[-1][0] + ch, sym)
            else:
                runs.append((ch, sym))
        return runs

    def width(self, text: str) -> float:
        """Advance width of ``text`` in logical px."""
        hit = self._widths.get(text)
        if hit is None:
            hit = 0.0
            for run, sym in self._split(text):
                metrics = self.symbol_metrics if sym and self.symbol_metrics is not None else self.metrics
                hit += metrics.horizontalAdvance(run)
            self._widths[text] = hit
        return hit

    def draw(self, painter: QPainter, x: float, baseline: float, text: str) -> None:
        """Draw ``text`` starting at ``x`` on ``baseline``."""
        for run, sym in self._split(text):
            font = self.symbols if sym and self.symbols is not None else self.font
            painter.setFont(font)
            painter.drawText(QPointF(x, baseline), run)
            metrics = self.symbol_metrics if sym and self.symbol_metrics is not None else self.metrics
            x += metrics.horizontalAdvance(run)


@dataclass(frozen=True)
class Layout:
    """Text broken into lines at a width: what a :class:`TextItem` draws."""

    lines: tuple[str, ...]
    #: Each line's drawn width, its indent included.
    widths: tuple[float, ...]
    step: float
    ascent: float
    descent: float
    overflow: tuple[str, ...]
    #: Each line's indent from the box's left edge (a list item's wrapped lines hang under its
    #: text, not under its bullet); empty when no line is indented.
    indents: tuple[float, ...] = ()

    def indent(self, i: int) -> float:
        """Line ``i``'s indent (0 for an unindented line)."""
        return self.indents[i] if i < len(self.indents) else 0.0

    @property
    def height(self) -> float:
        """Height from the first line's top to the last line's bottom."""
        if not self.lines:
            return 0.0
        return self.step * (len(self.lines) - 1) + self.ascent + self.descent

    @property
    def width(self) -> float:
        """Width of the widest line."""
        return max(self.widths, default=0.0)


_layouts: dict[tuple, Layout] = {}


def lay_out(text: str, style: TextStyle, width: float) -> Layout:
    """Break ``text`` for ``style`` at ``width`` (cached: count-ups ask every frame)."""
    key = (text, style.role.name, round(style.px, 2), style.bold, style.family, style.language, round(width, 1))
    hit = _layouts.get(key)
    if hit is not None:
        return hit
    runs = Runs(style)
    chinese = style.language == "zh" or has_han(text)
    # the ink of CJK glyphs sits between ascent and descent; lines are spaced by the role's leading
    step = style.role.line_step(style.px, chinese)
    lines, indents, overflow = _hanging(text, runs, style, width)
    result = Layout(tuple(lines), tuple(runs.width(line) + i for line, i in zip(lines, indents, strict=True)),
                    step, style.px * INK_ASCENT, style.px * INK_DESCENT, tuple(overflow), tuple(indents))
    if len(_layouts) > 4096:
        _layouts.clear()
    _layouts[key] = result
    return result


#: A paragraph that starts with this is a list item: its wrapped lines hang under its text.
BULLET = "• "


def _hanging(text: str, runs: Runs, style: TextStyle, width: float) -> tuple[list[str], list[float], list[str]]:
    """Lines, indents and overflow of ``text`` whose list items (``• ...``) hang their wrapped
    lines under the item's text; other paragraphs are broken as usual."""
    lines: list[str] = []
    indents: list[float] = []
    overflow: list[str] = []
    hang = runs.width(BULLET)
    for part in text.split("\n"):
        item = part.strip()
        if item.startswith(BULLET):
            para = break_lines(item[len(BULLET):].strip(), runs.width, max(1.0, width - hang),
                               mode=style.role.mode, balance=style.role.balance)
            body = para.lines or [""]
            lines.extend([BULLET + body[0], *body[1:]])
            indents.extend([0.0, *[hang] * (len(body) - 1)])
        else:
            para = break_lines(part, runs.width, width, mode=style.role.mode, balance=style.role.balance)
            lines.extend(para.lines)
            indents.extend([0.0] * len(para.lines))
        overflow.extend(para.overflow)
    return lines, indents, overflow


def natural_width(text: str, style: TextStyle) -> float:
    """Width of ``text`` on one line (the widest explicit line when it has ``\\n``)."""
    runs = Runs(style)
    return max((runs.width(part) for part in text.split("\n")), default=0.0)


def widest_word(text: str, style: TextStyle) -> float:
    """Width of the widest unbreakable piece: the narrowest box that keeps words whole."""
    from szkiosk.typeset import tokens

    runs = Runs(style)
    return max((runs.width(t.text) for part in text.split("\n") for t in tokens(part) if part.strip()), default=0.0)


class TextItem(QGraphicsObject):
    """Text in a box of fixed width, broken into lines by the typesetter, never shrunk.

    ``rect`` gives position and width; its height is where vertical alignment happens (a
    zero height means "as tall as the text"). ``max_lines`` cuts the text (and marks it
    :attr:`elided`, which the audit reports) rather than drawing outside its box.
    ``group`` names siblings that must share one size (the audit checks it); ``field`` names
    the content field the text comes from (the audit reports it).
    """

    #: The content field this text shows, e.g. ``figures[0].label`` (set by the panel).
    field: str = ""

    def __init__(
        self,
        text: str,
        style: TextStyle,
        rect: QRectF,
        *,
        align: Qt.AlignmentFlag = ALIGN_LEFT,
        valign: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignTop,
        max_lines: int | None = None,
        group: str | None = None,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._text = text
        self.style = style
        self._rect = QRectF(rect)
        self._align = align
        self._valign = valign
        self._max_lines = max_lines
        self.group = group
        self._runs = Runs(style)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._relayout()

    # -- layout ----------------------------------------------------------------------
    def _relayout(self) -> None:
        self._layout = lay_out(self._text, self.style, self._rect.width())
        lines = self._layout.lines
        self.elided = self._max_lines is not None and len(lines) > self._max_lines
        if self.elided:
            lines = lines[: self._max_lines]
            lines = (*lines[:-1], self._with_ellipsis(lines[-1], self._layout.indent(len(lines) - 1)))
        self._lines = lines
        self._bounds: QRectF | None = None

    def _with_ellipsis(self, line: str, indent: float = 0.0) -> str:
        """``line`` cut so that it and an ellipsis fit the box (the audit still reports the cut)."""
        width = self._rect.width() - indent
        while line and self._runs.width(line + "…") > width:
            line = line[:-1]
        return line.rstrip() + "…"

    def _line_width(self, i: int) -> float:
        return self._runs.width(self._lines[i]) if i < len(self._lines) else 0.0

    @property
    def text(self) -> str:
        """The full text (also the part not drawn when elided)."""
        return self._text

    @property
    def lines(self) -> tuple[str, ...]:
        """The lines drawn."""
        return self._lines

    @property
    def overflow(self) -> tuple[str, ...]:
        """Words wider than the box (a display role draws them too wide)."""
        return self._layout.overflow

    @property
    def role(self) -> str:
        """The role's name."""
        return self.style.role.name

    @property
    def px(self) -> float:
        """Font size drawn, in logical px."""
        return self.style.px

    @property
    def used_height(self) -> float:
        """Height of the drawn lines."""
        n = len(self._lines)
        if not n:
            return 0.0
        return self._layout.step * (n - 1) + self._layout.ascent + self._layout.descent

    @property
    def box(self) -> QRectF:
        """The box the item was given (parent coordinates)."""
        return QRectF(self._rect)

    def set_text(self, text: str) -> None:
        """Replace the text (count-ups, language) and lay it out again at the same width."""
        if text != self._text:
            self.prepareGeometryChange()
            self._text = text
            self._relayout()
            self.update()

    def set_colour(self, colour: QColor) -> None:
        """Change the text colour."""
        self.style = self.style.with_colour(colour)
        self.update()

    def move_box(self, rect: QRectF) -> None:
        """Give the item a new box (a layout pass); relays out when the width changed."""
        self.prepareGeometryChange()
        width_changed = abs(rect.width() - self._rect.width()) > 0.01
        self._rect = QRectF(rect)
        if width_changed:
            self._relayout()
        self._bounds = None
        self.update()

    def _top(self) -> float:
        h = self.used_height
        if self._rect.height() <= 0:
            return self._rect.top()
        if self._valign & Qt.AlignmentFlag.AlignVCenter:
            return self._rect.top() + (self._rect.height() - h) / 2
        if self._valign & Qt.AlignmentFlag.AlignBottom:
            return self._rect.bottom() - h
        return self._rect.top()

    def _x(self, width: float) -> float:
        if self._align & ALIGN_CENTER:
            return self._rect.center().x() - width / 2
        if self._align & ALIGN_RIGHT:
            return self._rect.right() - width
        return self._rect.left()

    def line_rects(self) -> list[QRectF]:
        """The box of every drawn line (ascent to descent), in item coordinates."""
        out = []
        top = self._top()
        lay = self._layout
        for i in range(len(self._lines)):
            width, indent = self._line_width(i), lay.indent(i)
            y = top + i * lay.step
            out.append(QRectF(self._x(width + indent) + indent, y, width, lay.ascent + lay.descent))
        return out

    def text_rect(self) -> QRectF:
        """Where the drawn lines sit (item coordinates)."""
        rects = self.line_rects()
        if not rects:
            return QRectF(self._rect.left(), self._top(), 0, 0)
        out = QRectF(rects[0])
        for r in rects[1:]:
            out = out.united(r)
        return out

    # -- QGraphicsItem -------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            self._bounds = self.text_rect().adjusted(-3, -3, 3, 3)
        return QRectF(self._bounds)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(self.style.colour)
        top = self._top()
        lay = self._layout
        for i, line in enumerate(self._lines):
            indent = lay.indent(i)
            x = self._x(self._line_width(i) + indent) + indent
            self._runs.draw(painter, x, top + i * lay.step + lay.ascent, line)
