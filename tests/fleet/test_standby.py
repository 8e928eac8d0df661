"""A booth on its "back soon" screen is seen by the fleet: online, why, and a few commands.

One real kiosk process (offscreen) with ``--fleet`` starts on a deck folder that does not
exist, against a real Mosquitto. The console must list it online among the problems with the
reason; ``identify`` puts its name on the back-soon screen (read back through ``screenshot``);
commands that need a deck are answered, not dropped; a broken deck changes the reason; a good
deck takes over and the booth never looks offline on the way.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from fleet_processes import ROOT, booth_env, start_booth, stop_booth, szkiosk, until
from mosquitto_broker import Broker
from szkiosk.fleet.broker import FleetClient, parse_broker_url

NAME = "standby-1"


class Observer:
    """Every message of one booth as the console user sees it, in order."""

    def __init__(self, broker: Broker) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[str, bytes]] = []
        self.client = FleetClient(parse_broker_url(broker.url()), "observer", on_message=self._feed)
        for leaf in ("online", "status", "reply"):
            self.client.subscribe(f"szkiosk/{NAME}/{leaf}")
        self.client.start()
        assert self.client.wait_subscribed(10)

    def _feed(self, topic: str, payload: bytes) -> None:
        with self.lock:
            self.seen.append((topic.rsplit("/", 1)[1], payload))

    def of(self, leaf: str) -> list[bytes]:
        with self.lock:
            return [payload for kind, payload in self.seen if kind == leaf]

    def status(self) -> dict | None:
        statuses = self.of("status")
        return json.loads(statuses[-1]) if statuses else None

    def replies(self) -> list[dict]:
        return [json.loads(p) for p in self.of("reply")]


def test_a_booth_without_a_deck_reports_why_answers_and_hands_over_to_the_show(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({NAME: "pw-standby"})
    observer = Observer(broker)
    deck = tmp_path / "deck"  # not there yet
    env = booth_env(tmp_path)
    log = tmp_path / "booth.log"
    booth = start_booth(env, log, str(deck), "--kiosk", "--booth", NAME, "--fleet", broker.url(NAME))
    console = broker.url()

    def said() -> str:
        return log.read_text(errors="replace") if log.exists() else "(no log)"

    try:
        # online, with a status that says why, among the console's problems
        assert until(lambda: observer.status() is not None), said()
        assert observer.of("online") == [b"true"]
        status = observer.status()
        assert (status["booth"], status["panel"], status["language"], status["screen_ok"]) == (NAME, None, None, False)
        assert status["screen_reason"] == "back soon: no usable deck yet"
        assert status["errors"] == {"count": 1, "latest": f"no usable deck: {deck}: no such folder"}
        done = szkiosk(env, "fleet", "status", "--once", "--json", "--broker", console)
        assert done.returncode == 0, done.stderr
        (row,) = json.loads(done.stdout)
        assert (row["booth"], row["online"], row["problems"]) == (NAME, True, ["screen", "errors"])

        # identify: the booth's name on the back-soon screen, read back through a screenshot
        done = szkiosk(env, "fleet", "send", NAME, "identify", "--broker", console)
        assert (done.returncode, done.stdout.strip()) == (0, f"{NAME}: ok: identify: showing 'Booth {NAME}' for 10 s")
        shot = tmp_path / "shot.png"
        done = szkiosk(env, "fleet", "screenshot", NAME, str(shot), "--broker", console)
        assert done.returncode == 0, done.stderr
        image = QImage(str(shot)).convertToFormat(QImage.Format.Format_RGB888)
        assert (image.width(), image.height()) == (1280, 720)
        pixels = np.frombuffer(image.constBits(), np.uint8).reshape(720, image.bytesPerLine())[:, :1280 * 3]
        pixels = pixels.reshape(720, 1280, 3).astype(int)
        band = pixels[int(720 * 0.86):int(720 * 0.97)]  # where the name is written, in the accent colour
        reddish = (band[..., 0] > 180) & (band[..., 1] < 140) & (band[..., 2] < 140)
        assert reddish.sum() > 2000, "the booth's name is not on the screen"
        above = pixels[int(720 * 0.15):int(720 * 0.85)]
        assert ((above[..., 0] > 180) & (above[..., 1] < 140) & (above[..., 2] < 140)).sum() == 0

        # what needs a deck is answered, not dropped; a malformed command is refused; the booth runs on
        done = szkiosk(env, "fleet", "send", NAME, "goto", "title", "--broker", console)
        assert done.returncode == 1 and f"no deck on screen yet (back soon: {deck}: no such folder)" in done.stdout
        done = szkiosk(env, "fleet", "send", NAME, "fetch", "--broker", console)
        assert "does not follow a content repository" in done.stdout
        client = FleetClient(parse_broker_url(console), "raw")
        client.start()
        assert client.wait_connected(10)
        client.publish(f"szkiosk/{NAME}/cmd", b"\xff\xfe not a command", qos=1)
        assert until(lambda: any(r["message"].startswith("refused:") for r in observer.replies()))
        client.close()
        assert booth.poll() is None

        # a broken deck: the reason follows it
        deck.mkdir()
        (deck / "deck.yaml").write_text("title: [unclosed\n", encoding="utf-8")
        assert until(lambda: "deck.yaml" in (observer.status() or {})["errors"]["latest"]), observer.status()
        assert observer.status()["panel"] is None

        # a good deck: the show takes over under the same name, and the booth never looked offline
        shutil.rmtree(deck)
        shutil.copytree(ROOT / "content", deck)
        assert until(lambda: (observer.status() or {}).get("panel") == "title", 60), said()
        status = observer.status()
        assert (status["language"], status["errors"]["count"], status["screen_reason"]) == ("en", 0, None)
        assert b"false" not in observer.of("online") and booth.poll() is None
    finally:
        stop_booth(booth)
    assert until(lambda: observer.of("online")[-1:] == [b"false"], 10)  # a clean stop says so
    observer.client.close()


def test_a_booth_whose_repository_has_no_good_commit_yet_is_seen_and_fetches_on_command(
        mosquitto, tmp_path: Path) -> None:
    from content_repos import break_deck, commit, git, new_source

    source = new_source(tmp_path / "source")
    break_deck(source)
    git("add", "-A", cwd=source)
    git("-c", "user.name=Curator", "-c", "user.email=curator@example.org", "commit", "--quiet", "--amend",
        "-m", "A broken first deck", cwd=source)  # the only commit is broken
    broker = mosquitto({NAME: "pw-standby"})
    observer = Observer(broker)
    env = booth_env(tmp_path)
    log = tmp_path / "booth.log"
    booth = start_booth(env, log, "--kiosk", "--booth", NAME, "--fleet", broker.url(NAME),
                        "--content-repo", str(source))
    console = broker.url()
    try:
        # the broken commit is refused and never shown; the console reads that it was
        broken = git("rev-parse", "HEAD", cwd=source)
        assert until(lambda: observer.status() is not None, 60), log.read_text(errors="replace") if log.exists() else ""
        status = observer.status()
        assert (status["panel"], status["screen_ok"], status["content_commit"]) == (None, False, None)
        # named as in the repository, where the curator can find it
        assert status["errors"]["latest"].startswith(
            f"no usable deck: commit {broken[:12]} refused: content invalid: panels/reforms.yaml:"), status

        # mended upstream, fetched on command: the show takes over with that commit
        shutil.copy2(ROOT / "content" / "panels" / "reforms.yaml", source / "panels" / "reforms.yaml")
        good = commit(source, "Mended")
        done = szkiosk(env, "fleet", "send", NAME, "fetch", "--broker", console)
        assert done.returncode == 0 and "fetching from" in done.stdout, done.stdout + done.stderr
        assert until(lambda: (observer.status() or {}).get("content_commit") == good, 90), observer.status()
        assert observer.status()["panel"] == "title" and b"false" not in observer.of("online")
    finally:
        stop_booth(booth)
        observer.client.close()


def test_restart_from_the_back_soon_screen_leaves_for_the_service_and_says_offline(
        mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({NAME: "pw-standby"})
    observer = Observer(broker)
    env = booth_env(tmp_path)
    log = tmp_path / "booth.log"
    booth = start_booth(env, log, str(tmp_path / "missing"), "--kiosk", "--booth", NAME, "--fleet", broker.url(NAME))
    try:
        assert until(lambda: observer.status() is not None), log.read_text(errors="replace") if log.exists() else ""
        done = szkiosk(env, "fleet", "send", NAME, "restart", "--broker", broker.url())
        assert done.returncode == 0 and "restarting: leaving with exit status 75" in done.stdout, done.stdout
        assert booth.wait(30) == 75  # the service (Restart=always) starts it again
    finally:
        stop_booth(booth)
    assert until(lambda: observer.of("online")[-1:] == [b"false"], 10)
    observer.client.close()
