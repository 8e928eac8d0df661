"""Where the booth writes what happened: a rotating log file in the XDG state folder.

Pure Python (no Qt), so ``szkiosk stats`` and the service installer can use the same paths.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import logging.handlers
import os
import sys
from pathlib import Path

#: One log file stays below this size; older ones are kept as .1 ... .5.
LOG_BYTES = 2_000_000
LOG_BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def state_dir() -> Path:
    """``$XDG_STATE_HOME/szkiosk`` (default ``~/.local/state/szkiosk``); not created here."""
    base = os.environ.get("XDG_STATE_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "szkiosk"


def default_log_file() -> Path:
    """The booth's log file: ``$XDG_STATE_HOME/szkiosk/szkiosk.log``."""
    return state_dir() / "szkiosk.log"


def setup_logging(level: str = "info", log_file: Path | None = None) -> Path | None:
    """Log to stderr and, when ``log_file`` is given, to a rotating file there.

    Returns the file in use, or None when it could not be opened (then stderr only: a
    read-only disk must not stop the show).
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_szkiosk", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    formatter = logging.Formatter(FORMAT, datefmt="%Y-%m-%d %H:%M:%S")
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter(FORMAT, datefmt="%H:%M:%S"))
    stream._szkiosk = True  # type: ignore[attr-defined]
    root.addHandler(stream)
    if log_file is None:
        return None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger("szkiosk").warning("cannot write the log file %s: %s", log_file, exc)
        return None
    handler.setFormatter(formatter)
    handler._szkiosk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return log_file


#: The open file faulthandler writes to (kept open for the life of the process).
_crash_file = None


def crash_file_for(log_file: Path) -> Path:
    """Where a booth that logs to ``log_file`` writes the stacks of a hard crash."""
    return log_file.with_name("szkiosk-crash.log")


def enable_crash_traces(log_file: Path | None) -> Path | None:
    """On a hard crash (a segmentation fault in native code, an abort), write every thread's
    Python stack: to ``szkiosk-crash.log`` beside ``log_file`` when given, else to stderr.

    The logging module cannot run at that moment; faulthandler can. Returns the crash file in
    use (None: stderr). Before this, a crashed booth left nothing to go on but its exit code.
    Left alone when something already enabled it (``PYTHONFAULTHANDLER``, pytest).
    """
    global _crash_file
    if faulthandler.is_enabled() and _crash_file is None:
        return None
    target = None
    if log_file is not None:
        path = crash_file_for(log_file)
        try:
            target = path.open("a", encoding="utf-8")
        except OSError:
            target = None
    if target is not None:
        target.write(f"-- szkiosk started, pid {os.getpid()}\n")
        target.flush()
        faulthandler.enable(file=target, all_threads=True)
        old, _crash_file = _crash_file, target
        if old is not None:
            old.close()
        return crash_file_for(log_file)
    with contextlib.suppress(OSError, ValueError, AttributeError):  # a stderr without a file (tests)
        faulthandler.enable(file=sys.stderr, all_threads=True)
    return None
