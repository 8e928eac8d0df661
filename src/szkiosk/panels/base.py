"""Panel base class and registry: one small class per YAML ``type:``.

A panel is a QGraphicsObject covering the logical stage. It builds its items for a language,
shows its build animation from :meth:`activate` (one QTimer it owns) and stops everything in
:meth:`deactivate`. :meth:`finish` jumps to the final state (screenshots, reduced motion).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QElapsedTimer, QPropertyAnimation, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.content import BrokenPanel, PanelModel
from szkiosk.kit.access import REACH_BAR_SPACE, REDUCED_FADE_MS, AccessMode
from szkiosk.kit.items import TextBox, release_children
from szkiosk.kit.theme import QtTheme

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
#: Smallest share of its (enlarged) font a text box may shrink to in large-text mode.
LARGE_TEXT_FLOOR = 0.4


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

    def text_boxes(self) -> list[TextBox]:
        """Every text box of the panel (tests use it to check for clipping)."""
        out: list[TextBox] = []
        stack = list(self.childItems())
        while stack:
            item = stack.pop()
            if isinstance(item, TextBox) and item.isVisibleTo(self):
                out.append(item)
            stack.extend(item.childItems())
        return out

    # -- building ----------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop all child items and build them again for the current context."""
        release_children(self)
        # large text: boxes may shrink back towards their default size while the layout is built
        TextBox.build_text_scale = self.ctx.access.text_scale
        try:
            body_top = self.build_header()
            footer = FOOTER_PORTRAIT if self.ctx.portrait else FOOTER
            body = QRectF(MARGIN, body_top, self.width - 2 * MARGIN, self.height - footer - body_top)
            self.build_body(body)
            if self.ctx.access.reach and self._has_high_controls():
                # the reach bar will repeat these controls just above the footer: the body gives up
                # that height so the bar covers nothing
                release_children(self)
                body_top = self.build_header()
                self.build_body(body.adjusted(0, body_top - body.top(), 0, -REACH_BAR_SPACE))
        finally:
            TextBox.build_text_scale = 1.0
        if self.ctx.access.large_text:
            self._reflow_large_text()
        self.apply(self._t)

    def _has_high_controls(self) -> bool:
        """True when a labelled control sits above the reach line (the reach bar will show)."""
        from szkiosk.kit.access import tappable_controls  # noqa: PLC0415

        top = self.ctx.access.reach_top(self.height)
        for label, item, _action in tappable_controls(self):
            if label.strip() and item.mapToScene(item.boundingRect()).boundingRect().top() < top:
                return True
        return False

    def _reflow_large_text(self) -> None:
        """Large text: a box that cannot fit its text at the larger size may shrink back, but
        never below the size it could reach without large text (so nothing clips)."""
        stack = list(self.childItems())
        while stack:
            item = stack.pop()
            if isinstance(item, TextBox):
                item.allow_shrink(item._min_scale / self.ctx.access.text_scale)
                if item.clipped:
                    # a fixed-size box (a chip, a ring) cannot grow: fit rather than clip
                    item.allow_shrink(LARGE_TEXT_FLOOR)
                    log.debug("panel %s: large text shrank %r to %.2f", self.model.id, item.text[:30],
                              item.scale_used)
            stack.extend(item.childItems())

    def build_header(self) -> float:
        """Headline (and subtitle) top left; returns the y where the body starts."""
        theme = self.ctx.theme
        top = 64.0
        width = self.width - 2 * MARGIN - (QR_SIZE + 60 if getattr(self.model, "link", None) else 0)
        title = TextBox(
            self.tr(self.model.title if isinstance(self.model, PanelModel) else None),
            theme.font("headline"), theme.colour("text"), QRectF(MARGIN, top, width, 170),
            max_lines=2, parent=self,
        )
        y = top + title.used_height + 14
        subtitle = getattr(self.model, "subtitle", None)
        if subtitle is not None:
            sub = TextBox(
                self.tr(subtitle), theme.font("body"), theme.colour("muted"),
                QRectF(MARGIN, y, width, 96), max_lines=2, parent=self,
            )
            y += sub.used_height + 10
        return y + 28

    def build_body(self, rect: QRectF) -> None:
        """Create the panel's items inside ``rect`` (logical px)."""
        raise NotImplementedError

    def apply(self, t_ms: float) -> None:
        """Put every item in its state at ``t_ms`` after activation (idempotent)."""

    def handle_key(self, key: int) -> bool:
        """Offer a key press to the panel first (map focus, open cards); True if used."""
        del key
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
        """Stop every timer; the panel is about to leave the screen."""
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
        from szkiosk.content.describe import describe_panel  # noqa: PLC0415

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
