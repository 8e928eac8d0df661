"""The deck's theme (pure model) turned into Qt colours and fonts."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QColor, QFont

from szkiosk.content.schema import Theme
from szkiosk.kit.fonts import font, ui_family
from szkiosk.kit.text import ROLES, Role, TextStyle


@dataclass(frozen=True)
class QtTheme:
    """Colours and fonts ready for painting, built once per deck."""

    model: Theme
    #: The large-text factor already applied to the model's sizes (role floors scale with it).
    text_scale: float = 1.0

    @property
    def family(self) -> str:
        """Font family in use."""
        return ui_family(self.model.font_family)

    def colour(self, name: str, alpha: float = 1.0) -> QColor:
        """A theme colour by field name (``"accent"``) or ``"palette:N"``."""
        if name.startswith("palette:"):
            palette = self.model.palette
            value = palette[int(name.split(":", 1)[1]) % len(palette)]
        else:
            value = getattr(self.model, name)
        c = QColor(value)
        c.setAlphaF(max(0.0, min(1.0, alpha)))
        return c

    def series(self, i: int) -> QColor:
        """The i-th chart series colour."""
        return self.colour(f"palette:{i}")

    def font(self, role: str, scale: float = 1.0, *, bold: bool | None = None) -> QFont:
        """A font for a role: headline, body, caption or number."""
        size = {
            "headline": self.model.headline_size,
            "body": self.model.body_size,
            "caption": self.model.caption_size,
            "number": self.model.number_size,
        }[role]
        # Noto Sans SC ships one weight; Qt can fake bold only for glyphs it caches (up to
        # 64 px), so large type would switch weight as it shrinks to fit: keep it regular
        heavy = False if bold is None else bold
        return font(size * scale, bold=heavy, family=self.family)

    # -- the type scale ------------------------------------------------------------------
    def role(self, name: str) -> Role:
        """A role of the type scale at this theme's sizes and text scale."""
        base = ROLES[name]
        m = self.model
        size = {
            "display": m.number_size,
            "headline": m.headline_size,
            "body": m.body_size,
            "label": m.body_size,
            "title": m.body_size * 1.25,
            "data": m.body_size * 0.94,
            "caption": m.caption_size * 26 / 24,
            "source": m.caption_size,
            "control": m.body_size,
        }[name]
        return replace(base, size=size, floor=base.floor * self.text_scale)

    def style(self, role: str, colour: str | QColor = "text", language: str = "en", *, bold: bool = False,
              step: float = 1.0) -> TextStyle:
        """How text of ``role`` looks here: its size (times ``step``, never under the role's floor)."""
        r = self.role(role)
        c = colour if isinstance(colour, QColor) else self.colour(colour)
        return TextStyle(r, max(r.floor, r.size * step), QColor(c), language, bold, self.family)
