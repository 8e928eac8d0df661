"""The booth's side of the fleet link: status and health out, commands in, over MQTT.

``szkiosk run --kiosk --booth NAME --fleet mqtt://NAME:PASSWORD@broker`` builds one
:class:`FleetLink` for the :class:`~szkiosk.booth.booth.Booth`. It keeps one
:class:`~szkiosk.fleet.broker.FleetClient` (client id ``szkiosk-<booth>``; the broker's last
will sets ``szkiosk/<booth>/online`` to ``false``, retained) and

* publishes ``online`` = ``true`` (retained) on every connect and ``false`` on a clean stop;
* publishes ``status`` (retained JSON, every field of
  :data:`~szkiosk.fleet.topics.STATUS_SCHEMA`) every 60 s and whenever something in it
  changes (panel, language, errors, a touch, the content commit, the screen check): it looks
  once a second, so a busy booth sends at most one status a second;
* runs the commands of ``szkiosk/<booth>/cmd`` and ``szkiosk/all/cmd`` on the GUI thread and
  answers each on ``szkiosk/<booth>/reply``.

Threads: paho calls back on its own network thread; every message crosses to the GUI thread
through a queued Qt signal before anything touches a widget. PNG encoding of screenshots runs
on one worker thread.

A command storm cannot stall the show: commands wait in a bounded queue (:data:`QUEUE_LIMIT`;
beyond it they are refused with ``busy``), at most :data:`PER_TURN` run per event-loop turn
(fewer once a turn has spent :data:`TURN_BUDGET_S`),
and a ``goto``/``language``/``identify``/``screenshot``/``reload``/``fetch`` still waiting is
replaced by a newer one of its kind (the older one is answered ``skipped``).

Plug points for the rest of the fleet work (attributes, ``None`` when absent; the lead wires
them, and they may be set after construction):

``repo``
    the content repository follower (:mod:`szkiosk.booth.repofollow`): ``commit``,
    ``commit_time`` (ISO text, epoch seconds or a datetime), ``last_error``,
    ``fetch_now() -> str`` and ``rollback(to: str | None) -> str`` (both must return quickly;
    the follower works in the background and reports through ``status``).
``screen_check``
    the screen self-check (:mod:`szkiosk.booth.selfcheck`): ``ok: bool | None`` and
    ``reason: str | None``.
``stats_sender``
    the analytics outbox (:mod:`szkiosk.fleet.outbox`): ``pump()`` is called on every
    connect and once a minute (on the GUI thread; it must not block).

This module imports paho (through :mod:`szkiosk.fleet.broker`): only a booth started with
``--fleet`` imports it.
"""

from __future__ import annotations

import collections
import concurrent.futures
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QObject,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from szkiosk import __version__
from szkiosk.booth.guard import WINDOW_LOST_EXIT_CODE
from szkiosk.booth.kiosk import on_window
from szkiosk.booth.prompts import words
from szkiosk.fleet import topics
from szkiosk.fleet.broker import BrokerURL, FleetClient
from szkiosk.fleet.outbox import KEEP_SENT_S
from szkiosk.fleet.topics import Command, CommandError, iso_time, parse_command, reply_payload
from szkiosk.kit.layout import Card, Column, Space, Text
from szkiosk.kit.text import ALIGN_CENTER

if TYPE_CHECKING:
    from szkiosk.booth.booth import Booth

log = logging.getLogger(__name__)

#: Commands waiting at most; more are refused with "busy".
QUEUE_LIMIT = 200
#: Commands run per event-loop turn at most (the show paints and answers input in between).
PER_TURN = 4
#: A turn runs no further command once it has spent this long (s): input and painting come first.
TURN_BUDGET_S = 0.015
#: A waiting command of one of these kinds is replaced by a newer one of the same kind.
COALESCED = frozenset({"goto", "language", "identify", "screenshot", "reload", "fetch"})
#: Status every this many seconds even when nothing changed.
STATUS_EVERY_S = 60.0
#: How often the link looks for a change worth a status (ms): at most one status this often.
WATCH_MS = 1000
#: How long ``identify`` shows the booth's name (ms).
IDENTIFY_MS = 10_000
#: Screenshots wider than this are scaled down to it (a 4K screen: 1920 wide).
SHOT_WIDTH = 1920
#: A screenshot PNG above this size is made again smaller.
SHOT_MAX_BYTES = 1_000_000
#: Screenshots being made at most (one encoding, one waiting); more are refused with "busy".
SHOTS_IN_FLIGHT = 2
#: ``restart`` waits this long (ms) for the broker to acknowledge the reply before leaving.
RESTART_WAIT_MS = 2000
#: Exit status of ``restart``: the service (Restart=always) starts the show again (as the window guard does).
RESTART_EXIT_CODE = WINDOW_LOST_EXIT_CODE
#: The same refusal reason is logged at WARNING at most once this often (a storm of bad commands).
REFUSAL_LOG_EVERY_S = 60.0
#: ``visitors_today`` is read from the analytics file at most this often (s).
VISITORS_EVERY_S = 10.0

NO_REPO = "this booth does not follow a content repository"

_PRESSES = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress, QEvent.Type.TabletPress}


class IdentifyOverlay(QGraphicsObject):
    """The booth's name, large and calm over the show: white on near-black in a card, centred.

    It takes no input (touches go to the show beneath) and changes nothing in the booth's
    idle and attract logic.
    """

    Z = 450.0  # above "Still there?" (400) and the attract tab (380)

    def __init__(self, stage_size: QSizeF, theme: Any, lines: list[str], language: str) -> None:
        super().__init__()
        self.setObjectName("identify")
        self.setZValue(self.Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._rect = QRectF(0, 0, stage_size.width(), stage_size.height())
        white = QColor("white")
        small = theme.style("headline", QColor(225, 225, 225), language)
        # the theme's largest role (the big numbers), bold: about 8 cm tall on a 55" screen; a
        # step smaller where the name would otherwise break (a booth name is never split)
        room = stage_size.width() - 160 - 128
        big = small
        for role, step in (("display", 1.0), ("display", 0.85), ("display", 0.7), ("display", 0.55),
                           ("headline", 1.0), ("headline", 0.8), ("headline", 0.65)):
            big = theme.style(role, white, language, bold=True, step=step)
            if Text(lines[0], big).natural_width() <= room:
                break
        nodes = [Text(lines[0], big, align=ALIGN_CENTER, max_lines=2)]
        for extra in lines[1:]:
            nodes += [Space(8), Text(extra, small, align=ALIGN_CENTER, max_lines=1)]
        # opaque: nothing of the panel shows through
        card = Card(Column(nodes, gap=4), QColor(12, 12, 12), padding=(64.0, 48.0, 64.0, 48.0),
                    outline=theme.colour("accent"), radius=28)
        width = min(stage_size.width() - 160, max(card.natural_width(), stage_size.width() * 0.5))
        box = QRectF(0, 0, width, card.min_height(width))
        box.moveCenter(self._rect.center())
        card.place(box, self)
        self.card_rect = box
        self.text = "\n".join(lines)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        pass  # only holds the card


class BoothLink(QObject):
    """What every fleet link of a booth shares: one :class:`FleetClient` under the booth's client
    id (``szkiosk-<booth>``) with the ``online = false`` will; ``online = true`` on every
    connect; the commands of ``<booth>/cmd`` and ``all/cmd`` delivered on the GUI thread; one
    reply per command; ``restart``; the retained status.

    Subclasses give :meth:`status`, :meth:`_key` (what a change of status is), :meth:`_accept`
    (a well-formed command) and :meth:`_on_connected`.
    """

    #: (topic, payload) from paho's thread, delivered on the GUI thread.
    _received = Signal(str, object)
    #: The broker accepted us (paho's thread -> GUI thread).
    _came_up = Signal()
    #: The broker acknowledged the reply to ``restart``.
    _restart_acked = Signal()
    #: Emitted (GUI thread) after each command has been answered: (command name, ok).
    answered = Signal(str, bool)

    def __init__(self, parent: QObject, url: BrokerURL, name: str, *, keepalive: int = 30) -> None:
        super().__init__(parent)
        self.name = topics.check_booth_name(name)
        self.url = url
        #: Counters for the staff and for tests (commands run and refused, statuses sent, ...).
        self.counts = collections.Counter[str]()
        #: The last status published (None before the first).
        self.last_status: dict[str, Any] | None = None
        self._started = False
        self._stopped = False
        self._left = False
        self._status_key: tuple | None = None
        self._status_at = 0.0
        self._refusals_logged: dict[str, float] = {}
        self.client = FleetClient(
            url, f"szkiosk-{self.name}",
            will=(topics.topic(self.name, topics.ONLINE), b"false", 1, True),
            keepalive=keepalive,
            on_message=lambda t, p: self._received.emit(t, p),
            on_connected=self._on_connected_thread,
        )
        queued = Qt.ConnectionType.QueuedConnection
        self._received.connect(self._on_message, queued)
        self._came_up.connect(self._on_connected, queued)
        self._restart_acked.connect(self._leave, queued)

    def _timer(self, ms: int, slot: Callable[[], object], *, single_shot: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.setSingleShot(single_shot)
        timer.timeout.connect(slot)
        return timer

    def _subscribe_commands(self) -> None:
        for leaf in (f"{topics.ROOT}/{self.name}/{topics.CMD}", f"{topics.ROOT}/{topics.ALL}/{topics.CMD}"):
            self.client.subscribe(leaf, 1)

    @property
    def connected(self) -> bool:
        """The broker has accepted the booth and the connection is up."""
        return self.client.connected

    # -- paho's thread ---------------------------------------------------------------------------
    def _on_connected_thread(self) -> None:
        self.client.publish(topics.topic(self.name, topics.ONLINE), b"true", qos=1, retain=True)
        self._came_up.emit()

    # -- GUI thread ------------------------------------------------------------------------------
    def _on_connected(self) -> None:
        raise NotImplementedError

    def _on_message(self, _topic: str, payload: bytes) -> None:
        """A command arrived: refused with a reply if malformed, else :meth:`_accept`."""
        if self._stopped:
            return
        try:
            command = parse_command(payload)
        except CommandError as exc:
            self._refuse(payload, str(exc))
            return
        self._accept(command)

    def _accept(self, command: Command) -> None:
        raise NotImplementedError

    def _handle(self, command: Command) -> tuple[bool, str] | None:
        """Do ``command``: (ok, message) for the reply, or None when the handler answers later itself."""
        raise NotImplementedError

    def run(self, command: Command) -> None:
        """Run one command now (GUI thread) and answer it; never raises."""
        self.counts["run"] += 1
        try:
            result = self._handle(command)
        except Exception as exc:
            log.error("fleet: %s failed: %s: %s", command.name, type(exc).__name__, exc)
            log.debug("fleet command failure", exc_info=True)
            result = (False, f"failed: {type(exc).__name__}: {exc}")
        if result is not None:  # None: the handler answers later itself
            self._reply(command, *result)

    def status(self) -> dict[str, Any]:
        """The status payload as it stands now (every field of ``STATUS_SCHEMA``)."""
        raise NotImplementedError

    def _key(self) -> tuple:
        raise NotImplementedError

    def publish_status(self) -> bool:
        """Publish the status now (retained); False when not connected (the next connect sends one)."""
        body = self.status()
        if not self.client.publish(topics.topic(self.name, topics.STATUS), json.dumps(body, ensure_ascii=False),
                                   qos=1, retain=True):
            return False
        self.last_status = body
        self._status_key = self._key()
        self._status_at = time.monotonic()
        self.counts["status"] += 1
        return True

    def _reply(self, command: Command | None, ok: bool, message: str,
               on_acked: Callable[[], None] | None = None) -> bool:
        body = reply_payload(self.name, command, ok, message)
        sent = self.client.publish(topics.topic(self.name, topics.REPLY), body, qos=1, on_acked=on_acked)
        if command is not None:
            self.answered.emit(command.name, ok)
        return sent

    def _refuse(self, payload: bytes, reason: str) -> None:
        """A malformed or unknown command: a reply (with its id when one can be read) and a log line."""
        self.counts["refused"] += 1
        command = _readable_part(payload)
        self._reply(command, False, f"refused: {reason}")
        now = time.monotonic()
        key = reason[:80]
        if now - self._refusals_logged.get(key, -1e9) >= REFUSAL_LOG_EVERY_S:
            self._refusals_logged[key] = now
            log.warning("fleet: command refused: %s", reason)
        else:
            log.debug("fleet: command refused: %s", reason)

    def _restart(self, command: Command) -> None:
        """Answer ``restart``, then leave once the broker has the answer (at most 2 s later)."""
        message = f"restarting: leaving with exit status {RESTART_EXIT_CODE}; the service starts the show again"
        if self._reply(command, True, message, on_acked=self._restart_acked.emit):
            QTimer.singleShot(RESTART_WAIT_MS, self._leave)
        else:
            self._leave()

    def _before_leaving(self) -> None:
        """What to stop before the event loop ends for a restart."""

    def _leave(self) -> None:
        if self._left:
            return
        self._left = True
        log.warning("fleet: restart by command: leaving with exit status %d so the service starts the show again",
                    RESTART_EXIT_CODE)
        self._before_leaving()
        QCoreApplication.exit(RESTART_EXIT_CODE)


class FleetLink(BoothLink):
    """Status out and commands in for one booth (see the module docstring)."""

    def __init__(
        self,
        booth: Booth,
        url: BrokerURL,
        name: str,
        *,
        repo: Any = None,
        screen_check: Any = None,
        stats_sender: Any = None,
        status_every_s: float = STATUS_EVERY_S,
        watch_ms: int = WATCH_MS,
        identify_ms: int = IDENTIFY_MS,
        queue_limit: int = QUEUE_LIMIT,
        per_turn: int = PER_TURN,
        keepalive: int = 30,
    ) -> None:
        super().__init__(booth, url, name, keepalive=keepalive)
        self.booth = booth
        self.window = booth.window
        #: Plug points (see the module docstring); None when the booth has no such part
        #: (``repo`` then falls back to the booth's own follower, ``booth.follower``).
        self._repo = repo
        self.screen_check = screen_check
        self.stats_sender = stats_sender
        self.identify_ms = identify_ms
        self.queue_limit = queue_limit
        self.per_turn = max(1, per_turn)
        self.status_every_s = status_every_s
        self.last_touch: float | None = None
        self._queue: collections.deque[Command] = collections.deque()
        self._restarting = False
        self._visitors: tuple[float, int] = (-1e9, 0)
        self._shots = 0
        self._identify: IdentifyOverlay | None = None
        self._identify_until = 0.0
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._unsubscribe: Callable[[], None] | None = None

        self._drain_timer = self._timer(0, self._drain, single_shot=True)
        self._watch = self._timer(watch_ms, self._look)
        self._identify_timer = self._timer(identify_ms, self.hide_identify, single_shot=True)

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Connect in the background and begin watching; the show never waits for the broker."""
        if self._started:
            return
        self._started = True
        self._subscribe_commands()
        QApplication.instance().installEventFilter(self)
        self.window.stage.scene_rebuilt.connect(self._scene_rebuilt)
        self._watch.start()
        log.info("fleet: booth %s reports to %s", self.name, self.url)
        self.client.start()

    def stop(self) -> None:
        """Stop for good: ``online`` = ``false`` (retained) if connected, then disconnect."""
        if self._stopped:
            return
        self._stopped = True
        self._watch.stop()
        self._drain_timer.stop()
        self.hide_identify()
        stop_check = getattr(self.screen_check, "stop", None)
        if stop_check is not None:
            stop_check()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        for command in self._queue:
            self._reply(command, False, "the booth is stopping")
        self._queue.clear()
        if self._started:
            self.client.close(last=(topics.topic(self.name, topics.ONLINE), b"false", True))
        outbox = getattr(self.stats_sender, "outbox", None)
        if outbox is not None:
            outbox.close()

    @property
    def repo(self) -> Any:
        """The content repository follower: the one given, else the booth's (None: not following)."""
        return self._repo if self._repo is not None else getattr(self.booth, "follower", None)

    @repo.setter
    def repo(self, follower: Any) -> None:
        self._repo = follower

    def status_value(self, say: Callable[..., str]) -> str:
        """The staff status text's "fleet" row (never the password)."""
        if self.client.connected:
            return say("fleet.connected", url=str(self.url), booth=self.name)
        if self.client.last_error:
            return say("fleet.failing", url=str(self.url), error=self.client.last_error)
        return say("fleet.connecting", url=str(self.url))

    # -- status ----------------------------------------------------------------------------------
    def _on_connected(self) -> None:
        if self._stopped:
            return
        self.publish_status()
        self._pump_stats()

    def _pump_stats(self) -> None:
        if self.stats_sender is None or not self.client.connected:
            return
        try:
            self.stats_sender.pump()
        except Exception as exc:
            log.error("fleet: sending statistics failed: %s: %s", type(exc).__name__, exc)

    def _look(self) -> None:
        """Once a second: a status if something changed, or if the last one is a minute old."""
        if self._stopped:
            return
        try:
            due = time.monotonic() - self._status_at >= self.status_every_s
            if due or self._key() != self._status_key:
                self.publish_status()
            if due:
                self._pump_stats()
        except Exception:
            log.exception("fleet: status failed; the show goes on")

    def _key(self) -> tuple:
        s = self._status_fields()
        return (s["panel"], s["language"], s["errors"]["count"], s["errors"]["latest"], s["last_touch"],
                s["content_commit"], s["screen_ok"], s["screen_reason"])

    def _status_fields(self) -> dict[str, Any]:
        booth, presentation = self.booth, self.window.presentation
        repo, check = self.repo, self.screen_check
        problems: list[str] = []
        repo_error = getattr(repo, "last_error", None) if repo is not None else None
        if repo_error:
            problems.append(str(repo_error))
        reload = booth.reload
        problems += reload.errors
        if reload.last_error is not None and reload.last_error[0] >= reload.last_loaded \
                and reload.last_error[1] not in problems:
            problems.append(reload.last_error[1])  # e.g. a clean deck that could not be shown
        problems += booth.controller.problems
        return {
            "booth": self.name,
            "version": __version__,
            "content_commit": _text_or_none(getattr(repo, "commit", None)) if repo is not None else None,
            "content_time": _iso_or_none(getattr(repo, "commit_time", None)) if repo is not None else None,
            "panel": presentation.current_id if presentation.count else None,
            "language": presentation.language,
            "errors": {"count": len(problems), "latest": problems[0] if problems else None},
            "last_touch": iso_time(self.last_touch) if self.last_touch is not None else None,
            "screen_ok": getattr(check, "ok", None) if check is not None else None,
            "screen_reason": getattr(check, "reason", None) if check is not None else None,
        }

    def status(self) -> dict[str, Any]:
        """The status payload as it stands now (every field of ``STATUS_SCHEMA``)."""
        body = self._status_fields()
        body["uptime_s"] = max(0, int(time.time() - self.booth.started))
        body["visitors_today"] = self.visitors_today()
        body["stats_seq"] = self._stats_seq()
        body["at"] = iso_time()
        return body

    def _stats_seq(self) -> int | None:
        outbox = getattr(self.stats_sender, "outbox", None)
        if outbox is None:
            return None
        try:
            return outbox.newest_seq()
        except Exception as exc:  # sqlite3.Error (a damaged file being replaced): left out this time
            log.debug("fleet: no stats_seq for the status: %s", exc)
            return None

    def visitors_today(self) -> int:
        """Visitor sessions since local midnight from the analytics file (0 with analytics off)."""
        analytics = self.booth.analytics
        if analytics is None:
            return 0
        read_at, count = self._visitors
        now = time.monotonic()
        if now - read_at >= VISITORS_EVERY_S:
            count = _sessions_since_midnight(analytics.path, count)
            self._visitors = (now, count)
        # a visitor at the screen right now is a session not yet written
        return count + (1 if getattr(analytics, "_session", None) is not None else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Notes the time of every press on the show window (``last_touch``); takes nothing."""
        if event.type() in _PRESSES and self._ours(watched):
            self.last_touch = time.time()
        return False

    def _ours(self, watched: QObject) -> bool:
        return on_window(self.window, watched)

    # -- commands --------------------------------------------------------------------------------
    def _accept(self, command: Command) -> None:
        self._enqueue(command)

    def _enqueue(self, command: Command) -> None:
        if self._restarting:
            self._reply(command, False, "refused: the booth is restarting")
            return
        if command.name in COALESCED:
            for i, waiting in enumerate(self._queue):
                if waiting.name == command.name:
                    self._queue[i] = command
                    self.counts["skipped"] += 1
                    self._reply(waiting, False, f"skipped: a newer {command.name} arrived before it ran"
                                + (f" (id {command.id})" if command.id else ""))
                    self._schedule()
                    return
        if len(self._queue) >= self.queue_limit:
            self.counts["busy"] += 1
            self._reply(command, False, f"busy: {len(self._queue)} commands are waiting; try again shortly")
            return
        self._queue.append(command)
        self._schedule()

    def _schedule(self) -> None:
        if self._queue and not self._drain_timer.isActive():
            self._drain_timer.start()

    @property
    def waiting(self) -> int:
        """Commands waiting to run."""
        return len(self._queue)

    def _drain(self) -> None:
        # at most per_turn commands, and no more once TURN_BUDGET_S is spent (a goto draws a panel)
        budget = time.perf_counter() + TURN_BUDGET_S
        for ran in range(self.per_turn):
            if not self._queue or self._stopped or (ran and time.perf_counter() > budget):
                break
            self.run(self._queue.popleft())
        self._schedule()

    def _handle(self, command: Command) -> tuple[bool, str] | None:
        handlers: dict[str, Callable[[Command], tuple[bool, str] | None]] = {
            "reload": self._do_reload, "fetch": self._do_fetch, "rollback": self._do_rollback,
            "goto": self._do_goto, "language": self._do_language, "identify": self._do_identify,
            "screenshot": self._do_screenshot, "restart": self._do_restart, "resend": self._do_resend,
        }
        return handlers[command.name](command)

    def _do_reload(self, _command: Command) -> tuple[bool, str]:
        reload = self.booth.controller.hooks.reload  # what the staff menu's Reload does
        if reload is None:
            return False, "this booth cannot reload"
        result = reload()
        if isinstance(result, str):  # a content repository follower says what it does
            return True, result
        return True, "reloading the deck from disk in the background"

    def _do_fetch(self, _command: Command) -> tuple[bool, str]:
        if self.repo is None:
            return False, NO_REPO
        return True, str(self.repo.fetch_now())

    def _do_rollback(self, command: Command) -> tuple[bool, str]:
        if self.repo is None:
            return False, NO_REPO
        return True, str(self.repo.rollback(command.arg))

    def _do_resend(self, command: Command) -> tuple[bool, str]:
        """A collector found a gap in this booth's statistics: send those messages again."""
        if self.stats_sender is None:
            return False, "statistics are off on this booth"
        try:
            first, last = topics.parse_seq_range(command.arg or "")
        except CommandError as exc:
            return False, str(exc)
        again, pending = self.stats_sender.outbox.requeue(first, last)
        self.stats_sender.pump_soon()
        span = f"{first}" if first == last else f"{first}-{last}"
        if again == 0 and pending == 0:
            return False, f"no statistics message {span} is kept any more (kept {KEEP_SENT_S // 86400} days)"
        return True, f"sending {again} message(s) of {span} again" + (f"; {pending} not sent yet" if pending else "")

    def _do_goto(self, command: Command) -> tuple[bool, str]:
        presentation = self.window.presentation
        target = (command.arg or "").strip()
        try:
            self.window.close_overlay()  # a visitor's help card or grid would hide the panel asked for
            presentation.goto(target)
        except (KeyError, IndexError) as exc:
            known = ", ".join(presentation.ids[:8]) + (", ..." if presentation.count > 8 else "")
            return False, f"{exc.args[0] if exc.args else exc} (panels 1..{presentation.count}: {known})"
        return True, f"showing panel {presentation.index + 1}: {presentation.current_id}"

    def _do_language(self, command: Command) -> tuple[bool, str]:
        presentation = self.window.presentation
        try:
            changed = presentation.set_language((command.arg or "").strip())
        except ValueError as exc:
            return False, str(exc)
        return True, f"{'switched to' if changed else 'already in'} {presentation.language}"

    # -- identify --------------------------------------------------------------------------------
    def _do_identify(self, _command: Command) -> tuple[bool, str]:
        self.show_identify()
        assert self._identify is not None
        first = self._identify.text.splitlines()[0]
        return True, f"showing {first!r} for {self.identify_ms / 1000:g} s"

    @property
    def identifying(self) -> bool:
        """The identify card is on screen."""
        return self._identify is not None

    def show_identify(self) -> None:
        """Put the booth's name over the show for ``identify_ms`` (again: the time starts anew)."""
        self._identify_until = time.monotonic() + self.identify_ms / 1000
        self._put_identify()
        self._identify_timer.start(self.identify_ms)

    def _put_identify(self) -> None:
        self._drop_identify()
        stage = self.window.stage
        languages = self.booth.controller.languages(at_least=2)
        lines = words("fleet.identify", languages, name=self.name)
        self._identify = IdentifyOverlay(stage.logical, stage.theme, lines, languages[0])
        stage.scene().addItem(self._identify)

    def _drop_identify(self) -> None:
        item, self._identify = self._identify, None
        if item is not None and shiboken6.isValid(item):
            if item.scene() is not None:
                item.scene().removeItem(item)
            item.deleteLater()

    def hide_identify(self) -> None:
        """Take the booth's name off the screen."""
        self._identify_timer.stop()
        self._identify_until = 0.0
        self._drop_identify()

    @property
    def identify_item(self) -> IdentifyOverlay | None:
        """The name on screen now, if any."""
        item = self._identify
        return item if item is not None and shiboken6.isValid(item) else None

    def _scene_rebuilt(self) -> None:
        # a rebuilt scene (reload, rotation, access modes) took the name with it: put it back
        self._identify = None
        if not self._stopped and time.monotonic() < self._identify_until:
            self._put_identify()

    # -- screenshot ------------------------------------------------------------------------------
    def _do_screenshot(self, command: Command) -> tuple[bool, str] | None:
        if self._shots >= SHOTS_IN_FLIGHT:
            return False, "busy: a screenshot is being made; try again shortly"
        image = self.window.grab().toImage()
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="szkiosk-shot")
        self._shots += 1
        self._pool.submit(self._send_shot, command, image)
        return None

    def _send_shot(self, command: Command, image: QImage) -> None:
        """Worker thread: encode, publish the PNG, then the reply (both QoS 1, in this order)."""
        try:
            data, width, height = shot_png(image)
            where = topics.topic(self.name, topics.SCREENSHOT)
            if self.client.publish(where, data, qos=1):
                self._reply(command, True, f"screenshot {width}x{height}, {len(data) // 1024} KB on {where}")
            else:
                log.warning("fleet: screenshot not sent: the broker is not connected")
        except Exception as exc:
            log.error("fleet: screenshot failed: %s: %s", type(exc).__name__, exc)
            self._reply(command, False, f"failed: {type(exc).__name__}: {exc}")
        finally:
            self._shots -= 1

    # -- restart ---------------------------------------------------------------------------------
    def _do_restart(self, command: Command) -> None:
        self._restarting = True
        for waiting in self._queue:
            self._reply(waiting, False, "refused: the booth is restarting")
        self._queue.clear()
        self._restart(command)

    def _before_leaving(self) -> None:
        self.booth.guard.stop()  # no fight with the window manager on the way out


# -- helpers ---------------------------------------------------------------------------------------
def shot_png(image: QImage) -> tuple[bytes, int, int]:
    """A grabbed screen as the ``screenshot`` reply's PNG: at most :data:`SHOT_WIDTH` wide and,
    by steps of 3/4, under :data:`SHOT_MAX_BYTES`; (PNG, width, height). Any thread."""
    if image.width() > SHOT_WIDTH:
        image = image.scaledToWidth(SHOT_WIDTH, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = _png(image)
    while len(data) > SHOT_MAX_BYTES and image.width() > 640:
        image = image.scaledToWidth(int(image.width() * 0.75), Qt.TransformationMode.SmoothTransformation)
        data = _png(image)
    return data, image.width(), image.height()


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())


def _readable_part(payload: bytes) -> Command | None:
    """What can be read of a refused command (its id, name and argument), for the reply."""
    try:
        body = json.loads(payload[: topics.MAX_COMMAND_BYTES].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        text = payload[:200].decode("utf-8", "replace").strip()
        name, _, arg = text.partition(" ")
        return Command(name[:40] or "?", arg[:200] or None, "") if text and not text.startswith("{") else None
    if not isinstance(body, dict):
        return None
    ident = body.get("id")
    name = body.get("command")
    arg = body.get("arg")
    return Command(name[:40] if isinstance(name, str) else "?", arg[:200] if isinstance(arg, str) else None,
                   ident[:64] if isinstance(ident, str) else "")


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _iso_or_none(value: object) -> str | None:
    """A commit time as ``2026-12-01T14:02:31Z`` (from ISO text, epoch seconds or a datetime)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return iso_time(float(value))
    if isinstance(value, datetime):
        return iso_time(value.timestamp())
    text = str(value)
    try:
        return iso_time(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _sessions_since_midnight(path: Any, fallback: int) -> int:
    midnight = time.strftime("%Y-%m-%dT00:00:00")  # the analytics file keeps local times
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
        try:
            row = conn.execute("SELECT COUNT(*) FROM sessions WHERE started >= ?", (midnight,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return fallback  # not written yet, or busy: the last count stands
    return int(row[0]) if row else fallback


def start_fleet_link(booth: Booth, url: BrokerURL, name: str, *, check_every_ms: int = 60_000,
                     restart: Callable[[int], None] | None = None) -> FleetLink:
    """A booth's whole fleet side, started: the link (status, commands), the screen self-check
    (``screen_ok``), and the hourly statistics from the booth's database through the outbox.

    ``restart`` replaces the self-check's way out after repeated failures (leaving the event
    loop with exit status 75); tests pass one, since leaving their loop would end them."""
    from szkiosk.booth.selfcheck import ScreenCheck

    link = FleetLink(booth, url, name)
    # the identify card is the booth's own doing, not a fault on screen
    link.screen_check = ScreenCheck(booth.window, controller=booth.controller, restart=restart,
                                    busy=lambda: "identify card up" if link.identifying else None)
    link.screen_check.start(check_every_ms)
    if booth.analytics is not None:
        from szkiosk.fleet.outbox import Outbox, StatsSender

        link.stats_sender = StatsSender(Outbox(booth.analytics.path), link.client, name)
    link.start()
    return link
