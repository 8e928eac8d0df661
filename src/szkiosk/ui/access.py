"""Accessibility modes: reduced motion, high contrast, large text and reachable controls.

:class:`AccessMode` is plain data (deck defaults from ``accessibility:`` in deck.yaml, changed
at run time from the access button). The stage turns it into a theme variant and tells
panels about it through :class:`~szkiosk.panels.base.PanelContext`. The Qt parts here are
the small toggle card the access button opens and the reach bar that repeats high-up
controls low on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.content.schema import Accessibility, Theme
from szkiosk.ui.items import Card, Pill, TapArea, TextBox, release_children
from szkiosk.ui.theme import QtTheme

#: Longest fade a panel uses to appear in reduced-motion mode (ms).
REDUCED_FADE_MS = 250

#: Height of the reach bar of repeated controls, with its gap above the footer (logical px);
#: in reach mode panels give this much of their body up so the bar covers nothing.
REACH_BAR_HEIGHT = 88.0
REACH_BAR_SPACE = REACH_BAR_HEIGHT + 8.0

#: White on black; every colour used for text keeps >= 7:1 on both background and surface.
HIGH_CONTRAST = {
    "background": "#000000",
    "surface": "#1A1A1A",
    "text": "#FFFFFF",
    "muted": "#E6E6E6",
    "accent": "#FF9E94",
    "data": "#7FE9FF",
    "palette": ["#7FE9FF", "#FFD080", "#9EF0B8", "#FFB3CC", "#D2C8FF", "#FFF59D"],
}


@dataclass(frozen=True)
class AccessMode:
    """Which accessibility modes are on. Immutable: switching makes a new one."""

    reduced_motion: bool = False
    high_contrast: bool = False
    text_scale: float = 1.0
    reach: bool = False
    reach_zone: float = 0.5
    large_text_scale: float = 1.4

    @classmethod
    def from_model(cls, model: Accessibility | None) -> AccessMode:
        """The deck's defaults (``accessibility:`` in deck.yaml)."""
        if model is None:
            return cls()
        return cls(model.reduced_motion, model.high_contrast, model.text_scale, model.reach,
                   model.reach_zone, model.large_text_scale)

    @property
    def large_text(self) -> bool:
        """True when text is drawn larger than the theme's sizes."""
        return self.text_scale > 1.0

    @property
    def active(self) -> bool:
        """True when any mode is on."""
        return self.reduced_motion or self.high_contrast or self.large_text or self.reach

    def toggled(self, name: str) -> AccessMode:
        """This mode with one toggle flipped: reduced_motion, high_contrast, large_text or reach."""
        if name == "large_text":
            return replace(self, text_scale=1.0 if self.large_text else self.large_text_scale)
        if name not in ("reduced_motion", "high_contrast", "reach"):
            raise ValueError(f"unknown access toggle {name!r}")
        return replace(self, **{name: not getattr(self, name)})

    def theme(self, base: Theme) -> Theme:
        """The deck theme with high contrast and the text scale applied."""
        update: dict[str, object] = dict(HIGH_CONTRAST) if self.high_contrast else {}
        if self.text_scale != 1.0:
            s = self.text_scale
            update.update(headline_size=min(200, round(base.headline_size * s)),
                          body_size=min(120, round(base.body_size * s)),
                          caption_size=min(80, round(base.caption_size * s)),
                          number_size=min(300, round(base.number_size * s)))
        return base.model_copy(update=update) if update else base

    def reach_top(self, stage_height: float) -> float:
        """The highest y (logical px) a control may sit at in reach mode."""
        return stage_height * (1.0 - self.reach_zone)


TOGGLES = ("reduced_motion", "high_contrast", "large_text", "reach")
WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Accessibility", "zh": "无障碍"},
    "button": {"en": "Aa", "zh": "Aa"},
    "reduced_motion": {"en": "Reduce motion", "zh": "减少动态"},
    "high_contrast": {"en": "High contrast", "zh": "高对比度"},
    "large_text": {"en": "Larger text", "zh": "放大文字"},
    "reach": {"en": "Controls lower", "zh": "控件下移"},
    "on": {"en": "On", "zh": "开"},
    "off": {"en": "Off", "zh": "关"},
    "close": {"en": "Close", "zh": "关闭"},
    "more": {"en": "More ›", "zh": "更多 ›"},
}


def word(key: str, language: str) -> str:
    """A word of the accessibility controls in ``language`` (English fallback)."""
    return WORDS[key].get(language, WORDS[key]["en"])


def is_on(mode: AccessMode, name: str) -> bool:
    """Whether toggle ``name`` is on in ``mode``."""
    return mode.large_text if name == "large_text" else bool(getattr(mode, name))


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
        TextBox(word("title", language), theme.font("body", 1.1, bold=True), theme.colour("text"),
                QRectF(inner.left(), inner.top(), inner.width() - 100, 72), max_lines=1,
                valign=Qt.AlignmentFlag.AlignVCenter, min_scale=0.6, parent=self)
        self.close_button = Pill(QRectF(inner.right() - 72, inner.top(), 72, 72), "×",
                                 theme.font("headline", 0.8), theme.colour("background"), theme.colour("text"),
                                 on_close, parent=self)
        self.rows: dict[str, Pill] = {}
        y = inner.top() + 88
        for name in TOGGLES:
            on = is_on(mode, name)
            label = f"{word(name, language)}:  {word('on' if on else 'off', language)}"
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


def tappable_controls(root: QGraphicsItem) -> list[tuple[str, QGraphicsItem, Callable[[], None]]]:
    """Visible controls under ``root``: (label, item, action) for every labelled Pill and TapArea."""
    found: list[tuple[str, QGraphicsItem, Callable[[], None]]] = []
    stack = [root]
    while stack:
        item = stack.pop(0)
        if not item.isVisible():
            continue
        if isinstance(item, Pill) and item._on_tap is not None:
            found.append((item.label.text, item, item._on_tap))
        elif isinstance(item, TapArea):
            label = getattr(item, "label", "") or _label_under(root, item)
            if label:
                found.append((label, item, item.tap))
        stack.extend(item.childItems())
    return found


def _label_under(root: QGraphicsItem, tap: TapArea) -> str:
    """The first text a tap area covers (its visible label); '' for a background tap area."""
    area = tap.mapToScene(tap.boundingRect()).boundingRect()
    stage = root.mapToScene(root.boundingRect()).boundingRect()
    if area.width() * area.height() > 0.25 * stage.width() * stage.height():
        return ""
    best: tuple[float, float, str] | None = None
    stack = list(root.childItems())
    while stack:
        item = stack.pop()
        if isinstance(item, TextBox) and item.isVisible() and item.text.strip():
            rect = item.mapToScene(item.text_rect()).boundingRect()
            if area.intersects(rect) and not item.text.strip().isdigit():
                key = (rect.top(), rect.left(), item.text)
                best = key if best is None or key < best else best
        stack.extend(item.childItems())
    return best[2] if best else ""


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
        if self.panel is None:
            return []
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
            self.buttons.append(Pill(rect, word("more", self.language), t.font("body", 0.9), t.colour("surface"),
                                     t.colour("text"), self.next_page, parent=self))

    def next_page(self) -> None:
        """Show the next group of mirrored controls."""
        self.page += 1
        self.refresh()

    def _wrap(self, action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            action()
            self.schedule_refresh()

        return run

    def schedule_refresh(self) -> None:
        """Refresh once control returns to the event loop (after the tap has been handled)."""
        self._refresh_timer.start()


class SceneTapWatcher(QObject):
    """Calls ``on_tap`` after every mouse release on a scene (the reach bar follows the panel)."""

    def __init__(self, on_tap: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_tap = on_tap

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.GraphicsSceneMouseRelease:
            self._on_tap()
        return False
