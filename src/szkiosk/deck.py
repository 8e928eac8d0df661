"""Pure navigation state: which panel is on screen, in which language, and how we got here.

The UI observes a :class:`Presentation` and draws what it says; user intent (keys, swipes,
timers) comes back only as calls to its commands. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum


class Cause(str, Enum):
    """Why the position or language changed (lets the UI choose a transition)."""

    NEXT = "next"
    PREVIOUS = "previous"
    JUMP = "jump"
    BACK = "back"
    LANGUAGE = "language"
    RESET = "reset"
    STEP = "step"


@dataclass(frozen=True)
class Change:
    """One change of state, sent to every observer."""

    index: int
    previous_index: int
    language: str
    cause: Cause
    step: int = 0

    @property
    def direction(self) -> int:
        """+1 when moving forward, -1 backward, 0 when the panel did not change."""
        return (self.index > self.previous_index) - (self.index < self.previous_index)


Observer = Callable[[Change], None]


class Presentation:
    """Position in an ordered list of panel ids, plus language and history.

    ``wrap`` makes Next on the last panel go to the first (booth and attract use);
    presenters usually want it off.
    """

    def __init__(
        self,
        panel_ids: Sequence[str],
        languages: Sequence[str] = ("en", "zh"),
        language: str | None = None,
        *,
        wrap: bool = False,
        history_limit: int = 200,
        steps: Sequence[int] | None = None,
    ) -> None:
        if not panel_ids:
            raise ValueError("a presentation needs at least one panel")
        if not languages:
            raise ValueError("a presentation needs at least one language")
        self._ids = list(panel_ids)
        self._languages = list(languages)
        self._language = language if language in self._languages else self._languages[0]
        self._index = 0
        self._history: list[int] = []
        self._history_limit = history_limit
        self._observers: list[Observer] = []
        self.wrap = wrap
        self._steps = list(steps) if steps is not None else [0] * len(self._ids)
        if len(self._steps) != len(self._ids) or any(n < 0 for n in self._steps):
            raise ValueError("steps needs one count >= 0 per panel")
        self._step = 0
        #: When False (booth use), Next and Previous skip step builds and move whole panels.
        self.step_builds = steps is not None

    # -- observing -------------------------------------------------------------------
    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` on every change; returns a function that unsubscribes."""
        self._observers.append(observer)

        def unsubscribe() -> None:
            if observer in self._observers:
                self._observers.remove(observer)

        return unsubscribe

    def _emit(self, previous: int, cause: Cause) -> None:
        change = Change(self._index, previous, self._language, cause, self._step)
        for observer in list(self._observers):
            observer(change)

    # -- state -----------------------------------------------------------------------
    @property
    def index(self) -> int:
        """Position of the current panel (0-based)."""
        return self._index

    @property
    def current_id(self) -> str:
        """Id of the current panel."""
        return self._ids[self._index]

    @property
    def count(self) -> int:
        """Number of panels."""
        return len(self._ids)

    @property
    def ids(self) -> list[str]:
        """Panel ids in order (a copy)."""
        return list(self._ids)

    @property
    def language(self) -> str:
        """Current language code."""
        return self._language

    @property
    def languages(self) -> list[str]:
        """Languages in toggle order (a copy)."""
        return list(self._languages)

    @property
    def step(self) -> int:
        """Build step shown on the current panel (0 = first state; see :meth:`step_count`)."""
        return self._step

    def step_count(self, index: int | None = None) -> int:
        """Extra steps the panel at ``index`` (default: current) reveals one Next at a time."""
        return self._steps[self._index if index is None else index] if self.step_builds else 0

    @property
    def history(self) -> list[int]:
        """Positions visited before the current one, oldest first (a copy)."""
        return list(self._history)

    @property
    def at_first(self) -> bool:
        """True on the first panel."""
        return self._index == 0

    @property
    def at_last(self) -> bool:
        """True on the last panel."""
        return self._index == len(self._ids) - 1

    # -- commands --------------------------------------------------------------------
    def _move(self, index: int, cause: Cause, *, remember: bool = True) -> bool:
        if index == self._index:
            return False
        previous = self._index
        if remember:
            self._history.append(previous)
            del self._history[: -self._history_limit]
        self._index = index
        # like reveal.js fragments: arriving backwards shows the panel fully built
        self._step = self.step_count() if cause == Cause.PREVIOUS else 0
        self._emit(previous, cause)
        return True

    def next(self) -> bool:
        """Reveal the next build step, or go to the next panel; False when there is nowhere to go."""
        if self._step < self.step_count():
            self._step += 1
            self._emit(self._index, Cause.STEP)
            return True
        if self.at_last:
            return self._move(0, Cause.NEXT) if self.wrap and self.count > 1 else False
        return self._move(self._index + 1, Cause.NEXT)

    def previous(self) -> bool:
        """Hide the last build step, or go to the previous panel; False when there is nowhere to go."""
        if self._step > 0 and self.step_builds:
            self._step -= 1
            self._emit(self._index, Cause.STEP)
            return True
        if self.at_first:
            return self._move(self.count - 1, Cause.PREVIOUS) if self.wrap and self.count > 1 else False
        return self._move(self._index - 1, Cause.PREVIOUS)

    def first(self) -> bool:
        """Go to the first panel."""
        return self._move(0, Cause.JUMP)

    def last(self) -> bool:
        """Go to the last panel."""
        return self._move(self.count - 1, Cause.JUMP)

    def goto(self, target: int | str) -> bool:
        """Jump to a panel by 1-based number (int or digit string) or by id.

        Raises ``KeyError`` for an unknown id and ``IndexError`` for a number out of range.
        """
        if isinstance(target, str) and target in self._ids:
            return self._move(self._ids.index(target), Cause.JUMP)
        if isinstance(target, str) and not target.isdigit():
            raise KeyError(f"no panel with id {target!r}")
        number = int(target)
        if not 1 <= number <= self.count:
            raise IndexError(f"panel number {number} is outside 1..{self.count}")
        return self._move(number - 1, Cause.JUMP)

    def back(self) -> bool:
        """Return to the panel visited before this one."""
        if not self._history:
            return False
        return self._move(self._history.pop(), Cause.BACK, remember=False)

    def set_language(self, language: str) -> bool:
        """Switch language; ``ValueError`` for a language the deck does not have."""
        if language not in self._languages:
            raise ValueError(f"language {language!r} is not one of {self._languages}")
        if language == self._language:
            return False
        self._language = language
        self._emit(self._index, Cause.LANGUAGE)
        return True

    def toggle_language(self) -> str:
        """Switch to the next language in the deck's order; returns the new one."""
        i = self._languages.index(self._language)
        self.set_language(self._languages[(i + 1) % len(self._languages)])
        return self._language

    def reset(self, language: str | None = None) -> None:
        """Back to the first panel (and a language), forgetting history: idle return."""
        previous = self._index
        self._index = 0
        self._step = 0
        self._history.clear()
        if language in self._languages:
            self._language = language
        self._emit(previous, Cause.RESET)

    def replace_panels(self, panel_ids: Sequence[str], steps: Sequence[int] | None = None) -> None:
        """Swap in a reloaded list of panels, staying on the same panel id where it still exists.

        Observers are not told: the caller redraws (content hot reload, ``--watch``).
        """
        if not panel_ids:
            raise ValueError("a presentation needs at least one panel")
        current = self.current_id
        self._ids = list(panel_ids)
        self._steps = list(steps) if steps is not None else [0] * len(self._ids)
        self._history = [i for i in self._history if i < len(self._ids)]
        self._index = self._ids.index(current) if current in self._ids else min(self._index, len(self._ids) - 1)
        self._step = 0


@dataclass(frozen=True)
class TourStop:
    """A panel as the tour planner sees it: id, priority (1 = must show) and talk time."""

    id: str
    priority: int
    seconds: float


def plan_tour(stops: Sequence[TourStop], minutes: float) -> list[str]:
    """Pick the panels that fit a talk of ``minutes``, most important first, in deck order.

    Panels are taken by priority (then by position) while their talk times fit the budget;
    the first panel is always kept so a tour opens with the title.
    """
    budget = minutes * 60.0
    chosen: set[int] = set()
    used = 0.0
    if stops:
        chosen.add(0)
        used = stops[0].seconds
    for i in sorted(range(1, len(stops)), key=lambda i: (stops[i].priority, i)):
        if used + stops[i].seconds <= budget + 1e-9:
            chosen.add(i)
            used += stops[i].seconds
    return [stops[i].id for i in sorted(chosen)]
