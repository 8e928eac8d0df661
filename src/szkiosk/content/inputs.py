"""What a deck load read: every file (path, size, mtime, content hash), every file found
missing, every content path resolved. The start-up cache (:mod:`szkiosk.content.cache`)
reuses a validated deck only while all of these are still the same.

Recording is per thread (a ``ContextVar``): a reload in a worker thread never mixes its reads
with a load on the GUI thread. Standard library only; no other content module is imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

#: A file that was read: (path, size in bytes, mtime in ns, SHA-256 of its bytes).
FileRead = tuple[str, int, int, str]


@dataclass
class Inputs:
    """Everything one load depended on, in the order it was met."""

    files: list[FileRead] = field(default_factory=list)
    #: Paths that were looked for and did not exist (e.g. a deck without ``sources.yaml``).
    missing: list[str] = field(default_factory=list)
    #: (root, relative path as written, resolved path or "" when refused).
    resolved: list[tuple[str, str, str]] = field(default_factory=list)


_current: ContextVar[Inputs | None] = ContextVar("szkiosk_content_inputs", default=None)


@contextlib.contextmanager
def recording() -> Iterator[Inputs]:
    """Record what the loads inside the ``with`` block read (nested blocks record into the outer one)."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    inputs = Inputs()
    token = _current.set(inputs)
    try:
        yield inputs
    finally:
        _current.reset(token)


def file_read(path: str | os.PathLike[str], fd: int, data: bytes) -> None:
    """Note that ``data`` was read from ``path`` (open as ``fd``), if recording."""
    inputs = _current.get()
    if inputs is not None:
        info = os.fstat(fd)
        inputs.files.append((str(path), info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest()))


def file_missing(path: str | os.PathLike[str]) -> None:
    """Note that ``path`` was looked for and did not exist, if recording."""
    inputs = _current.get()
    if inputs is not None:
        inputs.missing.append(str(path))


def path_resolved(root: str | os.PathLike[str], relative: str, resolved: Path | None) -> None:
    """Note how a content path resolved inside the deck (None: refused), if recording."""
    inputs = _current.get()
    if inputs is not None:
        inputs.resolved.append((str(root), relative, "" if resolved is None else str(resolved)))
