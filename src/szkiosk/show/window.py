"""The show window: turns keys, clicks and swipes into :class:`~szkiosk.deck.Presentation`
commands and lets the stage draw the result."""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QGraphicsObject, QVBoxLayout, QWidget

from szkiosk import keymap
from szkiosk.content import LoadedDeck
from szkiosk.deck import Cause, Change, Presentation
from szkiosk.show.app import cover_screen
from szkiosk.show.overlays import Blackout, GotoPrompt, HelpCard
from szkiosk.show.overview import Overview, render_thumbnails
from szkiosk.show.stage import Stage

log = logging.getLogger(__name__)

#: A swipe must travel this share of the window width, mostly sideways.
SWIPE_FRACTION = 0.08
DIGIT_TIMEOUT_MS = 2500
#: Keymap actions that switch overlays: pressed over one, they replace it instead of closing it.
OVERLAY_ACTIONS = frozenset({"black", "white", "help"})
#: How each overview action moves the choice: (columns, rows).
OVERVIEW_MOVES = {"overview_left": (-1, 0), "overview_right": (1, 0), "overview_up": (0, -1), "overview_down": (0, 1)}


def key_name(key: Qt.Key | int) -> str:
    """A key as the keymap names it: ``Qt.Key.Key_Right`` -> ``"Right"`` ("" when Qt has no name)."""
    try:
        return Qt.Key(key).name.removeprefix("Key_")
    except ValueError:
        return ""


class ShowWindow(QWidget):
    """Top-level window: one stage, keyboard and touch navigation, language toggle."""

    #: Emitted once the window has accepted a close (the presenter view follows it).
    closed = Signal()

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
        # Next on the last panel goes to the first: those two are neighbours the stage keeps built
        self.stage.keeper.wrap = presentation.wrap
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
        self._goto: str | None = None
        self._thumbs: dict[str, list] = {}
        #: Called with every key pressed (auto-advance pauses, presenter view mirrors).
        self.key_listeners: list[Callable[[Qt.Key], None]] = []
        self.stage.viewport().installEventFilter(self)
        # a rebuilt scene (rotation, access modes, reload) has dropped any overlay with it
        self.stage.scene_rebuilt.connect(self.close_overlay)
        if start:
            try:
                self.presentation.goto(start)
            except (KeyError, IndexError):
                log.warning("--start %s: no such panel; starting at the first", start)
        self.stage.show_panel(self.presentation.index, animate=False, step=self._step_for(self.presentation.step))
        # Next and Previous start from images drawn in idle time once the panel has settled
        self.stage.enable_preparation(wrap=kiosk, watch=self)

    def _step_for(self, step: int) -> int | None:
        return step if self.presentation.step_builds else None

    # -- model -> view -----------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.cause == Cause.LANGUAGE:
            self.stage.set_language(change.language)
            self.setWindowTitle(self.deck.model.title.get(change.language))
            return
        if change.cause == Cause.STEP:
            self.stage.show_step(change.step)
            return
        if self.stage.language != change.language:
            self.stage.set_language(change.language)
        self.stage.show_panel(change.index, change.direction or 1,
                              animate=change.cause != Cause.RESET, step=self._step_for(change.step))

    # -- keyboard ----------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        for listener in list(self.key_listeners):
            listener(key)
        if self._handle_key(key, event.text()):
            event.accept()
        else:
            super().keyPressEvent(event)

    def _handle_key(self, key: Qt.Key, text: str) -> bool:
        """Act on a key (from this window or the presenter view); True when it was used.

        The keymap says what a key means; the window's state picks the mode it is read in:
        the G prompt and the overview grid take every key, an open overlay is closed first
        (unless the key switches overlays), the panel on screen may use the key itself, and
        pending digits give Enter and Esc their meaning.
        """
        name = key_name(key)
        if self._goto is not None:
            return self._goto_key(name, text)
        if isinstance(self.overlay, Overview):
            return self._overview_key(name)
        action = keymap.action_for(name)
        if self.overlay is not None and (action is None or action.name not in OVERLAY_ACTIONS):
            self.close_overlay()
            if keymap.action_for(name, "overlay") is not None:  # Esc and Q only close it
                return True
        panel = self.stage.current
        if not self._digits and panel is not None and panel.handle_key(key):
            return True
        if self._digits:
            action = keymap.action_for(name, "digits") or action
        if action is None:
            return False
        if self.kiosk and not action.kiosk:
            log.info("%s key ignored in kiosk mode", name)
            return True
        self._handlers(name)[action.name]()
        return True

    def _handlers(self, name: str) -> dict[str, Callable[[], object]]:
        """What each show-mode action of the keymap does (``name``: the key pressed)."""
        p = self.presentation
        return {
            "next": p.next, "previous": p.previous, "first": p.first, "last": p.last,
            "number": lambda: self._add_digit(name), "number_go": self._jump_to_digits,
            "number_clear": self._clear_digits, "language": p.toggle_language,
            "black": lambda: self.toggle_overlay("black"), "white": lambda: self.toggle_overlay("white"),
            "help": lambda: self.toggle_overlay("help"), "overview": self.open_overview,
            "goto": self._start_goto, "full_screen": self.toggle_full_screen, "quit": self.close,
        }

    # -- overview grid -----------------------------------------------------------
    def open_overview(self) -> None:
        """Show thumbnails of every panel; arrows or a tap choose, Enter jumps."""
        self.close_overlay()
        language = self.presentation.language
        if self._thumbs.get(language) is None:
            self._thumbs[language] = render_thumbnails(self.deck, language)
        stage = self.stage
        overview = Overview(self.deck, stage.theme, stage.logical, language, self.presentation.index,
                            self._thumbs[language], self._choose_from_overview)
        overview.setObjectName("overview")
        stage.scene().addItem(overview)
        self.overlay = overview

    def _choose_from_overview(self, index: int) -> None:
        self.close_overlay()
        self.presentation.goto(index + 1)

    def _overview_key(self, name: str) -> bool:
        """Keys while the grid is up: move the choice, jump, close; every other key is swallowed."""
        overview = self.overlay
        assert isinstance(overview, Overview)
        action = keymap.action_for(name, "overview")
        if action is None:
            return True
        if action.name in OVERVIEW_MOVES:
            overview.move(*OVERVIEW_MOVES[action.name])
        elif action.name == "overview_choose":
            overview.choose()
        elif action.name == "overview_close":
            self.close_overlay()
        return True

    # -- G: jump by typing the start of a panel id -------------------------------
    def _start_goto(self) -> None:
        self.close_overlay()
        self._goto = ""
        self.overlay = GotoPrompt(self.stage.theme, self.stage.logical, self.presentation.language)
        self.overlay.setObjectName("goto")
        self.stage.scene().addItem(self.overlay)
        self._update_goto()

    def goto_matches(self, prefix: str) -> list[str]:
        """Panel ids starting with ``prefix`` (then those containing it), in deck order."""
        ids = self.presentation.ids
        prefix = prefix.lower()
        return [i for i in ids if i.startswith(prefix)] + [i for i in ids if prefix in i and not i.startswith(prefix)]

    def _update_goto(self) -> None:
        if isinstance(self.overlay, GotoPrompt) and self._goto is not None:
            self.overlay.show_query(self._goto, self.goto_matches(self._goto)[:5])

    def _goto_key(self, name: str, text: str) -> bool:
        """Keys while the G prompt is up: letters, digits and "-" type; the keymap's keys edit."""
        assert self._goto is not None
        action = keymap.action_for(name, "goto")
        if action is not None and action.name == "goto_cancel":
            self._goto = None
            self.close_overlay()
        elif action is not None and action.name == "goto_accept":
            matches = self.goto_matches(self._goto)
            self._goto = None
            self.close_overlay()
            if matches:
                self.presentation.goto(matches[0])
        elif action is not None and action.name == "goto_erase":
            self._goto = self._goto[:-1]
            self._update_goto()
        elif text and (text.isalnum() or text == "-"):
            self._goto += text.lower()
            self._update_goto()
        return True

    # -- overlays ----------------------------------------------------------------
    def toggle_overlay(self, kind: str) -> None:
        """Show (or hide, when it is already up) the black, white or help overlay."""
        same = self.overlay is not None and self.overlay.objectName() == kind
        self.close_overlay()
        if same:
            return
        stage = self.stage
        if kind == "help":
            item: QGraphicsObject = HelpCard(stage.theme, stage.logical, self.presentation.language,
                                                kiosk=self.kiosk)
        else:
            colour = QColor("black") if kind == "black" else QColor("white")
            item = Blackout(stage.logical, colour)
        item.setObjectName(kind)
        stage.scene().addItem(item)
        self.overlay = item

    def close_overlay(self) -> bool:
        """Remove the overlay, if any; True when one was open."""
        self._goto = None
        if self.overlay is None:
            return False
        overlay, self.overlay = self.overlay, None
        # a scene rebuild (rotation, access modes, reload) may already have deleted it
        if shiboken6.isValid(overlay):
            if overlay.scene() is not None:
                overlay.scene().removeItem(overlay)
            overlay.deleteLater()
        return True

    def _add_digit(self, digit: str) -> None:
        self._digits += digit
        self._digit_timer.start()

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
        """Cover the whole screen (on top of everything in kiosk mode)."""
        cover_screen(self, on_top=self.kiosk)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk and not getattr(self, "_allow_close", False):
            log.info("close request ignored in kiosk mode")
            event.ignore()
            return
        self.stage.stop()
        self._digit_timer.stop()
        self._unsubscribe()
        event.accept()
        if not getattr(self, "_closed_once", False):
            self._closed_once = True
            self.closed.emit()

    def force_close(self) -> None:
        """Close even in kiosk mode (staff exit, --quit-after)."""
        self._allow_close = True
        self.close()
