"""The background check of a deck that came from the start-up cache (:mod:`szkiosk.content.cache`).

A cached deck goes on screen without being validated in this process. After the first paint
(and a moment for the first panel's build), the deck folder is loaded and validated in full
on a worker thread; the GUI thread only polls for the result. When the full load agrees with
what is on screen, nothing happens. When it does not (the cache was wrong, or the files
changed since the start), the entry is dropped, the disagreement is logged, and the caller's
``correct`` puts the validated result on screen the way a reload does.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from szkiosk.content import ContentError, ContentFileError, LoadedDeck, load_deck
from szkiosk.content.cache import forget
from szkiosk.show.startframe import FirstPaint

if TYPE_CHECKING:
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

#: Wait this long after the first paint before checking (the first panel is building).
DELAY_MS = 1000
#: How often the GUI thread looks for the result.
POLL_MS = 50


@dataclass(frozen=True)
class Shown:
    """What the cache put on screen, before any narrowing (``--panel``, ``--tour``)."""

    root: Path
    model: Any
    panels: tuple[Any, ...]
    sources: dict[str, Any]

    @classmethod
    def of(cls, deck: LoadedDeck) -> Shown:
        """The parts of ``deck`` a full load must reproduce."""
        return cls(deck.root, deck.model, tuple(deck.panels), dict(deck.sources))

    def agrees(self, fresh: LoadedDeck) -> bool:
        """True when ``fresh`` (a full load) is the same deck, clean."""
        return (not fresh.errors and fresh.model == self.model and tuple(fresh.panels) == self.panels
                and fresh.sources == self.sources)


class CacheRecheck(QObject):
    """Validates ``folder`` in full once, after ``watched`` first paints; calls ``correct`` on a disagreement.

    ``correct(fresh, errors)`` gets the full load (None when deck.yaml is unusable now) and its errors.
    """

    def __init__(self, watched: QWidget, folder: Path, shown: Shown,
                 correct: Callable[[LoadedDeck | None, list[ContentError]], None], *, delay_ms: int = DELAY_MS) -> None:
        super().__init__(watched)
        self.folder = Path(folder)
        self.shown = shown
        self.correct = correct
        self.delay_ms = delay_ms
        #: None while pending; then "agrees" or "disagrees".
        self.outcome: str | None = None
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._collect)
        self._first = FirstPaint(watched, lambda: QTimer.singleShot(self.delay_ms, self._start))

    def _start(self) -> None:
        threading.Thread(target=self._work, name="szkiosk-deck-recheck", daemon=True).start()
        self._poll.start()

    def _work(self) -> None:
        try:
            fresh = load_deck(self.folder)
            self._results.put((fresh, list(fresh.errors)))
        except ContentFileError as exc:
            self._results.put((None, list(exc.errors)))
        except Exception as exc:  # the check must never take the show down
            log.warning("deck cache: background check failed: %s: %s", type(exc).__name__, exc)
            self._results.put(None)

    def _collect(self) -> None:
        try:
            result = self._results.get_nowait()
        except queue.Empty:
            return
        self._poll.stop()
        if result is None:
            self.outcome = "failed"
            return
        fresh, errors = result
        if fresh is not None and self.shown.agrees(fresh):
            self.outcome = "agrees"
            log.info("deck cache: the full validation agrees with the deck on screen")
            return
        self.outcome = "disagrees"
        forget(self.shown.root)
        log.warning("deck cache: the full validation of %s differs from the cached deck on screen (%s); "
                    "correcting", self.folder, f"{len(errors)} error(s)" if errors else "other content")
        try:
            self.correct(fresh, errors)
        except Exception:
            log.exception("deck cache: could not put the validated deck on screen")


def apply_deck(window: ShowWindow, deck: LoadedDeck) -> None:
    """Put ``deck`` on screen in ``window``, on the same panel, as a hot reload does."""
    presentation = window.presentation
    presentation.replace_panels([p.id for p in deck.panels])
    window.deck = deck
    window.stage.replace_deck(deck, presentation.index)
    window.setWindowTitle(deck.model.title.get(presentation.language))
    log.info("showing the validated deck %s (%d panels)", deck.root, len(deck.panels))
