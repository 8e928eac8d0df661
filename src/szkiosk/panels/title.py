"""The opening panel: the title in the largest type, a red rule that draws, then the tagline.

The footer names the source and the stage draws the take-away QR code top right; the title
stays clear of it. Layout comes from rules: the title in the display role when its longest
word fits the stage (else the headline role), the tagline at a readable line length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.content.panel_types import TitlePanelModel
from szkiosk.kit.items import Card
from szkiosk.kit.layout import Column, Node, Text, Visual
from szkiosk.kit.text import INK_ASCENT, INK_DESCENT, TextItem
from szkiosk.panels.base import BODY_GAP, FOOTER, FOOTER_PORTRAIT, HEADER_TOP, QR_SIZE, Panel, ease_out, phase

#: The tagline's line length, in multiples of its font size (about 55 Latin characters).
MEASURE_EM = 28.0
#: The accent rule under the title: long and thick enough to read as a rule, not a dash.
RULE_W = 260.0
RULE_H = 12.0
#: The stage draws the QR code this far from the top, with a caption of up to two lines under it.
QR_TOP = 40.0
QR_CAPTION_GAP = 8.0

KICKER_MS = (0.0, 400.0)
TITLE_MS = (100.0, 700.0)
RULE_MS = (500.0, 500.0)
TAGLINE_MS = (750.0, 450.0)


@dataclass
class Measure(Node):
    """A child placed at no more than ``max_width`` (a comfortable line length)."""

    child: Node
    max_width: float

    def min_height(self, width: float) -> float:
        return self.child.min_height(min(width, self.max_width))

    def min_width(self) -> float:
        return self.child.min_width()

    def natural_width(self) -> float:
        return min(self.child.natural_width(), self.max_width)

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self.child.place(QRectF(rect.left(), rect.top(), min(rect.width(), self.max_width), rect.height()), parent)


class TitlePanel(Panel):
    """Kicker line (optional), title in the largest type, a red rule that draws, the tagline."""

    model: TitlePanelModel
    build_ms = TAGLINE_MS[0] + TAGLINE_MS[1]

    def build_header(self) -> float:
        """No header: the title is the panel. The body starts below the QR code, if any."""
        self.more_button = None
        return self._below_qr() if self.model.link is not None else HEADER_TOP

    def _below_qr(self) -> float:
        """Where the QR code and its caption (two lines at most, at the caption's size) end, plus air."""
        caption = self.style("caption")
        two_lines = caption.role.line_step(caption.px, False) + caption.px * (INK_ASCENT + INK_DESCENT)
        return QR_TOP + QR_SIZE + QR_CAPTION_GAP + two_lines + 24

    def open_details(self, about: str | None = None) -> None:
        """The detail layer (the sources, for the handout), below the QR code like the title."""
        if self._details is None and self.model.link is not None:
            from szkiosk.panels.details import DetailsLayer, sections_for

            m = self.model
            sections = sections_for(m.details, m.sources(), self.ctx.sources, self.ctx.language)
            if not sections:
                return
            top = self._below_qr()
            bottom = self.height - (FOOTER_PORTRAIT if self.ctx.portrait else FOOTER) - BODY_GAP
            rect = QRectF(self.margin, top, self.width - 2 * self.margin, bottom - top)
            self._details = DetailsLayer(self.ctx.theme, rect, self.tr(m.title), sections, self.ctx.language,
                                         1 if self.ctx.portrait else 2, self.close_details, self)
        super().open_details(about)

    def _rule(self, rect: QRectF, parent: QGraphicsItem) -> Card:
        theme = self.ctx.theme
        rule = Card(QRectF(rect.left(), rect.top(), RULE_W, RULE_H), theme.colour("accent"), radius=RULE_H / 2,
                    parent=parent)
        rule.setTransformOriginPoint(rect.left(), rect.top())
        self.rule = rule
        return rule

    def _arrangement(self, role: str) -> Callable[[], Node]:
        def make() -> Node:
            m = self.model
            kicker = self.text(m.kicker, "label", "data", field="kicker") if m.kicker is not None else None
            title = self.text(m.title, role, field="title")
            subtitle = self.text(m.subtitle, "title", field="subtitle") if m.subtitle is not None else None
            tagline = self.text(m.tagline, "title", "muted", field="tagline") if m.tagline is not None else None
            measure = MEASURE_EM * self.style("title").px
            parts: list[Node] = [kicker] if kicker is not None else []
            parts += [title, Visual(self._rule, min_h=RULE_H, min_w=RULE_W, flex=0.0)]
            parts += [Measure(node, measure) for node in (subtitle, tagline) if node is not None]
            face = Column(parts, gap=36, justify="center")
            face.parts = (kicker, title, subtitle, tagline)  # type: ignore[attr-defined]
            return face

        return make

    def build_body(self, rect: QRectF) -> None:
        self.rule: Card | None = None
        # the title in the largest role whose longest word fits the stage
        face = self.place_body([self._arrangement("display"), self._arrangement("headline")], rect)
        self.kicker, self.title, self.subtitle, self.tagline = (_item(n) for n in face.parts)  # type: ignore[attr-defined]

    def apply(self, t_ms: float) -> None:
        if self.kicker is not None:
            self.kicker.setOpacity(ease_out(phase(t_ms, *KICKER_MS)))
        if self.title is not None:
            a = ease_out(phase(t_ms, *TITLE_MS))
            self.title.setOpacity(a)
            self.title.setPos(0, 40 * (1 - a))
        if self.rule is not None:
            self.rule.setScale(max(0.001, ease_out(phase(t_ms, *RULE_MS))))
        for item in (self.subtitle, self.tagline):
            if item is not None:
                item.setOpacity(ease_out(phase(t_ms, *TAGLINE_MS)))


def _item(node: Text | None) -> TextItem | None:
    return node.item if node is not None else None
