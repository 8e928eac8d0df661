"""Booth analytics in a local SQLite file: panel views, dwell, touches, visitor sessions.

Pure standard library. The show calls :class:`Analytics` from the UI thread; every call
only appends to a queue, and one writer thread commits each record in its own small
transaction (``synchronous=FULL``), so a power cut loses at most the record being written
and never corrupts what was committed.

A *session* is a burst of visitor interaction between two idle timeouts: its length runs
from the first touch to the last one, and it counts the distinct panels seen.

Per panel and language the booth also counts language switches (on the panel where the
visitor switched, under the language chosen), detail layers opened and idle resets (on the
panel the visitor left); a session counts on the panel and language where it began. Every
record also goes, in the same transaction, into the ``hourly`` table of
:mod:`szkiosk.fleet.outbox` (visitor figures per UTC hour, panel and language) that the fleet
sends on; showings with nobody there (the attract loop) are not visitor figures.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import logging
import os
import queue
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from szkiosk.fleet.outbox import HOURLY_SCHEMA, hour_text, hourly_upsert, increments
from szkiosk.logs import state_dir

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS views (
    id INTEGER PRIMARY KEY,
    panel TEXT NOT NULL,
    started TEXT NOT NULL,
    dwell REAL NOT NULL,
    touches INTEGER NOT NULL,
    attract INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    length REAL NOT NULL,
    panels_seen INTEGER NOT NULL,
    touches INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    panel TEXT NOT NULL,
    language TEXT NOT NULL
);
""" + HOURLY_SCHEMA

#: Kinds of rows in the ``events`` table, with the hourly counter each one adds to.
EVENT_KINDS = {"language_switch": "language_switches", "details_opened": "details_opened",
               "idle_reset": "idle_resets"}


#: Writes in a row that must succeed after a failure before analytics count as recovered.
RECOVERED_AFTER = 10


def default_db_path() -> Path:
    """``$XDG_STATE_HOME/szkiosk/analytics.sqlite3``."""
    return state_dir() / "analytics.sqlite3"


def connect(path: Path) -> sqlite3.Connection:
    """Open (and create) the analytics database, durable on power loss.

    Raises :class:`sqlite3.DatabaseError` for a damaged file (see :func:`is_corrupt`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        check = conn.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check[0] if check else 'no answer'})")
        conn.executescript(SCHEMA)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(views)")}
        if "language" not in columns:  # a database from before per-language figures
            conn.execute("ALTER TABLE views ADD COLUMN language TEXT NOT NULL DEFAULT ''")
        conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


def is_corrupt(exc: BaseException) -> bool:
    """True for SQLite's "not a database" and "malformed" errors (a damaged file, not a full disk)."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.OperationalError):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text or "not a database" in text


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm files) to ``NAME.corrupt-YYYYmmdd-HHMMSS``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            with contextlib.suppress(OSError):
                os.replace(side, target.with_name(target.name + suffix))
    return target


def open_or_replace(path: Path) -> sqlite3.Connection:
    """:func:`connect`, moving a damaged file aside (with a log line) and starting a fresh one."""
    try:
        return connect(path)
    except sqlite3.DatabaseError as exc:
        if not is_corrupt(exc):
            raise
        aside = move_aside(path)
        log.warning("analytics: %s is damaged (%s); moved it to %s and started a fresh database", path, exc, aside)
        return connect(path)


def _never_raises(method: Callable[..., None]) -> Callable[..., None]:
    """Analytics must not stop the show: log and swallow any error of ``method``."""

    @functools.wraps(method)
    def wrapper(*args: object, **kwargs: object) -> None:
        try:
            method(*args, **kwargs)
        except Exception as exc:
            log.error("analytics: %s failed: %s: %s", method.__name__, type(exc).__name__, exc)
            log.debug("analytics failure", exc_info=True)

    return wrapper


def _wall(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(seconds))


@dataclass
class _View:
    panel: str
    started_mono: float
    started_wall: float
    attract: bool
    touches: int = 0
    language: str = ""


@dataclass
class _Session:
    started_mono: float
    started_wall: float
    last_input: float
    panels: set[str] = field(default_factory=set)
    touches: int = 0
    #: Where the session began (it counts there in the hourly figures).
    panel: str = ""
    language: str = ""


class Analytics:
    """Records what visitors do; all writes happen on a background thread.

    ``clock`` (monotonic seconds) and ``wall`` (Unix seconds: dates and the hour a record
    counts in) are injectable for tests. Every public method is safe to call from the UI
    thread and never raises: analytics must not stop the show.
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time, language: str = "") -> None:
        self.path = path
        self.clock = clock
        self.wall = wall
        #: The language on screen (views, switches and the rest count under it).
        self.language = language
        self._queue: queue.Queue[tuple[tuple[str, tuple], ...] | None] = queue.Queue()
        self._view: _View | None = None
        self._session: _Session | None = None
        self.write_seconds: list[float] = []
        self.failed = False
        #: True while writes fail (full disk, I/O errors): warned once, then quiet until one succeeds.
        self.failing = False
        #: Records lost since writing last worked.
        self.lost = 0
        self._conn: sqlite3.Connection | None = None
        self._good_run = 0
        self._thread = threading.Thread(target=self._writer, name="szkiosk-analytics", daemon=True)
        self._ready = threading.Event()
        self._thread.start()
        self._ready.wait(10)

    # -- events from the show ------------------------------------------------------
    @_never_raises
    def panel_shown(self, panel_id: str, *, attract: bool = False) -> None:
        """A panel came on screen (ends the previous view)."""
        now = self.clock()
        # with nobody there (attract loop, or the start screen before the first touch) it is no visitor view
        attract = attract or self._session is None
        if self._view is not None and self._view.panel == panel_id and self._view.attract == attract:
            return
        self._end_view(now)
        self._view = _View(panel_id, now, self.wall(), attract, language=self.language)
        if self._session is not None and not attract:
            self._session.panels.add(panel_id)
            self._session.panel = self._session.panel or panel_id

    @_never_raises
    def language_shown(self, language: str, *, switched: bool = True) -> None:
        """The show now speaks ``language``; ``switched``: a visitor (or staff) switched it.

        A switch counts on the panel on screen, under the new language, while a visitor is there.
        """
        if language == self.language:
            return
        self.language = language
        if switched and self._session is not None:
            self._event("language_switch")

    @_never_raises
    def details_opened(self) -> None:
        """A visitor opened the detail layer of the panel on screen."""
        if self._session is not None:
            self._event("details_opened")

    def _event(self, kind: str, panel: str | None = None, language: str | None = None) -> None:
        panel = panel if panel is not None else self._view.panel if self._view is not None else ""
        language = language if language is not None else self.language
        wall = self.wall()
        self._put(("INSERT INTO events (at, kind, panel, language) VALUES (?, ?, ?, ?)",
                   (_wall(wall), kind, panel, language)),
                  (hourly_upsert(), increments(hour_text(wall), panel, language, **{EVENT_KINDS[kind]: 1})))

    @_never_raises
    def touch(self) -> None:
        """A visitor touched the screen (or pressed a key); starts a session if none runs."""
        now = self.clock()
        if self._session is None:
            self._session = _Session(now, self.wall(), now, language=self.language)
            if self._view is not None:
                if self._view.attract:
                    # the visitor took over this panel: from now on it is a visitor view
                    panel = self._view.panel
                    self._end_view(now)
                    self._view = _View(panel, now, self.wall(), False, language=self.language)
                self._session.panels.add(self._view.panel)
                self._session.panel = self._view.panel
        self._session.last_input = now
        self._session.touches += 1
        if self._view is not None:
            self._view.touches += 1

    @_never_raises
    def idle(self) -> None:
        """The idle timeout hit: end the current view and session at the last touch (an idle reset)."""
        self._end_session(reset=True)

    def _end_session(self, *, reset: bool) -> None:
        session, self._session = self._session, None
        end = session.last_input if session is not None else self.clock()
        left = self._view.panel if self._view is not None and not self._view.attract else None
        self._end_view(max(end, self._view.started_mono) if self._view is not None else end)
        self._view = None
        if session is not None:
            hour = hour_text(self.wall())
            self._put(("INSERT INTO sessions (started, length, panels_seen, touches) VALUES (?, ?, ?, ?)",
                       (_wall(session.started_wall), round(session.last_input - session.started_mono, 3),
                        len(session.panels), session.touches)),
                      (hourly_upsert(), increments(hour, session.panel, session.language, sessions=1)))
            if reset:
                self._event("idle_reset", left if left is not None else session.panel)

    def _end_view(self, now: float) -> None:
        view = self._view
        if view is None:
            return
        self._view = None
        dwell = round(max(0.0, now - view.started_mono), 3)
        record = ("INSERT INTO views (panel, started, dwell, touches, attract, language) VALUES (?, ?, ?, ?, ?, ?)",
                  (view.panel, _wall(view.started_wall), dwell, view.touches, int(view.attract), view.language))
        if view.attract:
            self._put(record)
        else:
            self._put(record, (hourly_upsert(), increments(hour_text(self.wall()), view.panel, view.language,
                                                           views=1, dwell_s=dwell, touches=view.touches)))

    # -- writing -------------------------------------------------------------------
    def _put(self, *statements: tuple[str, tuple]) -> None:
        """Queue statements committed together in one transaction."""
        if not self.failed:
            self._queue.put(statements)

    def _writer(self) -> None:
        try:
            conn = open_or_replace(self.path)
        except (OSError, sqlite3.Error) as exc:
            log.error("analytics off: cannot open %s: %s", self.path, exc)
            self.failed = True
            self._ready.set()
            return
        self._conn = conn
        self._ready.set()
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    break
                started = time.perf_counter()
                with conn:
                    for sql, params in item:
                        conn.execute(sql, params)
                self.write_seconds.append(time.perf_counter() - started)
                del self.write_seconds[:-1000]
                self._succeeded()
            except (sqlite3.Error, OSError) as exc:
                conn = self._write_failed(conn, exc)
            finally:
                self._queue.task_done()
        conn.close()

    def _write_failed(self, conn: sqlite3.Connection, exc: BaseException) -> sqlite3.Connection:
        """One warning for a run of failed writes (a full disk must not flood the log); a damaged
        file is moved aside and a fresh one started. Returns the connection to go on with."""
        self.lost += 1
        self._good_run = 0
        if is_corrupt(exc):
            with contextlib.suppress(sqlite3.Error):
                conn.close()
            try:
                conn = open_or_replace(self.path)
                self._conn = conn
                return conn
            except (OSError, sqlite3.Error) as again:
                exc = again
        if not self.failing:
            self.failing = True
            log.warning("analytics: cannot write to %s (%s); records are lost until writing works again "
                        "(no further messages until then)", self.path, exc)
        return conn

    def _succeeded(self) -> None:
        if not self.failing:
            return
        self._good_run += 1
        if self._good_run >= RECOVERED_AFTER:  # a nearly full disk flaps: wait for steady success
            self.failing = False
            log.info("analytics: writing to %s recovered (%d record(s) lost)", self.path, self.lost)
            self.lost = 0

    def flush(self) -> None:
        """Wait until every queued record is committed (tests, shutdown)."""
        if self._thread.is_alive():
            self._queue.join()

    def close(self) -> None:
        """Record the current view and session, commit everything and stop the writer."""
        try:
            if self._session is not None or self._view is not None:
                self._end_session(reset=False)  # shutting down is no idle reset
        finally:
            if self._thread.is_alive():
                self._queue.put(None)
                self._thread.join(10)


# -- reading ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PanelStats:
    """Visitor views of one panel (showings with nobody there, e.g. the attract loop, are counted apart)."""

    panel: str
    views: int
    dwell_total: float
    dwell_median: float
    touches: int
    attract_views: int
    language_switches: int = 0
    details_opened: int = 0
    idle_resets: int = 0


@dataclass(frozen=True)
class SessionStats:
    """Visitor sessions overall."""

    sessions: int
    median_length: float
    mean_panels: float
    touches: int


def read_stats(path: Path) -> tuple[list[PanelStats], SessionStats]:
    """Per-panel and per-session figures from the database at ``path``."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dwell: dict[str, list[float]] = {}
        touches: dict[str, int] = {}
        attract: dict[str, int] = {}
        for panel, d, t, a in conn.execute("SELECT panel, dwell, touches, attract FROM views"):
            if a:
                attract[panel] = attract.get(panel, 0) + 1
            else:
                dwell.setdefault(panel, []).append(d)
                touches[panel] = touches.get(panel, 0) + t
        sessions = conn.execute("SELECT length, panels_seen, touches FROM sessions").fetchall()
        events: dict[tuple[str, str], int] = {}
        has_events = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone()
        for panel, kind, n in conn.execute("SELECT panel, kind, count(*) FROM events GROUP BY panel, kind") \
                if has_events else ():
            events[panel, kind] = n
    finally:
        conn.close()
    panels = [
        PanelStats(p, len(dwell.get(p, [])), round(sum(dwell.get(p, [])), 1),
                   round(statistics.median(dwell[p]), 1) if dwell.get(p) else 0.0,
                   touches.get(p, 0), attract.get(p, 0), events.get((p, "language_switch"), 0),
                   events.get((p, "details_opened"), 0), events.get((p, "idle_reset"), 0))
        for p in set(dwell) | set(attract) | {p for p, _ in events}
    ]
    panels.sort(key=lambda s: (-s.views, -s.dwell_total, s.panel))
    summary = SessionStats(
        len(sessions),
        round(statistics.median(s[0] for s in sessions), 1) if sessions else 0.0,
        round(statistics.fmean(s[1] for s in sessions), 1) if sessions else 0.0,
        sum(s[2] for s in sessions),
    )
    return panels, summary


HEADER = ("panel", "views", "dwell_total_s", "dwell_median_s", "touches", "attract_views", "lang_switches",
          "details", "idle_resets")


def format_table(panels: list[PanelStats], summary: SessionStats) -> str:
    """A plain-text table for ``szkiosk stats`` (and the admin overlay)."""
    rows = [HEADER] + [(p.panel, str(p.views), f"{p.dwell_total:.1f}", f"{p.dwell_median:.1f}",
                        str(p.touches), str(p.attract_views), str(p.language_switches), str(p.details_opened),
                        str(p.idle_resets)) for p in panels]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"sessions: {summary.sessions}, median length {summary.median_length:.1f} s, "
                 f"{summary.mean_panels:.1f} panels seen on average, {summary.touches} touches")
    return "\n".join(lines)


def format_csv(panels: list[PanelStats]) -> str:
    """The per-panel table as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for p in panels:
        writer.writerow((p.panel, p.views, p.dwell_total, p.dwell_median, p.touches, p.attract_views,
                         p.language_switches, p.details_opened, p.idle_resets))
    return out.getvalue()
