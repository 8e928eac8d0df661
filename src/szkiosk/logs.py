"""Where the booth writes what happened: a rotating log file in the XDG state folder.

Pure Python (no Qt), so ``szkiosk stats`` and the service installer can use the same paths.
"""

from __future__ import annotations

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
