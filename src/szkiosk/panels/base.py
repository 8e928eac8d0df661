"""Panel base class and registry: one small class per YAML ``type:``.

A panel is a QGraphicsObject covering the logical stage. It builds its items for a language,
shows its build animation from :meth:`activate` (one QTimer it owns) and stops everything in
:meth:`deactivate`. :meth:`finish` jumps to the final state (screenshots, reduced motion).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QElapsedTimer, QPropertyAnimation, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.catalogue import ui_text
from szkiosk.content import BrokenPanel, PanelModel
from szkiosk.content.sources import Source
from szkiosk.kit.access import REACH_BAR_SPACE, REDUCED_FADE_MS, AccessMode, tappable_controls
from szkiosk.kit.items import Pill, TapArea, release_children
from szkiosk.kit.layout import Column, Node, Text, choose
from szkiosk.kit.text import TextItem, TextStyle, natural_width
from szkiosk.kit.theme import QtTheme

if TYPE_CHECKING:
    from szkiosk.panels.details import DetailsLayer

log = logging.getLogger(__name__)

#: Outer margin of the stage grid (logical px).
MARGIN = 96
#: Height reserved at the bottom for the source line and the navigation chrome
#: (taller on a portrait stage, where the source line wraps onto more lines).
FOOTER = 150
FOOTER_PORTRAIT = 196
FRAME_MS = 16
#: Side of the take-away QR code drawn top right when a panel has a ``link:``.
QR_SIZE = 170
#: Where the headline starts, and the air between the header and the body (logical px).
HEADER_TOP = 56.0
HEADER_GAP = 32.0
#: Air between the body and the footer's source line.
BODY_GAP = 16.0
#: Height of the "More" control in the header.
MORE_HEIGHT = 72.0


def margin_for(size: QSizeF) -> float:
    """The grid's side margin: about 96 px on the landscape stage, 64 on a portrait totem."""
    return 64.0 if size.height() > size.width() else float(MARGIN)


def _tag(field: str, then: Callable[[TextItem], None] | None) -> Callable[[TextItem], None]:
    def tag(item: TextItem) -> None:
        item.field = field
        if then is not None:
            then(item)

    return tag


def _mark_hint(then: Callable[[TextItem], None] | None) -> Callable[[TextItem], None]:
    def mark(item: TextItem) -> None:
        item.hint = True  # type: ignore[attr-defined]
        if then is not None:
            then(item)

    return mark


def ease_out(x: float) -> float:
    """Cubic ease-out on 0..1 (fast start, gentle landing)."""
    x = min(1.0, max(0.0, x))
    return 1 - (1 - x) ** 3


def phase(t_ms: float, start_ms: float, length_ms: float) -> float:
    """Progress 0..1 of a step that starts at ``start_ms`` and lasts ``length_ms``."""
    if length_ms <= 0:
        return 1.0 if t_ms >= start_ms else 0.0
    return min(1.0, max(0.0, (t_ms - start_ms) / length_ms))


@dataclass(frozen=True)
class PanelContext:
    """What a panel needs from the show: theme, stage size, language, deck folder."""

    theme: QtTheme
    size: QSizeF
    language: str
    root: Path
    #: Accessibility modes (reduced motion, high contrast, large text, reach).
    access: AccessMode = field(default_factory=AccessMode)
    #: The deck's sources by id (for source lines in the detail layer).
    sources: Mapping[str, Source] = field(default_factory=dict)
    #: Where the panel appears: "screen" (the stage) or "print" (the handout: no touch
    #: controls, no "Tap ..." hints; see :attr:`Panel.for_print`).
    medium: str = "screen"

    @property
    def portrait(self) -> bool:
        """True on a tall stage (1080x1920 totem)."""
        return self.size.height() > self.size.width()

    def with_language(self, language: str) -> PanelContext:
        """The same context in another language."""
        return replace(self, language=language)


class Panel(QGraphicsObject):
    """Base of every panel type. Subclasses implement :meth:`build_body` and :meth:`apply`."""

    #: Length of the build animation in ms; 0 for a static panel.
    build_ms: ClassVar[float] = 1200.0
    #: Stay built when far from the current panel (the build is expensive: the maps); such a
    #: panel drops only its caches (:meth:`release_caches`). Others are dropped whole and built
    #: again when needed (see :mod:`szkiosk.show.keep`).
    keep_when_far: ClassVar[bool] = False

    def __init__(self, model: PanelModel | BrokenPanel, ctx: PanelContext) -> None:
        super().__init__()
        self.model = model
        self.ctx = ctx
        self._t = 0.0
        self._t0 = 0.0
        self._limit = 0.0
        #: The build is held by :meth:`pause_build` (while the panel slides in).
        self._paused = False
        self._step_starts: dict[int, float] | None = None
        self._details: DetailsLayer | None = None
        self._reach_controls = False
        self.more_button: Pill | None = None
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.rebuild()

    # -- geometry ----------------------------------------------------------------
    @property
    def width(self) -> float:
        """Logical stage width."""
        return self.ctx.size.width()

    @property
    def height(self) -> float:
        """Logical stage height."""
        return self.ctx.size.height()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.height)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Panels draw nothing themselves; their child items do."""

    def tr(self, value: object) -> str:  # type: ignore[override]
        """Text of a content ``Text`` (or None) in the current language."""
        if value is None:
            return ""
        getter = getattr(value, "get", None)
        return getter(self.ctx.language) if callable(getter) else str(value)

    def text_boxes(self) -> list[TextItem]:
        """Every visible text item of the panel (tests read what is drawn through it)."""
        out: list[TextItem] = []
        stack = list(self.childItems())
        while stack:
            item = stack.pop()
            if isinstance(item, TextItem) and item.isVisibleTo(self):
                out.append(item)
            stack.extend(item.childItems())
        return out

    # -- building ----------------------------------------------------------------
    @property
    def margin(self) -> float:
        """Left and right margin of the stage grid (narrower on a portrait totem)."""
        return margin_for(self.ctx.size)

    def body_rect(self, top: float) -> QRectF:
        """The body's rectangle below ``top``: inside the margins, above the footer."""
        footer = FOOTER_PORTRAIT if self.ctx.portrait else FOOTER
        bottom = self.height - footer - BODY_GAP
        if self.ctx.access.reach and self._reach_controls:
            # the reach bar repeats high controls just above the footer: the body gives it room
            bottom -= REACH_BAR_SPACE
        return QRectF(self.margin, top, self.width - 2 * self.margin, bottom - top)

    def rebuild(self) -> None:
        """Drop all child items and build them again for the current context."""
        self._details = None
        release_children(self)
        self._reach_controls = False
        body_top = self.build_header()
        self.build_body(self.body_rect(body_top))
        if self.ctx.access.reach and self._has_high_controls():
            release_children(self)
            self._reach_controls = True
            body_top = self.build_header()
            self.build_body(self.body_rect(body_top))
        self.apply(self._t)

    def _has_high_controls(self) -> bool:
        """True when a labelled control sits above the reach line (the reach bar will show)."""
        top = self.ctx.access.reach_top(self.height)
        for label, item, _action in tappable_controls(self):
            if label.strip() and item.mapToScene(item.boundingRect()).boundingRect().top() < top:
                return True
        return False

    def release_caches(self) -> None:
        """Drop what the next paint draws again: the device caches of items (text) and, in
        subclasses, pre-rendered images. The panel is far from the current one; it looks the
        same when it comes back."""
        stack = list(self.childItems())
        while stack:
            item = stack.pop()
            mode = item.cacheMode()
            if mode != QGraphicsItem.CacheMode.NoCache:
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)  # purges its pixmap
                item.setCacheMode(mode)
            stack.extend(item.childItems())

    def style(self, role: str, colour: str = "text", **kwargs: object) -> TextStyle:
        """A text style of the theme in this panel's language."""
        return self.ctx.theme.style(role, colour, self.ctx.language, **kwargs)  # type: ignore[arg-type]

    @property
    def for_print(self) -> bool:
        """True when the panel is built for the printed handout (``ctx.medium == "print"``)."""
        return self.ctx.medium == "print"

    def text(self, value: object, role: str, colour: str = "text", *, field: str = "", hint: bool = False,
             **kwargs: object) -> Text:
        """A layout text node for a content value (``Text`` or str) in this panel's language.

        ``hint=True`` marks an instruction to touch ("Tap a city for its story"): its item gets
        ``hint = True``, and the handout (which has nothing to tap) leaves it out.
        """
        node = Text(self.tr(value) if not isinstance(value, str) else value, self.style(role, colour), **kwargs)
        if field:
            node.on_place = _tag(field, node.on_place)
        if hint:
            node.on_place = _mark_hint(node.on_place)
        return node

    def build_header(self) -> float:
        """Headline (and subtitle) top left, the "More" control top right; returns the body's top."""
        model = self.model if isinstance(self.model, PanelModel) else None
        top = HEADER_TOP
        right = self.width - self.margin
        if model is not None and model.link is not None:
            right -= QR_SIZE + 40
        if model is not None and (model.details or model.sources()):
            label = ui_text("details.more", self.ctx.language)
            theme = self.ctx.theme
            width = max(160.0, natural_width(label, self.style("body")) + 56)
            self.more_button = Pill(QRectF(right - width, top + 4, width, MORE_HEIGHT), label, theme.font("body"),
                                    theme.colour("surface"), theme.colour("text"), self.open_details,
                                    outline=theme.colour("data", 0.8), parent=self)
            right -= width + 32
        else:
            self.more_button = None
        width = right - self.margin
        parts: list[Node] = [self.text(model.title if model else "", "headline", field="title")]
        if model is not None and model.subtitle is not None:
            parts.append(self.text(model.subtitle, "body", "muted", field="subtitle"))
        header = Column(parts, gap=10)
        height = header.min_height(width)
        header.place(QRectF(self.margin, top, width, height), self)
        return top + max(height, MORE_HEIGHT if self.more_button is not None else 0.0) + HEADER_GAP

    def place_body(self, arrangements: Sequence[Node | Callable[[], Node]], rect: QRectF) -> Node:
        """Place the first arrangement that fits ``rect`` (or the closest one; the audit reports it)."""
        node, _ = choose(arrangements, rect, what=self.model.id)
        node.place(rect, self)
        return node

    # -- the detail layer -----------------------------------------------------------------
    @property
    def details_open(self) -> bool:
        """True while the detail layer is shown."""
        return self._details is not None

    def open_details(self, about: str | None = None) -> None:
        """Show the detail layer (at the section ``about`` an item, when given)."""
        model = self.model if isinstance(self.model, PanelModel) else None
        if model is None:
            return
        if self._details is None:
            from szkiosk.panels.details import DetailsLayer, sections_for

            sections = sections_for(model.details, model.sources(), self.ctx.sources, self.ctx.language)
            if not sections:
                return
            top = HEADER_TOP
            rect = QRectF(self.margin, top, self.width - 2 * self.margin,
                          self.height - (FOOTER_PORTRAIT if self.ctx.portrait else FOOTER) - BODY_GAP - top)
            self._details = DetailsLayer(self.ctx.theme, rect, self.tr(model.title), sections, self.ctx.language,
                                         1 if self.ctx.portrait else 2, self.close_details, self)
        if about is not None:
            self._details.show_about(about)

    def taps_to_details(self, targets: Iterable[tuple[str | None, QGraphicsItem | None, QRectF]]) -> None:
        """For each (key, item, area): when the detail layer has a section about ``key``
        (``about:``), a tap on ``area`` of ``item`` opens the layer at that section."""
        model = self.model if isinstance(self.model, PanelModel) else None
        about = {d.about for d in model.details if d.about} if model is not None else set()
        for key, item, area in targets:
            if item is not None and key is not None and key in about:
                TapArea(area, lambda key=key: self.open_details(key), item)

    def close_details(self) -> None:
        """Hide the detail layer."""
        layer, self._details = self._details, None
        if layer is not None:
            layer.setParentItem(None)
            if layer.scene() is not None:
                layer.scene().removeItem(layer)

    def build_body(self, rect: QRectF) -> None:
        """Create the panel's items inside ``rect`` (logical px)."""
        raise NotImplementedError

    def apply(self, t_ms: float) -> None:
        """Put every item in its state at ``t_ms`` after activation (idempotent)."""

    def handle_key(self, key: int) -> bool:
        """Offer a key press to the panel first (map focus, open cards); True if used.

        While the detail layer is open, Esc closes it.
        """
        if self._details is not None and key == Qt.Key.Key_Escape:
            self.close_details()
            return True
        return False

    def set_language(self, language: str) -> None:
        """Rebuild in another language, keeping the animation where it is."""
        if language != self.ctx.language:
            self.ctx = self.ctx.with_language(language)
            self.rebuild()

    # -- animation ---------------------------------------------------------------
    @property
    def animating(self) -> bool:
        """True while the panel builds (or waits, held, to go on building after a transition)."""
        return self._timer.isActive() or self._paused

    @property
    def elapsed_ms(self) -> float:
        """Animation time last applied."""
        return self._t

    def activate(self, step: int | None = None) -> None:
        """Start (or replay) the build animation from the beginning.

        ``step`` switches on presenter step builds: stages up to ``step`` build, later ones
        wait for :meth:`show_step`.
        """
        if self.ctx.access.reduced_motion:
            self._appear_without_motion()
            return
        self._t = 0.0
        self._t0 = 0.0
        if step is None or not self.step_count:
            self._step_starts = None
            self._limit = self.build_ms
        else:
            step = min(step, self.step_count)
            self._step_starts = dict.fromkeys(range(step + 1), 0.0)
            self._limit = max(self.stage_length(k) for k in range(step + 1))
        self.apply(0.0)
        if self._limit > 0:
            self._clock.start()
            self._timer.start()

    def pause_build(self) -> None:
        """Hold the build where it is (while the panel slides in); :meth:`resume_build` goes on."""
        if self._timer.isActive():
            self._timer.stop()
            self._paused = True

    def resume_build(self) -> None:
        """Go on with a build held by :meth:`pause_build` from the moment it was held."""
        if self._paused:
            self._paused = False
            if self._t < self._limit:
                self._t0 = self._t
                self._clock.start()
                self._timer.start()

    def deactivate(self) -> None:
        """Stop every timer and close the detail layer; the panel is about to leave the screen."""
        self.close_details()
        self._paused = False
        self._timer.stop()
        self._stop_fade()

    def finish(self) -> None:
        """Jump to the final state and stop (screenshots, reduced motion, export)."""
        self._timer.stop()
        self._stop_fade()
        self._step_starts = None
        self._t = self.build_ms if math.isfinite(self.build_ms) else 0.0
        self._limit = self._t
        self.apply(self._t)

    def settle(self, step: int | None = None) -> None:
        """Jump to where the build rests once stages ``0..step`` have built (all when None) and stop.

        The audit inspects each of these resting states; :meth:`finish` is ``settle(None)``.
        """
        if step is None or not self.step_count:
            self.finish()
            return
        self._timer.stop()
        self._stop_fade()
        step = max(0, min(step, self.step_count))
        self._step_starts = dict.fromkeys(range(step + 1), 0.0)
        self._t = self._limit = max(self.stage_length(k) for k in range(step + 1))
        self.apply(self._t)

    # -- step builds (reveal.js fragments) ---------------------------------------
    def stage_count(self) -> int:
        """Number of build stages (columns, milestones, cards...); 1 means no steps."""
        return 1

    def stage_length(self, stage: int) -> float:
        """How long stage ``stage`` takes to build once it starts (ms)."""
        del stage
        return self.build_ms

    def stage_start(self, stage: int, natural_ms: float) -> float:
        """When ``stage`` starts: ``natural_ms`` normally; in step mode, when its Next came."""
        if self._step_starts is None:
            return natural_ms
        return self._step_starts.get(stage, math.inf)

    @property
    def step_count(self) -> int:
        """Extra Next presses this panel takes in step mode (0 with ``steps: false``)."""
        if not getattr(self.model, "steps", False):
            return 0
        return max(0, self.stage_count() - 1)

    def show_step(self, step: int) -> None:
        """Build forward to ``step``, or drop back to it at once (Previous)."""
        if self._step_starts is None:
            self.activate(step)
            return
        step = max(0, min(step, self.step_count))
        shown = max(self._step_starts)
        if step < shown:
            self._timer.stop()
            self._step_starts = {k: v for k, v in self._step_starts.items() if k <= step}
            self._t = self._limit = max(v + self.stage_length(k) for k, v in self._step_starts.items())
            self.apply(self._t)
            return
        for k in range(shown + 1, step + 1):
            self._step_starts[k] = self._t
        self._limit = max(v + self.stage_length(k) for k, v in self._step_starts.items())
        self._t0 = self._t
        self._clock.start()
        self._timer.start()

    # -- reduced motion (accessibility) -------------------------------------------
    def _appear_without_motion(self) -> None:
        """Reduced motion: final state at once (numbers at their values), one short fade in."""
        self.finish()
        fade = getattr(self, "_fade", None)
        if fade is None:
            fade = self._fade = QPropertyAnimation(self, b"opacity", self)
            fade.setDuration(REDUCED_FADE_MS)
            fade.setStartValue(0.0)
            fade.setEndValue(1.0)
        self.setOpacity(0.0)
        fade.start()

    def _stop_fade(self) -> None:
        fade = getattr(self, "_fade", None)
        if fade is not None and fade.state() == QPropertyAnimation.State.Running:
            fade.stop()
            self.setOpacity(1.0)

    def describe(self) -> str:
        """The panel as text for screen readers: its words, and its charts and map as data."""
        from szkiosk.content.describe import describe_panel

        return describe_panel(self.model, self.ctx.language)

    def _tick(self) -> None:
        self._t = self._t0 + float(self._clock.elapsed())
        if self._t >= self._limit:
            self._t = self._limit
            self._timer.stop()
        try:
            self.apply(self._t)
        except Exception:
            log.exception("panel %s failed while animating; showing its final state", self.model.id)
            self._timer.stop()
