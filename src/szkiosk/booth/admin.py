"""Staff-only overlays on the stage: the PIN pad and the admin menu.

The PIN is never stored: ``deck.yaml`` holds its SHA-256 (``kiosk.pin_sha256``, made with
``szkiosk hash-pin``) and the pad compares hashes in constant time. After
:data:`MAX_ATTEMPTS` wrong PINs the pad refuses input for :data:`LOCKOUT_S` seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPainter
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk.kit.items import ALIGN_CENTER, Card, Pill, TextBox
from szkiosk.kit.theme import QtTheme

MAX_ATTEMPTS = 5
LOCKOUT_S = 60.0
MAX_DIGITS = 12


def hash_pin(pin: str) -> str:
    """SHA-256 hex of a PIN, as ``kiosk.pin_sha256`` expects."""
    return hashlib.sha256(pin.encode("utf-8")).hexdigest()


def pin_matches(pin: str, pin_sha256: str | None) -> bool:
    """True when ``pin`` hashes to ``pin_sha256`` (constant-time compare); False without a hash."""
    if not pin_sha256 or not pin:
        return False
    return hmac.compare_digest(hash_pin(pin), pin_sha256.strip().lower())


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
    """Digits 0-9, delete, OK and cancel; calls ``on_success`` after the right PIN."""

    def __init__(self, theme: QtTheme, size: QSizeF, pin_sha256: str, on_success: Callable[[], None],
                 on_cancel: Callable[[], None], *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(theme, size, 520)
        self.setObjectName("pin-pad")
        self._hash = pin_sha256
        self._on_success = on_success
        self._on_cancel = on_cancel
        self._clock = clock
        self.entry = ""
        self.attempts = 0
        self.locked_until = 0.0
        t = theme
        key, gap = 120.0, 18.0
        box = QRectF(0, 0, 3 * key + 2 * gap + 120, 300 + 4 * (96 + gap) + 96)
        box.moveCenter(self._rect.center())
        Card(box, t.colour("surface"), outline=t.colour("data", 0.7), parent=self)
        TextBox("Staff PIN · 工作人员密码", t.font("body", 1.0, bold=True), t.colour("text"),
                QRectF(box.left() + 40, box.top() + 30, box.width() - 80, 60), align=ALIGN_CENTER,
                max_lines=1, parent=self)
        self.display = TextBox("", t.font("headline", 0.9), t.colour("data"),
                               QRectF(box.left() + 40, box.top() + 96, box.width() - 80, 90),
                               align=ALIGN_CENTER, valign=Qt.AlignmentFlag.AlignVCenter, max_lines=1, parent=self)
        self.message = TextBox("", t.font("caption"), t.colour("accent"),
                               QRectF(box.left() + 40, box.top() + 190, box.width() - 80, 70),
                               align=ALIGN_CENTER, max_lines=2, parent=self)
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        left = box.left() + 60
        top = box.top() + 270
        self.keys: dict[str, Pill] = {}
        for i, label in enumerate(labels):
            r, c = divmod(i, 3)
            rect = QRectF(left + c * (key + gap), top + r * (96 + gap), key, 96)
            self.keys[label] = self._button(rect, label, lambda label=label: self.press(label),
                                            accent=label == "OK")
        cancel = QRectF(box.left() + 60, top + 4 * (96 + gap), box.width() - 120, 80)
        self.keys["cancel"] = self._button(cancel, "Cancel · 取消", self.cancel)
        self._refresh()

    def press(self, label: str) -> None:
        """A key of the pad: a digit, ``⌫`` or ``OK``."""
        if self._clock() < self.locked_until:
            self._refresh()
            return
        if label.isdigit() and len(label) == 1:
            if len(self.entry) < MAX_DIGITS:
                self.entry += label
        elif label == "⌫":
            self.entry = self.entry[:-1]
        elif label == "OK":
            self.submit()
            return
        self.message.set_text("")
        self._refresh()

    def submit(self) -> bool:
        """Check the entry; True (and ``on_success``) when it is the PIN."""
        entry, self.entry = self.entry, ""
        if pin_matches(entry, self._hash):
            self.attempts = 0
            self._on_success()
            return True
        self.attempts += 1
        if self.attempts >= MAX_ATTEMPTS:
            self.attempts = 0
            self.locked_until = self._clock() + LOCKOUT_S
        else:
            self.message.set_text("Wrong PIN · 密码错误")
        self._refresh()
        return False

    def cancel(self) -> None:
        """Close without opening the admin menu."""
        self.entry = ""
        self._on_cancel()

    def handle_key(self, key: int) -> None:
        """Digits, Backspace, Enter and Esc from a keyboard."""
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self.press(chr(key))
        elif key == Qt.Key.Key_Backspace:
            self.press("⌫")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("OK")
        elif key == Qt.Key.Key_Escape:
            self.cancel()

    def _refresh(self) -> None:
        wait = self.locked_until - self._clock()
        if wait > 0:
            self.message.set_text(f"Too many tries: wait {int(wait) + 1} s · 请稍候")
        self.display.set_text("●" * len(self.entry) if self.entry else "– – – –")


ADMIN_BUTTONS = (
    ("resume", "Resume · 继续"),
    ("reload", "Reload content · 重新载入"),
    ("status", "Status & errors · 状态"),
    ("stats", "Stats · 统计"),
    ("quit", "Quit show · 退出"),
)


class AdminOverlay(_Screen):
    """The staff menu: buttons on the left, a status / errors / stats text on the right."""

    def __init__(self, theme: QtTheme, size: QSizeF, actions: dict[str, Callable[[], None]],
                 text: str = "") -> None:
        super().__init__(theme, size, 510)
        self.setObjectName("admin")
        t = theme
        portrait = size.height() > size.width()
        box = self._rect.adjusted(72, 72, -72, -72)
        Card(box, t.colour("surface"), outline=t.colour("accent", 0.8), parent=self)
        TextBox("Staff menu · 管理菜单", t.font("headline", 0.8), t.colour("text"),
                QRectF(box.left() + 48, box.top() + 32, box.width() - 96, 80), max_lines=1, parent=self)
        self.buttons: dict[str, Pill] = {}
        bw, bh, gap = (box.width() - 96, 80.0, 16.0) if portrait else (460.0, 88.0, 22.0)
        for i, (name, label) in enumerate(ADMIN_BUTTONS):
            if portrait:
                rect = QRectF(box.left() + 48, box.top() + 140 + i * (bh + gap), bw, bh)
            else:
                rect = QRectF(box.left() + 48, box.top() + 150 + i * (bh + gap), bw, bh)
            action = actions.get(name)
            self.buttons[name] = self._button(rect, label, action or (lambda: None), accent=name == "quit")
        if portrait:
            info = QRectF(box.left() + 48, box.top() + 160 + 5 * (bh + gap), box.width() - 96,
                          box.bottom() - 48 - (box.top() + 160 + 5 * (bh + gap)))
        else:
            info = QRectF(box.left() + 48 + bw + 48, box.top() + 150, box.width() - bw - 144, box.height() - 198)
        Card(info, t.colour("background", 0.85), radius=12, parent=self)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPixelSize(22)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self._info_rect = info.adjusted(24, 20, -24, -20)
        self.info = TextBox(text, mono, t.colour("text"), self._info_rect, min_scale=0.75, parent=self)

    def set_text(self, text: str) -> None:
        """Replace the status / errors / stats text."""
        lines = text.splitlines()
        fit = int(self._info_rect.height() // 27)
        if len(lines) > fit:
            lines = [*lines[: fit - 1], f"... {len(lines) - fit + 1} more line(s) in the log"]
        self.info.set_text("\n".join(lines))
