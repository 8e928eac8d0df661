"""The calm card a visitor sees where a panel could not be built. Details go to the log."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from szkiosk.catalogue import ui_text
from szkiosk.kit.items import ALIGN_CENTER, Card, TextBox
from szkiosk.panels.base import Panel


class FallbackPanel(Panel):
    """Shown in place of a broken panel: no error text, just a friendly pointer onwards."""

    build_ms = 0.0

    def build_header(self) -> float:
        return 64.0

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        card_rect = QRectF(0, 0, min(rect.width(), 1200), 360)
        card_rect.moveCenter(rect.center())
        Card(card_rect, theme.colour("surface"), parent=self)
        main, hint = (ui_text(f"fallback.{key}", self.ctx.language) for key in ("message", "hint"))
        TextBox(main, theme.font("headline", 0.75), theme.colour("text"),
                card_rect.adjusted(60, 70, -60, -180), align=ALIGN_CENTER,
                valign=Qt.AlignmentFlag.AlignVCenter, parent=self)
        TextBox(hint, theme.font("body"), theme.colour("muted"),
                card_rect.adjusted(60, 200, -60, -60), align=ALIGN_CENTER,
                valign=Qt.AlignmentFlag.AlignVCenter, parent=self)
