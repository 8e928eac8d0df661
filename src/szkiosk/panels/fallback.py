"""The calm card a visitor sees where a panel could not be built. Details go to the log."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from szkiosk.catalogue import ui_text
from szkiosk.kit.layout import Card, Column
from szkiosk.kit.text import ALIGN_CENTER
from szkiosk.panels.base import Panel


class FallbackPanel(Panel):
    """Shown in place of a broken panel: no error text, just a friendly pointer onwards."""

    build_ms = 0.0

    def build_header(self) -> float:
        return 64.0

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        lang = self.ctx.language
        message = self.text(ui_text("fallback.message", lang), "title", align=ALIGN_CENTER, field="fallback")
        hint = self.text(ui_text("fallback.hint", lang), "body", "muted", align=ALIGN_CENTER, field="fallback")
        card = Card(Column([message, hint], gap=28), theme.colour("surface"), padding=(64.0, 64.0, 64.0, 64.0))
        width = min(rect.width(), 1200.0)
        height = card.min_height(width)
        box = QRectF(0, 0, width, height)
        box.moveCenter(rect.center())
        card.place(box, self)
