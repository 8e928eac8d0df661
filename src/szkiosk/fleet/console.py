"""The fleet console: every booth's live status, problems first; commands and screenshots.

:class:`FleetView` keeps one :class:`BoothRow` per booth from the retained messages on
``szkiosk/+/online`` and ``szkiosk/+/status`` (it is fed ``(topic, payload)`` pairs, so it
works with any client and in tests without a broker). :func:`format_table` draws the rows in
at most 120 columns, :func:`rows_json` gives scripts every field under stable keys.

Sorting: problems first, the worst kind first, then by booth name (``booth-2`` before
``booth-10``). The kinds, worst first (:data:`PROBLEM_ORDER`):

* ``offline``: the booth's ``online`` flag is ``false`` (its last will, or a clean stop);
* ``bad status``: the retained status is not the JSON the contract describes;
* ``screen``: the booth's screen self-check failed (``screen_ok`` is ``false``);
* ``errors``: the booth logged errors (``errors.count`` > 0);
* ``stale``: online, but its status is older than :data:`STALE_AFTER_S` (3 minutes), by the
  status's own ``at`` time (booth clocks should follow NTP);
* ``no status``: online, but no status yet.

The command runners (:func:`run_status`, :func:`run_send`, :func:`run_screenshot`) are what
``szkiosk fleet status|send|screenshot`` call; they return the exit code (0 ok, 1 the broker
or the booths failed) and print to the streams they are given.

Pure Python: no Qt. paho comes in through :mod:`szkiosk.fleet.broker`, imported only when a
command connects.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import struct
import sys
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from szkiosk.fleet import topics

if TYPE_CHECKING:  # the runners import it when they connect
    from szkiosk.fleet.broker import BrokerURL, FleetClient

#: A booth online whose newest status is older than this is ``stale``.
STALE_AFTER_S = 180.0
#: Problem kinds, worst first (the sort order of the table).
PROBLEM_ORDER = ("offline", "bad status", "screen", "errors", "stale", "no status")
#: The table never gets wider than this.
TABLE_WIDTH = 120
#: Status payloads above this size are refused unread (``bad status``).
MAX_STATUS_BYTES = 64 * 1024
#: With ``--once``: the retained messages are in when none arrived for this long.
SETTLE_S = 0.5
#: The environment variable a booth's config or a shell may give the broker URL in.
BROKER_ENV = "SZKIOSK_FLEET_BROKER"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Keys of every object in ``--json``, in this order.
JSON_FIELDS = (
    "booth", "online", "problem", "problems", "status_error", "version",
    "content_commit", "content_short", "content_time", "content_age_s",
    "panel", "language", "errors_count", "errors_latest",
    "last_touch", "last_touch_age_s", "screen_ok", "screen_reason", "visitors_today",
    "uptime_s", "status_at", "status_age_s",
)


# -- time --------------------------------------------------------------------------------
def parse_iso(text: object) -> float | None:
    """``2026-12-01T14:02:31Z`` -> seconds since the epoch; anything else -> None."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def format_age(seconds: float | None) -> str:
    """``42s``, ``5m``, ``3h``, ``2d``; ``-`` for unknown."""
    if seconds is None:
        return "-"
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


def _age(then: float | None, now: float) -> float | None:
    """Seconds from ``then`` to ``now``, never negative (a booth's clock may run ahead)."""
    return None if then is None else max(0.0, now - then)


# -- one booth ----------------------------------------------------------------------------
@dataclass
class BoothRow:
    """What the console knows of one booth (from its retained ``online`` and ``status``)."""

    booth: str
    online: bool | None = None
    status: dict[str, Any] | None = None
    status_error: str | None = None
    bad_online: str | None = None
    problems: list[str] = field(default_factory=list)
    now: float = 0.0

    # derived fields (None when the booth did not say)
    def _get(self, key: str) -> Any:
        return self.status.get(key) if self.status else None

    @property
    def content_commit(self) -> str | None:
        """Full commit on screen."""
        return self._get("content_commit")

    @property
    def status_at(self) -> float | None:
        """When the booth wrote its status (booth clock)."""
        return parse_iso(self._get("at"))

    @property
    def status_age_s(self) -> float | None:
        """Age of the newest status."""
        return _age(self.status_at, self.now)

    @property
    def errors_count(self) -> int:
        """Errors the booth logged."""
        errors = self._get("errors")
        return int(errors.get("count", 0)) if isinstance(errors, dict) else 0

    @property
    def errors_latest(self) -> str | None:
        """The latest error's text."""
        errors = self._get("errors")
        return errors.get("latest") if isinstance(errors, dict) else None

    @property
    def problem(self) -> str | None:
        """The worst problem (None: all is well)."""
        return self.problems[0] if self.problems else None

    def sort_key(self) -> tuple[int, list[Any]]:
        """Problems first (worst kind first), then by natural booth name."""
        rank = PROBLEM_ORDER.index(self.problem) if self.problem else len(PROBLEM_ORDER)
        return rank, natural_key(self.booth)

    def as_json(self) -> dict[str, Any]:
        """Every field, under :data:`JSON_FIELDS` (times as ISO text and ages in seconds)."""
        commit = self.content_commit
        content_time = self._get("content_time")
        last_touch = self._get("last_touch")
        values: dict[str, Any] = {
            "booth": self.booth,
            "online": self.online,
            "problem": self.problem,
            "problems": list(self.problems),
            "status_error": self.status_error or self.bad_online,
            "version": self._get("version"),
            "content_commit": commit,
            "content_short": commit[:8] if isinstance(commit, str) else None,
            "content_time": content_time,
            "content_age_s": _int(_age(parse_iso(content_time), self.now)),
            "panel": self._get("panel"),
            "language": self._get("language"),
            "errors_count": self.errors_count if self.status else None,
            "errors_latest": self.errors_latest,
            "last_touch": last_touch,
            "last_touch_age_s": _int(_age(parse_iso(last_touch), self.now)),
            "screen_ok": self._get("screen_ok"),
            "screen_reason": self._get("screen_reason"),
            "visitors_today": self._get("visitors_today"),
            "uptime_s": self._get("uptime_s"),
            "status_at": self._get("at"),
            "status_age_s": _int(self.status_age_s),
        }
        return {key: values[key] for key in JSON_FIELDS}


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def natural_key(name: str) -> list[Any]:
    """``booth-2`` before ``booth-10``: digit runs compare as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.split(r"(\d+)", name)
            if part]


# -- reading payloads ---------------------------------------------------------------------------
def parse_online(payload: bytes) -> bool:
    """``true`` / ``false`` (JSON); :class:`ValueError` for anything else."""
    text = payload.decode("utf-8", errors="replace").strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"online flag {text[:20]!r} is neither true nor false")


_STATUS_TYPES: dict[str, tuple[type, ...]] = {
    "booth": (str,), "version": (str,), "content_commit": (str, type(None)), "panel": (str, type(None)),
    "language": (str, type(None)), "errors": (dict,), "last_touch": (str, type(None)), "uptime_s": (int,),
    "screen_ok": (bool, type(None)), "at": (str,),
}
_OPTIONAL_TYPES: dict[str, tuple[type, ...]] = {
    "content_time": (str, type(None)), "screen_reason": (str, type(None)), "visitors_today": (int,),
}


def parse_status(booth: str, payload: bytes) -> dict[str, Any]:
    """A status payload checked against the contract (:data:`topics.STATUS_SCHEMA`'s required
    fields and the types the console shows); :class:`ValueError` saying what is wrong."""
    if len(payload) > MAX_STATUS_BYTES:
        raise ValueError(f"{len(payload)} bytes (at most {MAX_STATUS_BYTES})")
    try:
        body = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except ValueError:
        raise ValueError("not JSON") from None
    if not isinstance(body, dict):
        raise ValueError("not a JSON object")
    missing = [key for key in topics.STATUS_SCHEMA["required"] if key not in body]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    for key, types in (_STATUS_TYPES | _OPTIONAL_TYPES).items():
        if key not in body:
            continue
        value = body[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ValueError(f"{key} has the wrong type")
    count = body["errors"].get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError("errors.count is not a whole number")
    if not isinstance(body["errors"].get("latest"), (str, type(None))):
        raise ValueError("errors.latest is not text")
    if body["booth"] != booth:
        raise ValueError(f"says it is booth {body['booth'][:32]!r}")
    if parse_iso(body["at"]) is None:
        raise ValueError("at is not a UTC time")
    return body


# -- the view ------------------------------------------------------------------------------------
class FleetView:
    """Every booth's latest ``online`` flag and ``status``, fed message by message.

    :meth:`feed` may run on paho's thread while :meth:`rows` runs on another: both lock.
    An empty retained payload (a cleared topic) forgets that part; a booth with neither
    ``online`` nor ``status`` left disappears.
    """

    def __init__(self, stale_after_s: float = STALE_AFTER_S) -> None:
        self.stale_after_s = stale_after_s
        self._lock = threading.Lock()
        self._online: dict[str, bool | str] = {}  # str: the reason the flag is unreadable
        self._status: dict[str, dict[str, Any] | str] = {}  # str: why the status is bad
        #: monotonic time of the last message / of the last booth seen for the first time
        self.last_message = 0.0
        self.last_new_booth = 0.0
        self.messages = 0

    def feed(self, topic_name: str, payload: bytes) -> None:
        """Take one message from ``szkiosk/<booth>/online`` or ``.../status`` (others are ignored)."""
        parsed = topics.parse_topic(topic_name)
        if parsed is None or parsed[1] not in (topics.ONLINE, topics.STATUS):
            return
        booth, leaf = parsed
        if not topics.BOOTH_NAME.match(booth) or booth == topics.ALL:
            return
        if leaf == topics.ONLINE:
            value: Any = None
            if payload:
                try:
                    value = parse_online(payload)
                except ValueError as exc:
                    value = str(exc)
        else:
            value = None
            if payload:
                try:
                    value = parse_status(booth, payload)
                except ValueError as exc:
                    value = str(exc)
        with self._lock:
            known = booth in self._online or booth in self._status
            store = self._online if leaf == topics.ONLINE else self._status
            if value is None:
                store.pop(booth, None)
            else:
                store[booth] = value
            self.messages += 1
            self.last_message = time.monotonic()
            if not known and value is not None:
                self.last_new_booth = self.last_message

    @property
    def booths(self) -> int:
        """How many booths the view knows."""
        with self._lock:
            return len(set(self._online) | set(self._status))

    def rows(self, now: float | None = None) -> list[BoothRow]:
        """One row per booth, problems first (see the module's docstring)."""
        now = time.time() if now is None else now
        with self._lock:
            names = set(self._online) | set(self._status)
            rows = [self._row(name, now) for name in names]
        rows.sort(key=BoothRow.sort_key)
        return rows

    def _row(self, name: str, now: float) -> BoothRow:
        online = self._online.get(name)
        status = self._status.get(name)
        row = BoothRow(name, now=now)
        if isinstance(online, str):
            row.bad_online = f"online flag: {online}"
        else:
            row.online = online
        if isinstance(status, str):
            row.status_error = f"bad status: {status}"
        else:
            row.status = status
        problems = []
        if row.online is False:
            problems.append("offline")
        if row.status_error or row.bad_online:
            problems.append("bad status")
        if row.status and row.status.get("screen_ok") is False:
            problems.append("screen")
        if row.status and row.errors_count > 0:
            problems.append("errors")
        if row.online is True and row.status is not None:
            age = row.status_age_s
            if age is not None and age > self.stale_after_s:
                problems.append("stale")
        if row.online is True and status is None:
            problems.append("no status")
        row.problems = problems
        return row


# -- formatting ----------------------------------------------------------------------------------
def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (CJK characters take two)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (ending in ``~`` when cut) and padded to it."""
    text = " ".join(text.split())  # no newlines or tabs in a cell
    if display_width(text) > width:
        out, used = [], 0
        for c in text:
            w = display_width(c)
            if used + w > width - 1:
                break
            out.append(c)
            used += w
        text = "".join(out) + "~"
    return text + " " * (width - display_width(text))


#: (header, width) of each column; the widths and the spaces between sum to at most 120.
COLUMNS = (("BOOTH", 14), ("ON", 3), ("PROBLEM", 10), ("COMMIT", 8), ("AGE", 4), ("PANEL", 12),
           ("LANG", 4), ("ERRORS", 20), ("TOUCH", 5), ("SCREEN", 12), ("VISIT", 5), ("STATUS", 6))


def _cells(row: BoothRow) -> list[str]:
    j = row.as_json()
    online = {True: "yes", False: "NO", None: "?"}[row.online]
    problem = row.problem or "ok"
    if len(row.problems) > 1:
        problem += f"+{len(row.problems) - 1}"
    if row.status is None:
        detail = row.status_error or row.bad_online or "no status yet"
        return [row.booth, online, problem, detail]
    errors = "0"
    if j["errors_count"]:
        errors = f"{j['errors_count']} {j['errors_latest'] or ''}".strip()
    screen = {True: "ok", None: "-"}.get(j["screen_ok"], "FAIL")
    if j["screen_ok"] is False and j["screen_reason"]:
        screen = f"FAIL {j['screen_reason']}"
    visitors = j["visitors_today"]
    return [row.booth, online, problem, j["content_short"] or "-", format_age(j["content_age_s"]),
            j["panel"] or "-", j["language"] or "-", errors, format_age(j["last_touch_age_s"]), screen,
            "-" if visitors is None else str(visitors), format_age(j["status_age_s"])]


def format_table(rows: Iterable[BoothRow], header: str | None = None) -> str:
    """The rows as a table of at most :data:`TABLE_WIDTH` columns (one line per booth).

    A booth without a readable status gets its reason across the columns after PROBLEM.
    """
    lines = [header] if header else []
    lines.append(" ".join(fit(name, width) for name, width in COLUMNS).rstrip())
    detail_width = TABLE_WIDTH - sum(w + 1 for _, w in COLUMNS[:3])
    for row in rows:
        cells = _cells(row)
        if len(cells) == 4:  # no status: the reason spans the rest of the line
            parts = [fit(c, w) for c, (_, w) in zip(cells[:3], COLUMNS[:3], strict=True)]
            parts.append(fit(cells[3], detail_width))
        else:
            parts = [fit(c, w) for c, (_, w) in zip(cells, COLUMNS, strict=True)]
        lines.append(" ".join(parts).rstrip())
    return "\n".join(lines)


def rows_json(rows: Iterable[BoothRow]) -> str:
    """``--json``: a list of objects with every field (:data:`JSON_FIELDS`)."""
    return json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2)


def summary(rows: list[BoothRow], where: str, now: float | None = None) -> str:
    """``52 booths, 47 online, 9 with problems (mqtt://console@host:1883, 14:02:31 UTC)``."""
    online = sum(1 for r in rows if r.online)
    problems = sum(1 for r in rows if r.problems)
    stamp = time.strftime("%H:%M:%S UTC", time.gmtime(time.time() if now is None else now))
    return f"{len(rows)} booths, {online} online, {problems} with problems ({where}, {stamp})"


# -- connecting ----------------------------------------------------------------------------------
class ConsoleError(Exception):
    """A failure the command reports as one line and exit 1 (the broker, a booth)."""


def redact(text: str, url: BrokerURL | None = None, raw: str | None = None) -> str:
    """``text`` without the broker password (error messages quote URLs)."""
    secrets = {url.password if url else None}
    if raw:
        match = re.match(r"^[a-z]+://[^:/@]*:([^@/]*)@", raw.strip())
        if match:
            secrets.add(match.group(1))
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def broker_url(text: str | None) -> BrokerURL:
    """``--broker`` or ``$SZKIOSK_FLEET_BROKER`` parsed; :class:`ValueError` (password hidden)."""
    from szkiosk.fleet.broker import parse_broker_url

    raw = text or os.environ.get(BROKER_ENV)
    if not raw:
        raise ValueError(f"no broker: give --broker mqtt://user:password@host[:port] or set {BROKER_ENV}")
    try:
        return parse_broker_url(raw)
    except ValueError as exc:
        raise ValueError(redact(str(exc), raw=raw)) from None


def connect(url: BrokerURL, subscriptions: Iterable[str], timeout: float,
            on_message: Callable[[str, bytes], None]) -> FleetClient:
    """A started, connected console client (subscribed), or :class:`ConsoleError` saying why."""
    from szkiosk.fleet.broker import FleetClient

    client = FleetClient(url, f"szkiosk-console-{os.getpid()}-{uuid.uuid4().hex[:6]}", on_message=on_message)
    for sub in subscriptions:
        client.subscribe(sub)
    client.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.wait_subscribed(0.05):  # retained messages and replies are sure to reach us
            return client
        if client.refused:
            break
    error, refused = client.last_error, client.refused
    client.close()
    if error and refused:
        raise ConsoleError(redact(error, url))
    raise ConsoleError(f"cannot reach the broker at {url} within {timeout:g} s")


@contextlib.contextmanager
def _quiet_client_log(enabled: bool = True) -> Iterator[None]:
    """The client logs its refusals itself; the console prints one line of its own instead."""
    logger = logging.getLogger("szkiosk.fleet.broker")
    old = logger.level
    if enabled and not logger.isEnabledFor(logging.DEBUG):
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old)


def wait_settled(view: FleetView, started: float, settle: float, timeout: float) -> None:
    """Until no message came for ``settle`` seconds (the retained ones are in), at most ``timeout``."""
    deadline = started + timeout
    while time.monotonic() < deadline:
        last = max(view.last_message, started)
        if time.monotonic() - last >= settle:
            return
        time.sleep(0.02)


# -- fleet status ------------------------------------------------------------------------------
def run_status(url: BrokerURL, *, once: bool = False, as_json: bool = False, timeout: float = 10.0,
               interval: float = 1.0, out: TextIO | None = None, err: TextIO | None = None,
               stop: threading.Event | None = None) -> int:
    """``szkiosk fleet status``: one table (``once``) or one every ``interval`` seconds until stopped."""
    out = out or sys.stdout
    err = err or sys.stderr
    view = FleetView()
    if not once and stop is None:
        stop = _stop_on_signals()
    with _quiet_client_log():
        try:
            client = connect(url, [topics.topic("+", topics.ONLINE), topics.topic("+", topics.STATUS)],
                             timeout, view.feed)
        except ConsoleError as exc:
            print(f"szkiosk fleet status: {exc}", file=err)
            return 1
        try:
            wait_settled(view, time.monotonic(), SETTLE_S, timeout)
            if once:
                print(_render(view, url, client, as_json, True), file=out, flush=True)
                return 0
            assert stop is not None
            return _live(view, url, client, as_json, interval, out, stop)
        finally:
            client.close()


def _render(view: FleetView, url: BrokerURL, client: FleetClient, as_json: bool, once: bool) -> str:
    rows = view.rows()
    if as_json:
        return rows_json(rows)
    head = summary(rows, str(url))
    if not client.connected and not once:
        head += f"  NOT CONNECTED: {redact(client.last_error or 'reconnecting', url)}"
    return format_table(rows, head)


def _live(view: FleetView, url: BrokerURL, client: FleetClient, as_json: bool, interval: float,
          out: TextIO, stop: threading.Event) -> int:
    tty = hasattr(out, "isatty") and out.isatty()
    while not stop.is_set():
        text = _render(view, url, client, as_json, False)
        if tty:
            out.write("\x1b[H\x1b[2J" + text + "\n")
        else:
            out.write(text + "\n\n")
        out.flush()
        stop.wait(interval)
    return 0


def _stop_on_signals() -> threading.Event:
    """An event Ctrl+C or SIGTERM sets (the live table then ends with exit 0)."""
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    return stop


# -- fleet send ------------------------------------------------------------------------------------
@dataclass
class _Replies:
    """Replies to one command id, collected on paho's thread."""

    command_id: str
    view: FleetView
    got: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def feed(self, topic_name: str, payload: bytes) -> None:
        parsed = topics.parse_topic(topic_name)
        if parsed is None:
            return
        if parsed[1] != topics.REPLY:
            self.view.feed(topic_name, payload)
            return
        try:
            body = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return
        if not isinstance(body, dict) or body.get("id") != self.command_id:
            return
        with self.changed:
            self.got[parsed[0]] = body
            self.changed.notify_all()


def _reply_line(booth: str, body: dict[str, Any]) -> str:
    ok = body.get("ok") is True
    what = " ".join(str(x) for x in (body.get("command"), body.get("arg")) if x)
    message = " ".join(str(body.get("message", "")).split())
    return f"{booth}: {'ok' if ok else 'FAILED'}: {what}: {message}"


def run_send(url: BrokerURL, booth: str, command: topics.Command, *, timeout: float = 10.0,
             out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``szkiosk fleet send``: publish ``command`` and print the replies with its id.

    To one booth: waits for its reply. To ``all``: waits until every booth that is online
    replied (or the timeout); booths offline are named, not waited for. Exit 0 when every
    expected reply came and said ok.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    view = FleetView()
    replies = _Replies(command.id, view)
    subs = [topics.topic("+", topics.ONLINE), topics.topic(booth, topics.REPLY)]
    if booth == topics.ALL:
        subs[1] = topics.topic("+", topics.REPLY)
    started = time.monotonic()
    with _quiet_client_log():
        try:
            client = connect(url, subs, timeout, replies.feed)
        except ConsoleError as exc:
            print(f"szkiosk fleet send: {exc}", file=err)
            return 1
        try:
            wait_settled(view, time.monotonic(), SETTLE_S, timeout)
            known = {row.booth: row.online for row in view.rows()}
            if booth == topics.ALL:
                expected = {name for name, online in known.items() if online}
                if not expected:
                    print("szkiosk fleet send: no booth is online", file=err)
                    return 1
            else:
                expected = {booth}
            acked = threading.Event()
            if not client.publish(topics.topic(booth, topics.CMD), command.encode(), qos=1, on_acked=acked.set):
                print("szkiosk fleet send: lost the broker before the command went out", file=err)
                return 1
            deadline = started + timeout
            with replies.changed:
                while not expected <= set(replies.got) and time.monotonic() < deadline:
                    replies.changed.wait(min(0.1, max(0.0, deadline - time.monotonic())))
                got = dict(replies.got)
        finally:
            client.close()
    ok = True
    for name in sorted(got, key=natural_key):
        print(_reply_line(name, got[name]), file=out)
        ok = ok and got[name].get("ok") is True
    missing = sorted(expected - set(got), key=natural_key)
    for name in missing:
        state = {False: " (it is offline)", None: " (no booth of that name ever reported)"}.get(known.get(name), "")
        print(f"{name}: no reply within {timeout:g} s{state}", file=out)
    if booth == topics.ALL:
        offline = sorted((n for n, online in known.items() if online is False and n not in got), key=natural_key)
        if offline:
            print(f"{len(offline)} offline, not asked: {', '.join(offline)}", file=out)
        print(f"{len(got)} replies from {len(expected)} booths online"
              f"{'' if acked.is_set() else ' (the broker did not confirm the command)'}", file=out)
    out.flush()
    return 0 if ok and not missing and got else 1


# -- fleet screenshot ---------------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, or None when ``data`` is not one."""
    if not data.startswith(PNG_SIGNATURE) or len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def run_screenshot(url: BrokerURL, booth: str, path: Path, *, timeout: float = 20.0,
                   out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``szkiosk fleet screenshot``: ask ``booth`` for a screenshot and write the PNG to ``path``."""
    out = out or sys.stdout
    err = err or sys.stderr
    shot: list[bytes] = []
    done = threading.Event()
    command = topics.new_command("screenshot")
    replies = _Replies(command.id, FleetView())

    def on_message(topic_name: str, payload: bytes) -> None:
        if topic_name == topics.topic(booth, topics.SCREENSHOT):
            shot.append(payload)
            done.set()
        else:
            replies.feed(topic_name, payload)
            if booth in replies.got and replies.got[booth].get("ok") is not True:
                done.set()

    started = time.monotonic()
    with _quiet_client_log():
        try:
            client = connect(url, [topics.topic(booth, topics.SCREENSHOT), topics.topic(booth, topics.REPLY)],
                             timeout, on_message)
        except ConsoleError as exc:
            print(f"szkiosk fleet screenshot: {exc}", file=err)
            return 1
        try:
            if not client.publish(topics.topic(booth, topics.CMD), command.encode(), qos=1):
                print("szkiosk fleet screenshot: lost the broker before the command went out", file=err)
                return 1
            done.wait(max(0.0, started + timeout - time.monotonic()))
        finally:
            client.close()
    if not shot:
        reply = replies.got.get(booth)
        if reply is not None:
            print(f"szkiosk fleet screenshot: {_reply_line(booth, reply)}", file=err)
        else:
            print(f"szkiosk fleet screenshot: no screenshot from {booth} within {timeout:g} s", file=err)
        return 1
    data = shot[0]
    size = png_size(data)
    if size is None:
        print(f"szkiosk fleet screenshot: {booth} sent {len(data)} bytes that are not a PNG", file=err)
        return 1
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(f"szkiosk fleet screenshot: cannot write {path}: {exc.strerror or exc}", file=err)
        return 1
    print(f"wrote {path} ({size[0]}x{size[1]}, {len(data)} bytes) from {booth}", file=out)
    return 0
