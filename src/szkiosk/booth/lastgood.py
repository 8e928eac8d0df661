"""The last good deck, kept across restarts: a booth never boots to the desktop.

Every deck that loads cleanly in kiosk mode is copied (its regular files; decks are small)
into ``$XDG_STATE_HOME/szkiosk/last-good/``: written into a temporary folder, loaded back to
prove the copy is clean, then renamed into place in one step, so a power cut leaves either
the old snapshot or the new one, never half of one. The newest :data:`KEEP` are kept.

At boot (:func:`boot_deck`) a deck that is missing, unreadable or broken gives way to the
newest snapshot that loads cleanly; with none, the booth shows its "back soon" screen
(:mod:`szkiosk.booth.backsoon`) until the deck turns up.

Pure Python (no Qt).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from szkiosk.content import BrokenPanel, ContentFileError, LoadedDeck, load_deck
from szkiosk.logs import state_dir

log = logging.getLogger(__name__)

#: Snapshots kept (the newest first).
KEEP = 2
#: A deck folder bigger than this is not copied (a booth's deck is a few hundred KB).
MAX_BYTES = 64 * 1024 * 1024
MAX_FILES = 2000
#: The record of what a snapshot holds (hidden: it is not deck content).
MANIFEST = ".szkiosk-snapshot.json"
_TMP = ".tmp-"
_lock = threading.Lock()


def snapshot_root() -> Path:
    """``$XDG_STATE_HOME/szkiosk/last-good``."""
    return state_dir() / "last-good"


def snapshots(root: Path | None = None) -> list[Path]:
    """The finished snapshots, newest first."""
    root = root or snapshot_root()
    try:
        found = [p for p in root.iterdir() if not p.name.startswith(".") and p.is_dir()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def is_snapshot(path: Path, root: Path | None = None) -> bool:
    """True when ``path`` lies in the snapshot folder (a snapshot is never snapshotted again)."""
    try:
        return Path(path).resolve().is_relative_to((root or snapshot_root()).resolve())
    except OSError:
        return False


def _files(deck: Path) -> list[tuple[str, Path]]:
    """(relative name, path) of every regular, non-hidden file under ``deck``; symlinked
    folders are not followed (no loops) and special files (FIFOs, devices) are skipped."""
    out: list[tuple[str, Path]] = []
    stack = [deck]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                    continue
                try:
                    mode = os.stat(entry.path).st_mode  # a symlinked file counts as its target
                except OSError:
                    continue
                if stat.S_ISREG(mode):
                    out.append((os.path.relpath(entry.path, deck), Path(entry.path)))
                if len(out) > MAX_FILES:
                    raise ValueError(f"more than {MAX_FILES} files")
    return sorted(out)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as src:
        for block in iter(lambda: src.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _manifest_of(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_snapshot(deck: Path, root: Path | None = None) -> Path | None:
    """Copy the deck folder ``deck`` into a new snapshot; returns it (or the identical newest one).

    Returns None (after one log line) when the deck cannot be copied or the copy does not
    load cleanly. Never raises.
    """
    root = root or snapshot_root()
    deck = Path(deck)
    if is_snapshot(deck, root):
        return None
    with _lock:
        try:
            return _save(deck.resolve(), root)
        except Exception as exc:  # a snapshot is a safety net: failing to make one must not stop the show
            log.warning("last good deck not saved: %s: %s", type(exc).__name__, exc)
            log.debug("snapshot failure", exc_info=True)
            return None


def _save(deck: Path, root: Path) -> Path | None:
    files = _files(deck)
    total = sum(path.stat().st_size for _, path in files)
    if total > MAX_BYTES:
        log.warning("last good deck not saved: %s holds %.0f MB (limit %d MB)", deck, total / 1e6, MAX_BYTES >> 20)
        return None
    manifest = {"source": str(deck), "files": {rel: _digest(path) for rel, path in files}}
    newest = snapshots(root)[:1]
    if newest:
        old = _manifest_of(newest[0])
        if old is not None and old.get("files") == manifest["files"]:
            return newest[0]  # the same content is kept already
    root.mkdir(parents=True, exist_ok=True)
    _clear_temporaries(root)
    tmp = root / f"{_TMP}{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for rel, path in files:
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        copied = {rel: _digest(tmp / rel) for rel, _ in files}
        if copied != manifest["files"]:
            log.info("last good deck not saved: %s changed while it was copied", deck)
            return None
        loaded = load_deck(tmp)
        if loaded.errors:
            log.info("last good deck not saved: the copy of %s has %d error(s)", deck, len(loaded.errors))
            return None
        manifest["saved"] = time.strftime("%Y-%m-%d %H:%M:%S")
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        final = root / (time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}")
        os.rename(tmp, final)
    except ContentFileError as exc:
        log.info("last good deck not saved: the copy of %s does not load: %s", deck, exc.errors[0])
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _fsync_dir(root)
    for old in snapshots(root)[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    log.info("last good deck saved: %s (%d files)", final, len(files))
    return final


def _clear_temporaries(root: Path) -> None:
    """Remove half-written snapshots a crash or power cut left behind."""
    for tmp in root.glob(_TMP + "*"):
        shutil.rmtree(tmp, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_snapshot_later(deck: Path, root: Path | None = None) -> threading.Thread:
    """:func:`save_snapshot` on a background thread (copying must not hold up the screen)."""
    thread = threading.Thread(target=save_snapshot, args=(deck, root), name="szkiosk-last-good", daemon=True)
    thread.start()
    return thread


@dataclass
class Boot:
    """What a booth starts on: the deck itself, a last good snapshot, or nothing ("back soon")."""

    #: The deck to show (None: the back-soon screen).
    loaded: LoadedDeck | None
    #: ``"deck"``, ``"last-good"`` or ``"none"``.
    source: str
    #: Why the deck itself is not shown as it is (None when it is clean).
    problem: str | None = None
    snapshot: Path | None = None


def try_load(deck: Path) -> tuple[LoadedDeck | None, str | None]:
    """Load ``deck``; (deck, None) when clean, else (deck or None, the problem in one line)."""
    try:
        if not deck.is_dir():
            return None, f"{deck}: {'no such folder' if not deck.exists() else 'not a folder'}"
        loaded = load_deck(deck)
    except ContentFileError as exc:
        return None, f"deck.yaml unusable: {exc.errors[0]}" + (f" (+{len(exc.errors) - 1} more)"
                                                              if len(exc.errors) > 1 else "")
    except (OSError, RuntimeError, ValueError, RecursionError) as exc:
        return None, f"{deck}: cannot be read: {type(exc).__name__}: {exc}"
    if loaded.errors:
        return loaded, f"{len(loaded.errors)} content error(s), first: {loaded.errors[0]}"
    return loaded, None


def boot_deck(deck: Path, root: Path | None = None) -> Boot:
    """Choose what a booth shows at start: the deck when clean, else the newest clean snapshot,
    else the deck with its broken panels marked (when it has any good ones), else nothing."""
    loaded, problem = try_load(Path(deck))
    if problem is None and loaded is not None:
        return Boot(loaded, "deck")
    for snap in snapshots(root):
        snap_loaded, snap_problem = try_load(snap)
        if snap_loaded is not None and snap_problem is None:
            return Boot(snap_loaded, "last-good", problem, snap)
        log.warning("last good deck %s unusable: %s", snap, snap_problem)
    if loaded is not None and any(not isinstance(p, BrokenPanel) for p in loaded.panels):
        return Boot(loaded, "deck", problem)
    return Boot(None, "none", problem)
