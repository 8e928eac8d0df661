"""The booth's calm "back soon" screen, and the probe that notices when the deck comes back.

A booth whose deck is missing, unreadable or broken at boot, with no last good snapshot
(:mod:`szkiosk.booth.lastgood`), shows :class:`BackSoonWindow` instead of exiting (which
would leave the desktop on screen between service restarts). :class:`DeckProbe` looks at the
deck folder every few seconds on a worker thread and, once it has stayed unchanged for one
look and loads cleanly, hands the deck over (``ready``); the show then takes the screen.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from szkiosk.booth.lastgood import try_load
from szkiosk.catalogue import languages as catalogue_languages
from szkiosk.catalogue import ui_text
from szkiosk.content import LoadedDeck
from szkiosk.content.schema import Theme
from szkiosk.kit.fonts import ui_family
from szkiosk.show.app import cover_screen

log = logging.getLogger(__name__)

#: How often the deck folder is looked at while the back-soon screen is up.
PROBE_MS = 2000


class BackSoonWindow(QWidget):
    """A branded, quiet screen in every shipped language; visitors cannot close it."""

    #: Emitted once when the screen closes for good (the window guard stands down).
    closed = Signal()

    def __init__(self, *, kiosk: bool = True) -> None:
        super().__init__()
        self.kiosk = kiosk
        self._closing = False
        self.theme = Theme()
        order = ["en", "zh", "es"]
        self.languages = sorted(catalogue_languages(), key=lambda c: (order.index(c) if c in order else 9, c))
        #: A line for the staff under the messages (the booth's name while the fleet's
        #: ``identify`` command holds; None: nothing).
        self.note: str | None = None
        self.setWindowTitle("szkiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        if kiosk:
            self.setCursor(Qt.CursorShape.BlankCursor)

    def texts(self) -> list[tuple[str, str]]:
        """(title, message) in each shipped language."""
        return [(ui_text("booth.back_soon", lang), ui_text("booth.back_soon_message", lang))
                for lang in self.languages]

    def set_note(self, note: str | None) -> None:
        """Show ``note`` large under the messages (None: take it away)."""
        if note != self.note:
            self.note = note
            self.update()

    def show_full_screen(self) -> None:
        """Cover the screen as the show will."""
        cover_screen(self, on_top=self.kiosk)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        painter.fillRect(self.rect(), QColor(self.theme.background))
        unit = min(w / 1920, h / 1080)
        family = ui_family(self.theme.font_family)
        rows = self.texts()
        block = h * 0.7 / max(1, len(rows))
        top = h * 0.15
        painter.fillRect(QRectF(w * 0.1, top - 24 * unit, 96 * unit, 8 * unit), QColor(self.theme.accent))
        for i, (title, message) in enumerate(rows):
            y = top + i * block
            title_font = QFont(family)
            title_font.setPixelSize(max(12, int(64 * unit)))
            title_font.setBold(True)
            painter.setFont(title_font)
            painter.setPen(QColor(self.theme.text))
            painter.drawText(QRectF(w * 0.1, y, w * 0.8, block * 0.55),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, title)
            body = QFont(family)
            body.setPixelSize(max(10, int(36 * unit)))
            painter.setFont(body)
            painter.setPen(QColor(self.theme.muted))
            painter.drawText(QRectF(w * 0.1, y + block * 0.58, w * 0.8, block * 0.42),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                             message)
        if self.note:
            note_font = QFont(family)
            note_font.setPixelSize(max(12, int(56 * unit)))
            note_font.setBold(True)
            painter.setFont(note_font)
            painter.setPen(QColor(self.theme.accent))
            band = QRectF(w * 0.1, h * 0.86, w * 0.8, h * 0.11)
            text = painter.fontMetrics().elidedText(self.note, Qt.TextElideMode.ElideRight, int(band.width()))
            painter.drawText(band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk and not self._closing:
            event.ignore()  # a visitor's Alt+F4 or the window manager: the booth stays up
            return
        super().closeEvent(event)

    def close_now(self) -> None:
        """Close for good (the show takes over, or the process is stopping)."""
        self._closing = True
        self.close()
        self.closed.emit()


def _stamp(root: Path) -> tuple | None:
    """(name, size, mtime) of every entry under ``root``, cheaply; None when it is not a folder."""
    try:
        if not root.is_dir():
            return None
        out = []
        stack = [str(root)]
        while stack and len(out) < 5000:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    info = entry.stat(follow_symlinks=False)
                    out.append((entry.path, info.st_size, info.st_mtime_ns, info.st_mode))
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        return tuple(sorted(out))
    except OSError:
        return ("unreadable",)


def _look(root: Path, previous: tuple | None, tried: tuple | None
          ) -> tuple[tuple | None, LoadedDeck | None, str | None]:
    """One look (worker thread): load the deck only when it has not changed since ``previous``
    (so a half-copied folder is not taken) and is not what was already tried; (stamp, the deck
    once clean, why it is not usable when it was tried)."""
    stamp = _stamp(root)
    if stamp is None:
        return None, None, f"{root}: no such folder"
    if stamp != previous or stamp == tried:
        return stamp, None, None
    loaded, problem = try_load(root)
    if problem is not None:
        log.info("deck still unusable: %s", problem)
        return stamp, None, problem
    return stamp, loaded, None


class DeckProbe(QObject):
    """Looks at a deck folder every :data:`PROBE_MS` on a worker thread; ``ready`` carries it once clean."""

    ready = Signal(object)  # LoadedDeck

    def __init__(self, root: str | Path, parent: QObject | None = None, *, interval_ms: int = PROBE_MS) -> None:
        super().__init__(parent)
        self.root = Path(root)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="szkiosk-probe")
        self._future: Future | None = None
        self._previous: tuple | None = None
        self._tried: tuple | None = None
        #: Why the deck was not usable at the last look that could tell (None: not known yet).
        self.problem: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Begin looking."""
        self._timer.start()
        self._tick()

    def look_again(self) -> None:
        """Try the folder once more even if it has not changed since it was last tried (the
        fleet's ``reload``: a fixed file may keep its size and time)."""
        self._tried = None

    def stop(self) -> None:
        """Stop looking (a look under way finishes on its own)."""
        self._timer.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _tick(self) -> None:
        future = self._future
        if future is not None:
            if not future.done():
                return  # a stalled folder (network mount): keep waiting, the screen stays live
            self._future = None
            try:
                stamp, loaded, problem = future.result()
            except Exception as exc:
                log.info("deck probe failed: %s: %s", type(exc).__name__, exc)
                stamp, loaded, problem = None, None, None
            if problem is not None:
                self.problem = problem
            if loaded is not None:
                self.stop()
                log.info("the deck at %s is usable again", self.root)
                self.ready.emit(loaded)
                return
            if stamp is not None and stamp == self._previous:
                self._tried = stamp  # loaded and failed: wait for the next change
            self._previous = stamp
        if self._timer.isActive():
            self._future = self._pool.submit(_look, self.root, self._previous, self._tried)
