"""The start-up frame: the first panel's first frame, on screen as soon as Qt is up.

Loading a deck costs more than starting Qt: importing pydantic and building the content
models, reading and validating every panel file, building the first panel. The frame the
live window painted first at the previous start (saved then, as raw pixels in the user's
cache folder) is shown in the window's place the moment the application exists; the live window
covers it at its own first paint, which draws the same pixels, and the frame closes.

The frame is used only when nothing that shapes it has changed: every file of the deck
folder (name, size, modification time), szkiosk's own code, the options that change the
first frame (language, start panel, window size, accessibility, kiosk) and the screen. Any
difference, and the start is a plain one that saves a new frame. Presenter, tour, single
panel and watch runs never use it.

Imports only Qt and the standard library: it runs before the content layer is loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

#: Options of ``run`` that change what the first frame looks like.
SHAPING_OPTIONS = ("lang", "start", "kiosk", "windowed", "window_size", "steps", "reduced_motion",
                   "high_contrast", "text_scale", "reach")


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/szkiosk/start-frame`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "szkiosk" / "start-frame"


#: The cache keeps at most this many frames, and at most this many bytes, the least recently used going first.
MAX_FRAMES = 8
MAX_BYTES = 64 * 1024 * 1024


def prune(folder: Path | None = None, *, keep: int = MAX_FRAMES, max_bytes: int = MAX_BYTES,
          protect: str | None = None) -> list[Path]:
    """Trim the cache to ``keep`` frames and ``max_bytes``, least recently used first; returns what went.

    A frame's use time is its ``.key`` file's modification time (touched each time the frame is
    shown: file access times are often not kept). ``protect`` names a frame (its hash) that
    stays whatever its size: the one just written. Leftover ``.part`` files go too.
    """
    folder = folder or cache_folder()
    removed: list[Path] = []
    frames: dict[str, list[Path]] = {}
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        if path.suffix == ".part":
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > 60:  # not one being written right now
                    removed.append(path)
        elif path.suffix in (".rgb", ".key"):
            frames.setdefault(path.stem, []).append(path)

    def used(paths: list[Path]) -> float:
        times = [p.stat().st_mtime for p in paths if p.exists()]
        return max(times, default=0.0)

    def size(paths: list[Path]) -> int:
        return sum(p.stat().st_size for p in paths if p.exists())

    ranked = sorted(frames.items(), key=lambda kv: (kv[0] != protect, -used(kv[1])))
    total = 0
    for i, (name, paths) in enumerate(ranked):
        total += size(paths)
        if name != protect and (i >= keep or total > max_bytes):
            removed.extend(paths)
            total -= size(paths)
    for path in removed:
        try:
            path.unlink()
        except OSError as exc:
            log.debug("start-up frame cache: cannot remove %s: %s", path, exc)
    if removed:
        log.info("start-up frame cache: removed %d file(s) (keeps %d frames, %d MB)", len(removed), keep,
                 max_bytes >> 20)
    return removed


def _walk(folder: str, skip_hidden: bool, suffix: str = "") -> list[tuple[str, int, int]]:
    """(path, size, mtime) of every file under ``folder`` (os.scandir: a few ms for ~100 files)."""
    out: list[tuple[str, int, int]] = []
    stack = [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if skip_hidden and entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith(suffix):
                    stat = entry.stat()
                    out.append((os.path.relpath(entry.path, folder), stat.st_size, stat.st_mtime_ns))
    return sorted(out)


def _code_stamp() -> list[tuple[str, int, int]]:
    return _walk(str(Path(__file__).resolve().parent.parent), skip_hidden=False, suffix=".py")


def _deck_stamp(root: Path) -> list[tuple[str, int, int]]:
    return _walk(str(root), skip_hidden=True)


def read_raw(path: Path) -> tuple[QImage, bytes]:
    """An image saved by :func:`write_raw` (null when unreadable) and the bytes it lives in."""
    try:
        with open(path, "rb") as src:
            w, h, stride, fmt = (int(x) for x in src.readline().split())
            pixels = src.read()
    except (OSError, ValueError):
        return QImage(), b""
    if len(pixels) != stride * h or w <= 0 or h <= 0:
        return QImage(), b""
    # a PNG takes ~25 ms to decode at 1920x1080; raw pixels are read in a few ms and drawn
    # from where they were read (the caller keeps ``pixels`` alive as long as the image)
    return QImage(pixels, w, h, stride, QImage.Format(fmt)), pixels


def write_raw(image: QImage, path: Path) -> None:
    """Save ``image`` as a one-line header and its raw pixels (written to a temporary file first)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    partial = path.with_suffix(".part")
    with open(partial, "wb") as out:
        out.write(f"{image.width()} {image.height()} {image.bytesPerLine()} {image.format().value}\n".encode())
        out.write(bytes(image.constBits()))
    os.replace(partial, path)


class StartFrame:
    """The saved frame for one deck and set of options: shown now, replaced at first live paint."""

    def __init__(self, deck: Path, args: argparse.Namespace) -> None:
        self.root = Path(deck).resolve()
        if not self.root.is_dir():
            raise NotADirectoryError(f"{deck}: not a deck folder")
        name = hashlib.sha256(str(self.root).encode("utf-8")).hexdigest()[:16]
        self.name = name
        self.image_path = cache_folder() / f"{name}.rgb"
        self.key_path = cache_folder() / f"{name}.key"
        options = {key: getattr(args, key, None) for key in SHAPING_OPTIONS}
        self._parts = [repr(options), repr(_deck_stamp(self.root)), repr(_code_stamp())]
        self.key = ""
        self.window: FrameWindow | None = None
        self._live: QWidget | None = None
        self._hold = None  # the live panel whose build waits while a new frame is grabbed
        self._after: list = []
        self._filter: FirstPaint | None = None

    def _compute_key(self) -> str:
        app = QGuiApplication.instance()
        screen = QGuiApplication.primaryScreen()
        where = (QGuiApplication.platformName(), screen.geometry().getRect() if screen else None,
                 screen.devicePixelRatio() if screen else None)
        text = "\n".join([*self._parts, repr(where), app.applicationVersion() if app else ""])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def show(self, size: tuple[int, int] | None, kiosk: bool) -> bool:
        """Show the saved frame (windowed at ``size``, else full screen); False when there is none."""
        self.key = self._compute_key()
        try:
            if self.key_path.read_text(encoding="utf-8").strip() != self.key:
                return False
        except OSError:
            return False
        image, pixels = read_raw(self.image_path)
        if image.isNull():
            return False
        window = FrameWindow(image, pixels)
        if size is not None:
            if image.size().toTuple() != tuple(size):
                return False
            window.resize(*size)
            window.show()
        else:
            window.show_full_screen(kiosk)
        self.window = window
        with contextlib.suppress(OSError):
            os.utime(self.key_path)  # recently used: the cache prunes the least recently used
        window.wait_for_paint()
        log.info("start-up frame shown from %s", self.image_path)
        return True

    def replace_with(self, live: QWidget, watched: QWidget, hold=None) -> None:
        """Close the frame once ``watched`` (the live stage) paints; save a new frame if needed.

        ``hold`` is the live panel: when a new frame must be saved, its build is held from
        the first paint until that frame has been grabbed, so the saved frame is the one
        that was painted (grabbing inside the paint itself would be a recursive repaint).
        """
        self._live = live
        self._hold = hold
        self._filter = FirstPaint(watched, self._live_painted)

    def then(self, callback) -> None:
        """Call ``callback`` after the live first paint, once the new frame (if any) is saved."""
        self._after.append(callback)

    def _done(self) -> None:
        for callback in self._after:
            callback()

    def _live_painted(self) -> None:
        if self.window is None and self.key:
            # no saved frame matched: keep this start's first frame for the next start
            if self._hold is not None:
                self._hold.pause_build()
            QTimer.singleShot(0, self._grab_and_save)
        else:
            QTimer.singleShot(0, self._done)
        if self.window is not None:
            window, self.window = self.window, None
            QTimer.singleShot(0, window.close_now)

    def _grab_and_save(self) -> None:
        try:
            self._save(self._live.grab().toImage())
        finally:
            if self._hold is not None:
                self._hold.resume_build()
            self._done()

    def _save(self, image: QImage) -> None:
        try:
            self.image_path.parent.mkdir(parents=True, exist_ok=True)
            write_raw(image, self.image_path)
            self.key_path.write_text(self.key, encoding="utf-8")
        except OSError as exc:
            log.warning("start-up frame not saved: %s", exc)
        try:
            prune(self.image_path.parent, protect=self.name)
        except OSError as exc:
            log.warning("start-up frame cache not pruned: %s", exc)


class FirstPaint(QObject):
    """Calls ``callback`` at the first paint of ``widget`` (before it is drawn), then detaches."""

    def __init__(self, widget: QWidget, callback) -> None:
        super().__init__(widget)
        self._callback = callback
        self._widget = widget
        self._busy = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._busy:
            self._busy = True
            self._widget.removeEventFilter(self)
            try:
                self._callback()
            except Exception:
                log.exception("start-up frame: first paint hook failed")
        return False


class FrameWindow(QWidget):
    """A plain window that draws one image; it ignores input and refuses to close until told."""

    def __init__(self, image: QImage, pixels: bytes = b"") -> None:
        super().__init__()
        self.image = image
        self._pixels = pixels  # the memory ``image`` draws from
        self.painted = False
        self._closing = False
        self.setWindowTitle("szkiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setCursor(Qt.CursorShape.BlankCursor)

    def show_full_screen(self, kiosk: bool) -> None:
        """Cover the screen as the show window will."""
        from szkiosk.show.app import cover_screen

        cover_screen(self, on_top=kiosk)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(0, 0, self.image)
        painter.end()
        self.painted = True

    def wait_for_paint(self) -> None:
        """Process events until the frame is on screen (or a short while has passed)."""
        app = QApplication.instance()
        deadline = time.monotonic() + 1.0
        while not self.painted and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)

    def closeEvent(self, event) -> None:
        if not self._closing:
            event.ignore()  # the show window takes over; a visitor cannot close this one
            return
        super().closeEvent(event)

    def close_now(self) -> None:
        """Close for good (the live window is on screen)."""
        self._closing = True
        self.close()
