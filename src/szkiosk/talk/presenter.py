"""Presenter tools: auto-advance, tours and the presenter view (a second window in sync)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from szkiosk import keymap
from szkiosk.catalogue import ui_text
from szkiosk.content import LoadedDeck, PanelModel
from szkiosk.deck import Cause, Change, TourStop, plan_tour
from szkiosk.show.overview import render_thumbnails
from szkiosk.show.stage import Stage
from szkiosk.show.window import ShowWindow, key_name

log = logging.getLogger(__name__)

DEFAULT_TALK_S = 60.0
DEFAULT_AUTO_S = 12.0


def talk_seconds(model: object) -> float:
    """Seconds a speaker plans for a panel: ``talk_time``, else ``duration``, else a minute."""
    if isinstance(model, PanelModel):
        return model.talk_time or model.duration or DEFAULT_TALK_S
    return DEFAULT_TALK_S


def tour_deck(deck: LoadedDeck, minutes: float) -> LoadedDeck:
    """The deck cut down to the panels that fit a talk of ``minutes`` (deck order kept)."""
    stops = [TourStop(p.id, getattr(p, "priority", 2), talk_seconds(p)) for p in deck.panels]
    keep = set(plan_tour(stops, minutes))
    return replace(deck, panels=[p for p in deck.panels if p.id in keep])


class AutoAdvance(QObject):
    """Moves to the next panel after each panel's ``duration``; loops; any key pauses it.

    ``speed`` divides every duration (tests run a deck in a fraction of a second).
    """

    def __init__(self, window: ShowWindow, *, default_s: float = DEFAULT_AUTO_S, speed: float = 1.0) -> None:
        super().__init__(window)
        self.window = window
        self.default_s = default_s
        self.speed = speed
        self.paused = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._advance)
        window.presentation.wrap = True
        self._unsubscribe = window.presentation.subscribe(self._on_change)
        window.key_listeners.append(self._on_key)
        self._schedule()

    def seconds_for(self, index: int) -> float:
        """How long panel ``index`` stays up."""
        model = self.window.deck.panels[index]
        duration = model.duration if isinstance(model, PanelModel) else None
        return (duration or self.default_s) / self.speed

    def _schedule(self) -> None:
        if not self.paused:
            self._timer.start(max(1, round(self.seconds_for(self.window.presentation.index) * 1000)))

    def _on_change(self, change: Change) -> None:
        if change.cause != Cause.LANGUAGE:
            self._schedule()

    def _on_key(self, key: Qt.Key) -> None:
        if keymap.action_for(key_name(key), "auto") is not None:
            self.resume() if self.paused else self.pause()
        else:
            self.pause()

    def _advance(self) -> None:
        self.window.presentation.next()

    def pause(self) -> None:
        """Stop advancing until :meth:`resume` (or `A`)."""
        self.paused = True
        self._timer.stop()

    def resume(self) -> None:
        """Advance again from the current panel."""
        self.paused = False
        self._schedule()

    @property
    def running(self) -> bool:
        """True while a countdown to the next panel runs."""
        return self._timer.isActive()

    def stop(self) -> None:
        """Stop for good (window closing)."""
        self._timer.stop()
        self._unsubscribe()


def _fmt(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60:02d}:{seconds % 60:02d}"


class TalkClock:
    """Elapsed talk time with start, pause and reset (monotonic, injectable for tests)."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._started: float | None = None
        self._banked = 0.0

    @property
    def running(self) -> bool:
        """True while the clock counts."""
        return self._started is not None

    def start(self) -> None:
        """Start (or continue) counting."""
        if self._started is None:
            self._started = self._now()

    def pause(self) -> None:
        """Stop counting, keeping the time so far."""
        if self._started is not None:
            self._banked += self._now() - self._started
            self._started = None

    def toggle(self) -> None:
        """Start when paused, pause when running."""
        self.pause() if self.running else self.start()

    def reset(self) -> None:
        """Back to zero (keeps running if it was)."""
        self._banked = 0.0
        if self._started is not None:
            self._started = self._now()

    @property
    def elapsed(self) -> float:
        """Seconds counted so far."""
        return self._banked + (self._now() - self._started if self._started is not None else 0.0)


class PresenterView(QWidget):
    """The speaker's window: current panel, next panel, notes, timer, clock, n/N, plan.

    It shares the audience window's :class:`~szkiosk.deck.Presentation`, so input on either
    window moves both.
    """

    #: Emitted once the presenter view has closed (the audience window follows it).
    closed = Signal()

    def __init__(self, audience: ShowWindow, *, now: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.audience = audience
        self.deck = audience.deck
        self.presentation = audience.presentation
        self.clock = TalkClock(now)
        self.setWindowTitle("szkiosk presenter")
        self.setObjectName("szkiosk-presenter")
        self.setAccessibleName("Presenter view")
        self.setStyleSheet(
            "QWidget#szkiosk-presenter { background: #0A1A33; } QLabel { color: white; }"
            "QPushButton { font-size: 20px; padding: 10px 18px; }"
        )
        self.stage = Stage(self.deck, self.presentation.language, self)
        self.stage.setAccessibleName("Current panel")
        self.next_label = QLabel()
        self.next_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_label.setMinimumSize(QSize(160, 90))
        self.next_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.next_title = QLabel()
        self.notes_title = QLabel()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notes.setStyleSheet("font-size: 26px;")
        self.timer_label = QLabel()
        self.timer_label.setStyleSheet("font-size: 48px; font-weight: bold; color: #4FD8EB;")
        self.clock_label = QLabel()
        self.clock_label.setStyleSheet("font-size: 28px;")
        self.position_label = QLabel()
        self.position_label.setStyleSheet("font-size: 28px;")
        self.plan_label = QLabel()
        self.plan_label.setStyleSheet("font-size: 22px; color: #C9D5E8;")
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self._toggle_clock)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self._reset_clock)
        for widget in (self.start_button, self.reset_button):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        upcoming = QVBoxLayout()
        upcoming.addWidget(self.next_title)
        upcoming.addWidget(self.next_label)
        upcoming.addStretch(1)
        spoken = QVBoxLayout()
        spoken.addWidget(self.notes_title)
        spoken.addWidget(self.notes, 1)
        middle = QHBoxLayout()
        middle.addLayout(upcoming, 2)
        middle.addLayout(spoken, 3)
        times = QHBoxLayout()
        times.addWidget(self.timer_label)
        times.addStretch(1)
        times.addWidget(self.plan_label)
        times.addStretch(1)
        times.addWidget(self.start_button)
        times.addWidget(self.reset_button)
        footer = QHBoxLayout()
        footer.addWidget(self.position_label)
        footer.addStretch(1)
        footer.addWidget(self.clock_label)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.addWidget(self.stage, 5)
        column.addLayout(middle, 4)
        column.addLayout(times)
        column.addLayout(footer)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.stage.previous_requested.connect(self.presentation.previous)
        self.stage.next_requested.connect(self.presentation.next)
        self.stage.panel_requested.connect(lambda i: self.presentation.goto(i + 1))
        self.stage.language_requested.connect(self.presentation.toggle_language)
        self._thumbs: dict[str, list[QPixmap]] = {}
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._refresh_times)
        self._unsubscribe = self.presentation.subscribe(self._on_change)
        self.stage.show_panel(self.presentation.index, animate=False,
                              step=self.presentation.step if self.presentation.step_builds else None)
        self.clock.start()
        self._tick.start()
        self._refresh()

    # -- sync ---------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.cause == Cause.LANGUAGE:
            self.stage.set_language(change.language)
        elif change.cause == Cause.STEP:
            self.stage.show_step(change.step)
        else:
            self.stage.show_panel(change.index, change.direction or 1, animate=False,
                                  step=change.step if self.presentation.step_builds else None)
        self._refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The timer keys of the keymap act here; every other key goes to the show."""
        action = keymap.action_for(key_name(event.key()), "presenter")
        if action is None:
            self.audience.keyPressEvent(event)
            return
        {"timer": self._toggle_clock, "reset_timer": self._reset_clock}[action.name]()
        event.accept()

    # -- drawing ------------------------------------------------------------------
    def _thumbnails(self) -> list[QPixmap]:
        language = self.presentation.language
        if language not in self._thumbs:
            self._thumbs[language] = render_thumbnails(self.deck, language, QSize(480, 270))
        return self._thumbs[language]

    def _refresh(self) -> None:
        p = self.presentation
        lang = p.language
        nxt = p.index + 1
        self.next_title.setText(f"<b>{ui_text('talk.next', lang)}</b>")
        if nxt < p.count:
            width = max(160, self.next_label.width())
            self.next_label.setPixmap(self._thumbnails()[nxt].scaled(
                width, width * 9 // 16, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.next_label.setPixmap(QPixmap())
            self.next_label.setText(ui_text("talk.end", lang))
        model = self.deck.panels[p.index]
        notes = model.notes.get(lang) if isinstance(model, PanelModel) and model.notes else "—"
        self.notes_title.setText(f"<b>{ui_text('talk.notes', lang)}</b>")
        self.notes.setText(notes)
        steps = p.step_count()
        step_text = f"  ·  {ui_text('talk.step', lang, step=p.step + 1, steps=steps + 1)}" if steps else ""
        self.position_label.setText(ui_text("footer.counter", lang, n=p.index + 1, count=p.count) + step_text)
        self._refresh_times()

    def planned_by_now(self) -> float:
        """Seconds the plan allows up to the end of the current panel."""
        return sum(talk_seconds(m) for m in self.deck.panels[: self.presentation.index + 1])

    def _refresh_times(self) -> None:
        lang = self.presentation.language
        elapsed = self.clock.elapsed
        self.timer_label.setText(_fmt(elapsed))
        self.start_button.setText(ui_text("talk.pause" if self.clock.running else "talk.start", lang))
        self.reset_button.setText(ui_text("talk.reset", lang))
        self.clock_label.setText(time.strftime("%H:%M"))
        total = sum(talk_seconds(m) for m in self.deck.panels)
        ahead = self.planned_by_now() - elapsed
        state = ui_text("talk.ahead" if ahead >= 0 else "talk.behind", lang, time=_fmt(abs(ahead)))
        self.plan_label.setText(ui_text("talk.plan", lang, total=_fmt(total), left=_fmt(total - elapsed), state=state))

    def _toggle_clock(self) -> None:
        self.clock.toggle()
        self._refresh_times()

    def _reset_clock(self) -> None:
        self.clock.reset()
        self._refresh_times()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._tick.stop()
        self.stage.stop()
        self._unsubscribe()
        event.accept()
        if not getattr(self, "_closed_once", False):
            self._closed_once = True
            self.closed.emit()


def place_windows(audience: ShowWindow, presenter: PresenterView) -> None:
    """Put the show where the room sees it and the presenter view where the speaker does.

    Two screens: the audience window full screen on the second, the presenter view maximized
    on the first. One screen: the audience window full screen all the same (the show is what
    the room sees), the presenter view maximized on that screen *behind* it; the speaker
    brings it forward with the desktop's window switcher (Alt+Tab) and goes back the same way.
    Keys typed in the presenter view drive the show, so the talk goes on from either window.
    """
    screens = QGuiApplication.screens()
    if len(screens) > 1:
        audience.setGeometry(screens[1].geometry())
        audience.show_full_screen()
        presenter.setGeometry(screens[0].availableGeometry())
        presenter.showMaximized()
        return
    screen = screens[0] if screens else None
    if screen is not None:
        presenter.setGeometry(screen.availableGeometry())
    presenter.showMaximized()
    # shown second, the show stacks above the presenter view and takes the keyboard
    audience.show_full_screen()
    audience.raise_()
    audience.activateWindow()
