"""The start-up cache: a deck validated once, reused while nothing it depends on has changed.

Loading a deck parses its YAML and validates every panel (about 50 ms for the bundled deck,
plus the YAML parser's import). A clean deck (no errors) is kept after a full load in
``$XDG_CACHE_HOME/szkiosk/decks/`` and a later start takes it from there when, exactly:

- every file the load read still has the same path, size, modification time **and** SHA-256
  of its bytes (a changed digit misses, whatever the size and mtime say);
- every file the load found missing (``sources.yaml``) is still missing;
- every content path (``panels:`` entries, a map's partner file) still resolves to the same
  file, and the deck folder to the same folder;
- szkiosk's version and content code (name, size, mtime of each ``szkiosk/content`` module),
  Python's version and pydantic's and pydantic-core's versions are the same;
- the working folder is the same (problem lines name files relative to it).

Anything else (a changed file, a new version, a damaged or unreadable cache file) is a miss:
the deck is loaded and validated in full, as without the cache, and a clean result is stored
again. A deck with errors is never stored, so a broken deck is always validated and reported
before it is shown. ``szkiosk validate`` never uses the cache.

The entry is a pickle written by this user into this user's cache folder (the same trust as
the code itself), replaced atomically. A deck taken from the cache has ``cached`` set; the
show re-checks it with a full load in the background after its first paint.

Pure Python (no Qt).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import re
import sys
import time
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

import szkiosk
from szkiosk.content.inputs import Inputs

if TYPE_CHECKING:
    from szkiosk.content.loader import LoadedDeck

log = logging.getLogger(__name__)

#: Bump when the layout of an entry changes.
FORMAT = 1
#: Entries kept (one per deck folder and working folder), the least recently used going first.
MAX_ENTRIES = 16
#: An entry larger than this is not written (the bundled deck's is ~140 KB).
MAX_BYTES = 32 * 1024 * 1024


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/szkiosk/decks`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "szkiosk" / "decks"


def _package_stamp(name: str, version_file: str) -> tuple[Any, ...]:
    """A package's version without importing it: its version file's text, or its files' stats."""
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return (name, None)
    if spec is None or not spec.submodule_search_locations:
        return (name, None)
    folder = Path(next(iter(spec.submodule_search_locations)))
    out: list[Any] = [name, str(folder)]
    try:
        text = (folder / version_file).read_text(encoding="utf-8")
        found = re.search(r"""^(?:VERSION|__version__)\s*=\s*['"]([^'"]+)['"]""", text, re.M)
        out.append(found.group(1) if found else hashlib.sha256(text.encode()).hexdigest())
    except OSError:
        out.append(None)
    with os.scandir(folder) as entries:  # the compiled core: a rebuilt one is a new stamp
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith((".so", ".pyd")):
                info = entry.stat()
                out.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(out)


def _code_stamp() -> list[tuple[str, int, int]]:
    """(name, size, mtime) of every module of ``szkiosk.content``: the models and validators."""
    folder = Path(__file__).resolve().parent
    out = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py"):
                info = entry.stat()
                out.append((entry.name, info.st_size, info.st_mtime_ns))
    return sorted(out)


def key(root: Path) -> dict[str, Any]:
    """What an entry for the deck folder ``root`` (resolved) must have been made under."""
    return {
        "format": FORMAT,
        "szkiosk": szkiosk.__version__,
        "code": _code_stamp(),
        "python": sys.version,
        "implementation": sys.implementation.cache_tag,
        "pydantic": _package_stamp("pydantic", "version.py"),
        "pydantic_core": _package_stamp("pydantic_core", "__init__.py"),
        "root": str(root),
        "cwd": os.getcwd(),
    }


def entry_path(root: Path, folder: Path | None = None) -> Path:
    """The cache file for the (resolved) deck folder ``root`` seen from the working folder."""
    name = hashlib.sha256(f"{root}\0{os.getcwd()}".encode()).hexdigest()[:24]
    return (folder or cache_folder()) / f"{name}.deck"


def _resolve_root(folder: str | os.PathLike[str]) -> Path | None:
    root = Path(folder)
    try:
        if root.is_file():
            root = root.parent
        return root.resolve()
    except (RuntimeError, OSError):
        return None


def _unchanged(recorded: Inputs) -> str | None:
    """None when every input is as recorded, else what differs (for the log)."""
    from szkiosk.content.yaml_doc import resolve_inside

    for path, size, mtime, digest in recorded.files:
        try:
            info = os.stat(path)
            if info.st_size != size or info.st_mtime_ns != mtime:
                return f"{path} changed (size or time)"
            with open(path, "rb") as src:
                data = src.read(size + 1)
        except OSError as exc:
            return f"{path}: {exc.strerror or exc}"
        if hashlib.sha256(data).hexdigest() != digest:
            return f"{path} changed (content)"
    for path in recorded.missing:
        if os.path.lexists(path):
            return f"{path} appeared"
    for root, relative, resolved in recorded.resolved:
        try:
            now = str(resolve_inside(Path(root), relative))
        except ValueError:
            now = ""
        if now != resolved:
            return f"{relative} now resolves to {now or 'nothing usable'}"
    return None


def load(folder: str | os.PathLike[str], cache: Path | None = None) -> LoadedDeck | None:
    """The deck in ``folder`` from the cache, or None (no entry, changed inputs, damaged entry).

    Never raises: any problem with the cache is a miss (logged at debug level).
    """
    root = _resolve_root(folder)
    if root is None:
        return None
    path = entry_path(root, cache)
    try:
        with open(path, "rb") as src:
            entry = pickle.load(src)
        if not isinstance(entry, dict) or entry.get("key") != key(root):
            log.debug("deck cache: %s is for another version, code or folder", path)
            return None
        recorded = entry["inputs"]
        if not isinstance(recorded, Inputs):
            raise TypeError("no inputs")
        changed = _unchanged(recorded)
        if changed is not None:
            log.debug("deck cache: miss for %s: %s", root, changed)
            return None
        loaded = pickle.loads(entry["deck"])
        from szkiosk.content.loader import LoadedDeck

        if not isinstance(loaded, LoadedDeck) or loaded.errors:
            raise TypeError("not a clean deck")
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged, truncated or foreign file: a miss, never a crash
        log.info("deck cache: ignoring unreadable entry %s (%s: %s)", path, type(exc).__name__, exc)
        return None
    loaded.cached = True
    loaded.inputs = recorded
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used
    log.debug("deck cache: hit for %s", root)
    return loaded


def store(loaded: LoadedDeck, cache: Path | None = None) -> Path | None:
    """Keep a freshly loaded, clean deck for later starts; returns the entry (None when not kept).

    Call it right after :func:`~szkiosk.content.loader.load_deck`, before anything changes the
    deck in memory. Never raises.
    """
    if loaded.errors or loaded.cached or loaded.inputs is None:
        return None
    try:
        recorded = loaded.inputs
        if _unchanged(recorded) is not None:  # edited while it was loaded: not a state to keep
            return None
        deck = pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)
        if len(deck) > MAX_BYTES:
            return None
        data = pickle.dumps({"key": key(loaded.root), "inputs": recorded, "deck": deck},
                            protocol=pickle.HIGHEST_PROTOCOL)
        path = entry_path(loaded.root, cache)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        with open(partial, "wb") as out:
            out.write(data)
        os.replace(partial, path)
    except Exception as exc:  # a cache that cannot be written only costs the next start time
        log.warning("deck cache not saved: %s: %s", type(exc).__name__, exc)
        return None
    prune(path.parent, protect=path)
    log.debug("deck cache: saved %s", path)
    return path


def load_deck_cached(folder: str | os.PathLike[str], cache: Path | None = None) -> LoadedDeck:
    """The deck from the cache when nothing changed, else a full :func:`load_deck` (stored when clean).

    Raises :class:`ContentFileError` as :func:`load_deck` does.
    """
    loaded = load(folder, cache)
    if loaded is not None:
        return loaded
    from szkiosk.content.loader import load_deck

    loaded = load_deck(folder)
    store(loaded, cache)
    return loaded


def forget(root: Path, cache: Path | None = None) -> None:
    """Remove the entry for the deck folder ``root`` (after the background check disagreed)."""
    with contextlib.suppress(OSError):
        entry_path(Path(root), cache).unlink()


def prune(folder: Path, *, keep: int = MAX_ENTRIES, protect: Path | None = None) -> None:
    """Keep the ``keep`` most recently used entries; drop stale partial files."""
    try:
        entries = [e for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return
    now = time.time()
    ranked = []
    for entry in entries:
        with contextlib.suppress(OSError):
            info = entry.stat()
            if entry.name.endswith(".part"):
                if now - info.st_mtime > 60:
                    os.unlink(entry.path)
            elif entry.name.endswith(".deck"):
                ranked.append((entry.path != str(protect), -info.st_mtime, entry.path))
    for _, _, path in sorted(ranked)[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(path)

