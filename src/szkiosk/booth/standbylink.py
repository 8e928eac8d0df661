"""The fleet link of a booth that has no deck to show yet: the "back soon" screen, seen from the console.

A booth started with ``--fleet`` whose deck is missing or broken, with no last good copy (or,
following a content repository, with no good commit yet), shows the calm "back soon" screen
(:mod:`szkiosk.booth.backsoon`). Without a link the console would list it as offline, or not
at all, though it is up and needs a curator. :class:`StandbyLink` speaks the same contract as
the show's :class:`~szkiosk.booth.fleetlink.FleetLink`, under the same client id and last will:

* ``online`` = ``true`` (retained) on every connect; the broker's will sets ``false``;
* ``status`` (retained, every field of :data:`~szkiosk.fleet.topics.STATUS_SCHEMA`) on connect,
  every 60 s and when the reason changes: ``panel`` and ``language`` null, ``screen_ok``
  false with ``screen_reason`` "back soon: ...", and the reason the deck cannot be shown as
  the latest error, so the console puts the booth among the problems;
* the commands that make sense without a deck: ``fetch`` and ``rollback`` (with a content
  repository), ``reload`` (look again), ``identify`` (the booth's name on the back-soon
  screen), ``screenshot`` and ``restart``. ``goto``, ``language`` and ``resend`` are answered
  "no deck on screen yet".

When the deck arrives the link disconnects cleanly (no ``false``, no will) before the show's
own link connects with the same client id, so the console sees the booth stay online.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtWidgets import QWidget

from szkiosk import __version__
from szkiosk.booth.fleetlink import (
    IDENTIFY_MS,
    NO_REPO,
    STATUS_EVERY_S,
    BoothLink,
    _iso_or_none,
    _text_or_none,
    shot_png,
)
from szkiosk.booth.prompts import SEPARATOR, words
from szkiosk.catalogue import ui_text
from szkiosk.fleet import topics
from szkiosk.fleet.broker import BrokerURL
from szkiosk.fleet.topics import Command, iso_time

log = logging.getLogger(__name__)

#: ``screen_reason`` while the back-soon screen is up.
SCREEN_REASON = "back soon: no usable deck yet"


class StandbyLink(BoothLink):
    """Status and a few commands for a booth on its back-soon screen (see the module docstring).

    ``window`` is the back-soon window (grabbed for ``screenshot``; given the booth's name for
    ``identify`` through its ``set_note``); ``follower`` the content repository follower, if any;
    ``probe`` the deck folder's :class:`~szkiosk.booth.backsoon.DeckProbe`, if any: its latest
    ``problem`` is the reason reported, and ``reload`` asks it to ``look_again``.
    """

    def __init__(self, window: QWidget, url: BrokerURL, name: str, reason: str | None, *,
                 follower: Any = None, probe: Any = None,
                 status_every_s: float = STATUS_EVERY_S, identify_ms: int = IDENTIFY_MS,
                 keepalive: int = 30) -> None:
        # the same client id as the show's link, which takes it over when the deck comes
        super().__init__(window, url, name, keepalive=keepalive)
        self.window = window
        self._first_reason = reason or "the deck cannot be loaded"
        self.follower = follower
        self.probe = probe
        self.identify_ms = identify_ms
        self.started = time.time()
        self._every = self._timer(int(status_every_s * 1000), self._look)
        self._watch = self._timer(1000, self._look_for_change)
        self._identify = self._timer(identify_ms, self._end_identify, single_shot=True)

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Connect in the background (the back-soon screen never waits for the broker)."""
        if self._started:
            return
        self._started = True
        self._subscribe_commands()
        self._every.start()
        self._watch.start()
        log.info("fleet: booth %s reports to %s from the back-soon screen", self.name, self.url)
        self.client.start()

    def stop(self, *, handing_over: bool = False) -> None:
        """Stop for good. ``handing_over``: the show's own link follows at once, so leave without
        saying ``online = false`` (a clean disconnect: the broker sends no will either)."""
        if self._stopped:
            return
        self._stopped = True
        self._every.stop()
        self._watch.stop()
        self._end_identify()
        if self._started:
            last = None if handing_over else (topics.topic(self.name, topics.ONLINE), b"false", True)
            self.client.close(last=last)

    def _on_connected(self) -> None:
        self._look()

    # -- status ----------------------------------------------------------------------------------
    @property
    def reason(self) -> str:
        """Why there is no deck to show: the probe's latest finding, else the one at start."""
        return getattr(self.probe, "problem", None) or self._first_reason

    def _errors(self) -> list[str]:
        problems = [f"no usable deck: {self.reason}"]
        repo_error = getattr(self.follower, "last_error", None)
        if repo_error and repo_error not in problems:
            problems.append(str(repo_error))
        return problems

    def _key(self) -> tuple:
        return (tuple(self._errors()), getattr(self.follower, "commit", None))

    def status(self) -> dict[str, Any]:
        """The status payload as it stands now (every field of ``STATUS_SCHEMA``)."""
        problems = self._errors()
        follower = self.follower
        return {
            "booth": self.name,
            "version": __version__,
            "content_commit": _text_or_none(getattr(follower, "commit", None)) if follower is not None else None,
            "content_time": _iso_or_none(getattr(follower, "commit_time", None)) if follower is not None else None,
            "panel": None,
            "language": None,
            "errors": {"count": len(problems), "latest": problems[0]},
            "last_touch": None,
            "uptime_s": max(0, int(time.time() - self.started)),
            "screen_ok": False,
            "screen_reason": SCREEN_REASON,
            "visitors_today": 0,
            "stats_seq": None,
            "at": iso_time(),
        }

    def _look(self) -> None:
        if self._stopped:
            return
        try:
            self.publish_status()
        except Exception:
            log.exception("fleet: status failed; the back-soon screen stays")

    def _look_for_change(self) -> None:
        if self._status_key is not None and self._key() != self._status_key:
            self._look()

    # -- commands --------------------------------------------------------------------------------
    def _accept(self, command: Command) -> None:
        self.run(command)  # nothing on screen to protect from a storm: at once

    def _handle(self, command: Command) -> tuple[bool, str] | None:
        name, follower = command.name, self.follower
        if name == "fetch":
            return (True, str(follower.fetch_now())) if follower is not None else (False, NO_REPO)
        if name == "rollback":
            return (True, str(follower.rollback(command.arg))) if follower is not None else (False, NO_REPO)
        if name == "reload":
            if follower is not None:
                return True, str(follower.fetch_now())
            if self.probe is not None:
                self.probe.look_again()
            return True, "looking at the deck folder again"
        if name == "identify":
            self._show_identify()
            shown = ui_text("fleet.identify", "en", name=self.name)
            return True, f"showing {shown!r} for {self.identify_ms / 1000:g} s"
        if name == "screenshot":
            return self._screenshot(command)
        if name == "restart":
            self._restart(command)
            return None
        return False, f"no deck on screen yet (back soon: {self.reason})"

    def _show_identify(self) -> None:
        set_note = getattr(self.window, "set_note", None)
        if set_note is not None:
            languages = getattr(self.window, "languages", ["en"])
            set_note(SEPARATOR.join(words("fleet.identify", languages, name=self.name)))
        self._identify.start(self.identify_ms)

    def _end_identify(self) -> None:
        self._identify.stop()
        set_note = getattr(self.window, "set_note", None)
        if set_note is not None:
            set_note(None)

    @property
    def identifying(self) -> bool:
        """The booth's name is on the back-soon screen."""
        return self._identify.isActive()

    def _screenshot(self, command: Command) -> tuple[bool, str]:
        # the back-soon screen is one quiet picture: encoded here, small and quick
        data, width, height = shot_png(self.window.grab().toImage())
        where = topics.topic(self.name, topics.SCREENSHOT)
        if not self.client.publish(where, data, qos=1):
            return False, "the broker is not connected"
        return True, f"screenshot {width}x{height}, {len(data) // 1024} KB on {where}"
