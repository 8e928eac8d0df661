"""The central statistics collector: booths' hourly aggregates into one SQLite file, each once.

Pure Python (no Qt). :class:`Collector` takes ``szkiosk/+/stats`` messages
(:data:`~szkiosk.fleet.topics.STATS_SCHEMA`), checks them, and stores each under a
``PRIMARY KEY (booth, seq)``: a message the booth sent again (it had no acknowledgement, or
restarted before recording one) is dropped and counted as a duplicate. :func:`connect_collector`
subscribes with a persistent session (fixed client id, ``clean_session=False``, QoS 1), so
the broker keeps what booths publish while the collector is away; each message is committed
before paho acknowledges it (after ``on_message`` returns), so a collector that dies
mid-message gets it again and drops the copy.

It also reads each booth's retained ``status`` for ``stats_seq``, the newest message the
booth has made (table ``tails``), so that :func:`missing_seqs` sees a lost *newest* message
too, not only gaps between messages that arrived.

Reports: :func:`report` sums the counters by booth, period (hour or day) and panel;
:func:`format_table` and :func:`format_csv` print them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import math
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from szkiosk.fleet.outbox import COLUMNS
from szkiosk.fleet.topics import BOOTH_NAME, CMD, ROOT, STAT_FIELDS, STATS, STATUS, Command, parse_topic, topic

if TYPE_CHECKING:
    from szkiosk.fleet.broker import BrokerURL, FleetClient

log = logging.getLogger(__name__)

#: The collector's MQTT client id: fixed, so that the broker keeps its session while it is away.
CLIENT_ID = "szkiosk-collector"
#: Stats payloads larger than this are refused unread.
MAX_STATS_BYTES = 1_000_000

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS messages (
    booth TEXT NOT NULL,
    seq INTEGER NOT NULL,
    seq_to INTEGER NOT NULL,
    hour TEXT NOT NULL,
    hours INTEGER NOT NULL,
    received TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (booth, seq)
);
CREATE TABLE IF NOT EXISTS rows (
    booth TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hour TEXT NOT NULL,
    hours INTEGER NOT NULL,
    panel TEXT NOT NULL,
    language TEXT NOT NULL,
    {", ".join(f"{c} INTEGER NOT NULL" for c in COLUMNS)}
);
CREATE INDEX IF NOT EXISTS rows_by_hour ON rows (booth, hour);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tails (booth TEXT PRIMARY KEY, seq INTEGER NOT NULL, seen TEXT NOT NULL);
"""

_HOUR_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$"


class BadStats(ValueError):
    """A stats payload that does not follow :data:`~szkiosk.fleet.topics.STATS_SCHEMA`."""


def parse_stats(payload: bytes, topic_booth: str | None = None) -> dict[str, Any]:
    """Check one stats payload (and that it comes from the booth in its topic); :class:`BadStats` says why."""
    import re

    if len(payload) > MAX_STATS_BYTES:
        raise BadStats(f"{len(payload)} bytes (at most {MAX_STATS_BYTES})")
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadStats(f"not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise BadStats("not a JSON object")
    missing = [k for k in ("booth", "seq", "hour", "hours", "rows") if k not in body]
    if missing:
        raise BadStats(f"missing {', '.join(missing)}")
    booth, seq, hour, hours, rows = (body[k] for k in ("booth", "seq", "hour", "hours", "rows"))
    if not isinstance(booth, str) or not BOOTH_NAME.match(booth):
        raise BadStats(f"bad booth {booth!r}")
    if topic_booth is not None and booth != topic_booth:
        raise BadStats(f"booth {booth!r} published on {topic_booth!r}'s topic")
    if not _whole(seq) or seq < 1:
        raise BadStats(f"bad seq {seq!r}")
    seq_to = body.get("seq_to", seq)
    if not _whole(seq_to) or seq_to < seq:
        raise BadStats(f"bad seq_to {seq_to!r}")
    if not isinstance(hour, str) or not re.match(_HOUR_PATTERN, hour):
        raise BadStats(f"bad hour {hour!r}")
    if not _whole(hours) or hours < 1:
        raise BadStats(f"bad hours {hours!r}")
    if not isinstance(rows, list):
        raise BadStats("rows is not a list")
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("panel"), str) \
                or not isinstance(row.get("language"), str):
            raise BadStats(f"bad row {row!r:.80}")
        for field in STAT_FIELDS:
            value = row.get(field)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                    or value < 0:
                raise BadStats(f"row {row.get('panel')!r}: bad {field} {value!r}")
    body["seq_to"] = seq_to
    return body


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class Tally:
    """What the collector did since it started."""

    stored: int = 0
    duplicates: int = 0
    conflicts: int = 0
    bad: int = 0


_TALLY = {"stored": "stored", "duplicate": "duplicates", "conflict": "conflicts"}


class Collector:
    """Stores stats messages in ``path`` (thread-safe: paho's thread calls :meth:`handle`)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(SCHEMA)
        self._conn.commit()
        self.tally = Tally()
        #: The newest ``stats_seq`` each booth's status announced (what is in ``tails``).
        self._tails: dict[str, int] = dict(self._conn.execute("SELECT booth, seq FROM tails").fetchall())

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

    def handle(self, topic: str, payload: bytes) -> str:
        """Store one message: ``stored``, ``duplicate``, ``conflict`` (same seq, other content) or
        ``bad``; a booth's status: ``status`` (its ``stats_seq`` noted)."""
        where = parse_topic(topic)
        if where is not None and where[1] == STATUS:
            self._note_tail(where[0], payload)
            return "status"
        if where is None or where[1] != STATS:
            self._count("bad")
            log.warning("collector: ignored a message on %s (not a stats topic)", topic)
            return "bad"
        try:
            body = parse_stats(payload, where[0])
        except BadStats as exc:
            self._count("bad")
            log.warning("collector: skipped a bad stats message on %s: %s", topic, exc)
            return "bad"
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        booth, seq = body["booth"], body["seq"]
        with self._lock, self._conn as conn:
            old = conn.execute("SELECT digest FROM messages WHERE booth = ? AND seq = ?", (booth, seq)).fetchone()
            if old is not None:
                outcome = "duplicate" if old[0] == digest else "conflict"
                self._bump(conn, _TALLY[outcome])
            else:
                outcome = "stored"
                conn.execute("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (booth, seq, body["seq_to"], body["hour"], body["hours"],
                              time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), digest))
                conn.executemany(
                    f"INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, {', '.join('?' * len(COLUMNS))})",
                    [(booth, seq, body["hour"], body["hours"], r["panel"], r["language"],
                      *(round(r[f] * 1000) if f == "dwell_s" else round(r[f]) for f in STAT_FIELDS))
                     for r in body["rows"]])
                self._bump(conn, "stored")
        name = _TALLY[outcome]
        setattr(self.tally, name, getattr(self.tally, name) + 1)
        if outcome == "conflict":
            log.warning("collector: %s sent seq %d again with other figures; kept the first", booth, seq)
        return outcome

    def _note_tail(self, booth: str, payload: bytes) -> None:
        """Keep the newest ``stats_seq`` a booth's status announces (anything else in it is the
        console's business; a status without one, or unreadable, changes nothing)."""
        try:
            body = json.loads(payload[:MAX_STATS_BYTES]) if payload else None
        except ValueError:
            return
        seq = body.get("stats_seq") if isinstance(body, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or seq <= self._tails.get(booth, 0):
            return
        with self._lock, self._conn as conn:
            conn.execute("INSERT INTO tails VALUES (?, ?, ?) ON CONFLICT (booth) DO UPDATE SET seq = excluded.seq, "
                         "seen = excluded.seen WHERE excluded.seq > tails.seq",
                         (booth, seq, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
            self._tails[booth] = seq

    def _count(self, name: str) -> None:
        self.tally.bad += 1
        with self._lock, self._conn as conn:
            self._bump(conn, name)

    @staticmethod
    def _bump(conn: sqlite3.Connection, name: str) -> None:
        conn.execute("INSERT INTO counters VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1",
                     (name,))


def connect_collector(collector: Collector, url: BrokerURL, client_id: str = CLIENT_ID) -> FleetClient:
    """A started :class:`~szkiosk.fleet.broker.FleetClient` feeding ``collector`` (persistent session, QoS 1)."""
    from szkiosk.fleet.broker import FleetClient

    client = FleetClient(url, client_id, clean_session=False, on_message=collector.handle)
    client.subscribe(f"{ROOT}/+/{STATS}", 1)
    # QoS 0: the broker queues nothing of it while the collector is away (a day of statuses
    # would crowd its queue, where the stats wait); the retained ones come with every subscribe
    client.subscribe(f"{ROOT}/+/{STATUS}", 0)
    client.start()
    return client


# -- reading -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    """Counters of one booth, period and panel (all languages, or one)."""

    booth: str
    period: str
    hours: int
    panel: str
    language: str
    values: tuple[int, ...]  # COLUMNS order (dwell in ms)

    def value(self, field: str) -> float:
        """One counter by its STAT_FIELDS name (``dwell_s`` in seconds)."""
        if field == "dwell_s":
            return self.values[COLUMNS.index("dwell_ms")] / 1000
        return self.values[COLUMNS.index(field)]


def db_counters(path: Path) -> dict[str, int]:
    """``stored``, ``duplicates``, ``conflicts``, ``bad`` over the database's life."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = dict(conn.execute("SELECT name, value FROM counters").fetchall())
    finally:
        conn.close()
    return {k: found.get(k, 0) for k in ("stored", "duplicates", "conflicts", "bad")}


def report(path: Path, *, by: str = "hour", languages: bool = False, booth: str | None = None) -> list[Totals]:
    """Sums by booth, period (``hour`` or ``day``, UTC) and panel (and language with ``languages``).

    A rolled-up message (``hours`` 24 or more) counts in the period it starts in, and the
    row says how many hours it covers.
    """
    if by not in ("hour", "day"):
        raise ValueError(f"by {by!r}: use hour or day")
    period = "hour" if by == "hour" else "substr(hour, 1, 10) || 'T00:00:00Z'"
    unit = 1 if by == "hour" else 24
    language = "language" if languages else "''"
    sums = ", ".join(f"sum({c})" for c in COLUMNS)
    where, params = ("WHERE booth = ?", (booth,)) if booth else ("", ())
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = conn.execute(
            f"SELECT booth, {period} AS period, max(hours), panel, {language} AS lang, {sums} FROM rows {where} "
            f"GROUP BY booth, period, panel, lang ORDER BY period, booth, panel, lang", params).fetchall()
    finally:
        conn.close()
    return [Totals(b, p, max(unit, h), panel, lang, tuple(v)) for b, p, h, panel, lang, *v in found]


def _header(languages: bool) -> tuple[str, ...]:
    return ("booth", "period", "hours", "panel", *(("language",) if languages else ()), *STAT_FIELDS)


def _cells(t: Totals, languages: bool) -> list[str]:
    values = [f"{t.value(f):.1f}" if f == "dwell_s" else str(t.value(f)) for f in STAT_FIELDS]
    return [t.booth, t.period, str(t.hours), t.panel, *([t.language] if languages else []), *values]


def format_table(rows: list[Totals], *, languages: bool = False) -> str:
    """A plain-text table, with a total line."""
    header = _header(languages)
    lines = [list(header)] + [_cells(t, languages) for t in rows]
    if rows:
        totals = [sum(t.values[i] for t in rows) for i in range(len(COLUMNS))]
        total = Totals("total", "", 0, "", "", tuple(totals))
        cells = _cells(total, languages)
        cells[2] = ""
        lines.append(cells)
    widths = [max(len(r[i]) for r in lines) for i in range(len(header))]
    text = ["  ".join(c.ljust(w) if i < len(header) - len(STAT_FIELDS) else c.rjust(w)
                      for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    if rows:
        text.insert(len(text) - 1, text[1])
    else:
        text.append("(no statistics yet)")
    return "\n".join(line.rstrip() for line in text)


def format_csv(rows: list[Totals], *, languages: bool = False) -> str:
    """The same as CSV (dwell in seconds, 3 decimals)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_header(languages))
    for t in rows:
        values = [round(t.value(f), 3) if f == "dwell_s" else t.value(f) for f in STAT_FIELDS]
        writer.writerow([t.booth, t.period, t.hours, t.panel, *([t.language] if languages else []), *values])
    return out.getvalue()


def missing_seqs(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Per booth, ranges of sequence numbers never received (merged ones are covered by ``seq_to``).

    The first message of a booth's database sets where it starts: gaps between received
    messages show up, and the ones after the last received up to the ``stats_seq`` the
    booth's status announced (a lost newest message).
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = conn.execute("SELECT booth, seq, seq_to FROM messages ORDER BY booth, seq").fetchall()
        try:
            tails = dict(conn.execute("SELECT booth, seq FROM tails").fetchall())
        except sqlite3.OperationalError:  # a database from before tails were kept
            tails = {}
    finally:
        conn.close()
    gaps: dict[str, list[tuple[int, int]]] = {}
    last: dict[str, int] = {}
    for booth, seq, seq_to in found:
        if booth in last and seq > last[booth] + 1:
            gaps.setdefault(booth, []).append((last[booth] + 1, seq - 1))
        last[booth] = max(last.get(booth, seq_to), seq_to)
    for booth, newest in last.items():
        if tails.get(booth, 0) > newest:
            gaps.setdefault(booth, []).append((newest + 1, tails[booth]))
    return gaps


class GapFiller:
    """Asks booths to send again what the collector never got.

    QoS 1 ends at the broker: a broker killed after acknowledging a message and before saving
    it loses it. The booth keeps acknowledged messages for a week
    (:data:`szkiosk.fleet.outbox.KEEP_SENT_S`), so a gap between received sequence numbers
    that stays open for ``settle_s`` (messages may arrive out of order after a reconnect) is
    asked for with the ``resend FIRST-LAST`` command, again every ``again_s`` while it stays
    open. The collector drops any copy it already has, so asking too often costs bytes only.
    """

    def __init__(self, path: Path, client: FleetClient, *, settle_s: float = 120.0, again_s: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self.client = client
        self.settle_s = settle_s
        self.again_s = again_s
        self.clock = clock
        self._seen: dict[tuple[str, int, int], float] = {}
        self._asked: dict[tuple[str, int, int], float] = {}
        #: Requests sent so far: (booth, first, last).
        self.requests: list[tuple[str, int, int]] = []

    def tick(self) -> list[tuple[str, int, int]]:
        """Look for gaps now; ask for those that have stayed open long enough. Returns what was asked."""
        if not self.path.exists():
            return []
        now = self.clock()
        gaps = {(booth, first, last) for booth, ranges in missing_seqs(self.path).items() for first, last in ranges}
        self._seen = {gap: self._seen.get(gap, now) for gap in gaps}
        self._asked = {gap: when for gap, when in self._asked.items() if gap in gaps}
        asked = []
        for gap in sorted(gaps):
            if now - self._seen[gap] < self.settle_s or now - self._asked.get(gap, -1e18) < self.again_s:
                continue
            booth, first, last = gap
            command = Command("resend", f"{first}-{last}" if last != first else str(first), uuid.uuid4().hex[:12])
            if self.client.publish(topic(booth, CMD), command.encode(), qos=1):
                self._asked[gap] = now
                asked.append(gap)
                log.info("collector: asked %s to send statistics %s again", booth, command.arg)
        self.requests += asked
        return asked
