"""A panel's detail layer: what a curator wants to say beyond the face, one tap away.

Opened by the panel's "More" control or by tapping a card that has details (``about:``),
closed by a tap anywhere on it, the close button, Esc, leaving the panel or the booth's idle
reset. It covers the panel's body with an opaque card; the sections (title, a few sentences,
their source) are laid out in columns and, when they do not fit, in pages the visitor turns
with the page button.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from szkiosk.catalogue import ui_text
from szkiosk.content.schema import Detail
from szkiosk.content.sources import Source
from szkiosk.kit.items import Card, Pill, release_children
from szkiosk.kit.layout import Column, Masonry, Node, Space, Text, fit
from szkiosk.kit.theme import QtTheme

#: Z value of the layer: above the panel's own items, below the stage's overlays.
DETAILS_Z = 50.0
BUTTON = 72.0


@dataclass(frozen=True)
class Section:
    """One section of the layer, in one language."""

    title: str
    text: str
    source: str = ""
    about: str | None = None
    field: str = ""


def sections_for(details: Sequence[Detail], cited: Sequence[str], sources: Mapping[str, Source],
                 language: str) -> list[Section]:
    """The panel's detail sections, then one listing every source it cites in full."""
    out = []
    for i, d in enumerate(details):
        line = ""
        if d.source is not None and d.source in sources:
            line = ui_text("details.source", language, source=sources[d.source].short(language))
        out.append(Section(d.title.get(language) if d.title is not None else "", d.text.get(language), line,
                           d.about, f"details[{i}]"))
    citations = [sources[s].citation(language) for s in cited if s in sources]
    if citations:
        out.append(Section(ui_text("details.sources", language), "\n".join(citations), "", "sources", "sources"))
    return out


class DetailsLayer(QGraphicsObject):
    """The opaque card of detail sections over a panel's body (see the module docstring)."""

    def __init__(self, theme: QtTheme, rect: QRectF, title: str, sections: Sequence[Section], language: str,
                 columns: int, on_close: Callable[[], None], parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setZValue(DETAILS_Z)
        self.setObjectName("details")
        self.theme = theme
        self._rect = QRectF(rect)
        self.title = title
        self.sections = list(sections)
        self.language = language
        self.columns = columns
        self.on_close = on_close
        self.page = 0
        self.pages = self._paginate()
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self._draw()

    # -- layout ---------------------------------------------------------------------------
    def _inner(self) -> QRectF:
        return self._rect.adjusted(40, 32, -40, -32)

    def _section(self, index: int) -> Node:
        t = self.theme
        lang = self.language
        sec = self.sections[index]
        parts: list[Node] = []
        if sec.title:
            parts.append(Text(sec.title, t.style("title", "text", lang), group="details-title"))
        role = "caption" if sec.about == "sources" else "body"
        parts.append(Text(sec.text, t.style(role, "text", lang), group=f"details-{role}"))
        if sec.source:
            parts.append(Text(sec.source, t.style("caption", "muted", lang), group="details-source"))
        for node in parts:
            node.on_place = lambda item, f=sec.field: setattr(item, "field", f)
        return Column(parts, gap=12)

    def _body_rect(self) -> QRectF:
        inner = self._inner()
        head = BUTTON + 24
        return QRectF(inner.left(), inner.top() + head, inner.width(), inner.height() - head)

    def _grid(self, indices: Sequence[int]) -> Masonry:
        return Masonry([self._section(i) for i in indices], self.columns, gap=56, row_gap=40)

    def _paginate(self) -> list[list[int]]:
        """Sections per page: as many in order as fit the body."""
        body = self._body_rect()
        pages: list[list[int]] = []
        current: list[int] = []
        for i in range(len(self.sections)):
            trial = [*current, i]
            if current and not fit(self._grid(trial), body).ok:
                pages.append(current)
                current = [i]
            else:
                current = trial
        if current:
            pages.append(current)
        return pages or [[]]

    def _draw(self) -> None:
        release_children(self)
        t = self.theme
        lang = self.language
        Card(self._rect, t.colour("surface"), outline=t.colour("data", 0.8), radius=22, parent=self)
        inner = self._inner()
        close = ui_text("details.close", lang)
        self.close_button = Pill(QRectF(inner.right() - 220, inner.top(), 220, BUTTON), close,
                                 t.font("body"), t.colour("background"), t.colour("text"), self.on_close,
                                 outline=t.colour("text", 0.8), parent=self)
        self.page_button: Pill | None = None
        right = inner.right() - 220 - 24
        if len(self.pages) > 1:
            label = ui_text("details.page", lang, page=self.page + 1, pages=len(self.pages))
            self.page_button = Pill(QRectF(right - 200, inner.top(), 200, BUTTON), label, t.font("body"),
                                    t.colour("background"), t.colour("text"), self.next_page,
                                    outline=t.colour("data", 0.8), parent=self)
            right -= 224
        heading = Text(ui_text("details.heading", lang, title=self.title), t.style("title", "data", lang),
                       max_lines=1)
        heading.place(QRectF(inner.left(), inner.top() + (BUTTON - heading.min_height(right - inner.left())) / 2,
                             right - inner.left(), 0), self)
        if heading.item is not None:
            heading.item.field = "details"
        Column([self._grid(self.pages[self.page]), Space(flex=1)]).place(self._body_rect(), self)

    def next_page(self) -> None:
        """Show the next page of sections (wraps around)."""
        self.page = (self.page + 1) % len(self.pages)
        self._draw()

    def show_about(self, about: str) -> None:
        """Turn to the page of the section about ``about`` (an item's key)."""
        for i, sec in enumerate(self.sections):
            if sec.about == about:
                self.show_section(i)
                return

    def show_section(self, index: int) -> None:
        """Turn to the page that holds section ``index``."""
        for p, indices in enumerate(self.pages):
            if index in indices:
                if p != self.page:
                    self.page = p
                    self._draw()
                return

    # -- QGraphicsItem -------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """The card child draws."""

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        # a tap anywhere on the layer (outside its buttons) closes it
        if self._rect.contains(event.pos()):
            self.on_close()
        event.accept()
