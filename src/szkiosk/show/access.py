"""The accessibility controls on screen: the card of toggles the Aa button opens and the
reach bar that repeats high-up controls just above the footer.

The modes themselves are plain data in :mod:`szkiosk.kit.access`.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.catalogue import ui_text
from szkiosk.kit.access import REACH_BAR_HEIGHT, REACH_BAR_SPACE, TOGGLES, AccessMode, is_on, tappable_controls
from szkiosk.kit.items import Card, Pill, release_children
from szkiosk.kit.text import TextItem
from szkiosk.kit.theme import QtTheme


class AccessCard(QGraphicsObject):
    """The card the access button opens: one on/off row per mode (touch targets >= 72 px).

    Sits bottom right, just above the footer, so a seated visitor can reach it.
    """

    def __init__(self, theme: QtTheme, size: QSizeF, mode: AccessMode, language: str,
                 on_toggle: Callable[[str], None], on_close: Callable[[], None]) -> None:
        super().__init__()
        self.setZValue(260)
        self._size = size
        row_h, gap = 80.0, 14.0
        width = min(720.0, size.width() - 96)
        height = 96 + len(TOGGLES) * (row_h + gap) + 12
        self._rect = QRectF(size.width() - 96 - width, size.height() - 150 - height, width, height)
        Card(self._rect, theme.colour("surface"), outline=theme.colour("text"), parent=self)
        inner = self._rect.adjusted(32, 20, -32, -20)
        TextItem(ui_text("access.title", language), theme.style("title", "text", language),
                 QRectF(inner.left(), inner.top(), inner.width() - 100, 72), max_lines=1,
                 valign=Qt.AlignmentFlag.AlignVCenter, parent=self)
        Pill(QRectF(inner.right() - 72, inner.top(), 72, 72), "×", theme.font("headline", 0.8),
             theme.colour("background"), theme.colour("text"), on_close, parent=self)
        self.rows: dict[str, Pill] = {}
        y = inner.top() + 88
        for name in TOGGLES:
            on = is_on(mode, name)
            label = ui_text("access.row", language, name=ui_text(f"access.{name}", language),
                            state=ui_text("access.on" if on else "access.off", language))
            pill = Pill(QRectF(inner.left(), y, inner.width(), row_h), label, theme.font("body"),
                        theme.colour("data", 0.3) if on else theme.colour("background"), theme.colour("text"),
                        lambda n=name: on_toggle(n), outline=theme.colour("text") if on else theme.colour("muted"),
                        parent=self)
            self.rows[name] = pill
            y += row_h + gap

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._size.width(), self._size.height())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Children draw."""

    def mousePressEvent(self, event) -> None:
        # taps outside the card must not reach the panel below while the card is open
        event.accept()


class ReachBar(QGraphicsObject):
    """In reach mode, repeats the current panel's controls that sit too high, just above the footer.

    Rebuilt after every tap (the panel's controls change as it is used) and on every panel change.
    """

    def __init__(self, theme: QtTheme, size: QSizeF, language: str, top_limit: float) -> None:
        super().__init__()
        self.setZValue(150)
        self.theme = theme
        self._size = size
        self.language = language
        self.top_limit = top_limit
        self.page = 0
        self.panel: QGraphicsItem | None = None
        self.buttons: list[Pill] = []
        self.height_px = REACH_BAR_HEIGHT
        # just above the footer (base.FOOTER, or base.FOOTER_PORTRAIT on a tall stage)
        footer = 196.0 if size.height() > size.width() else 150.0
        self._rect = QRectF(0, size.height() - footer - REACH_BAR_SPACE, size.width(), self.height_px)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Children draw."""

    def show_for(self, panel: QGraphicsItem | None) -> None:
        """Mirror the controls of ``panel`` (None clears the bar)."""
        self.panel = panel
        self.page = 0
        self.refresh()

    def high_controls(self) -> list[tuple[str, QGraphicsItem, Callable[[], None]]]:
        """Controls of the panel whose top edge is above the reach line."""
        if self.panel is None or not shiboken6.isValid(self.panel):
            return []  # the panel went with a rebuilt scene
        out = []
        for label, item, action in tappable_controls(self.panel):
            top = item.mapToScene(item.boundingRect()).boundingRect().top()
            if top < self.top_limit and label.strip():
                out.append((label, item, action))
        return out

    def refresh(self) -> None:
        """Rebuild the mirrored buttons from the panel's current controls."""
        release_children(self)
        self.buttons = []
        controls = self.high_controls()
        self.setVisible(bool(controls))
        if not controls:
            return
        t = self.theme
        Card(self._rect, t.colour("background", 0.94), outline=t.colour("muted", 0.6), radius=12, parent=self)
        inner = self._rect.adjusted(96, 8, -96, -8)
        per_page = 5 if self._size.width() > self._size.height() else 3
        pages = (len(controls) + per_page - 1) // per_page
        self.page %= max(1, pages)
        shown = controls[self.page * per_page:(self.page + 1) * per_page]
        slots = len(shown) + (1 if pages > 1 else 0)
        gap = 12.0
        w = (inner.width() - gap * (slots - 1)) / max(1, slots)
        for k, (label, _item, action) in enumerate(shown):
            rect = QRectF(inner.left() + k * (w + gap), inner.top(), w, 72)
            self.buttons.append(Pill(rect, label, t.font("body", 0.9), t.colour("surface"), t.colour("text"),
                                     self._wrap(action), outline=t.colour("data", 0.8), parent=self))
        if pages > 1:
            rect = QRectF(inner.left() + len(shown) * (w + gap), inner.top(), w, 72)
            self.buttons.append(Pill(rect, ui_text("access.more", self.language), t.font("body", 0.9),
                                     t.colour("surface"), t.colour("text"), self.next_page, parent=self))

    def next_page(self) -> None:
        """Show the next group of mirrored controls."""
        self.page += 1
        self.refresh()

    def _wrap(self, action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            action()
            self.schedule_refresh()

        return run

    def retire(self) -> None:
        """Stop refreshing: the stage replaced this bar."""
        self._refresh_timer.stop()
        self.panel = None

    def schedule_refresh(self) -> None:
        """Refresh once control returns to the event loop (after the tap has been handled)."""
        self._refresh_timer.start()


class SceneTapWatcher(QObject):
    """Calls ``on_tap`` after every mouse release on a scene (the reach bar follows the panel)."""

    def __init__(self, on_tap: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_tap = on_tap

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.GraphicsSceneMouseRelease:
            self._on_tap()
        return False
