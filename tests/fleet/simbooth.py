"""Light simulated booths that speak the fleet contract (:mod:`szkiosk.fleet.topics`) exactly.

A :class:`SimBooth` is what the console sees of a real booth, without Qt: it logs in to the
broker as its own user (user name = booth name) through the same :class:`FleetClient` a real
booth uses, with the last will ``szkiosk/<booth>/online = false`` (retained); on every connect
it publishes ``online = true`` and its ``status`` (both retained, QoS 1); it republishes the
status every ``status_interval`` seconds and on every change; it answers ``szkiosk/<booth>/cmd``
and ``szkiosk/all/cmd`` with one reply per command (refusing unknown or malformed ones, as the
booth must), and ``screenshot`` with a small valid PNG made with zlib and struct.

Many booths share one ticker thread (:class:`SimFleet`); each has its paho network thread.

Run as a script, it starts the booths of a JSON spec, prints ``ready`` once all are online,
and runs until killed; a test kills it with SIGKILL so the broker sends the booths' last wills
(a booth PC that lost power)::

    python tests/fleet/simbooth.py SPEC.json     # [{"name": ..., "url": ..., "state": {...}}, ...]

Real booths (``szkiosk run --kiosk --booth NAME --fleet URL``) can join the same broker beside
them: give them a broker user each (``Broker.add_user``) and they appear in the same console.
"""

from __future__ import annotations

import json
import struct
import sys
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script from a checkout: find szkiosk in src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from szkiosk import __version__
from szkiosk.fleet import topics
from szkiosk.fleet.broker import FleetClient, parse_broker_url

PANELS = ("welcome", "chain", "innovation", "green", "talent", "openness")
LANGUAGES = ("en", "zh", "es")


def make_png(width: int = 32, height: int = 18, rgb: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    """A valid RGB PNG of one colour with a lighter top-left quarter, without Qt."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    light = tuple(min(255, c + 80) for c in rgb)
    rows = b"".join(
        b"\x00" + b"".join(bytes(light if (x < width // 2 and y < height // 2) else rgb) for x in range(width))
        for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@dataclass
class BoothState:
    """What a simulated booth reports (and how it misbehaves)."""

    panel: str | None = "welcome"
    language: str | None = "en"
    content_commit: str | None = "3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f6a7b8c9d0e"
    content_age_s: float | None = 3600.0
    errors_count: int = 0
    errors_latest: str | None = None
    last_touch_age_s: float | None = 120.0
    screen_ok: bool | None = True
    screen_reason: str | None = None
    visitors_today: int = 0
    #: write ``at`` this many seconds in the past (a stale booth)
    status_backdate_s: float = 0.0
    #: publish no periodic status after the first (a hung status loop)
    frozen: bool = False
    #: publish this (text) instead of a status (a broken booth)
    malformed: str | None = None
    panels: tuple[str, ...] = PANELS
    #: answer commands (False: a booth whose command handler hangs)
    answers: bool = True


@dataclass
class Traffic:
    """What one booth sent: messages and payload bytes per topic leaf."""

    messages: dict[str, int] = field(default_factory=dict)
    payload_bytes: dict[str, int] = field(default_factory=dict)

    def add(self, leaf: str, size: int) -> None:
        self.messages[leaf] = self.messages.get(leaf, 0) + 1
        self.payload_bytes[leaf] = self.payload_bytes.get(leaf, 0) + size


class SimBooth:
    """One simulated booth on its own MQTT connection (see the module's docstring)."""

    def __init__(self, url: str, name: str, state: BoothState | None = None, *,
                 status_interval: float | None = 60.0, keepalive: int = 30) -> None:
        self.name = topics.check_booth_name(name)
        self.state = state or BoothState()
        self.status_interval = status_interval
        self.started = time.time()
        self.traffic = Traffic()
        self.commands: list[topics.Command | None] = []
        self.next_status = 0.0
        self._lock = threading.Lock()
        self.client = FleetClient(
            parse_broker_url(url), f"sim-{name}", keepalive=keepalive,
            will=(topics.topic(name, topics.ONLINE), b"false", 1, True),
            on_message=self._on_message, on_connected=self._on_connected)
        self.client.subscribe(topics.topic(name, topics.CMD))
        self.client.subscribe(topics.topic(topics.ALL, topics.CMD))

    # -- life -----------------------------------------------------------------------------
    def start(self) -> SimBooth:
        """Connect in the background (online and status follow on connect)."""
        self.client.start()
        return self

    def stop(self) -> None:
        """A clean stop: ``online = false`` (retained), then disconnect."""
        self.client.close(last=(topics.topic(self.name, topics.ONLINE), b"false", True))

    def forget(self) -> None:
        """Clear this booth's retained ``online`` and ``status`` (it leaves the console), then disconnect."""
        for leaf in (topics.ONLINE, topics.STATUS):
            self._publish(leaf, b"", retain=True)
        self.client.close(last=(topics.topic(self.name, topics.ONLINE), b"", True))

    def _on_connected(self) -> None:
        self._publish(topics.ONLINE, b"true", retain=True)
        self.publish_status()

    # -- status ---------------------------------------------------------------------------
    def status(self, now: float | None = None) -> dict[str, Any]:
        """The status payload (:data:`topics.STATUS_SCHEMA`)."""
        now = time.time() if now is None else now
        s = self.state
        return {
            "booth": self.name,
            "version": __version__,
            "content_commit": s.content_commit,
            "content_time": None if s.content_age_s is None else topics.iso_time(now - s.content_age_s),
            "panel": s.panel,
            "language": s.language,
            "errors": {"count": s.errors_count, "latest": s.errors_latest},
            "last_touch": None if s.last_touch_age_s is None else topics.iso_time(now - s.last_touch_age_s),
            "uptime_s": int(now - self.started),
            "screen_ok": s.screen_ok,
            "screen_reason": s.screen_reason,
            "visitors_today": s.visitors_today,
            "at": topics.iso_time(now - s.status_backdate_s),
        }

    def publish_status(self) -> None:
        """Publish the status now (retained) and schedule the next periodic one."""
        with self._lock:
            if self.state.malformed is not None:
                payload = self.state.malformed.encode()
            else:
                payload = json.dumps(self.status(), ensure_ascii=False).encode()
            self._publish(topics.STATUS, payload, retain=True)
            if self.status_interval is not None:
                self.next_status = time.monotonic() + self.status_interval

    def tick(self, now: float) -> None:
        """The periodic status, when due (called by :class:`SimFleet`'s ticker)."""
        if (self.status_interval is not None and not self.state.frozen and self.client.connected
                and now >= self.next_status):
            self.publish_status()

    def _publish(self, leaf: str, payload: bytes, *, retain: bool = False) -> None:
        if self.client.publish(topics.topic(self.name, leaf), payload, qos=1, retain=retain):
            self.traffic.add(leaf, len(payload))

    # -- commands -------------------------------------------------------------------------
    def _reply(self, command: topics.Command | None, ok: bool, message: str) -> None:
        self._publish(topics.REPLY, topics.reply_payload(self.name, command, ok, message))

    def _on_message(self, _topic: str, payload: bytes) -> None:
        if not self.state.answers:
            return
        try:
            command = topics.parse_command(payload)
        except topics.CommandError as exc:
            self.commands.append(None)
            self._reply(None, False, f"refused: {exc}")
            return
        self.commands.append(command)
        ok, message, changed = self._run(command)
        self._reply(command, ok, message)
        if changed:
            self.publish_status()

    def _run(self, command: topics.Command) -> tuple[bool, str, bool]:
        s = self.state
        match command.name:
            case "goto":
                if command.arg not in s.panels:
                    return False, f"no panel {command.arg!r} in this deck", False
                s.panel = command.arg
                return True, f"showing {command.arg}", True
            case "language":
                if command.arg not in LANGUAGES:
                    return False, f"no language {command.arg!r} in this deck", False
                s.language = command.arg
                return True, f"language {command.arg}", True
            case "identify":
                return True, f"showing the name {self.name} for 10 s", False
            case "screenshot":
                seed = sum(self.name.encode())
                self._publish(topics.SCREENSHOT, make_png(rgb=(seed % 200, (seed * 7) % 200, (seed * 13) % 200)))
                return True, "screenshot sent", False
            case "reload":
                return True, "reloaded", False
            case "fetch":
                return True, "no new commit", False
            case "restart":
                return True, "restarting", False
            case _:  # rollback
                return False, "no previous commit to go back to", False


class SimFleet:
    """Many :class:`SimBooth` s with one ticker thread for their periodic statuses."""

    def __init__(self) -> None:
        self.booths: dict[str, SimBooth] = {}
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="simfleet-ticker", daemon=True)

    def add(self, booth: SimBooth) -> SimBooth:
        """Start ``booth`` and tick it from now on."""
        self.booths[booth.name] = booth
        booth.start()
        if not self._ticker.is_alive() and not self._stop.is_set():
            self._ticker.start()
        return booth

    def all_connected(self) -> bool:
        """Every booth's connection is up."""
        return all(b.client.connected for b in self.booths.values())

    def _tick(self) -> None:
        while not self._stop.wait(0.05):
            now = time.monotonic()
            for booth in list(self.booths.values()):
                booth.tick(now)

    def close(self) -> None:
        """Stop every booth cleanly (online = false)."""
        self._stop.set()
        for booth in self.booths.values():
            booth.stop()


def spec_entry(name: str, url: str, state: BoothState) -> dict[str, Any]:
    """One booth of a script spec (JSON)."""
    body = asdict(state)
    body["panels"] = list(state.panels)
    return {"name": name, "url": url, "state": body}


def main(argv: list[str]) -> int:
    """Run the booths of the spec in ``argv[0]`` until killed; print ``ready`` once all are online."""
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    fleet = SimFleet()
    for entry in spec:
        state = BoothState(**{**entry["state"], "panels": tuple(entry["state"]["panels"])})
        fleet.add(SimBooth(entry["url"], entry["name"], state, status_interval=entry.get("status_interval", 60.0)))
    deadline = time.monotonic() + 30
    while not fleet.all_connected() and time.monotonic() < deadline:
        time.sleep(0.05)
    print("ready" if fleet.all_connected() else "not connected", flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
