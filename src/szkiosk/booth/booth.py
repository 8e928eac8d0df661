"""A kiosk window's booth kit, wired together: idle/attract/admin controller, hot reload,
warm-up self-test and analytics (``szkiosk run DECK --kiosk`` builds one)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject

from szkiosk.booth.analytics import Analytics, format_table, read_stats
from szkiosk.booth.kiosk import KioskController
from szkiosk.booth.reload import BoothReload
from szkiosk.booth.warmup import WarmUp, WarmupReport

log = logging.getLogger(__name__)


class Booth(QObject):
    """Owns the booth parts of one show window and stops them together."""

    def __init__(
        self,
        window,  # noqa: ANN001
        root: str | Path,
        *,
        analytics_path: Path | None = None,
        log_file: Path | None = None,
        time_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        hide_cursor: bool = True,
        on_quit: Callable[[], None] | None = None,
        reload_debounce_ms: int | None = None,
        wall_clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.log_file = log_file
        self.started = time.time()
        self.analytics = Analytics(analytics_path) if analytics_path is not None else None
        kwargs = {} if reload_debounce_ms is None else {"debounce_ms": reload_debounce_ms}
        self.reload = BoothReload(window, root, **kwargs)
        self.controller = KioskController(
            window, analytics=self.analytics, time_scale=time_scale, clock=clock, on_quit=on_quit,
            on_reload=self.reload.reload_now, status=self.status_text, stats=self.stats_text,
            hide_cursor=hide_cursor, wall_clock=wall_clock,
        )
        self.reload.applied.connect(lambda _deck: self.run_warmup())
        self.warmup: WarmUp | None = None
        self.report: WarmupReport | None = None

    def start(self, *, warm_up: bool = True) -> None:
        """Begin booth behaviour (and the warm-up self-test in the background)."""
        self.controller.start()
        if warm_up:
            self.run_warmup()

    def run_warmup(self) -> None:
        """(Re-)run the self-test on the deck now on screen."""
        if self.warmup is not None:
            self.warmup.stop()
            self.warmup.deleteLater()
        self.warmup = WarmUp(self.window.deck, self.window.presentation.language, self)
        self.warmup.finished.connect(self._warm_done)
        self.warmup.start()

    def _warm_done(self, report: WarmupReport) -> None:
        self.report = report
        self.controller.problems = list(report.problems)
        self.controller.skipped = set(report.failed)

    def stop(self) -> None:
        """Stop timers, watching and analytics (window closing, tests)."""
        self.controller.stop()
        self.reload.stop()
        if self.warmup is not None:
            self.warmup.stop()
        if self.analytics is not None:
            self.analytics.close()

    # -- texts for the admin menu ----------------------------------------------------
    def status_text(self) -> str:
        """Deck, content state, reloads, files: what staff check first."""
        w = self.window
        deck = w.deck
        up = int(time.time() - self.started)
        lines = [
            f"deck      {deck.root}",
            f"panels    {len(deck.panels)}  (now {w.presentation.index + 1}: {w.presentation.current_id}, "
            f"{w.presentation.language})",
            f"state     {self.controller.state.value}, up {up // 3600} h {up % 3600 // 60} min",
            f"screen    {self.screen_care_text()}",
            f"reload    {self.reload.last_event}",
            f"log       {self.log_file or 'stderr only'}",
            f"stats     {self.analytics.path if self.analytics else 'off'}",
        ]
        if self.report is not None:
            lines.append(f"warm-up   {self.report.panels_built} panels built, "
                         f"{self.report.assets_checked} files checked in {self.report.seconds:.1f} s")
        errors = self.reload.errors
        lines.append("")
        lines.append(f"content errors: {len(errors)}" + (" (the screen shows the last good version)"
                                                           if errors and self.reload.rejected else ""))
        lines += errors
        return "\n".join(lines)

    def screen_care_text(self) -> str:
        """Pixel shift and screen-off hours, as set and as now."""
        kiosk = self.window.deck.model.kiosk
        care = self.controller.screen_care
        minutes = kiosk.pixel_shift_minutes
        shift = f"shift every {minutes:g} min (now {care.offset[0]:+d},{care.offset[1]:+d} px)" if minutes \
            else "shift off"
        hours = f"black {kiosk.screen_off}" if kiosk.screen_off else "no screen-off hours"
        return f"{shift}; {hours}" + (" (black now)" if care.is_off else "")

    def stats_text(self) -> str:
        """The analytics table (same as ``szkiosk stats``)."""
        if self.analytics is None:
            return "analytics are off"
        try:
            self.analytics.flush()
            panels, summary = read_stats(self.analytics.path)
        except Exception as exc:
            return f"stats unavailable: {exc}"
        return format_table(panels, summary)
