"""The last good deck across restarts, and the "back soon" screen when there is none."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from szkiosk.booth.backsoon import BackSoonWindow, DeckProbe
from szkiosk.booth.lastgood import KEEP, MANIFEST, boot_deck, save_snapshot, snapshot_root, snapshots
from szkiosk.catalogue import ui_text

ROOT = Path(__file__).resolve().parents[2]


def break_deck_yaml(deck: Path) -> None:
    (deck / "deck.yaml").write_text("title: [unclosed\n", encoding="utf-8")


def test_a_clean_deck_is_snapshotted_once_and_only_the_newest_are_kept(deck_copy: Path) -> None:
    first = save_snapshot(deck_copy)
    assert first is not None and first.parent == snapshot_root()
    assert (first / "deck.yaml").read_bytes() == (deck_copy / "deck.yaml").read_bytes()
    assert (first / MANIFEST).exists()
    assert save_snapshot(deck_copy) == first  # same content: nothing new written
    title = deck_copy / "panels" / "title.yaml"
    for n in range(3):
        title.write_text(title.read_text(encoding="utf-8") + f"\n# edit {n}\n", encoding="utf-8")
        assert save_snapshot(deck_copy) is not None
    kept = snapshots()
    assert len(kept) == KEEP and first not in kept
    assert "# edit 2" in (kept[0] / "panels" / "title.yaml").read_text(encoding="utf-8")
    assert not [p for p in snapshot_root().iterdir() if p.name.startswith(".tmp-")]


def test_a_broken_deck_is_never_snapshotted(deck_copy: Path) -> None:
    panel = deck_copy / "panels" / "five-actions.yaml"
    panel.write_text("this: [is: broken\n", encoding="utf-8")
    assert save_snapshot(deck_copy) is None
    assert snapshots() == []


def test_a_snapshot_is_not_snapshotted_again(deck_copy: Path) -> None:
    snap = save_snapshot(deck_copy)
    assert save_snapshot(snap) is None
    assert snapshots() == [snap]


def test_boot_prefers_the_deck_then_the_last_good_copy_then_nothing(deck_copy: Path, tmp_path: Path) -> None:
    assert boot_deck(deck_copy).source == "deck"
    missing = boot_deck(tmp_path / "nowhere")
    assert missing.source == "none" and missing.loaded is None and "no such folder" in missing.problem
    snap = save_snapshot(deck_copy)
    break_deck_yaml(deck_copy)
    boot = boot_deck(deck_copy)
    assert boot.source == "last-good" and boot.snapshot == snap
    assert boot.loaded.root == snap.resolve() and not boot.loaded.errors
    assert "YAML syntax error" in boot.problem
    assert boot_deck(tmp_path / "nowhere").source == "last-good"
    # a deck with one broken panel gives way to the last good copy too (as hot reload does)
    shutil.copy(snap / "deck.yaml", deck_copy / "deck.yaml")
    (deck_copy / "panels" / "five-actions.yaml").write_text("x: [\n", encoding="utf-8")
    assert boot_deck(deck_copy).source == "last-good"
    # ... but with no copy it is shown with that panel marked, rather than nothing
    shutil.rmtree(snapshot_root())
    partial = boot_deck(deck_copy)
    assert partial.source == "deck" and partial.problem and partial.loaded is not None


def test_a_damaged_snapshot_is_skipped(deck_copy: Path) -> None:
    older = save_snapshot(deck_copy)
    title = deck_copy / "panels" / "title.yaml"
    title.write_text(title.read_text(encoding="utf-8") + "\n# newer\n", encoding="utf-8")
    newer = save_snapshot(deck_copy)
    break_deck_yaml(newer)
    break_deck_yaml(deck_copy)
    boot = boot_deck(deck_copy)
    assert boot.source == "last-good" and boot.snapshot == older


def test_back_soon_window_speaks_every_shipped_language_and_cannot_be_closed(qtbot) -> None:
    window = BackSoonWindow(kiosk=True)
    qtbot.addWidget(window)
    window.resize(960, 540)
    window.show()
    qtbot.waitExposed(window)
    texts = window.texts()
    assert [t[0] for t in texts][:3] == [ui_text("booth.back_soon", lang) for lang in ("en", "zh", "es")]
    assert len({t[0] for t in texts}) == len(texts)
    image = window.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, 960, 8) for y in range(0, 540, 8)}
    assert len(colours) > 4, "the screen looks blank"
    window.close()  # Alt+F4, the window manager
    assert window.isVisible()
    window.close_now()
    assert not window.isVisible()


def test_probe_hands_over_the_deck_once_it_is_complete_and_clean(qtbot, deck_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "arrives"
    probe = DeckProbe(target, interval_ms=100)
    found = []
    probe.ready.connect(found.append)
    probe.start()
    try:
        target.mkdir()
        (target / "deck.yaml").write_text("title: [unclosed\n", encoding="utf-8")
        qtbot.wait(600)  # several looks at a broken deck: nothing is handed over
        assert found == []
        shutil.rmtree(target)
        shutil.copytree(deck_copy, target)
        qtbot.waitUntil(lambda: bool(found), timeout=20000)
    finally:
        probe.stop()
    assert found[0].root == target.resolve() and not found[0].errors


class Run:
    """``szkiosk run DECK --kiosk`` in a subprocess (offscreen), stderr read as it comes."""

    def __init__(self, deck: Path, *extra: str) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("DISPLAY", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "szkiosk", "--log-file", "none", "run", str(deck), "--kiosk", "--windowed",
             "--analytics", "off", "--no-start-frame", *extra],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self._queue.put(line) for line in self.proc.stderr], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, "exited early:\n" + "".join(self.lines)
                continue
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} within {timeout} s:\n" + "".join(self.lines))

    def end(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(60)
        while not self._queue.empty():
            self.lines.append(self._queue.get())
        return code


def test_a_booth_with_no_deck_shows_back_soon_and_takes_the_deck_when_it_arrives(tmp_path: Path) -> None:
    deck = tmp_path / "usb" / "deck"
    run = Run(deck)
    try:
        run.wait_for("back-soon screen up")
        shutil.copytree(ROOT / "content", deck)  # the USB stick mounts late
        run.wait_for("is usable again")
        run.wait_for("warm-up:")  # the show is up, on the real deck
    finally:
        code = run.end()
    assert code == 0, "".join(run.lines)
    assert not any("Traceback" in line for line in run.lines)
    assert snapshots(), "the deck that arrived is kept as the last good one"


def test_a_booth_with_a_broken_deck_starts_on_the_last_good_copy(deck_copy: Path) -> None:
    good = save_snapshot(deck_copy)
    break_deck_yaml(deck_copy)
    run = Run(deck_copy)
    try:
        line = run.wait_for("starting on the last good copy")
        assert "WARNING" in line and str(good) in line
        run.wait_for("warm-up:")
        shutil.copy(good / "deck.yaml", deck_copy / "deck.yaml")  # staff fix the deck
        run.wait_for("usable again")
    finally:
        code = run.end()
    assert code == 0, "".join(run.lines)
    assert not any("Traceback" in line for line in run.lines)


def test_sigterm_on_the_back_soon_screen_exits_0(tmp_path: Path) -> None:
    run = Run(tmp_path / "never")
    try:
        run.wait_for("back-soon screen up")
    finally:
        code = run.end()
    assert code == 0, "".join(run.lines)
    assert any("stopped cleanly on SIGTERM" in line for line in run.lines)
