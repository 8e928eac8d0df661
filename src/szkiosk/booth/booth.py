"""A kiosk window's booth kit, wired together: the kiosk controller (idle, attract, screen care,
staff), hot reload, the warm-up self-test and analytics (``szkiosk run DECK --kiosk`` builds one)."""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from szkiosk.booth.analytics import Analytics, format_table, read_stats
from szkiosk.booth.guard import WindowGuard
from szkiosk.booth.kiosk import KioskClock, KioskController, StaffHooks
from szkiosk.booth.prompts import said
from szkiosk.booth.reload import BoothReload
from szkiosk.booth.warmup import WarmUp, WarmupReport

if TYPE_CHECKING:
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)


class Booth(QObject):
    """Owns the booth parts of one show window and stops them together."""

    def __init__(
        self,
        window: ShowWindow,
        root: str | Path,
        *,
        analytics_path: Path | None = None,
        log_file: Path | None = None,
        clock: KioskClock | None = None,
        hide_cursor: bool = True,
        on_quit: Callable[[], None] | None = None,
        reload_debounce_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.log_file = log_file
        self.started = time.time()
        self.analytics = Analytics(analytics_path) if analytics_path is not None else None
        kwargs = {} if reload_debounce_ms is None else {"debounce_ms": reload_debounce_ms}
        self.reload = BoothReload(window, root, **kwargs)
        hooks = StaffHooks(reload=self.reload.reload_now, status=self.status_text, stats=self.stats_text,
                           quit=on_quit)
        self.controller = KioskController(window, clock=clock or KioskClock(), staff=hooks, analytics=self.analytics,
                                          hide_cursor=hide_cursor)
        self.reload.applied.connect(lambda _deck: self.run_warmup())
        self.reload.watcher.settled.connect(self.controller.refresh_status)
        self.warmup: WarmUp | None = None
        self.report: WarmupReport | None = None
        #: Set at boot when the deck itself was unusable and a last good copy is on screen
        #: (saved, problem); shown in the status text until the real deck is back.
        self.boot_note: tuple[str, str] | None = None
        self.guard = WindowGuard(window)  # the screen stays ours (armed in start(), full-screen kiosk only)
        #: The content repository this booth follows (a :class:`~szkiosk.booth.repofollow.RepoFollower`), if any.
        self.follower: QObject | None = None
        #: The fleet link (:class:`~szkiosk.booth.fleetlink.FleetLink`, ``--fleet``), if any; not
        #: imported here (it imports paho, and this module).
        self.fleet: Any = None

    def start(self, *, warm_up: bool = True) -> None:
        """Begin booth behaviour (and the warm-up self-test in the background)."""
        self.controller.start()
        self.guard.start()
        if warm_up:
            self.run_warmup()

    def follow(self, follower: QObject) -> None:
        """Take new decks from a content repository follower only: the folder watcher stands
        down (it would switch decks behind the follower's back); the staff menu's Reload fetches."""
        self.follower = follower
        self.reload.stop()
        self.controller.hooks = dataclasses.replace(self.controller.hooks, reload=follower.fetch_now)  # type: ignore[attr-defined]

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
        if self.fleet is not None:
            self.fleet.stop()  # first: "offline" goes out while the rest still runs
        self.guard.stop()
        self.controller.stop()
        self.reload.stop()
        if self.follower is not None:
            self.follower.stop()
        if self.warmup is not None:
            self.warmup.stop()
        if self.analytics is not None:
            self.analytics.close()

    # -- texts for the staff menu (one language: the one on screen) ------------------
    def _say(self, key: str, **values: object) -> str:
        return said(key, self.controller.languages()[:1], **values)

    def status_text(self) -> str:
        """Deck, content state, reloads, files: what staff check first."""
        say = self._say
        w, state = self.window, self.controller.state
        up = int(time.time() - self.started)
        rows = [
            ("deck", w.deck.root),
            ("panels", say("staff.panels_now", count=len(w.deck.panels), n=w.presentation.index + 1,
                           id=w.presentation.current_id, lang=w.presentation.language)),
            ("state", say("staff.state_up", state=say(f"staff.phase.{state.phase.value}"), hours=up // 3600,
                          minutes=up % 3600 // 60)),
            ("screen", self.screen_care_text()),
            ("pin", self.pin_text()),
            ("guard", say("staff.guard_on", count=sum(self.guard.counts.values())) if self.guard.active
             else say("staff.guard_off")),
            *self.reload.status_rows(say),
            ("log", self.log_file or say("staff.stderr_only")),
            ("stats", self.analytics.path if self.analytics else say("staff.off")),
        ]
        if self.report is not None:
            rows.append(("warmup", say("staff.warmup_done", panels=self.report.panels_built,
                                       files=self.report.assets_checked, seconds=self.report.seconds)))
        if self.boot_note is not None:
            rows.insert(1, ("boot", say("staff.boot_last_good", saved=self.boot_note[0], problem=self.boot_note[1])))
        lines = [f"{say('staff.row.' + label):<9} {value}" for label, value in rows]
        if self.fleet is not None:
            lines.append(f"{say('fleet.row'):<9} {self.fleet.status_value(say)}")
        errors = self.reload.errors
        heading = say("staff.content_errors", count=len(errors))
        if errors and self.reload.rejected:
            heading += " " + say("staff.last_good")
        return "\n".join([*lines, "", heading, *errors])

    def pin_text(self) -> str:
        """Wrong staff PINs in a row and the lockout left, as the booth keeps them."""
        state = self.controller.state
        if not state.settings.pin_hash:
            return self._say("staff.pin_none")
        failures, locked = state.pin_record().failures, state.locked_for()
        if locked > 0:
            return self._say("staff.pin_locked", failures=failures, seconds=math.ceil(locked))
        return self._say("staff.pin_wrong", failures=failures)

    def screen_care_text(self) -> str:
        """Pixel shift and screen-off hours, as set and as now."""
        say = self._say
        state = self.controller.state
        every, hours = state.settings.shift_every, state.settings.screen_off
        dx, dy = state.footer_offset
        shift = say("staff.shift_every", minutes=f"{every / 60:g}", dx=dx, dy=dy) if every else say("staff.shift_off")
        black = say("staff.black_hours", hours=str(hours)) if hours else say("staff.no_black_hours")
        now = " " + say("staff.black_now") if self.controller.screen.is_off else ""
        return f"{shift}; {black}{now}"

    def stats_text(self) -> str:
        """The analytics table (same as ``szkiosk stats``)."""
        if self.analytics is None:
            return self._say("staff.analytics_off")
        try:
            self.analytics.flush()
            panels, summary = read_stats(self.analytics.path)
        except Exception as exc:
            return self._say("staff.stats_unavailable", error=exc)
        return format_table(panels, summary)
