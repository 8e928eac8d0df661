"""The start-up frame: saved at a plain start, shown at the next, dropped when anything changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from szkiosk.show.startframe import FrameWindow, cache_folder, read_raw, write_raw

ROOT = Path(__file__).resolve().parents[2]
RUN = ("--log-level", "info", "--log-file", "none", "run")
QUIT = ("--quit-after-first-paint", "--windowed", "--window-size", "960x540")
SHOWN = "start-up frame shown"


def szkiosk(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a new process, offscreen, sharing this test's private cache folder."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "szkiosk", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)[:, :, :3].copy()


def test_frame_is_saved_then_shown_then_dropped_when_the_deck_changes(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "content", deck)
    first = szkiosk(*RUN, str(deck), *QUIT)
    assert first.returncode == 0, first.stderr
    assert SHOWN not in first.stderr
    saved = list(cache_folder().glob("*.rgb"))
    assert len(saved) == 1
    image, _ = read_raw(saved[0])
    assert image.size().toTuple() == (960, 540)
    # the live window's first frame: the stage background and the footer's words, not black
    assert (_pixels(image).reshape(-1, 3).max(axis=0) > 200).all()

    second = szkiosk(*RUN, str(deck), *QUIT)
    assert second.returncode == 0 and SHOWN in second.stderr

    other_size = szkiosk(*RUN, str(deck), "--quit-after-first-paint", "--windowed", "--window-size", "800x600")
    assert SHOWN not in other_size.stderr  # a different window: its own frame

    panel = deck / "panels" / "title.yaml"
    time.sleep(0.01)
    panel.write_text(panel.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = szkiosk(*RUN, str(deck), *QUIT)
    assert edited.returncode == 0 and SHOWN not in edited.stderr
    again = szkiosk(*RUN, str(deck), *QUIT)
    assert SHOWN in again.stderr

    off = szkiosk(*RUN, str(deck), *QUIT, "--no-start-frame")
    assert off.returncode == 0 and SHOWN not in off.stderr


def test_a_damaged_frame_file_means_a_plain_start(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "content", deck)
    assert szkiosk(*RUN, str(deck), *QUIT).returncode == 0
    saved = next(cache_folder().glob("*.rgb"))
    saved.write_bytes(saved.read_bytes()[:5000])  # cut short
    out = szkiosk(*RUN, str(deck), *QUIT)
    assert out.returncode == 0 and SHOWN not in out.stderr
    assert "Traceback" not in out.stderr
    saved.write_bytes(b"not a frame at all")
    out = szkiosk(*RUN, str(deck), *QUIT)
    assert out.returncode == 0 and SHOWN not in out.stderr


def test_raw_frames_round_trip_exactly(tmp_path: Path) -> None:
    image = QImage(64, 36, QImage.Format.Format_RGB32)
    image.fill(QColor("#0A1A33"))
    painter = QPainter(image)
    painter.fillRect(10, 5, 20, 10, QColor("#FF6B5E"))
    painter.end()
    write_raw(image, tmp_path / "f.rgb")
    back, _ = read_raw(tmp_path / "f.rgb")
    assert (_pixels(back) == _pixels(image)).all()
    assert read_raw(tmp_path / "missing.rgb")[0].isNull()


def test_frame_window_draws_the_image_and_stays_until_told(qtbot) -> None:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor("#13294B"))
    window = FrameWindow(image)
    qtbot.addWidget(window)
    window.resize(320, 180)
    window.show()
    window.wait_for_paint()
    assert window.painted
    assert (_pixels(window.grab().toImage()) == _pixels(image)).all()
    window.close()  # a visitor's Alt+F4 or the window manager
    assert window.isVisible()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it at teardown
    window.close_now()
    assert not window.isVisible()


def _fake_frame(folder: Path, name: str, size: int, used: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.rgb").write_bytes(b"\0" * size)
    (folder / f"{name}.key").write_text("k", encoding="utf-8")
    for suffix in (".rgb", ".key"):
        os.utime(folder / f"{name}{suffix}", (used, used))


def test_the_cache_keeps_the_most_recently_used_frames_within_count_and_size(tmp_path: Path) -> None:
    from szkiosk.show.startframe import prune

    folder = tmp_path / "cache"
    for i in range(12):  # frame 11 is the most recently used
        _fake_frame(folder, f"f{i:02d}", 1000, 1_000_000 + i)
    (folder / "old.part").write_bytes(b"x")
    os.utime(folder / "old.part", (1, 1))
    prune(folder, keep=8, max_bytes=10**9)
    assert sorted(p.stem for p in folder.glob("*.rgb")) == [f"f{i:02d}" for i in range(4, 12)]
    assert not (folder / "old.part").exists()
    prune(folder, keep=8, max_bytes=3 * 1001 + 10)  # room for three frames
    assert sorted(p.stem for p in folder.glob("*.key")) == ["f09", "f10", "f11"]
    _fake_frame(folder, "big", 10_000, 1.0)  # just written, bigger than the cap: it stays, the rest go
    prune(folder, keep=8, max_bytes=5000, protect="big")
    assert sorted(p.stem for p in folder.glob("*.rgb")) == ["big"]


def test_a_real_start_prunes_the_cache(tmp_path: Path) -> None:
    from szkiosk.show import startframe

    for i in range(startframe.MAX_FRAMES + 4):  # frames of decks long gone, each 1 MB
        _fake_frame(cache_folder(), f"gone{i:02d}", 1 << 20, 1_000_000 + i)
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "content", deck)
    assert szkiosk(*RUN, str(deck), *QUIT).returncode == 0
    kept = sorted(p.stem for p in cache_folder().glob("*.rgb"))
    assert len(kept) == startframe.MAX_FRAMES
    assert "gone00" not in kept and "gone11" in kept  # the least recently used went first
    assert len([k for k in kept if not k.startswith("gone")]) == 1  # this start's frame is kept


def test_a_file_as_deck_is_refused_without_walking_its_folder(tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("not a deck", encoding="utf-8")
    for i in range(50):
        (tmp_path / f"junk{i}.bin").write_bytes(b"0" * 100)
    out = szkiosk(*RUN, str(stray), *QUIT)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [f"{stray}: is a file, not a deck folder (give the folder that holds "
                                                "deck.yaml)"]
    assert not cache_folder().exists() or not list(cache_folder().iterdir())
