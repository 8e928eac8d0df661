"""Booth analytics: rows in SQLite, sessions between idles, `szkiosk stats` in a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from szkiosk.booth.analytics import RECOVERED_AFTER, Analytics, default_db_path, read_stats

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_views_dwell_touches_and_sessions(tmp_path: Path) -> None:
    clock = Clock()
    a = Analytics(tmp_path / "a.sqlite3", clock=clock)
    a.panel_shown("title", attract=True)  # attract loop, nobody there
    clock.now += 12
    a.panel_shown("reforms", attract=True)
    clock.now += 3
    a.touch()  # a visitor takes over on "reforms"
    clock.now += 10
    a.touch()
    a.panel_shown("industries")
    clock.now += 4
    a.touch()
    clock.now += 2
    a.panel_shown("reforms")
    clock.now += 60  # walks away; the idle timeout hits after 60 s
    a.idle()
    a.close()
    conn = sqlite3.connect(tmp_path / "a.sqlite3")
    rows = conn.execute("SELECT panel, dwell, touches, attract FROM views ORDER BY id").fetchall()
    sessions = conn.execute("SELECT length, panels_seen, touches FROM sessions").fetchall()
    conn.close()
    assert rows == [("title", 12.0, 0, 1), ("reforms", 3.0, 0, 1), ("reforms", 10.0, 2, 0),
                    ("industries", 6.0, 1, 0), ("reforms", 0.0, 0, 0)]
    assert sessions == [(14.0, 2, 3)]
    panels, summary = read_stats(tmp_path / "a.sqlite3")
    by_id = {p.panel: p for p in panels}
    assert by_id["reforms"].views == 2 and by_id["reforms"].attract_views == 1
    assert by_id["reforms"].dwell_total == 10.0 and by_id["reforms"].dwell_median == 5.0
    assert by_id["title"].views == 0 and by_id["title"].attract_views == 1
    assert summary.sessions == 1 and summary.median_length == 14.0


def test_committed_rows_survive_a_hard_kill(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    script = (
        "import os, sys\n"
        "from szkiosk.booth.analytics import Analytics\n"
        f"a = Analytics(__import__('pathlib').Path({str(db)!r}))\n"
        "for i in range(50):\n"
        "    a.panel_shown(f'p{i}')\n"
        "a.flush()\n"
        "os._exit(9)  # no close(), no atexit: as if the power went\n"
    )
    subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM views").fetchone()[0] == 49
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_ui_side_calls_do_not_wait_for_the_disk(tmp_path: Path) -> None:
    """With the database locked by another writer, the UI-side calls still return at once and
    nothing is committed; the records follow when the lock goes. (What a call costs is a timing
    figure, not asserted here.)"""
    path = tmp_path / "a.sqlite3"
    clock = Clock()
    a = Analytics(path, clock=clock)
    a.flush()  # the writer has created the database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock: the writer thread must wait for it
    try:
        a.touch()  # a visitor is there: the views below are visitor views
        for i in range(6):
            a.panel_shown(f"p{i}")  # ends the previous view: a record to commit
            a.touch()
            clock.now += 1
        # every call has returned, though none of the five views could reach the disk yet
        assert other.execute("SELECT count(*) FROM views").fetchone()[0] == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    a.flush()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT panel, touches FROM views ORDER BY id").fetchall()
    conn.close()
    a.close()
    assert rows == [(f"p{i}", 1) for i in range(5)]


def test_unwritable_database_does_not_raise(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    a = Analytics(blocker / "sub" / "a.sqlite3")
    a.panel_shown("title")
    a.touch()
    a.idle()
    a.close()
    assert a.failed


def test_stats_command_prints_a_table_and_csv(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path / "home")}
    missing = subprocess.run([sys.executable, "-m", "szkiosk", "stats"], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=60)
    assert missing.returncode == 1 and "no analytics yet" in missing.stderr
    old = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path / "state")
    try:
        path = default_db_path()
    finally:
        if old is None:
            del os.environ["XDG_STATE_HOME"]
        else:
            os.environ["XDG_STATE_HOME"] = old
    assert path == tmp_path / "state" / "szkiosk" / "analytics.sqlite3"
    clock = Clock()
    a = Analytics(path, clock=clock)
    a.touch()
    a.panel_shown("sister-cities")
    clock.now += 42
    a.touch()
    a.idle()
    a.close()
    out = subprocess.run([sys.executable, "-m", "szkiosk", "stats"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["panel", "views", "dwell_total_s", "dwell_median_s", "touches", "attract_views",
                                "lang_switches", "details", "idle_resets"]
    assert lines[2].split() == ["sister-cities", "1", "42.0", "42.0", "1", "0", "0", "0", "1"]
    assert "sessions: 1" in out.stdout
    csv_out = subprocess.run([sys.executable, "-m", "szkiosk", "stats", "--csv"], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=60)
    assert csv_out.stdout.splitlines()[1] == "sister-cities,1,42.0,42.0,1,0,0,0,1"


def test_a_full_disk_warns_once_then_recovers(tmp_path: Path, caplog) -> None:
    import logging

    path = tmp_path / "a.sqlite3"
    a = Analytics(path, clock=lambda: 0.0)
    a.panel_shown("one")
    a.touch()
    a.idle()
    a.flush()
    assert a._conn is not None
    pages = a._conn.execute("PRAGMA page_count").fetchone()[0]
    a._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="szkiosk.booth.analytics"):
        for i in range(200):
            a.panel_shown(f"p{i % 7}")
            a.touch()
            a.idle()
        a.flush()
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and "cannot write" in warnings[0].getMessage(), [r.getMessage() for r in warnings]
        assert not any(r.exc_info for r in caplog.records)
        assert a.failing
        a._conn.execute("PRAGMA max_page_count = 1000000")  # space again
        for _ in range(RECOVERED_AFTER):
            a.panel_shown("back")
            a.touch()
            a.idle()
        a.flush()
    assert not a.failing
    assert [r.getMessage() for r in caplog.records if "recovered" in r.getMessage()]
    a.close()
    conn = sqlite3.connect(path)
    assert ("back",) in conn.execute("SELECT panel FROM views").fetchall()
    conn.close()


def test_a_corrupt_database_is_moved_aside_and_a_fresh_one_started(tmp_path: Path, caplog) -> None:
    path = tmp_path / "analytics.sqlite3"
    damaged = b"this is not an SQLite file, it is what a power cut left" * 100
    path.write_bytes(damaged)
    a = Analytics(path, clock=lambda: 0.0)
    a.panel_shown("one")
    a.touch()
    a.close()
    aside = list(tmp_path.glob("analytics.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert any("moved it to" in r.getMessage() for r in caplog.records)
    conn = sqlite3.connect(path)
    assert {row[0] for row in conn.execute("SELECT panel FROM views")} == {"one"}
    conn.close()


def test_stats_on_a_corrupt_database_says_so_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "analytics.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    out = subprocess.run([sys.executable, "-m", "szkiosk", "stats", "--db", str(path)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0 and "not a readable analytics database" in out.stderr
    assert "Traceback" not in out.stderr
