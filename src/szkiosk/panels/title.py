"""The opening panel: kicker, a large title that builds in, a tagline."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from szkiosk.content.panel_types import TitlePanelModel
from szkiosk.kit.items import Card, TextBox
from szkiosk.panels.base import FOOTER, FOOTER_PORTRAIT, MARGIN, Panel, ease_out, phase


class TitlePanel(Panel):
    """Kicker line, title in large type, a red rule that draws, then the tagline."""

    model: TitlePanelModel
    build_ms = 1600.0

    def build_header(self) -> float:
        return 0.0

    def build_body(self, rect: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        width = self.width - 2 * MARGIN
        top = self.height * (0.30 if not self.ctx.portrait else 0.32)
        if self.ctx.access.large_text:
            # larger type needs more of the height: start higher so the tagline clears the footer
            top = self.height * (0.22 if not self.ctx.portrait else 0.26)
        self.kicker = TextBox(self.tr(m.kicker), theme.font("body", 1.1), theme.colour("data"),
                              QRectF(MARGIN, top - 90, width, 70), max_lines=1, parent=self)
        self.title = TextBox(self.tr(m.title), theme.font("headline", 1.9), theme.colour("text"),
                             QRectF(MARGIN, top, width, 400), max_lines=3, parent=self)
        rule_y = top + self.title.used_height + 36
        self.rule = Card(QRectF(MARGIN, rule_y, 260, 12), theme.colour("accent"), radius=6, parent=self)
        self.rule.setTransformOriginPoint(MARGIN, rule_y)
        tagline_h = 200.0
        if self.ctx.access.active:
            # never into the source line and the controls below
            footer = FOOTER_PORTRAIT if self.ctx.portrait else FOOTER
            tagline_h = min(tagline_h, self.height - footer - (rule_y + 52))
        self.tagline = TextBox(self.tr(m.tagline), theme.font("body", 1.25), theme.colour("muted"),
                               QRectF(MARGIN, rule_y + 52, min(width, 1500), tagline_h), max_lines=4,
                               parent=self)

    def apply(self, t_ms: float) -> None:
        k = ease_out(phase(t_ms, 0, 500))
        self.kicker.setOpacity(k)
        a = ease_out(phase(t_ms, 150, 700))
        self.title.setOpacity(a)
        self.title.setPos(0, 40 * (1 - a))
        self.rule.setScale(max(0.001, ease_out(phase(t_ms, 600, 600))))
        self.tagline.setOpacity(ease_out(phase(t_ms, 900, 700)))
