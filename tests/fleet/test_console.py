"""The fleet console against a real Mosquitto and 52 booths: ``szkiosk fleet status|send|screenshot``.

The booths are :mod:`simbooth` booths (each its own broker user, the exact contract); three
of them go offline: two by their last will after their process is SIGKILLed, one cleanly.
Others have errors, failed screen checks, a stale status, a malformed status.

Two of the 52 are real booths (:func:`start_real_booths`): ``szkiosk run --kiosk --fleet``
on the bundled deck, offscreen, each in its own process with its own broker user; the other
50 are simulated. Every assertion about "all 52" counts the real ones too, and their rows
must show what their show really has on screen.
"""

from __future__ import annotations

import json
import os
import pty
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
from simbooth import BoothState, SimBooth, SimFleet, make_png, spec_entry

from fleet_processes import until
from mosquitto_broker import CONSOLE_PASSWORD, Broker
from szkiosk.fleet import topics
from szkiosk.fleet.broker import FleetClient, parse_broker_url
from szkiosk.fleet.console import (
    JSON_FIELDS,
    TABLE_WIDTH,
    FleetView,
    display_width,
    fit,
    format_table,
    natural_key,
    png_size,
    rows_json,
)

ROOT = Path(__file__).resolve().parents[2]
SIMBOOTH = Path(__file__).with_name("simbooth.py")
TOTAL = 52
#: A booth user outside the fleet that measures one booth's traffic (it clears its topics after).
METER = "meter-1"
LONG_ERROR = ("panel chain: chart data file data/chain.csv has 3 columns, expected 4 "
              "(line 17); showing the last good deck instead")

#: Booth number -> how it misbehaves (the rest are healthy, with varied panels and languages).
SPECIAL: dict[int, BoothState] = {
    5: BoothState(screen_ok=False, screen_reason="blank: the window is one colour"),
    41: BoothState(screen_ok=False, screen_reason="frozen while an animation should run"),
    44: BoothState(screen_ok=False, screen_reason="differs from the offscreen render", errors_count=1,
                   errors_latest="render mismatch"),
    8: BoothState(errors_count=2, errors_latest=LONG_ERROR),
    22: BoothState(errors_count=1, errors_latest="面板 chain 的数据文件无法读取"),
    50: BoothState(errors_count=7, errors_latest="fetch failed: remote unreachable"),
    12: BoothState(status_backdate_s=600, frozen=True),
    26: BoothState(malformed='{"booth": "booth-26", "version": '),
    9: BoothState(screen_ok=None, last_touch_age_s=None, content_commit=None, content_age_s=None),
}
KILLED = (3, 17)   # their process is SIGKILLed: the broker publishes their last will
STOPPED = (30,)    # stops cleanly (online = false)
#: The problem rows, in the order the console must list them.
PROBLEM_ROWS = [
    ("booth-3", "offline"), ("booth-17", "offline"), ("booth-30", "offline"),
    ("booth-26", "bad status"),
    ("booth-5", "screen"), ("booth-41", "screen"), ("booth-44", "screen"),
    ("booth-8", "errors"), ("booth-22", "errors"), ("booth-50", "errors"),
    ("booth-12", "stale"),
]


def state_of(number: int) -> BoothState:
    """The simulated state of ``booth-<number>``."""
    if number in SPECIAL:
        return SPECIAL[number]
    return BoothState(panel=("welcome", "chain", "innovation", "green", "talent")[number % 5],
                      language=("en", "zh", "es")[number % 3], visitors_today=number * 3,
                      last_touch_age_s=30.0 * number, content_age_s=3600.0 * (number % 4 + 1))


def szkiosk(*args: str, timeout: float = 90, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m szkiosk ARGS`` as a user would."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SZKIOSK_FLEET_BROKER", "SZKIOSK_FLEET_PASSWORD")}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "szkiosk", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=environment)


#: Real booths (``szkiosk run --kiosk --fleet``, offscreen, each its own process) beside the simulated ones.
REAL = ("real-1", "real-2")


def start_real_booths(broker: Broker, folder: Path) -> tuple[list[str], list[subprocess.Popen]]:
    """Start :data:`REAL` as real kiosk processes on the bundled deck against ``broker``
    (their users are in the broker's password file); their names and processes."""
    procs = []
    for name in REAL:
        home = folder / name
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen",
               "XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"),
               "XDG_CACHE_HOME": str(home / "cache")}
        log = (home / "booth.log")
        home.mkdir(parents=True)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "szkiosk", "--log-file", str(log), "run", str(ROOT / "content"), "--kiosk",
             "--windowed", "--window-size", "1280x720", "--booth", name, "--fleet", broker.url(name),
             "--quit-after", "900"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return list(REAL), procs


@dataclass
class Fleet:
    """The broker, the booths and what the tests measured on the way."""

    broker: Broker
    sim: SimFleet
    names: list[str]
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.broker.url()


def _rss_kib() -> int:
    return int(next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines()
                    if line.startswith("VmRSS:")))


@pytest.fixture(scope="module")
def fleet(tmp_path_factory) -> Iterator[Fleet]:
    """52 booths on one real broker, in their final states (the observer saw them all)."""
    sim_count = TOTAL
    numbers = list(range(1, sim_count + 1))
    users = {f"booth-{n}": f"pw-{n}" for n in numbers} | {METER: "pw-meter"} | {name: f"pw-{name}" for name in REAL}
    broker = Broker(tmp_path_factory.mktemp("fleet-broker"), users).start()
    real, real_procs = start_real_booths(broker, tmp_path_factory.mktemp("real-booths"))
    numbers = numbers[: TOTAL - len(real)]
    view = FleetView()
    observer = FleetClient(parse_broker_url(broker.url()), "observer", on_message=view.feed)
    observer.subscribe("szkiosk/+/online")
    observer.subscribe("szkiosk/+/status")
    observer.start()
    assert observer.wait_subscribed(20)

    # two booths in their own process, killed later (power cut): the broker sends their wills
    spec = tmp_path_factory.mktemp("spec") / "killed.json"
    spec.write_text(json.dumps([spec_entry(f"booth-{n}", broker.url(f"booth-{n}"), state_of(n)) for n in KILLED]))
    proc = subprocess.Popen([sys.executable, str(SIMBOOTH), str(spec)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    figures: dict[str, str] = {}
    sim = SimFleet()
    try:
        threads_before, rss_before, t0 = threading.active_count(), _rss_kib(), time.monotonic()
        for n in numbers:
            if n not in KILLED:
                sim.add(SimBooth(broker.url(f"booth-{n}"), f"booth-{n}", state_of(n)))
        assert until(sim.all_connected), "simulated booths did not connect"
        figures["sim_start"] = (
            f"{len(sim.booths)} simulated booths (one FleetClient each) connected in "
            f"{time.monotonic() - t0:.2f} s; +{threading.active_count() - threads_before} threads, "
            f"+{(_rss_kib() - rss_before) / 1024:.1f} MiB RSS")
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"

        def online(name: str) -> bool | None:
            rows = {r.booth: r for r in view.rows()}
            return rows[name].online if name in rows else None

        killed = [f"booth-{n}" for n in KILLED]
        assert until(lambda: all(online(n) is True for n in killed))
        assert until(lambda: all(r.status is not None for r in view.rows() if r.booth in killed))
        proc.kill()  # SIGKILL: no clean disconnect
        proc.wait(10)
        assert until(lambda: all(online(n) is False for n in killed)), "the last wills did not arrive"
        for n in STOPPED:
            sim.booths[f"booth-{n}"].stop()
        names = [f"booth-{n}" for n in numbers] + real
        assert until(lambda: all(online(name) is True for name in real), 120), "the real booths did not come online"
        assert until(lambda: view.booths == TOTAL and all(online(f"booth-{n}") is False for n in STOPPED))
        observer.close()
        yield Fleet(broker, sim, names, figures)
    finally:
        for each in (proc, *real_procs):
            if each.poll() is None:
                each.kill()
                each.wait(10)
        sim.close()
        broker.kill()
        if figures:
            print("\n# fleet console figures\n" + "\n".join(f"- {v}" for v in figures.values()))


# -- pure parts ----------------------------------------------------------------------------------
def test_simulated_booths_speak_the_contract() -> None:
    booth = SimBooth("mqtt://booth-1:pw@127.0.0.1:1", "booth-1", state_of(1))
    jsonschema.validate(booth.status(), topics.STATUS_SCHEMA)
    jsonschema.validate(SimBooth("mqtt://b:p@h:1", "booth-9", state_of(9)).status(), topics.STATUS_SCHEMA)
    reply = json.loads(topics.reply_payload("booth-1", topics.new_command("goto", "chain"), True, "showing chain"))
    jsonschema.validate(reply, topics.REPLY_SCHEMA)
    png = make_png()
    assert png_size(png) == (32, 18)


@pytest.mark.parametrize(("payload", "reason"), [
    (b"{nope", "not JSON"), (b"[1, 2]", "not a JSON object"), (b'{"booth": "b-1"}', "missing"),
    (b"\xff\xfe", "not UTF-8"), (b"x" * 70000, "bytes"),
])
def test_malformed_status_is_a_problem_row(payload: bytes, reason: str) -> None:
    view = FleetView()
    view.feed("szkiosk/b-1/online", b"true")
    view.feed("szkiosk/b-1/status", payload)
    (row,) = view.rows()
    assert row.problem == "bad status" and reason in (row.status_error or "")
    assert "b-1" in format_table([row]) and json.loads(rows_json([row]))[0]["problem"] == "bad status"


def test_wrong_types_and_another_booths_name_are_bad_status() -> None:
    good = SimBooth("mqtt://b:p@h:1", "b-1").status()
    for change, reason in (({"uptime_s": "1"}, "uptime_s"), ({"screen_ok": "yes"}, "screen_ok"),
                           ({"booth": "b-2"}, "says it is booth"), ({"errors": {"count": -1, "latest": None}},
                                                                    "errors.count"),
                           ({"at": "yesterday"}, "at is not")):
        view = FleetView()
        view.feed("szkiosk/b-1/status", json.dumps(good | change).encode())
        assert reason in (view.rows()[0].status_error or ""), change


def test_cleared_topics_forget_a_booth_and_odd_topics_are_ignored() -> None:
    view = FleetView()
    view.feed("szkiosk/b-1/online", b"true")
    view.feed("szkiosk/b-1/status", json.dumps(SimBooth("mqtt://b:p@h:1", "b-1").status()).encode())
    view.feed("szkiosk/all/online", b"true")
    view.feed("szkiosk/b-2/stats", b"{}")
    view.feed("other/b-3/online", b"true")
    view.feed("szkiosk/b-4/online", b"maybe")
    assert [r.booth for r in view.rows()] == ["b-4", "b-1"]
    assert view.rows()[0].problem == "bad status"
    view.feed("szkiosk/b-1/online", b"")
    view.feed("szkiosk/b-1/status", b"")
    assert [r.booth for r in view.rows()] == ["b-4"]


def test_stale_only_while_online_and_no_status_is_a_problem() -> None:
    view = FleetView()
    sim = SimBooth("mqtt://b:p@h:1", "b-1", BoothState(status_backdate_s=200))
    view.feed("szkiosk/b-1/status", json.dumps(sim.status()).encode())
    view.feed("szkiosk/b-2/online", b"true")
    assert {r.booth: r.problems for r in view.rows()} == {"b-1": [], "b-2": ["no status"]}
    view.feed("szkiosk/b-1/online", b"true")
    assert view.rows()[0].booth == "b-1" and view.rows()[0].problems == ["stale"]
    view.feed("szkiosk/b-1/online", b"false")
    assert view.rows()[0].problems == ["offline"]


def test_cells_fit_by_display_width() -> None:
    assert display_width("面板ab") == 6
    assert fit("面板的数据", 5) == "面板~" and display_width(fit("面板的数据", 5)) == 5
    assert fit("line\nbreak", 12) == "line break  "
    assert natural_key("booth-2") < natural_key("booth-10")


# -- against the broker ---------------------------------------------------------------------------
def test_status_once_json_lists_every_booth_problems_first(fleet: Fleet) -> None:
    t0 = time.monotonic()
    done = szkiosk("fleet", "status", "--once", "--json", "--broker", fleet.url)
    fleet.figures["once_json"] = (f"`fleet status --once --json` with {TOTAL} booths: "
                                  f"{time.monotonic() - t0:.2f} s wall (Python start, connect, 0.5 s settle)")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == TOTAL and sorted(r["booth"] for r in rows) == sorted(fleet.names)
    assert all(list(r) == list(JSON_FIELDS) for r in rows)
    head = [(r["booth"], r["problem"]) for r in rows[: len(PROBLEM_ROWS)]]
    assert head == PROBLEM_ROWS
    rest = rows[len(PROBLEM_ROWS):]
    assert all(r["problem"] is None and r["online"] is True for r in rest)
    assert [r["booth"] for r in rest] == sorted((r["booth"] for r in rest), key=natural_key)

    by = {r["booth"]: r for r in rows}
    assert by["booth-3"]["online"] is False and by["booth-3"]["panel"] == state_of(3).panel  # last status kept
    assert by["booth-30"]["online"] is False
    assert by["booth-26"]["status_error"].startswith("bad status: not JSON") and by["booth-26"]["online"] is True
    assert by["booth-5"]["screen_ok"] is False and by["booth-5"]["screen_reason"].startswith("blank")
    assert by["booth-44"]["problems"] == ["screen", "errors"]
    assert by["booth-8"]["errors_count"] == 2 and by["booth-8"]["errors_latest"] == LONG_ERROR
    assert by["booth-12"]["problems"] == ["stale"] and by["booth-12"]["status_age_s"] >= 590
    one = by["booth-1"]
    commit = state_of(1).content_commit
    assert one["content_short"] == commit[:8] and one["content_commit"] == commit
    assert (one["panel"], one["language"], one["visitors_today"]) == ("chain", "zh", 3)
    assert 7100 <= one["content_age_s"] <= 7500 and 20 <= one["last_touch_age_s"] <= 200
    assert one["status_age_s"] < 120 and one["version"] and one["uptime_s"] >= 0
    from szkiosk import __version__

    for name in REAL:  # the real booths: what their show really has on screen
        real = by[name]
        assert (real["online"], real["problem"], real["version"]) == (True, None, __version__)
        assert (real["panel"], real["language"], real["errors_count"]) == ("title", "en", 0)
        assert real["content_commit"] is None  # not following a content repository
    nine = by["booth-9"]
    assert (nine["screen_ok"], nine["content_commit"], nine["last_touch"], nine["problem"]) == (None, None, None, None)


def test_status_once_table_fits_120_columns(fleet: Fleet) -> None:
    done = szkiosk("fleet", "status", "--once", "--broker", fleet.url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.rstrip("\n").splitlines()
    assert lines[0].startswith(f"{TOTAL} booths, {TOTAL - 3} online, {len(PROBLEM_ROWS)} with problems")
    assert CONSOLE_PASSWORD not in done.stdout
    assert lines[1].split()[:3] == ["BOOTH", "ON", "PROBLEM"]
    body = lines[2:]
    assert len(body) == TOTAL
    assert all(display_width(line) <= TABLE_WIDTH for line in lines[1:])
    assert [line.split()[0] for line in body[: len(PROBLEM_ROWS)]] == [b for b, _ in PROBLEM_ROWS]
    row = {line.split()[0]: line for line in body}
    assert row["booth-3"].split()[1:3] == ["NO", "offline"]
    assert "bad status: not JSON" in row["booth-26"]
    assert "FAIL" in row["booth-5"] and "screen+1" in row["booth-44"]
    assert "2 panel chain" in row["booth-8"] and "~" in row["booth-8"] and LONG_ERROR not in row["booth-8"]
    assert "面板" in row["booth-22"]
    assert row["booth-1"].split()[1:8] == ["yes", "ok", "3f9c2e1a", "2h", "chain", "zh", "0"]


def test_send_all_identify_replies_from_every_online_booth(fleet: Fleet) -> None:
    done = szkiosk("fleet", "send", "all", "identify", "--broker", fleet.url, "--timeout", "20")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    replies = [line for line in lines if ": ok: identify: showing " in line]
    assert len(replies) == TOTAL - 3
    for name in REAL:  # the real booths put their name on screen and say so
        assert any(line.startswith(f"{name}: ok: identify: showing 'Booth {name}'") for line in replies), replies
    assert "3 offline, not asked: booth-3, booth-17, booth-30" in lines
    assert lines[-1] == f"{TOTAL - 3} replies from {TOTAL - 3} booths online"
    for name in fleet.names:
        if name not in ("booth-3", "booth-17", "booth-30") and name in fleet.sim.booths:
            assert fleet.sim.booths[name].commands[-1].name == "identify"


def test_send_goto_prints_the_reply_and_the_status_follows(fleet: Fleet) -> None:
    assert state_of(7).panel != "green"
    done = szkiosk("fleet", "send", "booth-7", "goto", "green", "--broker", fleet.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "booth-7: ok: goto green: showing green"

    def panel() -> str:
        rows = json.loads(szkiosk("fleet", "status", "--once", "--json", "--broker", fleet.url).stdout)
        return next(r["panel"] for r in rows if r["booth"] == "booth-7")

    assert until(lambda: panel() == "green")
    done = szkiosk("fleet", "send", "booth-7", "goto", "chain", "--broker", fleet.url)
    assert (done.returncode, done.stdout.strip()) == (0, "booth-7: ok: goto chain: showing chain")
    refused = szkiosk("fleet", "send", "booth-7", "goto", "nope", "--broker", fleet.url)
    assert refused.returncode == 1
    assert refused.stdout.strip() == "booth-7: FAILED: goto nope: no panel 'nope' in this deck"


def test_send_to_an_offline_booth_says_no_reply(fleet: Fleet) -> None:
    done = szkiosk("fleet", "send", "booth-17", "reload", "--broker", fleet.url, "--timeout", "2")
    assert done.returncode == 1
    assert done.stdout.strip() == "booth-17: no reply within 2 s (it is offline)"
    done = szkiosk("fleet", "send", "booth-99", "reload", "--broker", fleet.url, "--timeout", "2")
    assert done.returncode == 1
    assert done.stdout.strip() == "booth-99: no reply within 2 s (no booth of that name ever reported)"


def test_bad_commands_exit_2_and_reach_no_booth(fleet: Fleet) -> None:
    before = len(fleet.sim.booths["booth-7"].commands)
    for args, message in ((["booth-7", "dance"], "unknown command 'dance'"), (["booth-7", "goto"], "goto needs"),
                          (["booth-7", "identify", "now"], "identify takes no argument"),
                          (["bad/name", "reload"], "booth name"), (["all", "frob"], "unknown command")):
        done = szkiosk("fleet", "send", *args, "--broker", fleet.url)
        assert done.returncode == 2, args
        assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    done = szkiosk("fleet", "send", "booth-7", "reload")
    assert done.returncode == 2 and "SZKIOSK_FLEET_BROKER" in done.stderr
    time.sleep(0.5)  # give a stray command the time to arrive: none may
    assert len(fleet.sim.booths["booth-7"].commands) == before


def test_broker_from_the_environment(fleet: Fleet) -> None:
    done = szkiosk("fleet", "send", "booth-7", "reload", SZKIOSK_FLEET_BROKER=fleet.url)
    assert (done.returncode, done.stdout.strip()) == (0, "booth-7: ok: reload: reloaded"), done.stderr


def test_wrong_console_password_is_one_clear_line(fleet: Fleet) -> None:
    url = fleet.broker.url("console", "not-the-password")
    for args in (["status", "--once"], ["send", "all", "identify"], ["screenshot", "booth-1", "/tmp/x.png"]):
        done = szkiosk("fleet", *args, "--broker", url)
        assert done.returncode == 1, args
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1 and "refused the login" in done.stderr, done.stderr
        assert "not-the-password" not in done.stderr


def test_unreachable_broker_is_one_line() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = szkiosk("fleet", "status", "--once", "--timeout", "1", "--broker", f"mqtt://console:secret@127.0.0.1:{port}")
    assert done.returncode == 1
    assert done.stderr == (f"szkiosk fleet status: cannot reach the broker at mqtt://console@127.0.0.1:{port} "
                           "within 1 s\n")


def test_screenshot_writes_the_png(fleet: Fleet, tmp_path: Path) -> None:
    out = tmp_path / "booth-7.png"
    done = szkiosk("fleet", "screenshot", "booth-7", str(out), "--broker", fleet.url)
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and png_size(data) == (32, 18)
    assert done.stdout.strip() == f"wrote {out} (32x18, {len(data)} bytes) from booth-7"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (32, 18)
    assert image.pixelColor(0, 0) != image.pixelColor(31, 17)  # the lighter quarter is really there
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left


def test_screenshot_times_out_on_an_offline_booth(fleet: Fleet, tmp_path: Path) -> None:
    out = tmp_path / "none.png"
    done = szkiosk("fleet", "screenshot", "booth-3", str(out), "--broker", fleet.url, "--timeout", "2")
    assert done.returncode == 1
    assert done.stderr == "szkiosk fleet screenshot: no screenshot from booth-3 within 2 s\n"
    assert not out.exists()
    missing = szkiosk("fleet", "screenshot", "booth-7", str(tmp_path / "no" / "dir.png"), "--broker", fleet.url)
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def _live(fleet: Fleet, stdout: int | None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "szkiosk", "fleet", "status", "--broker", fleet.url],
                            stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT, env=dict(os.environ), text=True)


def test_live_mode_repeats_plain_tables_until_sigterm(fleet: Fleet) -> None:
    proc = _live(fleet, subprocess.PIPE)
    assert proc.stdout is not None
    seen: list[str] = []

    def read() -> None:
        seen.extend(proc.stdout)  # type: ignore[union-attr]

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert until(lambda: sum(line.startswith(f"{TOTAL} booths,") for line in list(seen)) >= 2)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    reader.join(10)
    text = "".join(seen)
    assert "\x1b[" not in text and text.count("BOOTH ") >= 2


def test_live_mode_redraws_on_a_terminal(fleet: Fleet) -> None:
    leader, follower = pty.openpty()
    proc = _live(fleet, follower)
    os.close(follower)
    got = b""
    try:
        deadline = time.monotonic() + 60
        while got.count(b"\x1b[H\x1b[2J") < 2 and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    got += os.read(leader, 65536)
                except OSError:
                    break
        assert got.count(b"\x1b[H\x1b[2J") >= 2 and b"booth-3 " in got
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(20) == 0
        os.close(leader)


class ByteCounter:
    """A TCP proxy in front of the broker that counts the bytes each way (MQTT, no TCP/IP headers)."""

    def __init__(self, port: int) -> None:
        self.upstream = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = self.down = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, up: bool) -> None:
        try:
            while data := src.recv(65536):
                with self._lock:
                    if up:
                        self.up += len(data)
                    else:
                        self.down += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                s.close()

    def total(self) -> int:
        with self._lock:
            return self.up + self.down

    def close(self) -> None:
        self.listener.close()


def test_figures_for_fleet_md(fleet: Fleet) -> None:
    """Measures (never asserts on time): console refresh with 52 booths, traffic of one booth."""
    # console refresh: connect, retained messages of every booth in, one table drawn
    view = FleetView()
    t0 = time.monotonic()
    console = FleetClient(parse_broker_url(fleet.url), "figures-console", on_message=view.feed)
    console.subscribe("szkiosk/+/online")
    console.subscribe("szkiosk/+/status")
    console.start()
    try:
        assert until(lambda: view.booths == TOTAL)
        all_in = time.monotonic() - t0
    finally:
        console.close()
    t1, cpu1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_utime
    for _ in range(100):
        table = format_table(view.rows())
    draw = (time.perf_counter() - t1) / 100
    cpu = (resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu1) / 100
    assert table.count("\n") == TOTAL
    fleet.figures["refresh"] = (f"console with {TOTAL} booths: every retained message in {all_in * 1000:.0f} ms "
                                f"after connecting; one redraw (sort + table) {draw * 1000:.1f} ms "
                                f"({cpu * 1000:.1f} ms CPU)")

    # one booth's traffic, through a byte-counting proxy, with statuses every 0.2 s
    counter = ByteCounter(fleet.broker.port)
    meter = SimBooth(f"mqtt://{METER}:pw-meter@127.0.0.1:{counter.port}", METER, state_of(1), status_interval=0.2)
    sim = SimFleet()
    try:
        sim.add(meter)
        assert until(lambda: meter.traffic.messages.get("status", 0) >= 3)
        time.sleep(0.1)
        first, statuses = counter.total(), meter.traffic.messages["status"]
        assert until(lambda: meter.traffic.messages.get("status", 0) >= statuses + 25)
        time.sleep(0.1)  # the last PUBACK (the next status is 0.2 s away)
        n = meter.traffic.messages["status"] - statuses
        per_status = (counter.total() - first) / n
        payload = meter.traffic.payload_bytes["status"] / meter.traffic.messages["status"]
    finally:
        meter.forget()
        sim.close()
        counter.close()
    ping = 4  # PINGREQ + PINGRESP, 2 bytes each (MQTT 3.1.1); paho pings 30 s after the last packet
    per_day = 1440 * per_status + 1440 * ping
    fleet.figures["traffic"] = (
        f"one status message: {payload:.0f} bytes of JSON, {per_status:.0f} bytes of MQTT on the wire with its "
        f"PUBACK; idle booth: 60 status messages an hour (+1 per change, +1 stats an hour, +1 reply per command) "
        f"and 60 keepalive pings: {per_day / 1024:.0f} KiB a day of MQTT (TCP/IP headers add about 4 x 52 bytes "
        f"per message: ~{(per_day + 1440 * 4 * 52 + 1440 * 2 * 52) / 1024:.0f} KiB); each status also goes to "
        f"every console subscribed")
