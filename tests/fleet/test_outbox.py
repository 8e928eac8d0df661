"""The booth's stats outbox (pure): hours close into messages, seq survives, roll-up stays bounded and exact."""

from __future__ import annotations

import calendar
import json
import random
import sqlite3
from pathlib import Path

import jsonschema

from szkiosk.booth.analytics import Analytics
from szkiosk.fleet.outbox import (
    COLUMNS,
    DAY_S,
    HOUR_S,
    KEEP_SENT_S,
    MAX_PENDING,
    Outbox,
    hour_text,
    hourly_upsert,
    increments,
)
from szkiosk.fleet.topics import STAT_FIELDS, STATS_SCHEMA

#: Monday 2 March 2026, 09:00 UTC.
START = calendar.timegm((2026, 3, 2, 9, 0, 0, 0, 0, 0))


class Clocks:
    """One fake time for the booth: monotonic and wall seconds move together."""

    def __init__(self, wall: float = START) -> None:
        self.wall = wall

    def mono(self) -> float:
        return self.wall - START + 1000.0

    def now(self) -> float:
        return self.wall


def visit(a: Analytics, clocks: Clocks, panels: list[str], *, language: str = "en", switch_to: str | None = None,
          details: bool = False, dwell: float = 7.25) -> None:
    """One visitor: touches, walks through ``panels``, maybe switches language and opens details, leaves."""
    a.language_shown(language, switched=False)
    a.panel_shown(panels[0], attract=True)
    clocks.wall += 1
    a.touch()
    for i, panel in enumerate(panels):
        if i:
            a.panel_shown(panel)
        a.touch()
        if details and i == 0:
            a.details_opened()
        clocks.wall += dwell
    if switch_to:
        a.language_shown(switch_to)
    a.idle()


def test_a_closed_hour_becomes_one_message_per_the_schema(tmp_path: Path) -> None:
    clocks = Clocks()
    db = tmp_path / "analytics.sqlite3"
    a = Analytics(db, clock=clocks.mono, wall=clocks.now)
    outbox = Outbox(db, clock=clocks.now)
    visit(a, clocks, ["title", "trade"], switch_to="zh", details=True)
    visit(a, clocks, ["title"], language="zh")
    a.flush()
    assert outbox.close_hours() == 0  # the hour is still open
    clocks.wall = START + HOUR_S + 30
    assert outbox.close_hours() == 0  # within the grace minute
    clocks.wall = START + HOUR_S + 61
    assert outbox.close_hours() == 1
    assert outbox.counts() == {"pending": 1, "published": 0, "sent": 0, "hourly": 0}
    (message,) = outbox.pending()
    body = json.loads(message.payload("booth-1"))
    jsonschema.validate(body, STATS_SCHEMA)
    assert body["hour"] == "2026-03-02T09:00:00Z" and body["hours"] == 1 and body["booth"] == "booth-1"
    rows = {(r["panel"], r["language"]): r for r in body["rows"]}
    # the first visitor: title (en) with details, trade (en), switched to zh on trade, left from trade
    assert rows["title", "en"] | {} == {"panel": "title", "language": "en", "views": 1, "dwell_s": 7.25,
                                        "touches": 2, "sessions": 1, "language_switches": 0,
                                        "details_opened": 1, "idle_resets": 0}
    assert rows["trade", "zh"]["language_switches"] == 1 and rows["trade", "zh"]["views"] == 0
    assert rows["trade", "en"]["views"] == 1 and rows["trade", "en"]["idle_resets"] == 0
    # the idle reset counts on the panel left, in the language on screen then (zh)
    assert rows["trade", "zh"]["idle_resets"] == 1
    assert rows["title", "zh"]["views"] == 1 and rows["title", "zh"]["sessions"] == 1
    assert sum(r["idle_resets"] for r in body["rows"]) == 2
    a.close()
    outbox.close()


def test_seq_rises_by_one_and_survives_reopening(tmp_path: Path) -> None:
    clocks = Clocks()
    db = tmp_path / "analytics.sqlite3"
    conn = sqlite3.connect(db)
    outbox = Outbox(db, clock=clocks.now)
    seqs: list[int] = []
    for hour in range(6):
        with conn:
            conn.execute(hourly_upsert(), increments(hour_text(START + hour * HOUR_S), "p", "en", views=1))
        clocks.wall = START + (hour + 1) * HOUR_S + 120
        outbox.close_hours()
        if hour == 2:  # a restart: the number goes on
            for m in outbox.pending():
                outbox.mark_sent(m.seq)
            outbox.close()
            outbox = Outbox(db, clock=clocks.now)
        if hour == 4:  # sent rows pruned: numbers are still not reused
            clocks.wall += KEEP_SENT_S + 1
            assert outbox.prune() == 3
        seqs = [m.seq for m in outbox.pending()]
    assert seqs == list(range(START + 3, START + 6))  # a fresh database starts at the Unix time
    assert outbox.newest_seq() == START + 5  # what the booth's status announces (stats_seq)
    assert len(set(seqs)) == len(seqs)
    conn.close()
    outbox.close()


def test_acknowledged_rows_are_marked_and_pruned_later(tmp_path: Path) -> None:
    clocks = Clocks()
    db = tmp_path / "analytics.sqlite3"
    conn = sqlite3.connect(db)
    outbox = Outbox(db, clock=clocks.now)
    with conn:
        for hour in range(3):
            conn.execute(hourly_upsert(), increments(hour_text(START + hour * HOUR_S), "p", "en", touches=2))
    clocks.wall = START + 3 * HOUR_S + 120
    assert outbox.close_hours() == 3
    first, second, third = outbox.pending()
    outbox.mark_published(first.seq)
    outbox.mark_sent(first.seq)
    outbox.mark_sent(first.seq)  # a second acknowledgement (a resend) changes nothing
    assert [m.seq for m in outbox.pending()] == [second.seq, third.seq]
    assert outbox.counts()["sent"] == 1
    clocks.wall += KEEP_SENT_S - 10
    assert outbox.prune() == 0
    clocks.wall += 20
    assert outbox.prune() == 1 and outbox.counts()["sent"] == 0
    conn.close()
    outbox.close()


def test_a_week_offline_stays_bounded_and_loses_no_count(tmp_path: Path) -> None:
    """168 simulated hours with visitors and no broker: the outbox stays under its bound
    (72 hourly + daily + the hard cap) and every counter summed over the week is what was recorded."""
    rng = random.Random(17)
    clocks = Clocks()
    db = tmp_path / "analytics.sqlite3"
    a = Analytics(db, clock=clocks.mono, wall=clocks.now)
    outbox = Outbox(db, clock=clocks.now)
    panels = [f"panel-{i:02d}" for i in range(15)]
    published_seq = None
    largest = 0
    for hour in range(7 * 24):
        base = START + hour * HOUR_S
        clocks.wall = base
        for _ in range(rng.randint(0, 3)):  # a few visitors an hour (some hours none)
            visit(a, clocks, rng.sample(panels, rng.randint(1, 4)), language=rng.choice(["en", "zh"]),
                  switch_to=rng.choice([None, "es", "en"]), details=rng.random() < 0.5,
                  dwell=rng.choice([1.5, 3.125, 12.0, 40.375]))
        a.flush()
        clocks.wall = base + HOUR_S - 1
        outbox.tick()  # what the booth's minute timer does with no broker
        if hour == 30 and published_seq is None:
            # one message was handed to the client before the link went: it must never be merged
            published_seq = outbox.pending()[0].seq
            outbox.mark_published(published_seq)
            kept = outbox.pending()[0]
        counts = outbox.counts()
        largest = max(largest, counts["pending"])
        assert counts["pending"] <= 72 + 8 + 1, counts
    a.close()
    clocks.wall += 2 * HOUR_S
    outbox.tick()
    recorded = recorded_totals(db)
    assert outbox.totals() == recorded
    assert recorded["views"] > 100 and recorded["idle_resets"] > 100
    pending = outbox.pending(1000)
    assert pending[0] == kept  # the published message: same seq, same content
    daily = [m for m in pending if m.hours == 24]
    assert len(daily) >= 4 and all(m.hour.endswith("T00:00:00Z") for m in daily)
    assert all(m.seq_to > m.seq for m in daily)
    # the seq ranges cover every number handed out, each once
    covered = [n for m in pending for n in range(m.seq, m.seq_to + 1)]
    assert sorted(covered) == list(range(pending[0].seq, pending[-1].seq_to + 1))
    for m in pending:
        jsonschema.validate(json.loads(m.payload("b")), STATS_SCHEMA)
    outbox.close()


def recorded_totals(db: Path) -> dict[str, int]:
    """What the booth recorded, from its raw tables (views, sessions, events), in outbox units."""
    conn = sqlite3.connect(db)
    views, dwell, touches = conn.execute(
        "SELECT count(*), sum(CAST(round(dwell * 1000) AS INTEGER)), sum(touches) FROM views WHERE attract = 0"
    ).fetchone()
    sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    events = dict(conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
    conn.close()
    return {"views": views, "dwell_ms": dwell, "touches": touches, "sessions": sessions,
            "language_switches": events.get("language_switch", 0),
            "details_opened": events.get("details_opened", 0), "idle_resets": events.get("idle_reset", 0)}


def test_months_offline_roll_into_weeks_and_the_hard_cap(tmp_path: Path, monkeypatch) -> None:
    """Hourly rows written straight into the table: 120 days offline end as weeks, under the cap."""
    clocks = Clocks()
    db = tmp_path / "analytics.sqlite3"
    conn = sqlite3.connect(db)
    outbox = Outbox(db, clock=clocks.now)
    total = 0
    for hour in range(0, 120 * 24, 3):
        with conn:
            conn.execute(hourly_upsert(), increments(hour_text(START + hour * HOUR_S), "p", "en", views=2,
                                                     dwell_s=0.001))
        total += 2
        if hour % 24 == 0:
            clocks.wall = START + hour * HOUR_S
            outbox.tick()
    clocks.wall = START + 121 * DAY_S
    outbox.tick()
    pending = outbox.pending(1000)
    assert outbox.totals()["views"] == total and outbox.totals()["dwell_ms"] == total // 2
    assert len(pending) <= 24 * 3 + 14 + 18 < MAX_PENDING
    assert sum(1 for m in pending if m.hours == 168) >= 14
    assert set(COLUMNS) == {"dwell_ms", *(f for f in STAT_FIELDS if f != "dwell_s")}
    # the hard cap (lowered so that it bites): the oldest merge into one, still exact
    monkeypatch.setattr("szkiosk.fleet.outbox.MAX_PENDING", 10)
    outbox.tick()
    pending = outbox.pending(1000)
    assert len(pending) == 10 and outbox.totals()["views"] == total
    assert pending[0].hour == "2026-03-02T00:00:00Z" and pending[0].hours > 168
    conn.close()
    outbox.close()
