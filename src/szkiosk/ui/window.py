"""The show window: turns keys, clicks and swipes into :class:`~szkiosk.deck.Presentation`
commands and lets the stage draw the result."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QGraphicsObject, QVBoxLayout, QWidget

from szkiosk.content import LoadedDeck
from szkiosk.deck import Cause, Change, Presentation
from szkiosk.ui.overlays import Blackout, HelpCard
from szkiosk.ui.stage import Stage

log = logging.getLogger(__name__)

#: A swipe must travel this share of the window width, mostly sideways.
SWIPE_FRACTION = 0.08
DIGIT_TIMEOUT_MS = 2500


class ShowWindow(QWidget):
    """Top-level window: one stage, keyboard and touch navigation, language toggle."""

    def __init__(
        self,
        deck: LoadedDeck,
        *,
        language: str | None = None,
        kiosk: bool = False,
        start: str | None = None,
        step_builds: bool = False,
        presentation: Presentation | None = None,
    ) -> None:
        super().__init__()
        self.deck = deck
        self.kiosk = kiosk
        model = deck.model
        self.stage = Stage(deck, language or model.default_language, self)
        if presentation is None:
            steps = [self.stage.panel(i).step_count for i in range(len(deck.panels))] if step_builds else None
            presentation = Presentation(
                [p.id for p in deck.panels], model.languages, language or model.default_language,
                wrap=kiosk, steps=steps,
            )
        self.presentation = presentation
        self.stage.language = presentation.language
        self.setWindowTitle(model.title.get(self.presentation.language))
        self.setObjectName("szkiosk-show")
        self.setAccessibleName(model.title.get("en"))
        self.setAccessibleDescription("Kiosk presentation. Arrow keys or swipes change panels; L switches language; "
                                      "the Aa button in the footer opens the accessibility options.")
        self.stage.enable_access_button()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stage)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stage.previous_requested.connect(self.presentation.previous)
        self.stage.next_requested.connect(self.presentation.next)
        self.stage.panel_requested.connect(lambda i: self.presentation.goto(i + 1))
        self.stage.language_requested.connect(self.presentation.toggle_language)
        self._unsubscribe = self.presentation.subscribe(self._on_change)
        self._digits = ""
        self._digit_timer = QTimer(self)
        self._digit_timer.setSingleShot(True)
        self._digit_timer.setInterval(DIGIT_TIMEOUT_MS)
        self._digit_timer.timeout.connect(self._clear_digits)
        self._press: QPointF | None = None
        self.overlay: QGraphicsObject | None = None
        self.stage.viewport().installEventFilter(self)
        if start:
            try:
                self.presentation.goto(start)
            except (KeyError, IndexError):
                log.warning("--start %s: no such panel; starting at the first", start)
        self.stage.show_panel(self.presentation.index, animate=False, step=self._step_for(self.presentation.step))

    def _step_for(self, step: int) -> int | None:
        return step if self.presentation.step_builds else None

    # -- model -> view -----------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.cause == Cause.LANGUAGE:
            self.stage.set_language(change.language)
            self.setWindowTitle(self.deck.model.title.get(change.language))
            return
        if change.cause == Cause.STEP:
            if self.stage.current is not None:
                self.stage.current.show_step(change.step)
            return
        if self.stage.language != change.language:
            self.stage.set_language(change.language)
        self.stage.show_panel(change.index, change.direction or 1,
                              animate=change.cause != Cause.RESET, step=self._step_for(change.step))

    # -- keyboard ----------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        p = self.presentation
        if self.overlay is not None and key not in (Qt.Key.Key_B, Qt.Key.Key_Period, Qt.Key.Key_W,
                                                    Qt.Key.Key_Question):
            self.close_overlay()
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_Q):
                event.accept()
                return
        panel = self.stage.current
        if not self._digits and panel is not None and panel.handle_key(key):
            event.accept()
            return
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self._digits += chr(key)
            self._digit_timer.start()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._digits:
            self._jump_to_digits()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Down):
            p.next()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Backspace):
            p.previous()
        elif key == Qt.Key.Key_Home:
            p.first()
        elif key == Qt.Key.Key_End:
            p.last()
        elif key == Qt.Key.Key_L:
            p.toggle_language()
        elif key in (Qt.Key.Key_B, Qt.Key.Key_Period):
            self.toggle_overlay("black")
        elif key == Qt.Key.Key_W:
            self.toggle_overlay("white")
        elif key == Qt.Key.Key_Question:
            self.toggle_overlay("help")
        elif key == Qt.Key.Key_F:
            self.toggle_full_screen()
        elif key in (Qt.Key.Key_Q, Qt.Key.Key_Escape):
            if self.kiosk:
                log.info("exit key ignored in kiosk mode")
            elif self._digits:
                self._clear_digits()
            else:
                self.close()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- overlays ----------------------------------------------------------------
    def toggle_overlay(self, kind: str) -> None:
        """Show (or hide, when it is already up) the black, white or help overlay."""
        same = self.overlay is not None and self.overlay.objectName() == kind
        self.close_overlay()
        if same:
            return
        stage = self.stage
        if kind == "help":
            item: QGraphicsObject = HelpCard(stage.theme, stage.logical, self.presentation.language)
        else:
            colour = QColor("black") if kind == "black" else QColor("white")
            item = Blackout(stage.logical, colour)
        item.setObjectName(kind)
        stage.scene().addItem(item)
        self.overlay = item

    def close_overlay(self) -> bool:
        """Remove the overlay, if any; True when one was open."""
        if self.overlay is None:
            return False
        self.stage.scene().removeItem(self.overlay)
        self.overlay.deleteLater()
        self.overlay = None
        return True

    def _jump_to_digits(self) -> None:
        digits, self._digits = self._digits, ""
        self._digit_timer.stop()
        try:
            self.presentation.goto(int(digits))
        except IndexError:
            log.info("no panel number %s", digits)

    def _clear_digits(self) -> None:
        self._digits = ""

    # -- touch and mouse ---------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._press = event.position()
        elif event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            start, self._press = self._press, None
            if start is not None:
                delta = event.position() - start
                if abs(delta.x()) > self.width() * SWIPE_FRACTION and abs(delta.x()) > 2 * abs(delta.y()):
                    if delta.x() < 0:
                        self.presentation.next()
                    else:
                        self.presentation.previous()
                    return True
        return super().eventFilter(watched, event)

    # -- window ------------------------------------------------------------------
    def toggle_full_screen(self) -> None:
        """Switch between full screen and a window (no-op in kiosk mode)."""
        if self.kiosk:
            return
        if self.isFullScreen() or self.windowFlags() & Qt.WindowType.FramelessWindowHint:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, False)
            self.showNormal()
            self.resize(1280, 720)
        else:
            self.show_full_screen()

    def show_full_screen(self) -> None:
        """Cover the whole screen, also without a window manager (bare Xvfb, booth PCs)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk and not getattr(self, "_allow_close", False):
            log.info("close request ignored in kiosk mode")
            event.ignore()
            return
        self.stage.stop()
        self._digit_timer.stop()
        self._unsubscribe()
        event.accept()

    def force_close(self) -> None:
        """Close even in kiosk mode (staff exit, --quit-after)."""
        self._allow_close = True
        self.close()
