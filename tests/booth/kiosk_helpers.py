"""Helpers shared by the booth-mode tests: deck settings and a fake clock the booth runs on."""

from __future__ import annotations

from datetime import datetime, timedelta

from szkiosk.booth.kiosk import KioskClock


def with_kiosk(deck, **settings):
    """The same deck with some ``kiosk:`` settings replaced."""
    model = deck.model
    deck.model = model.model_copy(update={"kiosk": model.kiosk.model_copy(update=settings)})
    return deck


class BoothTime:
    """A fake clock for a booth: monotonic seconds and a local wall time that move together.

    :meth:`run` lets time pass as the controller's one timer would, calling
    :meth:`~szkiosk.booth.kiosk.KioskController.advance` at each deadline on the way.
    """

    def __init__(self, hour: int = 12, minute: int = 0, second: int = 0) -> None:
        self.t = 1000.0
        self._wall_at_zero = datetime(2024, 5, 1, hour, minute, second) - timedelta(seconds=self.t)

    def monotonic(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self._wall_at_zero + timedelta(seconds=self.t)

    def clock(self) -> KioskClock:
        """The clock to give a controller."""
        return KioskClock(monotonic=self.monotonic, wall=self.wall)

    def run(self, controller, seconds: float) -> None:
        """Let ``seconds`` pass; the controller does what falls due meanwhile."""
        end = self.t + seconds
        while (deadline := controller.state.next_deadline()) is not None and deadline <= end:
            self.t = max(self.t, deadline)
            controller.advance()
        self.t = end

    def run_to(self, controller, hour: int, minute: int = 0, second: float = 0) -> None:
        """Let time pass until the wall clock reads ``hour:minute:second`` (the next time it does)."""
        now = self.wall()
        target = now.replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(seconds=second)
        if target <= now:
            target += timedelta(days=1)
        self.run(controller, (target - now).total_seconds())
