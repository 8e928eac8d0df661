"""Accessibility modes: reduced motion, high contrast, large text and reachable controls.

:class:`AccessMode` is plain data (deck defaults from ``accessibility:`` in deck.yaml, changed
at run time from the access button). The stage turns it into a theme variant and tells
panels about it through :class:`~szkiosk.panels.base.PanelContext`. The card of toggles and
the reach bar that draw these modes live in :mod:`szkiosk.show.access`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtWidgets import QGraphicsItem

from szkiosk.content.schema import Accessibility, Theme
from szkiosk.kit.items import Pill, TapArea
from szkiosk.kit.text import TextItem

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


def is_on(mode: AccessMode, name: str) -> bool:
    """Whether toggle ``name`` is on in ``mode``."""
    return mode.large_text if name == "large_text" else bool(getattr(mode, name))


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
        if isinstance(item, TextItem) and item.isVisible() and item.text.strip():
            rect = item.mapToScene(item.text_rect()).boundingRect()
            if area.intersects(rect) and not item.text.strip().isdigit():
                key = (rect.top(), rect.left(), item.text)
                best = key if best is None or key < best else best
        stack.extend(item.childItems())
    return best[2] if best else ""


