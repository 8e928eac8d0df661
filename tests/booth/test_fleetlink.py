"""The booth's fleet link against a real Mosquitto: status, commands, refusals, a command storm.

Booths are real offscreen show windows with their Booth (as tests/booth/test_reload.py builds
them); the console is a real MQTT client with the broker's ``console`` user. ``restart`` and the
last will need a process to end: they run a real ``szkiosk run --kiosk --fleet`` subprocess.
Waits are generous and wait *until* something holds; no test asserts on a duration.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QImage

from fleet_processes import until
from szkiosk import __version__
from szkiosk.booth.booth import Booth
from szkiosk.booth.fleetlink import NO_REPO, FleetLink
from szkiosk.content import load_deck
from szkiosk.fleet import topics
from szkiosk.fleet.broker import FleetClient, parse_broker_url
from szkiosk.fleet.topics import REPLY_SCHEMA, STATUS_SCHEMA, Command

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
WAIT_MS = 20_000
BOOTHS = {"hall-1": "pw-one", "hall-2": "pw-two"}


class Console:
    """The console's side, as a real MQTT client: everything under szkiosk/#, and commands."""

    def __init__(self, broker) -> None:
        self._lock = threading.Lock()
        self.messages: list[tuple[str, bytes]] = []
        # the storm publishes from a thread while acknowledgements arrive (FleetClient is lock-safe)
        self.client = FleetClient(parse_broker_url(broker.url()), f"test-console-{os.getpid()}-{id(self)}",
                                  on_message=self._got)
        self.client.subscribe("szkiosk/#")
        self.client.start()
        assert self.client.wait_subscribed(20)

    def _got(self, topic: str, payload: bytes) -> None:
        with self._lock:
            self.messages.append((topic, payload))

    def on(self, booth: str, leaf: str) -> list[bytes]:
        name = topics.topic(booth, leaf)
        with self._lock:
            return [p for t, p in self.messages if t == name]

    def last(self, booth: str, leaf: str) -> bytes | None:
        got = self.on(booth, leaf)
        return got[-1] if got else None

    def status(self, booth: str) -> dict | None:
        last = self.last(booth, topics.STATUS)
        return json.loads(last) if last else None

    def replies(self, booth: str) -> list[dict]:
        return [json.loads(p) for p in self.on(booth, topics.REPLY)]

    def reply_to(self, booth: str, ident: str) -> dict | None:
        return next((r for r in self.replies(booth) if r["id"] == ident), None)

    def send(self, booth: str, payload: bytes | str) -> None:
        assert self.client.publish(topics.topic(booth, topics.CMD), payload, qos=1)

    def command(self, booth: str, name: str, arg: str | None = None, ident: str | None = None) -> str:
        ident = ident or f"{name}-{time.monotonic_ns()}"
        self.send(booth, Command(name, arg, ident).encode())
        return ident

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def fleet(qtbot, window, mosquitto, tmp_path: Path):
    """``fleet()`` -> (broker, console, make); ``make(name, password=None, **link options)`` -> (window, booth)."""
    broker = mosquitto(dict(BOOTHS))
    console = Console(broker)
    made: list[Booth] = []

    def make(name: str, password: str | None = None, **options):
        win = window(load_deck(CONTENT), kiosk=True)
        win.stage.animate_transitions = False
        booth = Booth(win, CONTENT, analytics_path=tmp_path / f"{name}.sqlite3", hide_cursor=False)
        booth.start(warm_up=False)
        url = parse_broker_url(broker.url(name, password))
        booth.fleet = FleetLink(booth, url, name, **options)
        booth.fleet.start()
        made.append(booth)
        return win, booth

    yield broker, console, make
    for booth in made:
        booth.stop()
        booth.window.stage.stop()
    console.close()


def reply(qtbot, console: Console, booth: str, ident: str) -> dict:
    """Wait for the reply to command ``ident`` (the Qt loop runs meanwhile) and check its shape."""
    qtbot.waitUntil(lambda: console.reply_to(booth, ident) is not None, timeout=WAIT_MS)
    got = console.reply_to(booth, ident)
    jsonschema.validate(got, REPLY_SCHEMA)
    return got


def visible_text(win) -> str:
    return " ".join(b.text for b in win.stage.current.text_boxes())


def answers_a_key(qtbot, win) -> None:
    presentation = win.presentation
    before = presentation.current_id
    key = Qt.Key.Key_Right if presentation.index + 1 < presentation.count else Qt.Key.Key_Left
    qtbot.keyClick(win, key)
    qtbot.waitUntil(lambda: presentation.current_id != before, timeout=WAIT_MS)


# -- two booths, one broker ----------------------------------------------------------------------


def test_two_booths_report_online_and_a_valid_status_that_follows_the_panel(qtbot, fleet) -> None:
    broker, console, make = fleet
    booths = {name: make(name) for name in BOOTHS}
    for name in BOOTHS:
        qtbot.waitUntil(lambda n=name: console.last(n, topics.ONLINE) == b"true", timeout=WAIT_MS)
        qtbot.waitUntil(lambda n=name: console.status(n) is not None, timeout=WAIT_MS)
        status = console.status(name)
        jsonschema.validate(status, STATUS_SCHEMA)
        assert set(STATUS_SCHEMA["properties"]) <= set(status)  # every field, optional ones too
        win, _booth = booths[name]
        assert status["booth"] == name and status["version"] == __version__
        assert status["panel"] == win.presentation.current_id and status["language"] == win.presentation.language
        assert status["content_commit"] is None and status["screen_ok"] is None  # no repo, no check here
        assert status["visitors_today"] == 0 and status["last_touch"] is None

    # a visitor moves on at booth 1: its status follows (touch and panel); booth 2's stays
    win1, _ = booths["hall-1"]
    before = win1.presentation.current_id
    qtbot.keyClick(win1, Qt.Key.Key_Right)
    now = win1.presentation.current_id
    assert now != before
    qtbot.waitUntil(lambda: console.status("hall-1")["panel"] == now, timeout=WAIT_MS)
    status = console.status("hall-1")
    jsonschema.validate(status, STATUS_SCHEMA)
    assert status["last_touch"] is not None and status["visitors_today"] == 1  # a session runs now
    assert console.status("hall-2")["panel"] == booths["hall-2"][0].presentation.current_id

    # retained: a console that connects later sees both booths at once
    late = Console(broker)
    try:
        assert until(lambda: all(late.last(n, topics.ONLINE) == b"true" and late.status(n) for n in BOOTHS))
    finally:
        late.close()

    # the staff status text says where the booth reports, never the password
    text = booths["hall-1"][1].status_text()
    assert f"connected to mqtt://hall-1@127.0.0.1:{broker.port} as hall-1" in text
    assert BOOTHS["hall-1"] not in text


def test_goto_language_reload_fetch_and_rollback_answer(qtbot, fleet) -> None:
    _broker, console, make = fleet
    win, _booth = make("hall-1")
    qtbot.waitUntil(lambda: console.status("hall-1") is not None, timeout=WAIT_MS)
    ids = win.presentation.ids

    got = reply(qtbot, console, "hall-1", console.command("hall-1", "goto", ids[3]))
    assert got["ok"] and win.presentation.current_id == ids[3] and win.stage.index == 3
    assert got["command"] == "goto" and got["arg"] == ids[3] and got["booth"] == "hall-1"
    got = reply(qtbot, console, "hall-1", console.command("hall-1", "goto", "2"))  # 1-based number
    assert got["ok"] and win.stage.index == 1 and ids[1] in got["message"]
    for bad in ("no-such-panel", "999"):
        got = reply(qtbot, console, "hall-1", console.command("hall-1", "goto", bad))
        assert not got["ok"] and win.stage.index == 1
    qtbot.waitUntil(lambda: console.status("hall-1")["panel"] == ids[1], timeout=WAIT_MS)

    english = visible_text(win)
    got = reply(qtbot, console, "hall-1", console.command("hall-1", "language", "zh"))
    assert got["ok"] and win.presentation.language == "zh" and win.stage.language == "zh"
    assert re.search(r"[\u4e00-\u9fff]", visible_text(win)) and visible_text(win) != english
    qtbot.waitUntil(lambda: console.status("hall-1")["language"] == "zh", timeout=WAIT_MS)
    got = reply(qtbot, console, "hall-1", console.command("hall-1", "language", "fr"))
    assert not got["ok"] and "fr" in got["message"] and win.presentation.language == "zh"

    got = reply(qtbot, console, "hall-1", console.command("hall-1", "reload"))
    assert got["ok"]
    for name in ("fetch", "rollback"):
        got = reply(qtbot, console, "hall-1", console.command("hall-1", name))
        assert not got["ok"] and got["message"] == NO_REPO


class FakeRepo:
    """Stands in for the repository follower's interface (it is another module's; no git here)."""

    commit = "0123456789abcdef0123456789abcdef01234567"
    commit_time = 1_700_000_000.0
    last_error: str | None = None

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def fetch_now(self) -> str:
        self.calls.append(("fetch",))
        return "fetching in the background"

    def rollback(self, to: str | None) -> str:
        self.calls.append(("rollback", to))
        return f"rolling back to {to or 'the previous good commit'}"


class FakeCheck:
    ok: bool | None = False
    reason: str | None = "blank screen"


def test_plug_points_reach_status_and_commands(qtbot, fleet) -> None:
    _broker, console, make = fleet
    repo, check = FakeRepo(), FakeCheck()
    _win, booth = make("hall-1", repo=repo, screen_check=check)
    qtbot.waitUntil(lambda: console.status("hall-1") is not None, timeout=WAIT_MS)
    status = console.status("hall-1")
    jsonschema.validate(status, STATUS_SCHEMA)
    assert status["content_commit"] == FakeRepo.commit and status["content_time"] == "2023-11-14T22:13:20Z"
    assert status["screen_ok"] is False and status["screen_reason"] == "blank screen"
    assert reply(qtbot, console, "hall-1", console.command("hall-1", "fetch"))["ok"]
    assert reply(qtbot, console, "hall-1", console.command("hall-1", "rollback", "abc123"))["ok"]
    assert repo.calls == [("fetch",), ("rollback", "abc123")]
    repo.last_error = "commit abc: deck.yaml:3: bad field"
    qtbot.waitUntil(lambda: console.status("hall-1")["errors"]["count"] == 1, timeout=WAIT_MS)
    assert console.status("hall-1")["errors"]["latest"] == repo.last_error
    assert booth.fleet.counts["refused"] == 0


def test_identify_shows_the_name_and_goes_away_without_waking_the_booth(qtbot, fleet) -> None:
    _broker, console, make = fleet
    win, booth = make("hall-1", identify_ms=2500)
    qtbot.waitUntil(lambda: console.status("hall-1") is not None, timeout=WAIT_MS)
    before = win.grab().toImage()
    phase, visitor = booth.controller.state.phase, booth.controller.state.has_visitor
    touches = booth.fleet.last_touch

    got = reply(qtbot, console, "hall-1", console.command("hall-1", "identify"))
    assert got["ok"] and "Booth hall-1" in got["message"]
    item = booth.fleet.identify_item
    assert item is not None and item.scene() is win.stage.scene()
    assert item.text.splitlines()[0] == "Booth hall-1" and "展位 hall-1" in item.text  # en, then zh
    # on screen: the card's middle is now dark, with light text in it; before, it was the panel
    after = win.grab().toImage()
    box = win.stage.mapFromScene(item.card_rect).boundingRect()

    def dark_share(image: QImage) -> float:  # the card's near-black (the deck's own background is navy)
        samples = [image.pixelColor(x, y) for x in range(box.left() + 8, box.right() - 8, 12)
                   for y in range(box.top() + 8, box.bottom() - 8, 12)]
        return sum(1 for c in samples if max(c.red(), c.green(), c.blue()) < 24) / len(samples)

    def light_share(image: QImage) -> float:
        samples = [image.pixelColor(x, y) for x in range(box.left(), box.right(), 3)
                   for y in range(box.top(), box.bottom(), 3)]
        return sum(1 for c in samples if c.lightness() > 215) / len(samples)

    assert dark_share(after) > 0.6 > dark_share(before)
    assert light_share(after) > 0.01
    # identify is no visitor: the booth's idle logic does not see it
    assert booth.controller.state.phase == phase and booth.controller.state.has_visitor == visitor
    assert booth.fleet.last_touch == touches
    qtbot.waitUntil(lambda: booth.fleet.identify_item is None, timeout=WAIT_MS)
    assert not [i for i in win.stage.scene().items() if getattr(i, "objectName", lambda: "")() == "identify"]


def test_all_cmd_reaches_both_booths_and_screenshot_is_a_png(qtbot, fleet) -> None:
    _broker, console, make = fleet
    booths = {name: make(name, identify_ms=60_000) for name in BOOTHS}
    for name in BOOTHS:
        qtbot.waitUntil(lambda n=name: console.status(n) is not None, timeout=WAIT_MS)
    console.client.publish(f"{topics.ROOT}/{topics.ALL}/{topics.CMD}", Command("identify", None, "everyone").encode())
    for name, (_win, booth) in booths.items():
        assert reply(qtbot, console, name, "everyone")["ok"]
        assert booth.fleet.identify_item is not None and name in booth.fleet.identify_item.text
        booth.fleet.hide_identify()

    win, _booth = booths["hall-2"]
    ident = console.command("hall-2", "screenshot")
    got = reply(qtbot, console, "hall-2", ident)
    assert got["ok"], got
    shots = console.on("hall-2", topics.SCREENSHOT)
    assert len(shots) == 1 and shots[0][:8] == b"\x89PNG\r\n\x1a\n" and len(shots[0]) < 1_000_000
    image = QImage.fromData(shots[0], "PNG")
    assert not image.isNull() and (image.width(), image.height()) == (win.width(), win.height()) == (1920, 1080)
    assert not console.on("hall-1", topics.SCREENSHOT)  # the other booth sent none


def test_a_4k_screenshot_is_scaled_to_1920_wide(qtbot, fleet) -> None:
    _broker, console, make = fleet
    win, _booth = make("hall-1")
    win.resize(3840, 2160)
    qtbot.waitUntil(lambda: win.width() == 3840, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: console.status("hall-1") is not None, timeout=WAIT_MS)
    assert reply(qtbot, console, "hall-1", console.command("hall-1", "screenshot"))["ok"]
    image = QImage.fromData(console.on("hall-1", topics.SCREENSHOT)[0], "PNG")
    assert (image.width(), image.height()) == (1920, 1080)
    assert len(console.on("hall-1", topics.SCREENSHOT)[0]) < 1_000_000


def test_malformed_and_unknown_commands_are_refused_and_the_booth_runs_on(qtbot, fleet, caplog) -> None:
    _broker, console, make = fleet
    win, booth = make("hall-1")
    qtbot.waitUntil(lambda: console.status("hall-1") is not None, timeout=WAIT_MS)
    bad = [
        (b'{"id": "j1", "command": "dance"}', "j1", "unknown command"),
        (b'{"id": "j2", "command": "goto"}', "j2", "needs an argument"),
        (b'{"id": "j3", "command": "reload", "arg": "now"}', "j3", "takes no argument"),
        (b'{"id": "j4", "command": 7}', "j4", "string 'command'"),
        (b'{"id": "j5", "command": "goto", "arg": "a\\u0007b"}', "j5", "control characters"),
        (b"dance tonight", "", "unknown command"),
        (b"{not json", "", "not valid JSON"),
        (b"\xff\xfe\x00", "", "not UTF-8"),
        (b"x" * 5000, "", "at most 4096"),
        (b"", "", "empty command"),
    ]
    for payload, _ident, _reason in bad:
        console.send("hall-1", payload)
    qtbot.waitUntil(lambda: booth.fleet.counts["refused"] == len(bad), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(console.replies("hall-1")) >= len(bad), timeout=WAIT_MS)
    replies = console.replies("hall-1")
    for _payload, ident, reason in bad:
        if ident:
            got = console.reply_to("hall-1", ident)
            assert got is not None and not got["ok"] and reason in got["message"], (ident, got)
        else:
            assert any(not r["ok"] and reason in r["message"] for r in replies), reason
    for r in replies:
        jsonschema.validate(r, REPLY_SCHEMA)
    warnings = [r.getMessage() for r in caplog.records if r.name == "szkiosk.booth.fleetlink"
                and r.levelname == "WARNING"]
    assert all(w.startswith("fleet: command refused: ") for w in warnings)
    # one warning per reason: the second "dance" (same reason) is not logged again
    assert len(warnings) == len(set(warnings)) == len(bad) - 1
    answers_a_key(qtbot, win)  # the show runs on
    assert reply(qtbot, console, "hall-1", console.command("hall-1", "goto", "1"))["ok"]  # and so does the link


def test_wrong_password_the_booth_runs_on_and_staff_see_why(qtbot, fleet, caplog) -> None:
    _broker, console, make = fleet
    win, booth = make("hall-1", password="not-the-password")
    qtbot.waitUntil(lambda: booth.fleet.client.last_error is not None, timeout=WAIT_MS)
    answers_a_key(qtbot, win)
    text = booth.status_text()
    line = next(line for line in text.splitlines() if line.startswith("fleet"))
    assert "not connected to mqtt://hall-1@127.0.0.1" in line and "refused the login" in line
    assert "not-the-password" not in text
    assert not booth.fleet.connected and console.last("hall-1", topics.ONLINE) is None
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR" and "fleet" in r.getMessage()]
    assert len(errors) == 1, errors  # one clear line, not one per retry
    print(f"\nwrong password, staff see: {line}")


# -- a command storm ---------------------------------------------------------------------------------


class LoopProbe:
    """A 10 ms timer on the GUI thread: how late each tick comes is the event loop's latency."""

    def __init__(self, every_ms: int = 10) -> None:
        self.every_ms = every_ms
        self.late_ms: list[float] = []
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self._tick)
        self._last = 0

    def start(self) -> None:
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.late_ms.append(max(0.0, (now - self._last) / 1e6 - self.every_ms))
        self._last = now

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        late = sorted(self.late_ms)
        return {"ticks": len(late), "p50_ms": statistics.median(late),
                "p95_ms": late[int(0.95 * (len(late) - 1))], "max_ms": late[-1]}


def test_a_command_storm_leaves_the_show_responsive(qtbot, fleet) -> None:
    """100 commands a second for 10 s: every one is answered once, the loop keeps ticking, and
    afterwards the show still answers a key and a final goto."""
    _broker, console, make = fleet
    win, booth = make("hall-1", identify_ms=1000)
    qtbot.waitUntil(lambda: console.status("hall-1") is not None, timeout=WAIT_MS)
    count = len(win.presentation.ids)
    sent: list[str] = []

    def storm() -> None:
        start = time.monotonic()
        for i in range(1000):
            kind = i % 10
            ident = f"s{i}"
            if kind in (0, 1, 2, 3):
                console.command("hall-1", "goto", str(i % count + 1), ident)
            elif kind in (4, 5):
                console.command("hall-1", "language", ("zh", "en", "es")[i % 3], ident)
            elif kind == 6:
                console.command("hall-1", "identify", None, ident)
            elif kind == 7:
                console.command("hall-1", "screenshot" if i % 40 == 7 else "goto", None if i % 40 == 7 else "1",
                                ident)
            elif kind == 8:
                console.send("hall-1", json.dumps({"id": ident, "command": "dance"}))
            else:
                console.command("hall-1", "goto", "no-such-panel", ident)
            sent.append(ident)
            time.sleep(max(0.0, start + (i + 1) / 100 - time.monotonic()))  # 100 a second

    probe = LoopProbe()
    probe.start()
    sender = threading.Thread(target=storm)
    started = time.monotonic()
    sender.start()
    qtbot.waitUntil(lambda: not sender.is_alive(), timeout=60_000)
    storm_s = time.monotonic() - started
    qtbot.waitUntil(lambda: len({r["id"] for r in console.replies("hall-1")} & set(sent)) == len(sent),
                    timeout=60_000)
    figures = probe.stop()

    replies = [r for r in console.replies("hall-1") if r["id"] in set(sent)]
    assert len(replies) == 1000 and len({r["id"] for r in replies}) == 1000  # each answered exactly once
    kinds: dict[str, int] = {}
    for r in replies:
        word = "ok" if r["ok"] else r["message"].split(":")[0]
        kinds[word] = kinds.get(word, 0) + 1
    counts = dict(booth.fleet.counts)
    print(f"\ncommand storm: 1000 commands in {storm_s:.1f} s; replies {kinds}; link counts {counts}")
    print(f"event-loop probe (10 ms timer) during the storm: {figures['ticks']} ticks, "
          f"late p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, max {figures['max_ms']:.1f} ms")
    assert figures["ticks"] > 100  # the loop kept turning throughout
    assert counts["refused"] == 100  # the unknown "dance" ones
    assert booth.fleet.waiting == 0
    # the show still answers a visitor, and the link a final command
    win.presentation.goto(1)
    answers_a_key(qtbot, win)
    got = reply(qtbot, console, "hall-1", console.command("hall-1", "goto", win.presentation.ids[-1], "final"))
    assert got["ok"] and win.presentation.index == count - 1 and win.stage.index == count - 1


# -- a booth process: restart, last will -------------------------------------------------------------


def booth_process(broker, name: str, tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "szkiosk", "--log-file", str(tmp_path / f"{name}.log"), "run", str(CONTENT),
         "--kiosk", "--no-start-frame", "--analytics", "off", "--booth", name, "--fleet", broker.url(name)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


def test_restart_leaves_with_75_and_a_killed_booth_goes_offline_by_its_last_will(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({"hall-9": "pw-nine"})
    console = Console(broker)
    procs: list[subprocess.Popen] = []
    try:
        proc = booth_process(broker, "hall-9", tmp_path)
        procs.append(proc)
        assert until(lambda: console.last("hall-9", topics.ONLINE) == b"true" and console.status("hall-9"), 90), \
            proc.stderr.read() if proc.poll() is not None else "no status"
        ident = console.command("hall-9", "restart")
        code = proc.wait(60)
        err = proc.stderr.read()
        assert code == 75, err
        got = console.reply_to("hall-9", ident)
        assert got is not None and got["ok"] and "75" in got["message"]
        assert "fleet: restart by command: leaving with exit status 75" in err
        assert "Traceback" not in err
        assert until(lambda: console.last("hall-9", topics.ONLINE) == b"false")  # a clean stop says so

        # the service would start it again: it comes back online, then dies without a word
        proc = booth_process(broker, "hall-9", tmp_path)
        procs.append(proc)
        assert until(lambda: console.last("hall-9", topics.ONLINE) == b"true", 90)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
        assert until(lambda: console.last("hall-9", topics.ONLINE) == b"false", 60)  # the broker's last will
        late = Console(broker)  # retained
        try:
            assert until(lambda: late.last("hall-9", topics.ONLINE) == b"false")
        finally:
            late.close()
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(30)
        console.close()


# -- command line --------------------------------------------------------------------------------------


def szkiosk(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "szkiosk", "--log-file", "none", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


@pytest.mark.parametrize(("args", "says"), [
    (["--kiosk", "--booth", "hall-1", "--fleet", "http://broker"], "use mqtt://host"),
    (["--kiosk", "--booth", "hall-1", "--fleet", "mqtt://broker:port"], "bad port"),
    (["--kiosk", "--booth", "all", "--fleet", "mqtt://broker"], "reserved"),
    (["--kiosk", "--booth", "hall 1", "--fleet", "mqtt://broker"], "booth name"),
    (["--kiosk", "--booth", "hall-1", "--fleet", "mqtt://hall-1:sekrit@broker:port"], "bad port"),
    (["--booth", "hall-1", "--fleet", "mqtt://broker"], "add --kiosk"),
    (["--kiosk", "--fleet", "mqtt://x:sekrit@broker", "--booth", "bad/name"], "booth name"),
])
def test_bad_fleet_arguments_exit_2_with_one_line(args: list[str], says: str) -> None:
    out = szkiosk("run", str(CONTENT), *args)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], out.stderr
    assert "Traceback" not in out.stderr and "sekrit" not in out.stderr  # never the password


def test_a_booth_without_fleet_imports_no_mqtt_code() -> None:
    code = (
        "import sys\n"
        "from szkiosk.cli import main\n"
        f"rc = main(['--log-file', 'none', 'run', {str(CONTENT)!r}, '--kiosk', '--quit-after', '2', "
        "'--no-start-frame', '--analytics', 'off'])\n"
        "print(rc, sorted(m for m in sys.modules if m.split('.')[0] == 'paho'"
        " or m in ('szkiosk.fleet.broker', 'szkiosk.booth.fleetlink')))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stdout + out.stderr


# -- the shipped example broker configuration ----------------------------------------------------------


def test_the_shipped_mosquitto_example_runs_and_its_acl_holds(tmp_path: Path) -> None:
    from mosquitto_broker import free_port, require_mosquitto

    binary, passwd = require_mosquitto()
    deploy = ROOT / "deploy" / "mosquitto"
    port = free_port()
    conf = (deploy / "mosquitto.conf").read_text(encoding="utf-8")
    swaps = {
        r"^listener 1883 0\.0\.0\.0$": f"listener {port} 127.0.0.1",
        r"^password_file .*$": f"password_file {tmp_path / 'passwords'}",
        r"^acl_file .*$": f"acl_file {tmp_path / 'acl'}",
        r"^persistence_location .*$": f"persistence_location {tmp_path}/",
        r"^log_dest syslog$": f"log_dest file {tmp_path / 'mosquitto.log'}",
    }
    for pattern, line in swaps.items():
        conf, n = re.subn(pattern, line, conf, flags=re.M)
        assert n == 1, f"the example has no single line {pattern!r}"
    assert re.search(r"^allow_anonymous false$", conf, re.M) and re.search(r"^persistence true$", conf, re.M)
    assert re.search(r"^#listener 8883", conf, re.M) and re.search(r"^#certfile ", conf, re.M)
    (tmp_path / "mosquitto.conf").write_text(conf + f"\nuser {getpass.getuser()}\n", encoding="utf-8")
    (tmp_path / "acl").write_text((deploy / "acl").read_text(encoding="utf-8"), encoding="utf-8")
    users = {"console": "c-pw", "hall-1": "one", "hall-2": "two"}
    (tmp_path / "passwords").touch()
    for user, password in users.items():
        subprocess.run([passwd, "-b", str(tmp_path / "passwords"), user, password], check=True, capture_output=True)
    proc = subprocess.Popen([binary, "-c", str(tmp_path / "mosquitto.conf")], stderr=subprocess.PIPE,
                            start_new_session=True)
    clients: list[FleetClient] = []

    def client(user: str, password: str, *, got: list | None = None, subscribe: tuple[str, ...] = ()) -> FleetClient:
        c = FleetClient(parse_broker_url(f"mqtt://{user}:{password}@127.0.0.1:{port}"), f"t-{user}-{len(clients)}",
                        on_message=(lambda t, p: got.append((t, p))) if got is not None else None)
        for s in subscribe:
            c.subscribe(s)
        clients.append(c)
        c.start()
        return c

    try:
        seen: list[tuple[str, bytes]] = []
        console = client("console", "c-pw", got=seen, subscribe=("szkiosk/#",))
        if not console.wait_subscribed(20):
            raise AssertionError(f"the example broker did not take the console: {console.last_error}")
        one_got: list[tuple[str, bytes]] = []
        one = client("hall-1", "one", got=one_got, subscribe=("szkiosk/hall-1/cmd", "szkiosk/all/cmd",
                                                               "szkiosk/hall-2/cmd", "szkiosk/hall-2/status"))
        assert one.wait_subscribed(20)
        wrong = client("hall-2", "wrong")
        assert until(lambda: wrong.last_error is not None) and not wrong.connected
        anonymous = FleetClient(parse_broker_url(f"mqtt://127.0.0.1:{port}"), "t-anonymous")
        clients.append(anonymous)
        anonymous.start()
        assert until(lambda: anonymous.last_error is not None) and not anonymous.connected

        assert one.publish("szkiosk/hall-1/status", b"mine")
        assert one.publish("szkiosk/hall-2/status", b"forged")   # the broker drops it
        assert one.publish("szkiosk/hall-1/cmd", b"reload")      # a booth may not command
        assert console.publish("szkiosk/hall-1/cmd", b"identify")
        assert console.publish("szkiosk/all/cmd", b"reload")
        assert console.publish("szkiosk/hall-2/cmd", b"fetch")   # not for hall-1's eyes
        assert console.publish("szkiosk/hall-2/status", b"console forged")  # the console only commands
        assert until(lambda: ("szkiosk/hall-1/status", b"mine") in seen)
        assert until(lambda: ("szkiosk/all/cmd", b"reload") in one_got)
        time.sleep(1.0)  # what is not delivered by now is not coming
        assert ("szkiosk/hall-1/cmd", b"identify") in one_got
        assert not [m for m in seen if m[1] in (b"forged", b"console forged")]
        assert ("szkiosk/hall-1/cmd", b"reload") not in seen
        assert not [m for m in one_got if m[0].startswith("szkiosk/hall-2/")]
    finally:
        for c in clients:
            c.close(timeout=1)
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def test_the_whole_fleet_side_status_screen_check_and_statistics(qtbot, window, mosquitto, tmp_path: Path) -> None:
    """start_fleet_link (what `run --kiosk --fleet` starts): the screen self-check's verdict
    reaches the status, and the booth's own analytics reach the broker as an hourly aggregate."""
    from szkiosk.booth.fleetlink import start_fleet_link

    broker = mosquitto(dict(BOOTHS))
    console = Console(broker)
    win = window(load_deck(CONTENT), kiosk=True)
    win.stage.animate_transitions = False
    booth = Booth(win, CONTENT, analytics_path=tmp_path / "hall-1.sqlite3", hide_cursor=False)
    booth.start(warm_up=False)
    try:
        restarts: list[int] = []  # the self-check's way out, kept inside this test
        link = start_fleet_link(booth, parse_broker_url(broker.url("hall-1")), "hall-1", check_every_ms=300,
                                restart=restarts.append)
        booth.fleet = link
        assert link.screen_check is not None and link.stats_sender is not None
        # the self-check has run on the real window and its verdict is in the retained status
        qtbot.waitUntil(lambda: (console.status("hall-1") or {}).get("screen_ok") is True, timeout=WAIT_MS)
        # a visitor looks at two panels; then the hour closes and the aggregate goes out
        booth.analytics.panel_shown(win.presentation.current_id)
        booth.analytics.touch()
        qtbot.keyClick(win, Qt.Key.Key_Right)
        booth.analytics.panel_shown(win.presentation.current_id)
        booth.analytics.flush()
        link.stats_sender.outbox.clock = lambda: time.time() + 2 * 3600
        link._pump_stats()
        qtbot.waitUntil(lambda: bool(console.on("hall-1", topics.STATS)), timeout=WAIT_MS)
        message = json.loads(console.on("hall-1", topics.STATS)[0])
        jsonschema.validate(message, topics.STATS_SCHEMA)
        assert message["booth"] == "hall-1"
        assert sum(row["views"] for row in message["rows"]) >= 1
        assert sum(row["touches"] for row in message["rows"]) >= 1
        # a blank screen is reported, with its reason
        from PySide6.QtWidgets import QWidget

        cover = QWidget(win)
        cover.setStyleSheet("background: black")
        cover.setAutoFillBackground(True)
        cover.setGeometry(win.rect())
        cover.show()
        qtbot.waitUntil(lambda: (console.status("hall-1") or {}).get("screen_ok") is False, timeout=WAIT_MS)
        assert "blank" in console.status("hall-1")["screen_reason"]
        # it goes on failing: the panel is rebuilt, then the booth asks to be restarted
        qtbot.waitUntil(lambda: restarts == [75], timeout=WAIT_MS)
    finally:
        booth.stop()
        win.stage.stop()
        console.close()


def central_totals(db: Path) -> tuple:
    """Views, touches and dwell summed over everything the collector stored."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT sum(views), sum(touches), sum(dwell_ms) FROM rows").fetchone()
    finally:
        conn.close()


@dataclass
class SendingHall:
    """A real booth (hall-1) sending past hours of visitors through a real broker to a real
    collector: what the statistics-loss tests plant their loss in."""

    link: FleetLink
    collector: object
    central: Path
    client: FleetClient


@pytest.fixture
def sending_hall(qtbot, window, mosquitto, tmp_path: Path):
    """:class:`SendingHall` with ``len(HOURS)`` hours sent and stored (the booth keeps its copies)."""
    import sqlite3

    from szkiosk.booth.fleetlink import start_fleet_link
    from szkiosk.fleet.collector import Collector, connect_collector
    from szkiosk.fleet.outbox import hour_text, hourly_upsert, increments

    broker = mosquitto(dict(BOOTHS))
    win = window(load_deck(CONTENT), kiosk=True)
    db = tmp_path / "hall-1.sqlite3"
    booth = Booth(win, CONTENT, analytics_path=db, hide_cursor=False)
    booth.start(warm_up=False)
    central = tmp_path / "central.sqlite3"
    collector = Collector(central)
    client = connect_collector(collector, parse_broker_url(broker.url()), "test-collector")
    try:
        link = start_fleet_link(booth, parse_broker_url(broker.url("hall-1")), "hall-1", restart=lambda _code: None)
        booth.fleet = link
        qtbot.waitUntil(lambda: link.client.connected and client.connected, timeout=WAIT_MS)
        conn = sqlite3.connect(db)
        with conn:  # past hours of visitors, closed into one message each and sent
            for back in HOURS:
                conn.execute(hourly_upsert(), increments(hour_text(time.time() - back * 3600), "title", "en",
                                                         views=back, touches=2 * back, dwell_s=1.5))
        conn.close()
        link._pump_stats()
        qtbot.waitUntil(lambda: collector.tally.stored == len(HOURS), timeout=WAIT_MS)
        yield SendingHall(link, collector, central, client)
    finally:
        client.close()
        collector.close()
        booth.stop()
        win.stage.stop()


#: The hours before now whose visitors the sending hall sends.
HOURS = (5, 4, 3)


def lose(central: Path, seq: int) -> None:
    """The broker "lost" message ``seq``: gone from the collector's database."""
    import sqlite3

    conn = sqlite3.connect(central)
    with conn:
        conn.execute("DELETE FROM rows WHERE seq = ?", (seq,))
        conn.execute("DELETE FROM messages WHERE seq = ?", (seq,))
    conn.close()


def stored_seqs(central: Path) -> list[int]:
    import sqlite3

    conn = sqlite3.connect(central)
    try:
        return [seq for (seq,) in conn.execute("SELECT seq FROM messages ORDER BY seq")]
    finally:
        conn.close()


def test_a_statistics_message_the_broker_lost_is_sent_again(qtbot, sending_hall: SendingHall) -> None:
    """QoS 1 ends at the broker: one that acknowledged a message and lost it (killed before
    it saved) leaves a gap at the collector. The collector asks (``resend``), the booth sends
    the kept message again, and the totals come out exact."""
    from szkiosk.fleet.collector import GapFiller

    hall = sending_hall
    expected = central_totals(hall.central)
    lost = stored_seqs(hall.central)[1]  # the middle one
    lose(hall.central, lost)
    assert central_totals(hall.central) != expected
    filler = GapFiller(hall.central, hall.client, settle_s=0)
    assert filler.tick() == [("hall-1", lost, lost)]
    qtbot.waitUntil(lambda: hall.collector.tally.stored == 4, timeout=WAIT_MS)  # the copy, stored again
    assert central_totals(hall.central) == expected
    assert filler.tick() == []  # no gap left


def test_a_lost_newest_statistics_message_is_asked_for_from_the_status(qtbot, sending_hall: SendingHall) -> None:
    """A lost *newest* message leaves no gap between messages that arrived. The booth's status
    says which seq is its newest (``stats_seq``), so the collector asks for it all the same."""
    from szkiosk.fleet.collector import GapFiller, missing_seqs

    hall = sending_hall
    expected = central_totals(hall.central)
    newest = hall.link.stats_sender.outbox.newest_seq()
    assert stored_seqs(hall.central)[-1] == newest
    lose(hall.central, newest)  # and nothing came after it
    assert missing_seqs(hall.central) == {}  # between the messages that arrived, nothing is missing
    assert hall.link.publish_status()  # what its minute timer sends
    jsonschema.validate(hall.link.last_status, topics.STATUS_SCHEMA)
    assert hall.link.last_status["stats_seq"] == newest
    qtbot.waitUntil(lambda: missing_seqs(hall.central) == {"hall-1": [(newest, newest)]}, timeout=WAIT_MS)
    filler = GapFiller(hall.central, hall.client, settle_s=0)
    assert filler.tick() == [("hall-1", newest, newest)]
    qtbot.waitUntil(lambda: hall.collector.tally.stored == 4, timeout=WAIT_MS)  # the booth's kept copy
    assert central_totals(hall.central) == expected
    assert missing_seqs(hall.central) == {} and filler.tick() == []


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_the_identify_card_never_splits_the_booth_name(qtbot, window, tmp_path: Path, size) -> None:
    """Read from across a hall, in landscape and portrait: the name stays on one line."""
    from szkiosk.kit.text import TextItem

    win = window(load_deck(CONTENT), kiosk=True)
    win.resize(*size)
    qtbot.wait(50)
    booth = Booth(win, CONTENT, analytics_path=None, hide_cursor=False)
    booth.start(warm_up=False)
    try:
        link = FleetLink(booth, parse_broker_url("mqtt://hall-3-east-entrance:pw@127.0.0.1:1"), "hall-3-east-entrance")
        link.show_identify()
        card = link._identify
        texts = [i for i in card.childItems() for i in [i, *i.childItems()] if isinstance(i, TextItem)]
        first = card.text.splitlines()[0]
        assert first in ("Booth hall-3-east-entrance", "展位 hall-3-east-entrance")
        (name,) = [t for t in texts if t.text == first]
        assert name.lines == (first,)  # one line, not split at a hyphen
        link.stop()
    finally:
        booth.stop()
        win.stage.stop()
