"""What the booth says to visitors: "Still there?" with its countdown, and the attract loop's
"Touch to explore" tab. Words come from the catalogue (:func:`szkiosk.catalogue.ui_text`) in
the languages :func:`szkiosk.booth_state.spoken_languages` picks, the first one largest.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.catalogue import ui_text
from szkiosk.kit.layout import Card, Column, Space, Text
from szkiosk.kit.text import ALIGN_CENTER, TextItem, natural_width
from szkiosk.kit.theme import QtTheme
from szkiosk.panels.base import MARGIN, QR_SIZE

#: Between two languages on one line.
SEPARATOR = " · "
#: Height of the attract tab: it hangs from the top edge, above the panels' headline, which
#: starts 64 px down (the footer row at the bottom is full of controls and the source line).
TAB_HEIGHT = 48.0
#: Room kept free left of a take-away QR code in the top right corner.
QR_GAP = 24.0


def words(key: str, languages: Sequence[str], **values: object) -> list[str]:
    """The catalogue string ``key`` in each of ``languages`` (repeats dropped: English fallbacks)."""
    out: list[str] = []
    for language in languages:
        text = ui_text(key, language, **values)
        if text not in out:
            out.append(text)
    return out


def said(key: str, languages: Sequence[str], **values: object) -> str:
    """The catalogue string ``key`` in each of ``languages``, on one line."""
    return SEPARATOR.join(words(key, languages, **values))


class _Layer(QGraphicsObject):
    """A stage-sized item that only holds children (and optionally dims what is below)."""

    def __init__(self, size: QSizeF, z: float, dim: QColor | None = None) -> None:
        super().__init__()
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.dim = dim
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.dim is not None:
            painter.fillRect(self._rect, self.dim)


class CountdownOverlay(_Layer):
    """"Still there?" with the seconds left, over a dimmed stage."""

    def __init__(self, theme: QtTheme, size: QSizeF, languages: Sequence[str], seconds: int) -> None:
        super().__init__(size, 400, theme.colour("background", 0.82))
        self.setObjectName("countdown")
        t = theme
        lang = languages[0] if languages else "en"
        asks = words("booth.still_there", languages)
        heads = [Text(ask, t.style("headline", "text", lang, step=1.15 if i == 0 else 0.9), align=ALIGN_CENTER)
                 for i, ask in enumerate(asks)]
        self.number_node = Text(str(seconds), t.style("display", "accent", lang), align=ALIGN_CENTER, max_lines=1)
        hint = Text(SEPARATOR.join(words("booth.touch_to_continue", languages)), t.style("body", "muted", lang),
                    align=ALIGN_CENTER)
        body = Column([*heads, Space(12), self.number_node, Space(12), hint], gap=8)
        width = min(size.width() - 192, 1100.0)
        card = Card(body, t.colour("surface"), padding=(48.0, 48.0, 48.0, 48.0), outline=t.colour("data", 0.8),
                    radius=28)
        box = QRectF(0, 0, width, card.min_height(width))
        box.moveCenter(self._rect.center())
        card.place(box, self)
        self.lines = [h.item for h in heads]
        self.number = self.number_node.item
        self.hint = hint.item

    def set_seconds(self, seconds: int) -> None:
        """Show the seconds left."""
        self.number.set_text(str(max(0, seconds)))


class _Tab(QGraphicsObject):
    """A filled tab hanging from the top edge: square on top, rounded below."""

    def __init__(self, rect: QRectF, fill: QColor, parent: QGraphicsObject) -> None:
        super().__init__(parent)
        self._rect = QRectF(rect)
        self._fill = fill
        radius = rect.height() / 2
        path = QPainterPath()
        path.moveTo(rect.topLeft())
        path.lineTo(rect.topRight())
        path.arcTo(QRectF(rect.right() - 2 * radius, rect.bottom() - 2 * radius, 2 * radius, 2 * radius), 0, -90)
        path.arcTo(QRectF(rect.left(), rect.bottom() - 2 * radius, 2 * radius, 2 * radius), 270, -90)
        path.closeSubpath()
        self._path = path

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._fill)
        painter.drawPath(self._path)


class AttractPrompt(_Layer):
    """The attract loop's call to action: a tab hanging from the top edge, breathing slowly.

    It sits above the headline, aligned with it, clear of a take-away QR code top right, and
    far from the footer's dots and buttons: on the landscape and the portrait stage alike.
    """

    def __init__(self, theme: QtTheme, size: QSizeF, languages: Sequence[str]) -> None:
        super().__init__(size, 380)
        self.setObjectName("attract")
        t = theme
        label = SEPARATOR.join(words("booth.touch_to_explore", languages))
        # a fixed size in every text scale: the tab must stay within the band above the headline
        style = t.style("control", "background", languages[0] if languages else "en", bold=True,
                        step=1.0 / t.text_scale)
        pad = TAB_HEIGHT * 0.7
        room = size.width() - 2 * MARGIN - QR_SIZE - QR_GAP
        width = min(natural_width(label, style) + 2 * pad, room)
        self.area = QRectF(MARGIN, 0, width, TAB_HEIGHT)
        self.tab = _Tab(self.area, t.colour("accent"), self)
        # dark text on the warm accent: the pair keeps its contrast in every theme
        self.label = TextItem(label, style, self.area.adjusted(pad, 0, -pad, 0), align=ALIGN_CENTER,
                              valign=Qt.AlignmentFlag.AlignVCenter, max_lines=1, parent=self.tab)
        self.pulse = QPropertyAnimation(self.tab, b"opacity", self)
        self.pulse.setStartValue(1.0)
        self.pulse.setKeyValueAt(0.5, 0.78)
        self.pulse.setEndValue(1.0)
        self.pulse.setDuration(2600)
        self.pulse.setEasingCurve(QEasingCurve.Type.InOutSine)
        self.pulse.setLoopCount(-1)

    @property
    def text(self) -> str:
        """The words on the tab."""
        return self.label.text

    def scene_area(self) -> QRectF:
        """Where the tab is on the stage (tests check it covers no control and no text)."""
        return self.tab.sceneBoundingRect()

    def start(self, animate: bool = True) -> None:
        """Begin breathing (the one animation that loops, and only in attract)."""
        if animate:
            self.pulse.start()

    def stop(self) -> None:
        """Stop breathing."""
        self.pulse.stop()
