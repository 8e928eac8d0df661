"""Vector graphics items for the stage: wrapped text that fits its box, cards, pills.

Everything is drawn in logical stage pixels and scaled by the view, so text stays crisp at
any window size (no bitmap scaling).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.kit.ownership import release_children, retain
from szkiosk.kit.text import ROLES, TextItem, TextStyle

__all__ = ["ALIGN_CENTER", "ALIGN_LEFT", "ALIGN_RIGHT", "Card", "ClipBox", "Pill", "TapArea", "TextBox",
           "layout_lines", "release_children", "retain", "vector_text"]

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft
ALIGN_CENTER = Qt.AlignmentFlag.AlignHCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight


def layout_lines(
    text: str, font: QFont, width: float, line_spacing: float = 1.18
) -> tuple[list[tuple[str, float]], float]:
    """Break ``text`` into lines that fit ``width``; return [(line, width)] and total height.

    Uses QTextLayout, which follows Unicode line breaking, so Chinese wraps between
    characters and English between words.
    """
    metrics = QFontMetricsF(font)
    lines: list[tuple[str, float]] = []
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start, length = line.textStart(), line.textLength()
            lines.append((paragraph[start : start + length].rstrip(), line.naturalTextWidth()))
        layout.endLayout()
        if not paragraph:
            lines.append(("", 0.0))
    height = metrics.height() * (1 + (len(lines) - 1) * line_spacing) if lines else 0.0
    return lines, height


class TextBox(QGraphicsObject):
    """Text wrapped into a box, shrunk (down to ``min_scale``) until it fits.

    ``clipped`` tells tests and the author whether the text still overflows at the
    smallest size allowed.
    """

    #: Large-text factor of the panel being built (Panel.rebuild sets it): a box may shrink back
    #: that much further, so layouts built on ``used_height`` see the size the text really gets.
    build_text_scale = 1.0

    def __init__(
        self,
        text: str,
        font: QFont,
        colour: QColor,
        rect: QRectF,
        *,
        align: Qt.AlignmentFlag = ALIGN_LEFT,
        valign: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignTop,
        min_scale: float = 0.6,
        max_lines: int | None = None,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._text = text
        self._base_font = QFont(font)
        self._colour = QColor(colour)
        self._rect = QRectF(rect)
        self._align = align
        self._valign = valign
        self._min_scale = min_scale / TextBox.build_text_scale
        self._max_lines = max_lines
        # text is costly to draw (large glyphs are filled as paths): keep a device-resolution
        # pixmap, so fades and slides blit it instead of re-shaping every frame
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._fit()

    # -- layout ------------------------------------------------------------------
    def _fit(self) -> None:
        # count-ups set a new text every frame and replay on every visit: remember each fit
        cache = self.__dict__.setdefault("_fits", {})
        key = (self._text, self._rect.width(), self._rect.height(), self._max_lines, self._min_scale)
        hit = cache.get(key)
        if hit is not None:
            self._font, self._lines, self._height, self.clipped, self.scale_used, self._ascent, self._step = hit
            return
        scale = 1.0
        while True:
            f = QFont(self._base_font)
            f.setPixelSize(max(1, round(self._base_font.pixelSize() * scale)))
            lines, height = layout_lines(self._text, f, self._rect.width())
            too_many = self._max_lines is not None and len(lines) > self._max_lines
            fits = height <= self._rect.height() + 0.5 and not too_many
            if fits or scale <= self._min_scale:
                break
            scale = max(self._min_scale, scale - 0.05)
        self._font = f
        self._lines = lines
        self._height = height
        self.clipped = not fits
        self.scale_used = scale
        metrics = QFontMetricsF(f)
        self._ascent = metrics.ascent()
        self._step = metrics.height() * 1.18
        if len(cache) >= 256:
            cache.clear()
        cache[key] = (f, lines, height, self.clipped, scale, self._ascent, self._step)

    def set_text(self, text: str) -> None:
        """Replace the text (language switch, count-up) and re-fit."""
        if text != self._text:
            self.prepareGeometryChange()
            self._text = text
            self._fit()
            self.update()

    def allow_shrink(self, min_scale: float) -> None:
        """Let the text shrink further (down to ``min_scale`` of its font) before it clips.

        Large-text mode uses it so text never ends up smaller than the default mode allows.
        """
        if min_scale < self._min_scale:
            self.prepareGeometryChange()
            self._min_scale = min_scale
            self._fit()
            self.update()

    def set_colour(self, colour: QColor) -> None:
        """Change the text colour."""
        self._colour = QColor(colour)
        self.update()

    @property
    def text(self) -> str:
        """The text shown."""
        return self._text

    @property
    def used_height(self) -> float:
        """Height of the laid-out text in logical px."""
        return self._height

    @property
    def font_used(self) -> QFont:
        """The font after shrinking to fit."""
        return self._font

    def text_rect(self) -> QRectF:
        """Where the text's lines actually sit."""
        widest = max((w for _, w in self._lines), default=0.0)
        x = self._rect.left()
        if self._align & ALIGN_CENTER:
            x = self._rect.center().x() - widest / 2
        elif self._align & ALIGN_RIGHT:
            x = self._rect.right() - widest
        return QRectF(x, self._top(), widest, self._height)

    def _top(self) -> float:
        if self._valign & Qt.AlignmentFlag.AlignVCenter:
            return self._rect.top() + (self._rect.height() - self._height) / 2
        if self._valign & Qt.AlignmentFlag.AlignBottom:
            return self._rect.bottom() - self._height
        return self._rect.top()

    # -- QGraphicsItem -----------------------------------------------------------
    def boundingRect(self) -> QRectF:
        # the scene asks many times per frame: keep it until the text, box or fit changes
        key = (self._text, self._rect.getRect(), self._height, self._font.pixelSize())
        cached = self.__dict__.get("_bounds")
        if cached is None or cached[0] != key:
            cached = (key, self._rect.united(self.text_rect()).adjusted(-2, -2, 2, 2))
            self._bounds = cached
        return QRectF(cached[1])

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setFont(self._font)
        painter.setPen(self._colour)
        y = self._top() + self._ascent
        step = self._step
        for line, width in self._lines:
            x = self._rect.left()
            if self._align & ALIGN_CENTER:
                x = self._rect.center().x() - width / 2
            elif self._align & ALIGN_RIGHT:
                x = self._rect.right() - width
            painter.drawText(QPointF(x, y), line)
            y += step


def vector_text(items: list[QGraphicsItem]) -> None:
    """Draw these items directly, without their pixmap caches (PDF: text stays vector)."""
    for item in items:
        if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)


class Card(QGraphicsObject):
    """A rounded panel surface, optionally outlined; the backdrop for a figure or an item."""

    def __init__(
        self,
        rect: QRectF,
        fill: QColor,
        *,
        outline: QColor | None = None,
        radius: float = 18,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self._fill = QColor(fill)
        self._outline = outline
        self._radius = radius

    def set_fill(self, colour: QColor) -> None:
        """Change the fill colour."""
        self._fill = QColor(colour)
        self.update()

    def set_outline(self, colour: QColor | None) -> None:
        """Change (or remove) the outline."""
        self._outline = colour
        self.update()

    @property
    def rect(self) -> QRectF:
        """The card's rectangle in parent coordinates."""
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, self._radius, self._radius)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(self._fill)
        painter.setPen(QPen(self._outline, 3) if self._outline else Qt.PenStyle.NoPen)
        painter.drawRoundedRect(self._rect, self._radius, self._radius)


class Pill(Card):
    """A tappable rounded button with a centred one-line label (>= 64 logical px high).

    ``font`` is a :class:`~szkiosk.kit.text.TextStyle` (or, for old callers, a QFont drawn as a
    label of that size). The label never shrinks; a label wider than the pill is reported by
    the audit (``TextItem.overflow``), so the layout must give the pill room.
    """

    def __init__(
        self,
        rect: QRectF,
        label: str,
        font: QFont | TextStyle,
        fill: QColor,
        text_colour: QColor,
        on_tap: Callable[[], None] | None = None,
        *,
        outline: QColor | None = None,
        parent: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(rect, fill, outline=outline, radius=rect.height() / 2, parent=parent)
        if isinstance(font, TextStyle):
            style = font.with_colour(text_colour)
        else:
            style = TextStyle(ROLES["control"], float(font.pixelSize()), QColor(text_colour),
                              "zh" if _has_cjk(label) else "en", font.bold(), font.family())
        self.label = TextItem(label, style, rect.adjusted(12, 0, -12, 0), align=ALIGN_CENTER,
                              valign=Qt.AlignmentFlag.AlignVCenter, max_lines=1, parent=self)
        self._on_tap = on_tap
        if on_tap is not None:
            self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self._on_tap is not None and self.shape().contains(event.pos()):
            self._on_tap()
        event.accept()


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class TapArea(QGraphicsObject):
    """An invisible touch target: calls ``on_tap`` when a press is released inside it."""

    def __init__(self, rect: QRectF, on_tap: Callable[[], None], parent: QGraphicsItem) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self._on_tap = on_tap
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Invisible."""

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self._rect.contains(event.pos()):
            self._on_tap()
        event.accept()

    def tap(self) -> None:
        """Act as if tapped (keyboard, tests)."""
        self._on_tap()


class ClipBox(QGraphicsObject):
    """An empty item that clips its children to a rectangle (the stage, the map window)."""

    def __init__(self, rect: QRectF, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        retain(parent, self)
        self._rect = QRectF(rect)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Only clips."""
