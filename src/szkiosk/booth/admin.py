"""Staff-only overlays on the stage: the PIN pad and the staff menu.

They draw and collect taps; the rules (the PIN check, wrong tries, the lockout, when either
screen opens or closes) belong to :class:`szkiosk.booth_state.BoothState`. The PIN is never
stored: ``deck.yaml`` holds a salted scrypt hash of it (``kiosk.pin_scrypt``, made with
``szkiosk hash-pin``; see :mod:`szkiosk.content.pin_hash`).
Every word comes from the catalogue, in the languages given (the first one first).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QFontDatabase, QPainter
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.booth.prompts import said
from szkiosk.kit.items import Card, Pill
from szkiosk.kit.text import ALIGN_CENTER, ROLES, TextItem, TextStyle
from szkiosk.kit.theme import QtTheme

#: Digits a PIN may have (``szkiosk hash-pin`` asks for 4-12).
MAX_DIGITS = 12
#: The delete key of the pad.
DELETE = "⌫"


class _Screen(QGraphicsObject):
    """A dimmed full-stage layer that swallows taps, so nothing beneath reacts."""

    def __init__(self, theme: QtTheme, size: QSizeF, z: float) -> None:
        super().__init__()
        self.theme = theme
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.dim = theme.colour("background", 0.9)
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.AllButtons)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self.dim)

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        event.accept()

    def _button(self, rect: QRectF, label: str, on_tap: Callable[[], None], *, accent: bool = False) -> Pill:
        t = self.theme
        return Pill(rect, label, t.font("body", 0.95, bold=True), t.colour("surface"), t.colour("text"),
                    on_tap, outline=t.colour("accent" if accent else "data", 0.9), parent=self)


class PinPad(_Screen):
    """Digits 0-9, delete, OK and cancel; hands the PIN typed to ``on_submit`` on OK."""

    def __init__(self, theme: QtTheme, size: QSizeF, languages: Sequence[str], on_submit: Callable[[str], None],
                 on_cancel: Callable[[], None]) -> None:
        super().__init__(theme, size, 520)
        self.setObjectName("pin-pad")
        self.languages = list(languages)
        self._on_submit = on_submit
        self._on_cancel = on_cancel
        self.entry = ""
        #: While the booth says the pad is locked, digits are ignored.
        self.locked = False
        t = theme
        key, gap = 120.0, 18.0
        box = QRectF(0, 0, 3 * key + 2 * gap + 120, 300 + 4 * (96 + gap) + 96)
        box.moveCenter(self._rect.center())
        Card(box, t.colour("surface"), outline=t.colour("data", 0.7), parent=self)
        lang = self.languages[0] if self.languages else "en"
        TextItem(said("staff.pin_title", languages), t.style("title", "text", lang, bold=True),
                 QRectF(box.left() + 40, box.top() + 30, box.width() - 80, 60), align=ALIGN_CENTER,
                 valign=Qt.AlignmentFlag.AlignVCenter, max_lines=1, parent=self)
        self.display = TextItem("", t.style("headline", "data", lang), QRectF(box.left() + 40, box.top() + 96,
                                box.width() - 80, 90), align=ALIGN_CENTER, valign=Qt.AlignmentFlag.AlignVCenter,
                                max_lines=1, parent=self)
        self.message = TextItem("", t.style("caption", "accent", lang), QRectF(box.left() + 40, box.top() + 190,
                                box.width() - 80, 70), align=ALIGN_CENTER, max_lines=2, parent=self)
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", DELETE, "0", "OK"]
        left = box.left() + 60
        top = box.top() + 270
        self.keys: dict[str, Pill] = {}
        for i, label in enumerate(labels):
            r, c = divmod(i, 3)
            rect = QRectF(left + c * (key + gap), top + r * (96 + gap), key, 96)
            self.keys[label] = self._button(rect, label, lambda label=label: self.press(label),
                                            accent=label == "OK")
        cancel = QRectF(box.left() + 60, top + 4 * (96 + gap), box.width() - 120, 80)
        self.keys["cancel"] = self._button(cancel, said("staff.cancel", languages), self.cancel)
        self._refresh()

    def press(self, label: str) -> None:
        """A key of the pad: a digit, delete or OK."""
        if label == "OK":
            entry, self.entry = self.entry, ""
            self._refresh()
            self._on_submit(entry)
            return
        if self.locked:
            return
        if label == DELETE:
            self.entry = self.entry[:-1]
        elif label.isdigit() and len(label) == 1 and len(self.entry) < MAX_DIGITS:
            self.entry += label
        self.message.set_text("")
        self._refresh()

    def cancel(self) -> None:
        """Close without opening the staff menu."""
        self.entry = ""
        self._on_cancel()

    def handle_key(self, key: int) -> None:
        """Digits, Backspace, Enter and Esc from a keyboard."""
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self.press(chr(key))
        elif key == Qt.Key.Key_Backspace:
            self.press(DELETE)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("OK")
        elif key == Qt.Key.Key_Escape:
            self.cancel()

    def show_refused(self, tries_left: int) -> None:
        """The booth refused the PIN; ``tries_left`` more before the lockout."""
        self.message.set_text(said("staff.wrong_pin_left", self.languages, count=tries_left))

    def show_locked(self, seconds: float) -> None:
        """The booth locked the pad for ``seconds``."""
        self.locked = True
        self.entry = ""
        if seconds > 120:  # the longer lockouts that follow the first one: whole minutes
            self.message.set_text(said("staff.locked_minutes", self.languages, minutes=math.ceil(seconds / 60)))
        else:
            self.message.set_text(said("staff.locked", self.languages, seconds=math.ceil(seconds)))
        self._refresh()

    def show_unlocked(self) -> None:
        """The lockout is over."""
        self.locked = False
        self.message.set_text("")

    def _refresh(self) -> None:
        self.display.set_text("●" * len(self.entry) if self.entry else "– – – –")


#: The staff menu's buttons: action name and catalogue key.
STAFF_BUTTONS = ("resume", "reload", "status", "stats", "quit")


class AdminOverlay(_Screen):
    """The staff menu: buttons on the left, a status / errors / stats text on the right."""

    def __init__(self, theme: QtTheme, size: QSizeF, languages: Sequence[str],
                 actions: dict[str, Callable[[], None]], text: str = "") -> None:
        super().__init__(theme, size, 510)
        self.setObjectName("admin")
        t = theme
        portrait = size.height() > size.width()
        box = self._rect.adjusted(72, 72, -72, -72)
        Card(box, t.colour("surface"), outline=t.colour("accent", 0.8), parent=self)
        lang = languages[0] if languages else "en"
        TextItem(said("staff.menu_title", languages), t.style("headline", "text", lang),
                 QRectF(box.left() + 48, box.top() + 32, box.width() - 96, 80), max_lines=1, parent=self)
        self.buttons: dict[str, Pill] = {}
        bw, bh, gap = (box.width() - 96, 80.0, 16.0) if portrait else (460.0, 88.0, 22.0)
        top = box.top() + (140 if portrait else 150)
        for i, name in enumerate(STAFF_BUTTONS):
            rect = QRectF(box.left() + 48, top + i * (bh + gap), bw, bh)
            self.buttons[name] = self._button(rect, said(f"staff.{name}", languages),
                                              actions.get(name) or (lambda: None), accent=name == "quit")
        if portrait:
            below = box.top() + 160 + len(STAFF_BUTTONS) * (bh + gap)
            info = QRectF(box.left() + 48, below, box.width() - 96, box.bottom() - 48 - below)
        else:
            info = QRectF(box.left() + 48 + bw + 48, box.top() + 150, box.width() - bw - 144, box.height() - 198)
        Card(info, t.colour("background", 0.85), radius=12, parent=self)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        self._info_rect = info.adjusted(24, 20, -24, -20)
        self._languages = list(languages)
        style = TextStyle(ROLES["caption"], 22.0, t.colour("text"), lang, family=mono)
        self.info = TextItem(text, style, self._info_rect, max_lines=int(self._info_rect.height() // (22 * 1.35)),
                             parent=self)

    def set_text(self, text: str) -> None:
        """Replace the status / errors / stats text (what does not fit is left to the log)."""
        lines = text.splitlines()
        fit = int(self._info_rect.height() // 27)
        if len(lines) > fit:
            more = said("staff.more_in_log", self._languages[:1], count=len(lines) - fit + 1)
            lines = [*lines[: fit - 1], more]
        self.info.set_text("\n".join(lines))
