"""Booth outbox -> real Mosquitto -> collector: every aggregate arrives exactly once.

Real broker (killed with SIGKILL and restarted), real FleetClient, real SQLite, the real CLI.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from test_broker_client import until
from test_outbox import START, Clocks, recorded_totals, visit

from szkiosk.booth.analytics import Analytics
from szkiosk.fleet.broker import FleetClient, parse_broker_url
from szkiosk.fleet.collector import Collector, GapFiller, connect_collector, db_counters, missing_seqs, report
from szkiosk.fleet.outbox import COLUMNS, HOUR_S, Outbox, StatsSender
from szkiosk.fleet.topics import CMD, parse_command, parse_seq_range, topic

ROOT = Path(__file__).resolve().parents[2]
PANELS = [f"panel-{i:02d}" for i in range(15)]


def collected_totals(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    found = conn.execute(f"SELECT {', '.join(f'sum({c})' for c in COLUMNS)} FROM rows").fetchone()
    conn.close()
    return dict(zip(COLUMNS, (v or 0 for v in found), strict=True))


def seqs_in(db: Path, booth: str) -> list[int]:
    conn = sqlite3.connect(db)
    found = [s for (s,) in conn.execute("SELECT seq FROM messages WHERE booth = ? ORDER BY seq", (booth,))]
    conn.close()
    return found


class SimBooth:
    """A booth's analytics and outbox on a fake clock, sending through a real FleetClient."""

    def __init__(self, folder: Path, name: str, url: str, seed: int = 1) -> None:
        self.name = name
        self.clocks = Clocks()
        self.db = folder / f"{name}.sqlite3"
        self.analytics = Analytics(self.db, clock=self.clocks.mono, wall=self.clocks.now)
        self.outbox = Outbox(self.db, clock=self.clocks.now)
        self.client = FleetClient(parse_broker_url(url), f"booth-{name}", on_message=self._command)
        self.client.subscribe(topic(name, CMD))
        self.sender = StatsSender(self.outbox, self.client, name, max_in_flight=5)
        self.rng = random.Random(seed)
        self.hour = 0
        self._stop = threading.Event()
        self._pumper = threading.Thread(target=self._pump_loop, daemon=True)

    def _command(self, _topic: str, payload: bytes) -> None:
        """``resend FIRST-LAST`` as a real booth answers it (the other commands are not for this test)."""
        command = parse_command(payload)
        if command.name == "resend":
            self.outbox.requeue(*parse_seq_range(command.arg or ""))

    def start(self) -> SimBooth:
        self.client.start()
        self._pumper.start()
        return self

    def _pump_loop(self) -> None:  # the booth's minute timer, faster
        while not self._stop.wait(0.1):
            self.sender.pump()

    def live_hour(self) -> None:
        """One simulated hour of visitors; the hour closes at the next pump."""
        base = START + self.hour * HOUR_S
        self.clocks.wall = base
        for _ in range(self.rng.randint(1, 3)):
            visit(self.analytics, self.clocks, self.rng.sample(PANELS, self.rng.randint(1, 3)),
                  language=self.rng.choice(["en", "zh"]), switch_to=self.rng.choice([None, "es"]),
                  details=self.rng.random() < 0.5, dwell=self.rng.choice([2.5, 9.125, 31.0]))
        self.analytics.flush()
        self.hour += 1
        self.clocks.wall = START + self.hour * HOUR_S + 120

    def stop(self) -> None:
        self._stop.set()
        self._pumper.join(10)
        self.analytics.close()
        self.client.close()
        self.outbox.close()


def test_broker_killed_and_restarted_every_aggregate_arrives_once(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({"lobby": "pw"})
    central = tmp_path / "central.sqlite3"
    collector = Collector(central)
    client = connect_collector(collector, parse_broker_url(broker.url()))
    booth = SimBooth(tmp_path, "lobby", broker.url("lobby")).start()
    assert until(lambda: client.connected and booth.client.connected, 20)

    for _ in range(20):
        booth.live_hour()
    assert until(lambda: booth.sender.acked >= 5, 30)
    broker.kill()  # SIGKILL in the middle of the traffic
    for _ in range(20):  # the booth goes on while the broker is dead
        booth.live_hour()
        time.sleep(0.05)
    assert until(lambda: not booth.client.connected)
    time.sleep(1.5)
    broker.start()
    for _ in range(20):
        booth.live_hour()
    booth.clocks.wall += HOUR_S
    assert until(lambda: booth.outbox.counts()["pending"] == 0 and booth.outbox.counts()["hourly"] == 0, 90), \
        booth.outbox.counts()
    # a message the broker acknowledged and lost in the kill (it had not saved it yet) is asked
    # for again, as `fleet stats` does, and the booth sends its kept copy
    filler = GapFiller(central, client, settle_s=3.0, again_s=10.0)
    assert until(lambda: filler.tick() is not None and len(seqs_in(central, "lobby")) == booth.outbox.counts()["sent"],
                 90)

    recorded = recorded_totals(booth.db)
    assert recorded["views"] >= 60
    assert collected_totals(central) == recorded  # nothing lost, nothing counted twice
    seqs = seqs_in(central, "lobby")
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # each seq once, no gap
    assert missing_seqs(central) == {}

    # the booth dies after the broker's acknowledgements but before it wrote them down:
    # it sends everything again, and the collector drops every copy
    before = db_counters(central)["duplicates"]
    conn = sqlite3.connect(booth.db)
    with conn:
        conn.execute("UPDATE outbox SET sent = NULL")
    conn.close()
    assert until(lambda: db_counters(central)["duplicates"] - before == len(seqs), 60)
    assert collected_totals(central) == recorded
    assert collector.tally.duplicates >= len(seqs) and collector.tally.conflicts == 0
    booth.stop()
    client.close()
    collector.close()


def test_collector_away_gets_what_was_published_meanwhile(mosquitto, tmp_path: Path) -> None:
    """The collector's persistent session keeps the messages; here the CLI is the collector,
    stopped with SIGTERM once the database is complete."""
    broker = mosquitto({"hall-a": "pw", "hall-b": "pw"})
    central = tmp_path / "central.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-m", "szkiosk", "fleet", "stats", "--broker", broker.url(), "--db", str(central),
           "--client-id", "test-collector", "--progress-every", "0"]

    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert until(lambda: "test-collector 1 szkiosk/+/stats" in broker.log_text(), 30), broker.log_text()
    first.send_signal(signal.SIGTERM)
    out, err = first.communicate(timeout=30)
    assert first.returncode == 0, err
    assert "(no statistics yet)" in out

    booths = [SimBooth(tmp_path, name, broker.url(name), seed=i).start() for i, name in enumerate(["hall-a", "hall-b"])]
    assert until(lambda: all(b.client.connected for b in booths), 20)
    for _ in range(6):
        for b in booths:
            b.live_hour()
    assert until(lambda: all(b.outbox.counts()["pending"] == 0 and b.outbox.counts()["sent"] == 6 for b in booths), 60)
    for b in booths:
        b.stop()

    second = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert until(lambda: central.exists() and all(len(seqs_in(central, b.name)) == 6 for b in booths), 60)
    second.send_signal(signal.SIGTERM)
    out, err = second.communicate(timeout=30)
    assert second.returncode == 0, err
    assert "collecting from" in err and "12 stored" in err
    assert "12 stored, 0 duplicates dropped" in out
    for b in booths:
        totals = report(central, booth=b.name)
        assert sum(t.value("views") for t in totals) == recorded_totals(b.db)["views"]
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["booth", "period", "hours", "panel"]
    assert any(line.startswith("hall-b") and "2026-03-02T09:00:00Z" in line for line in lines)


def test_bad_payloads_are_logged_and_skipped(mosquitto, tmp_path: Path, caplog) -> None:
    broker = mosquitto({"desk": "pw"})
    central = tmp_path / "central.sqlite3"
    collector = Collector(central)
    client = connect_collector(collector, parse_broker_url(broker.url()))
    sender = FleetClient(parse_broker_url(broker.url("desk")), "desk")
    sender.start()
    assert until(lambda: client.connected and sender.connected, 20)
    assert until(lambda: "szkiosk/+/stats" in broker.log_text(), 20)
    good = {"booth": "desk", "seq": 7, "hour": "2026-03-02T10:00:00Z", "hours": 1,
            "rows": [{"panel": "p", "language": "en", "views": 2, "dwell_s": 1.5, "touches": 3, "sessions": 1,
                      "language_switches": 0, "details_opened": 1, "idle_resets": 1}]}
    bad = [b"not json", json.dumps([1, 2]).encode(),
           json.dumps(good | {"booth": "other"}).encode(),  # not the booth of the topic
           json.dumps(good | {"seq": 0}).encode(),
           json.dumps(good | {"rows": [good["rows"][0] | {"views": -1}]}).encode(),
           json.dumps({k: v for k, v in good.items() if k != "hour"}).encode()]
    with caplog.at_level("WARNING", logger="szkiosk.fleet.collector"):
        for payload in bad:
            assert sender.publish("szkiosk/desk/stats", payload)
        assert sender.publish("szkiosk/desk/stats", json.dumps(good).encode())
        assert until(lambda: collector.tally.stored == 1 and collector.tally.bad == len(bad), 30), collector.tally
    assert sum("skipped a bad stats message" in r.getMessage() for r in caplog.records) == len(bad)
    assert db_counters(central) == {"stored": 1, "duplicates": 0, "conflicts": 0, "bad": len(bad)}
    (row,) = report(central)
    assert row.value("views") == 2 and row.value("dwell_s") == 1.5
    sender.close()
    client.close()
    collector.close()


def _filled_db(path: Path) -> Collector:
    """A central database filled through Collector.handle (two booths, a day of hours, a daily roll-up)."""
    collector = Collector(path)
    rng = random.Random(3)
    for b, booth in enumerate(["east", "west", "north"]):
        for h in range(24):
            rows = [{"panel": p, "language": lang, "views": rng.randint(0, 9), "dwell_s": rng.randint(0, 9000) / 8,
                     "touches": rng.randint(0, 30), "sessions": rng.randint(0, 4), "language_switches": 1,
                     "details_opened": 0, "idle_resets": 1} for p in PANELS[:4] for lang in ("en", "zh")]
            body = {"booth": booth, "seq": 100 + h, "hour": f"2026-03-02T{h:02d}:00:00Z", "hours": 1, "rows": rows}
            assert collector.handle(f"szkiosk/{booth}/stats", json.dumps(body).encode()) == "stored"
        if b == 0:  # the day before, rolled up into one daily message
            rolled = {"booth": booth, "seq": 60, "seq_to": 83, "hour": "2026-03-01T00:00:00Z", "hours": 24,
                      "rows": [rows[0]]}
            assert collector.handle(f"szkiosk/{booth}/stats", json.dumps(rolled).encode()) == "stored"
    assert collector.handle("szkiosk/east/stats", json.dumps(rolled).encode()) == "duplicate"
    return collector


def test_fleet_stats_no_collect_table_and_csv(tmp_path: Path) -> None:
    db = tmp_path / "central.sqlite3"
    _filled_db(db).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = [sys.executable, "-m", "szkiosk", "fleet", "stats", "--no-collect", "--db", str(db)]
    table = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["booth", "period", "hours", "panel", "views", "dwell_s", "touches", "sessions",
                                "language_switches", "details_opened", "idle_resets"]
    assert lines[2].split()[:4] == ["east", "2026-03-01T00:00:00Z", "24", "panel-00"]
    assert "73 stored, 1 duplicates dropped" in table.stdout
    assert "east: no message yet with seq 84-99" in table.stdout  # the gap between the roll-up and the day

    csv_run = subprocess.run([*run, "--csv", "--by", "day", "--languages"], capture_output=True, text=True, env=env,
                             timeout=60)
    assert csv_run.returncode == 0, csv_run.stderr
    rows = [line.split(",") for line in csv_run.stdout.splitlines()]
    assert rows[0][:5] == ["booth", "period", "hours", "panel", "language"]
    by_key = {(r[0], r[1], r[3], r[4]): r for r in rows[1:]}
    assert len(rows) - 1 == 3 * 4 * 2 + 1  # three booths x 4 panels x 2 languages, and east's roll-up row
    conn = sqlite3.connect(db)
    views = conn.execute("SELECT sum(views) FROM rows WHERE booth = 'west' AND panel = 'panel-02' "
                         "AND language = 'zh'").fetchone()[0]
    conn.close()
    assert int(by_key["west", "2026-03-02T00:00:00Z", "panel-02", "zh"][5]) == views

    missing = subprocess.run([sys.executable, "-m", "szkiosk", "fleet", "stats", "--no-collect", "--db",
                              str(tmp_path / "none.sqlite3")], capture_output=True, text=True, env=env, timeout=60)
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    no_broker = subprocess.run([sys.executable, "-m", "szkiosk", "fleet", "stats", "--db", str(db)],
                               capture_output=True, text=True, env=env, timeout=60)
    assert no_broker.returncode == 2 and "--broker" in no_broker.stderr


def test_fleet_stats_chart_is_a_real_picture(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    db = tmp_path / "central.sqlite3"
    _filled_db(db).close()
    png = tmp_path / "chart.png"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-m", "szkiosk", "fleet", "stats", "--no-collect", "--db", str(db),
                          "--chart", str(png), "--chart-size", "1200x700"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1200, 700)
    colours = {image.pixel(x, y) for x in range(0, 1200, 4) for y in range(0, 700, 4)}
    assert len(colours) > 20  # bars in several booth colours, text, grid: not blank
    # the three booths' colours are all there
    from szkiosk.talk.fleetchart import PALETTE

    wanted = {int(c[1:], 16) | 0xFF000000 for c in PALETTE[:3]}
    assert wanted <= colours



def test_statuses_only_ever_raise_a_booths_announced_newest_seq(tmp_path: Path) -> None:
    central = tmp_path / "central.sqlite3"
    collector = Collector(central)
    stats = {"booth": "lobby", "seq": 10, "hour": "2026-12-01T09:00:00Z", "hours": 1, "rows": []}
    assert collector.handle("szkiosk/lobby/stats", json.dumps(stats).encode()) == "stored"
    for payload in (b"", b"not json", b"[]", b'{"stats_seq": "12"}', b'{"stats_seq": true}', b'{"stats_seq": -3}',
                    b'{"stats_seq": null}', b'{"booth": "lobby"}'):
        assert collector.handle("szkiosk/lobby/status", payload) == "status"
    assert missing_seqs(central) == {}  # nothing usable was announced
    assert collector.handle("szkiosk/lobby/status", b'{"stats_seq": 12}') == "status"
    assert collector.handle("szkiosk/lobby/status", b'{"stats_seq": 11}') == "status"  # older: ignored
    assert missing_seqs(central) == {"lobby": [(11, 12)]}
    assert collector.tally.bad == 0 and db_counters(central)["bad"] == 0
    collector.close()
    reopened = Collector(central)  # the tails survive a restart of the collector
    stats.update(seq=11, seq_to=12, hours=2)
    assert reopened.handle("szkiosk/lobby/stats", json.dumps(stats).encode()) == "stored"
    assert missing_seqs(central) == {}
    assert reopened.handle("szkiosk/lobby/status", b'{"stats_seq": 12}') == "status"
    assert missing_seqs(central) == {}
    reopened.close()
