"""Screen-wide overlays above the panels: black/white screen and the key help card."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.kit.items import Card, TextBox
from szkiosk.kit.theme import QtTheme

HELP = {
    "en": ("Keys", [
        ("→  Space  PageDown", "next"), ("←  PageUp", "previous"), ("Home / End", "first / last"),
        ("digits + Enter", "jump to a panel number"), ("L", "English / 中文"), ("B  or  .", "black screen"),
        ("W", "white screen"), ("O  or  Esc", "overview of all panels"), ("G + letters", "jump to a panel by id"),
        ("F", "full screen"), ("?", "this help"), ("Q", "quit"),
    ]),
    "zh": ("按键", [
        ("→  空格  PageDown", "下一页"), ("←  PageUp", "上一页"), ("Home / End", "首页 / 末页"),
        ("数字 + 回车", "跳到指定页"), ("L", "English / 中文"), ("B  或  .", "黑屏"),
        ("W", "白屏"), ("O  或  Esc", "全部页面概览"), ("G + 字母", "按编号跳转"),
        ("F", "全屏"), ("?", "本帮助"), ("Q", "退出"),
    ]),
}


class Blackout(QGraphicsObject):
    """A plain black (or white) screen for pauses in a talk."""

    def __init__(self, size: QSizeF, colour: QColor) -> None:
        super().__init__()
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.colour = QColor(colour)
        self.setZValue(300)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self.colour)


class HelpCard(QGraphicsObject):
    """The list of keys, in the current language, over a dimmed stage."""

    def __init__(self, theme: QtTheme, size: QSizeF, language: str) -> None:
        super().__init__()
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.setZValue(250)
        title, rows = HELP.get(language, HELP["en"])
        row_h = 58.0
        box = QRectF(0, 0, min(size.width() - 192, 1200), 140 + row_h * len(rows))
        box.moveCenter(self._rect.center())
        self._items: list[QGraphicsItem] = [Card(box, theme.colour("surface"), outline=theme.colour("data", 0.7),
                                                 parent=self)]
        TextBox(title, theme.font("headline", 0.8), theme.colour("text"),
                QRectF(box.left() + 56, box.top() + 36, box.width() - 112, 80), max_lines=1, parent=self)
        for i, (keys, meaning) in enumerate(rows):
            y = box.top() + 124 + i * row_h
            TextBox(keys, theme.font("body", 0.9, bold=True), theme.colour("data"),
                    QRectF(box.left() + 56, y, box.width() * 0.45, row_h), max_lines=1, parent=self)
            TextBox(meaning, theme.font("body", 0.9), theme.colour("text"),
                    QRectF(box.left() + 56 + box.width() * 0.45, y, box.width() * 0.5 - 56, row_h),
                    max_lines=1, parent=self)
        self.dim = theme.colour("background", 0.75)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self.dim)


GOTO_TITLE = {"en": "Go to panel:", "zh": "跳转到："}


class GotoPrompt(QGraphicsObject):
    """After G: the letters typed so far and the panel ids they match."""

    def __init__(self, theme: QtTheme, size: QSizeF, language: str) -> None:
        super().__init__()
        self.setZValue(270)
        self._theme = theme
        self._language = language
        self._rect = QRectF((size.width() - 900) / 2, 120, 900, 420)
        Card(self._rect, theme.colour("surface"), outline=theme.colour("accent", 0.8), parent=self)
        self.query = TextBox("", theme.font("headline", 0.8), theme.colour("text"),
                             self._rect.adjusted(48, 36, -48, -300), max_lines=1, parent=self)
        self.matches = TextBox("", theme.font("body"), theme.colour("data"),
                               self._rect.adjusted(48, 140, -48, -30), parent=self)

    def show_query(self, query: str, matches: list[str]) -> None:
        """Show what was typed and the first matching ids."""
        self.query.set_text(f"{GOTO_TITLE.get(self._language, GOTO_TITLE['en'])} {query}▏")
        self.matches.set_text("\n".join(matches) if matches else "—")

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """The card child draws."""
