"""A panel's detail layer: what a curator wants to say beyond the face, one tap away.

Opened by the panel's "More" control or by tapping a card that has details (``about:``),
closed by a tap anywhere on it, the close button, Esc, leaving the panel or the booth's idle
reset. It covers the panel's body with an opaque card; the sections (title, a few sentences,
their source) are laid out in columns and, when they do not fit, in pages the visitor turns
with the page button.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

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
from szkiosk.kit.layout import Column, Masonry, Node, Space, Text, fit, pages_that_fit
from szkiosk.kit.text import natural_width
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
        self.language = language
        self.columns = columns
        # the heading shares its row with the buttons; laid out first with room for a page
        # button, then, when everything fits one page (no page button), with that room too
        self._page_button_room = True
        self.sections = self._split_long(list(sections))
        self.on_close = on_close
        self.page = 0
        self.pages = self._paginate()
        if len(self.pages) == 1:
            self._page_button_room = False
            self.pages = self._paginate()
            if len(self.pages) != 1:  # a heading that now wraps differently took the room back
                self._page_button_room = True
                self.pages = self._paginate()
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, False)
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

    def _heading(self) -> Text:
        return Text(ui_text("details.heading", self.language, title=self.title),
                    self.theme.style("title", "data", self.language))

    def _heading_above(self) -> bool:
        """True when the heading goes above the buttons: beside them it would break a word,
        or take more height than a row of its own plus the buttons' row (a narrow column of
        one or two words a line)."""
        heading = self._heading()
        if heading.min_width() > self._heading_width():
            return True
        beside = max(BUTTON, heading.min_height(self._heading_width()))
        return heading.min_height(self._inner().width()) + 16 + BUTTON < beside

    def _head_height(self) -> float:
        """Height of the heading row(s): beside the buttons, or above them on a narrow layer."""
        heading = self._heading()
        if self._heading_above():
            return heading.min_height(self._inner().width()) + 16 + BUTTON
        return max(BUTTON, heading.min_height(self._heading_width()))

    def _body_rect(self) -> QRectF:
        inner = self._inner()
        head = self._head_height() + 24
        return QRectF(inner.left(), inner.top() + head, inner.width(), inner.height() - head)

    def _grid(self, indices: Sequence[int]) -> Masonry:
        return Masonry([self._section(i) for i in indices], self.columns, gap=56, row_gap=40)

    def _split_long(self, sections: list[Section]) -> list[Section]:
        """A section too tall for a page (a long list of sources) becomes several, line by line."""
        body = self._body_rect()
        out: list[Section] = []
        for sec in sections:
            self.sections = [sec]
            if fit(self._grid([0]), body).ok or "\n" not in sec.text:
                out.append(sec)
                continue

            def fits(lines: list[str], sec: Section = sec) -> bool:
                self.sections = [replace(sec, text="\n".join(lines))]
                return fit(self._grid([0]), body).ok

            parts = pages_that_fit(sec.text.split("\n"), fits)
            n = len(parts)
            out += [replace(sec, title=f"{sec.title} ({k + 1}/{n})" if sec.title else "", text="\n".join(lines))
                    for k, lines in enumerate(parts)]
        return out

    def _paginate(self) -> list[list[int]]:
        """Sections per page: as many in order as fit the body."""
        body = self._body_rect()
        return pages_that_fit(range(len(self.sections)), lambda trial: fit(self._grid(trial), body).ok) or [[]]

    def _button_widths(self) -> tuple[float, float]:
        """Widths of the close button and of the page button (sized for "99 / 99")."""
        style = self.theme.style("control", "text", self.language)
        close = natural_width(ui_text("details.close", self.language), style) + 64
        page = natural_width(ui_text("details.page", self.language, page=99, pages=99), style) + 64
        return close, page

    def _buttons_width(self) -> float:
        """Room the close (and page) buttons take on the heading's row."""
        close, page = self._button_widths()
        return close + 24 + (page + 24 if self._page_button_room else 0.0)

    def _heading_width(self) -> float:
        return self._inner().width() - self._buttons_width()

    def _draw(self) -> None:
        release_children(self)
        t = self.theme
        lang = self.language
        Card(self._rect, t.colour("surface"), outline=t.colour("data", 0.8), radius=22, parent=self)
        inner = self._inner()
        control = t.style("control", "text", lang)
        close_w, page_w = self._button_widths()
        heading = self._heading()
        above = self._heading_above()
        buttons_y = inner.top() + (heading.min_height(inner.width()) + 16 if above else 0.0)
        self.close_button = Pill(QRectF(inner.right() - close_w, buttons_y, close_w, BUTTON),
                                 ui_text("details.close", lang), control,
                                 t.colour("background"), t.colour("text"), self.on_close,
                                 outline=t.colour("text", 0.8), parent=self)
        self.page_button: Pill | None = None
        if len(self.pages) > 1:
            label = ui_text("details.page", lang, page=self.page + 1, pages=len(self.pages))
            self.page_button = Pill(QRectF(inner.right() - close_w - 24 - page_w, buttons_y, page_w, BUTTON),
                                    label, control, t.colour("background"), t.colour("text"), self.next_page,
                                    outline=t.colour("data", 0.8), parent=self)
        width = inner.width() if above else self._heading_width()
        head_h = heading.min_height(width)
        top = inner.top() if above else inner.top() + max(0.0, (BUTTON - head_h) / 2)
        heading.place(QRectF(inner.left(), top, width, 0), self)
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
        """The stage colour behind the rounded card: nothing of the panel shows at its corners."""
        painter.fillRect(self._rect, self.theme.colour("background"))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        # a tap anywhere on the layer (outside its buttons) closes it
        if self._rect.contains(event.pos()):
            self.on_close()
        event.accept()
