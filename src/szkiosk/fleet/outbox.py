"""The booth's statistics outbox: hourly aggregates kept in SQLite until the broker has them.

Pure Python (sqlite3 and threading; no Qt, no paho: :class:`StatsSender` only calls the
:class:`~szkiosk.fleet.broker.FleetClient` it is given).

Where the figures come from
    :class:`szkiosk.booth.analytics.Analytics` adds every record to the ``hourly`` table
    (:data:`HOURLY_SCHEMA`): one row per UTC hour, panel and language, a counter per
    :data:`~szkiosk.fleet.topics.STAT_FIELDS` (dwell in whole milliseconds, so sums are exact).
    A record counts in the hour in which the booth recorded it (a view when it ended, a
    session when the visitor left).

The outbox lives in the same SQLite file as the analytics, so that closing an hour is one
transaction: the hour's ``hourly`` rows leave and its message arrives together, or neither
does. A power cut can therefore neither lose an hour nor queue it twice.

Messages
    Each closed hour becomes one message (``outbox`` table) with a per-booth sequence
    number ``seq``: it rises by one per message and is never reused (the next number is
    kept in ``outbox_meta`` and survives restarts; a fresh database, e.g. after a damaged one
    was moved aside, starts at the Unix time in seconds, above any number an older database
    can have reached). A message stays until the broker acknowledged it (QoS 1), then is
    kept :data:`KEEP_SENT_S` more (7 days) and pruned.

Roll-up (days offline)
    Only messages never handed to the MQTT client are merged (a published one may have
    reached the collector: it is resent unchanged, same ``seq``, until acknowledged):

    * pending hourly messages of a UTC day that ended more than :data:`HOURLY_FOR_S`
      (48 h) ago merge into one daily message (``hour`` = 00:00Z, ``hours: 24``);
    * pending messages of an ISO week (Monday 00:00Z) that ended more than
      :data:`DAILY_FOR_S` (14 days) ago merge into one weekly message (``hours: 168``);
    * past :data:`MAX_PENDING` pending messages the oldest ones merge into one.

    A merged message keeps the lowest ``seq`` of its members and says in ``seq_to`` the
    highest (the collector knows those numbers were merged, not lost). Every counter is
    summed exactly: the only loss is the hourly (then daily) resolution. The outbox therefore
    holds at most about 72 hourly + 14 daily + one per week offline (hard cap
    :data:`MAX_PENDING`), plus at most 7 days of sent messages.
"""

from __future__ import annotations

import calendar
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from szkiosk.fleet.topics import STAT_FIELDS, STATS, topic

if TYPE_CHECKING:
    from szkiosk.fleet.broker import FleetClient

log = logging.getLogger(__name__)

#: Counters as stored (dwell in ms: integers add up exactly, in any order).
COLUMNS = tuple("dwell_ms" if f == "dwell_s" else f for f in STAT_FIELDS)

HOURLY_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS hourly (
    hour TEXT NOT NULL,
    panel TEXT NOT NULL,
    language TEXT NOT NULL,
    {", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in COLUMNS)},
    PRIMARY KEY (hour, panel, language)
);
"""

OUTBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    seq_to INTEGER NOT NULL,
    hour TEXT NOT NULL,
    hours INTEGER NOT NULL,
    rows TEXT NOT NULL,
    created REAL NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    sent REAL
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sent, seq);
CREATE TABLE IF NOT EXISTS outbox_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""

HOUR_S, DAY_S, WEEK_S = 3600, 86400, 7 * 86400
#: An hour closes this long after it ended (a record queued at 10:59:59 still lands in it).
CLOSE_GRACE_S = 60
#: Pending hourly messages of a day that ended longer ago than this merge into a daily one.
HOURLY_FOR_S = 48 * HOUR_S
#: Pending messages of a week that ended longer ago than this merge into a weekly one.
DAILY_FOR_S = 14 * DAY_S
#: Hard cap on pending messages: past it the oldest unpublished ones merge into one.
MAX_PENDING = 400
#: Acknowledged messages are kept this long (a collector's gap can still be filled), then pruned.
KEEP_SENT_S = 7 * DAY_S


def hour_text(seconds: float) -> str:
    """The UTC hour containing ``seconds`` as ``2026-12-01T14:00:00Z``."""
    return time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(int(seconds // HOUR_S * HOUR_S)))


def parse_hour(text: str) -> int:
    """``2026-12-01T14:00:00Z`` -> Unix seconds."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def _iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def hourly_upsert() -> str:
    """SQL adding ``(hour, panel, language, *COLUMNS)`` increments to the ``hourly`` table."""
    cols = ", ".join(COLUMNS)
    marks = ", ".join("?" * (3 + len(COLUMNS)))
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in COLUMNS)
    return (f"INSERT INTO hourly (hour, panel, language, {cols}) VALUES ({marks}) "
            f"ON CONFLICT (hour, panel, language) DO UPDATE SET {updates}")


def increments(hour: str, panel: str, language: str, **counts: float) -> tuple:
    """Parameters for :func:`hourly_upsert`: ``counts`` by STAT_FIELDS name (``dwell_s`` in seconds)."""
    unknown = set(counts) - set(STAT_FIELDS)
    if unknown:
        raise ValueError(f"unknown counters {sorted(unknown)}")
    values = [round(counts.get(f, 0) * 1000) if f == "dwell_s" else int(counts.get(f, 0)) for f in STAT_FIELDS]
    return (hour, panel, language, *values)


Rows = dict[tuple[str, str], list[int]]  # (panel, language) -> COLUMNS


def rows_to_json(rows: Rows) -> list[dict[str, Any]]:
    """Message rows (``dwell_s`` in seconds, 3 decimals), sorted by panel and language."""
    out = []
    for (panel, language), values in sorted(rows.items()):
        row: dict[str, Any] = {"panel": panel, "language": language}
        for field, value in zip(STAT_FIELDS, values, strict=True):
            row[field] = value / 1000 if field == "dwell_s" else value
        out.append(row)
    return out


def rows_from_json(items: Iterable[dict[str, Any]]) -> Rows:
    """The inverse of :func:`rows_to_json` (dwell back to whole ms)."""
    rows: Rows = {}
    for item in items:
        values = [round(item[f] * 1000) if f == "dwell_s" else int(item[f]) for f in STAT_FIELDS]
        _add(rows, (item["panel"], item["language"]), values)
    return rows


def _add(rows: Rows, key: tuple[str, str], values: Iterable[int]) -> None:
    total = rows.setdefault(key, [0] * len(COLUMNS))
    for i, v in enumerate(values):
        total[i] += v


@dataclass(frozen=True)
class Message:
    """One pending or sent stats message."""

    seq: int
    seq_to: int
    hour: str
    hours: int
    rows: list[dict[str, Any]]
    published: bool = False
    sent: float | None = None

    def payload(self, booth: str) -> bytes:
        """The JSON for ``szkiosk/<booth>/stats`` (:data:`~szkiosk.fleet.topics.STATS_SCHEMA`)."""
        body: dict[str, Any] = {"booth": booth, "seq": self.seq, "hour": self.hour, "hours": self.hours,
                                "rows": self.rows}
        if self.seq_to != self.seq:
            body["seq_to"] = self.seq_to
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class Outbox:
    """The outbox tables in the booth's analytics database (see the module docstring).

    Thread-safe: one connection behind a lock (the Qt side, the sender and paho's thread
    for acknowledgements all call in). ``clock`` (Unix seconds) is injectable for tests.
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self._lock = threading.RLock()
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.executescript(HOURLY_SCHEMA + OUTBOX_SCHEMA)
        conn.execute("INSERT OR IGNORE INTO outbox_meta (key, value) VALUES ('next_seq', ?)",
                     (max(1, int(self.clock())),))
        self._inode = self.path.stat().st_ino
        return conn

    def _reopen_if_moved(self) -> None:
        """The analytics move a damaged file aside and start a fresh one: follow them."""
        try:
            moved = self.path.stat().st_ino != self._inode
        except OSError:
            moved = True
        if moved:
            with self._lock:
                log.warning("outbox: %s was replaced; opening the new file", self.path)
                self._conn.close()
                self._conn = self._open()

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    def _write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``work`` in one immediate transaction (reopening the file once if it went bad)."""
        with self._lock:
            for attempt in (1, 2):
                conn = self._conn
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        result = work(conn)
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                    return result
                except sqlite3.DatabaseError as exc:
                    if attempt == 2 or isinstance(exc, sqlite3.OperationalError):
                        raise  # a full disk or a lock: the caller tries again later
                    log.warning("outbox: %s (%s); opening the database again", self.path, exc)
                    try:
                        conn.close()
                    finally:
                        self._conn = self._open()
            raise AssertionError("unreachable")

    def newest_seq(self) -> int:
        """The ``seq`` given last (one below the first message's while there is none yet).

        The booth's status carries it (``stats_seq``), so that a collector missing the newest
        message (lost by a broker after its acknowledgement) asks for it without waiting for
        the next one to show the gap.
        """
        with self._lock:
            found = self._conn.execute("SELECT value FROM outbox_meta WHERE key = 'next_seq'").fetchone()
        return int(found[0]) - 1

    def _next_seq(self, conn: sqlite3.Connection) -> int:
        seq = conn.execute("SELECT value FROM outbox_meta WHERE key = 'next_seq'").fetchone()[0]
        conn.execute("UPDATE outbox_meta SET value = ? WHERE key = 'next_seq'", (seq + 1,))
        return int(seq)

    # -- closing hours -------------------------------------------------------------------
    def close_hours(self, now: float | None = None) -> int:
        """Turn every hour that ended (plus :data:`CLOSE_GRACE_S`) into one message each; returns how many."""
        now = self.clock() if now is None else now
        limit = hour_text(now - CLOSE_GRACE_S)  # hours before this one have closed

        def work(conn: sqlite3.Connection) -> int:
            found = conn.execute(f"SELECT hour, panel, language, {', '.join(COLUMNS)} FROM hourly "
                                 "WHERE hour < ? ORDER BY hour", (limit,)).fetchall()
            by_hour: dict[str, Rows] = {}
            for hour, panel, language, *values in found:
                if any(values):
                    _add(by_hour.setdefault(hour, {}), (panel, language), values)
            for hour, rows in sorted(by_hour.items()):
                seq = self._next_seq(conn)
                conn.execute("INSERT INTO outbox (seq, seq_to, hour, hours, rows, created) VALUES (?, ?, ?, 1, ?, ?)",
                             (seq, seq, hour, json.dumps(rows_to_json(rows), separators=(",", ":")), now))
            conn.execute("DELETE FROM hourly WHERE hour < ?", (limit,))
            return len(by_hour)

        return self._write(work)

    # -- roll-up ---------------------------------------------------------------------------
    def roll_up(self, now: float | None = None) -> int:
        """Merge old unpublished messages (daily, weekly, the hard cap); returns messages removed."""
        now = self.clock() if now is None else now

        def work(conn: sqlite3.Connection) -> int:
            before = self._pending_count(conn)
            self._merge_groups(conn, now, DAY_S, 0, HOURLY_FOR_S)
            self._merge_groups(conn, now, WEEK_S, 4 * DAY_S, DAILY_FOR_S)  # the Unix epoch was a Thursday
            rows = self._unpublished(conn)
            pending = self._pending_count(conn)
            if pending > MAX_PENDING:
                excess = pending - MAX_PENDING + 1
                oldest = rows[:excess]
                if len(oldest) > 1:
                    first = parse_hour(oldest[0][2])
                    end = max(parse_hour(r[2]) + r[3] * HOUR_S for r in oldest)
                    self._merge(conn, oldest, _iso(first), (end - first) // HOUR_S)
            removed = before - self._pending_count(conn)
            if removed:
                log.info("outbox: rolled %d old message(s) up (nothing lost but hourly resolution)", removed)
            return removed

        return self._write(work)

    @staticmethod
    def _pending_count(conn: sqlite3.Connection) -> int:
        return conn.execute("SELECT count(*) FROM outbox WHERE sent IS NULL").fetchone()[0]

    @staticmethod
    def _unpublished(conn: sqlite3.Connection) -> list[tuple]:
        return conn.execute("SELECT seq, seq_to, hour, hours, rows FROM outbox WHERE sent IS NULL AND published = 0 "
                            "ORDER BY seq").fetchall()

    def _merge_groups(self, conn: sqlite3.Connection, now: float, span: int, offset: int, keep: int) -> None:
        groups: dict[int, list[tuple]] = {}
        for row in self._unpublished(conn):
            start = parse_hour(row[2])
            bucket = (start - offset) // span * span + offset
            if bucket + span <= now - keep and row[3] < span:
                groups.setdefault(bucket, []).append(row)
        for bucket, members in groups.items():
            if len(members) > 1:
                self._merge(conn, members, _iso(bucket), span // HOUR_S)

    @staticmethod
    def _merge(conn: sqlite3.Connection, members: list[tuple], hour: str, hours: int) -> None:
        rows: Rows = {}
        for member in members:
            for key, values in rows_from_json(json.loads(member[4])).items():
                _add(rows, key, values)
        seq, seq_to = min(m[0] for m in members), max(m[1] for m in members)
        conn.executemany("DELETE FROM outbox WHERE seq = ?", [(m[0],) for m in members if m[0] != seq])
        conn.execute("UPDATE outbox SET seq_to = ?, hour = ?, hours = ?, rows = ? WHERE seq = ?",
                     (seq_to, hour, hours, json.dumps(rows_to_json(rows), separators=(",", ":")), seq))

    # -- sending -------------------------------------------------------------------------------
    def pending(self, limit: int = 100) -> list[Message]:
        """Unacknowledged messages, lowest ``seq`` first."""
        with self._lock:
            found = self._conn.execute("SELECT seq, seq_to, hour, hours, rows, published FROM outbox "
                                       "WHERE sent IS NULL ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [Message(s, t, h, n, json.loads(r), bool(p)) for s, t, h, n, r, p in found]

    def mark_published(self, seq: int) -> None:
        """``seq`` was handed to the MQTT client: it may reach the collector, so it is never merged."""
        self._write(lambda c: c.execute("UPDATE outbox SET published = 1 WHERE seq = ?", (seq,)))

    def mark_sent(self, seq: int) -> None:
        """The broker acknowledged ``seq`` (idempotent)."""
        now = self.clock()
        self._write(lambda c: c.execute("UPDATE outbox SET sent = ? WHERE seq = ? AND sent IS NULL", (now, seq)))

    def requeue(self, first: int, last: int) -> tuple[int, int]:
        """Send acknowledged messages ``first..last`` again (a collector lost them after the
        broker acknowledged them): ``(requeued, still pending)`` of the messages kept in that range."""

        def work(conn: sqlite3.Connection) -> tuple[int, int]:
            where = "seq <= ? AND seq_to >= ?"
            again = conn.execute(f"UPDATE outbox SET sent = NULL WHERE {where} AND sent IS NOT NULL",
                                 (last, first)).rowcount
            pending = conn.execute(f"SELECT COUNT(*) FROM outbox WHERE {where} AND sent IS NULL",
                                   (last, first)).fetchone()[0] - again
            return again, pending

        return self._write(work)

    def prune(self, now: float | None = None) -> int:
        """Delete messages acknowledged more than :data:`KEEP_SENT_S` ago; returns how many."""
        now = self.clock() if now is None else now
        return self._write(lambda c: c.execute("DELETE FROM outbox WHERE sent IS NOT NULL AND sent < ?",
                                               (now - KEEP_SENT_S,)).rowcount)

    def tick(self, now: float | None = None) -> None:
        """Close finished hours, roll old ones up, prune sent ones (once a minute is plenty)."""
        now = self.clock() if now is None else now
        self._reopen_if_moved()
        self.close_hours(now)
        self.roll_up(now)
        self.prune(now)

    # -- looking -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows by state: ``pending`` (of which ``published``), ``sent``, and open ``hourly`` rows."""
        with self._lock:
            c = self._conn
            return {
                "pending": c.execute("SELECT count(*) FROM outbox WHERE sent IS NULL").fetchone()[0],
                "published": c.execute("SELECT count(*) FROM outbox WHERE sent IS NULL AND published = 1")
                .fetchone()[0],
                "sent": c.execute("SELECT count(*) FROM outbox WHERE sent IS NOT NULL").fetchone()[0],
                "hourly": c.execute("SELECT count(*) FROM hourly").fetchone()[0],
            }

    def totals(self, *, include_sent: bool = True, include_open: bool = True) -> dict[str, int]:
        """Every counter summed over the outbox (and the open hours): what the booth still holds."""
        total = dict.fromkeys(COLUMNS, 0)
        with self._lock:
            where = "" if include_sent else " WHERE sent IS NULL"
            messages = [r for (r,) in self._conn.execute(f"SELECT rows FROM outbox{where}")]
            open_rows = self._conn.execute(f"SELECT {', '.join(COLUMNS)} FROM hourly").fetchall() \
                if include_open else []
        for text in messages:
            for values in rows_from_json(json.loads(text)).values():
                for c, v in zip(COLUMNS, values, strict=True):
                    total[c] += v
        for values in open_rows:
            for c, v in zip(COLUMNS, values, strict=True):
                total[c] += v
        return total


class StatsSender:
    """Publishes the outbox on ``szkiosk/<booth>/stats`` at QoS 1, in ``seq`` order.

    :meth:`pump` is thread-safe; call it when the client connects and about once a minute
    (it also closes hours and rolls up, connected or not). At most ``max_in_flight``
    messages wait for their acknowledgement at a time; each acknowledgement marks its
    message sent and, when the window has room, sends the next ones. After a reconnect every
    unacknowledged message is published again (the collector drops duplicates by
    ``(booth, seq)``). :meth:`pump_soon` runs a pump on a worker thread (for a GUI timer).
    """

    def __init__(self, outbox: Outbox, client: FleetClient, booth: str, *, max_in_flight: int = 10) -> None:
        self.outbox = outbox
        self.client = client
        self.booth = booth
        self.topic = topic(booth, STATS)
        self.max_in_flight = max_in_flight
        self._pump_lock = threading.Lock()
        self._flight_lock = threading.Lock()  # never held while calling the client (paho's locks)
        self._in_flight: set[int] = set()
        self._connections = -1
        self._kicked = False
        #: Messages published so far (resends count) and acknowledgements received.
        self.published = 0
        self.acked = 0

    def pump(self, *, upkeep: bool = True) -> int:
        """Close/roll up the outbox (``upkeep``), then publish what fits in the window; returns messages published."""
        with self._pump_lock:
            try:
                if upkeep:
                    self.outbox.tick()
            except sqlite3.Error as exc:
                log.error("outbox: cannot update %s: %s", self.outbox.path, exc)
                return 0
            if not self.client.connected:
                return 0
            connections = self.client.connections
            with self._flight_lock:
                if connections != self._connections:  # a (re)connect: what was in flight is sent again
                    self._connections = connections
                    self._in_flight.clear()
                room = self.max_in_flight - len(self._in_flight)
                busy = set(self._in_flight)
            sent = 0
            if room <= 0:
                return 0
            for message in self.outbox.pending(len(busy) + room):
                if message.seq in busy:
                    continue
                if sent >= room:
                    break
                self.outbox.mark_published(message.seq)
                with self._flight_lock:
                    self._in_flight.add(message.seq)
                ok = self.client.publish(self.topic, message.payload(self.booth), qos=1,
                                         on_acked=lambda seq=message.seq: self._acked(seq))
                if not ok:
                    with self._flight_lock:
                        self._in_flight.discard(message.seq)
                    break
                sent += 1
                self.published += 1
            return sent

    def _acked(self, seq: int) -> None:
        try:
            self.outbox.mark_sent(seq)
        except sqlite3.Error as exc:  # it stays pending and is sent again: the collector drops the copy
            log.error("outbox: cannot mark message %d sent: %s", seq, exc)
        with self._flight_lock:
            self._in_flight.discard(seq)
            self.acked += 1
            refill = len(self._in_flight) <= self.max_in_flight // 2
        if refill:
            self.pump_soon()

    def pump_soon(self) -> None:
        """Run :meth:`pump` (without the outbox upkeep) on a worker thread; never blocks the caller."""
        with self._flight_lock:
            if self._kicked:
                return
            self._kicked = True
        threading.Thread(target=self._kick, name="szkiosk-stats-pump", daemon=True).start()

    def _kick(self) -> None:
        with self._flight_lock:
            self._kicked = False
        self.pump(upkeep=False)

    @property
    def in_flight(self) -> int:
        """Messages published and not yet acknowledged."""
        with self._flight_lock:
            return len(self._in_flight)
