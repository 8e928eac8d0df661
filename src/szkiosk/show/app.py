"""Application set-up shared by every command: environment, Qt messages to the log, fonts."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger("szkiosk")

_QT_NOISE = ("propagateSizeHints", "XDG_RUNTIME_DIR")


def prepare_environment(*, offscreen: bool = False, size: tuple[int, int] = (1920, 1080)) -> None:
    """Set what Qt needs before the application exists.

    Offscreen gets a configured screen of ``size`` (the plugin's default is 800x800), and a
    private runtime folder keeps QStandardPaths quiet.
    """
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = Path(tempfile.gettempdir()) / f"szkiosk-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if offscreen or (headless and not platform) or platform == "offscreen":
        config = Path(os.environ["XDG_RUNTIME_DIR"]) / f"offscreen-{size[0]}x{size[1]}.json"
        screen = {"name": "szkiosk", "x": 0, "y": 0, "width": size[0], "height": size[1],
                  "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
        config.write_text(json.dumps({"screens": [screen]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def install_message_handler() -> None:
    """Route Qt's own warnings into our log instead of stderr."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger("szkiosk.qt")

    def handler(mode: QtMsgType, context: object, message: str) -> None:
        if any(noise in message for noise in _QT_NOISE):
            return
        qt_log.log(levels.get(mode, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def install_excepthook() -> None:
    """Log uncaught exceptions (e.g. in a slot) instead of letting them kill the show."""

    def hook(kind: type[BaseException], value: BaseException, tb: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)  # type: ignore[arg-type]
            return
        log.error("uncaught error; the show goes on", exc_info=(kind, value, tb))  # type: ignore[arg-type]

    sys.excepthook = hook


def application(argv: list[str] | None = None, *, fonts: bool = True):
    """The QApplication (created once), with messages routed and (``fonts``) fonts registered.

    ``fonts=False`` is for the start-up frame, which draws an image before anything else.
    """
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        install_message_handler()
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("szkiosk")
        app.setOrganizationName("szkiosk")
        from szkiosk.show import collector

        collector.install()  # garbage collection on the GUI thread only (see that module)
    if fonts and not app.property("szkiosk-fonts"):
        from PySide6.QtGui import QFont

        from szkiosk.kit.fonts import ui_family

        app.setFont(QFont(ui_family()))
        app.setProperty("szkiosk-fonts", True)
    return app


def cover_screen(widget: QWidget, *, on_top: bool) -> None:
    """Show ``widget`` frameless over its whole screen, also without a window manager (bare
    Xvfb, booth PCs); ``on_top`` (kiosk) so nothing (a notification, an update prompt) covers it."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    screen = widget.screen() or QGuiApplication.primaryScreen()
    widget.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    if on_top:
        widget.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    if screen is not None:
        widget.setGeometry(screen.geometry())
    widget.showFullScreen()
