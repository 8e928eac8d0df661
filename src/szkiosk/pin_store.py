"""Wrong staff PINs and the lockout they earned, kept in the booth's state folder.

:class:`~szkiosk.booth_state.BoothState` counts wrong PINs and locks the pad; this module
keeps that count on disk, so that neither reopening the pad nor restarting the show (a crash,
a reboot, pulling the plug) lifts a lockout or starts the count again. The file is small JSON
(``$XDG_STATE_HOME/szkiosk/staff-pin.json``), written to a temporary file beside it and moved
into place, so a reader sees the old record or the new one, never half of one. A missing file
is a fresh start; an unreadable or corrupt one is too, said once in the log.

The lockout's end is stored as wall-clock time (Unix seconds), the only clock that survives a
restart, together with its length: a lockout read back never lasts longer than its length
from the moment it is read, whatever the system clock did meanwhile.

No PIN and no hash is ever written here. Pure Python (json, os, tempfile).
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from szkiosk.logs import state_dir

log = logging.getLogger(__name__)

#: The file's name in the state folder.
FILE_NAME = "staff-pin.json"
#: A record file is tiny; anything bigger is not ours.
MAX_BYTES = 4096
VERSION = 1


def default_path() -> Path:
    """``$XDG_STATE_HOME/szkiosk/staff-pin.json``."""
    return state_dir() / FILE_NAME


@dataclass(frozen=True)
class PinRecord:
    """What survives a restart: wrong PINs since the last right one, and the last lockout."""

    #: Wrong PINs in a row (only the right PIN starts the count again).
    failures: int = 0
    #: Length (s) of the lockout they earned last; 0 when none.
    lockout_s: float = 0.0
    #: Wall-clock time (Unix seconds) that lockout ends.
    locked_until: float = 0.0

    def to_json(self) -> str:
        """The record as the file holds it."""
        return json.dumps({"version": VERSION, "failures": self.failures, "lockout_s": self.lockout_s,
                           "locked_until": self.locked_until}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PinRecord:
        """A record from the file's text (``ValueError`` for anything that is not one)."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError(f"not a version-{VERSION} staff PIN record")
        failures, lockout_s, until = data.get("failures"), data.get("lockout_s"), data.get("locked_until")
        if not isinstance(failures, int) or isinstance(failures, bool) or failures < 0:
            raise ValueError("failures must be a whole number, 0 or more")
        for name, value in (("lockout_s", lockout_s), ("locked_until", until)):
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) \
                    or value < 0:
                raise ValueError(f"{name} must be a number, 0 or more")
        return cls(failures, float(lockout_s), float(until))


class PinStore:
    """Reads and writes one :class:`PinRecord` file; never raises, each kind of trouble logged once."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._save_failing = False

    def load(self) -> PinRecord:
        """The stored record; a fresh one when there is none or it cannot be read."""
        try:
            info = self.path.lstat()
        except FileNotFoundError:
            return PinRecord()
        except OSError as exc:
            log.warning("staff PIN record %s unreadable (%s): counting wrong PINs from zero", self.path, exc)
            return PinRecord()
        try:
            if not stat.S_ISREG(info.st_mode):
                raise ValueError("not a regular file")
            if info.st_size > MAX_BYTES:
                raise ValueError(f"{info.st_size} bytes, a record is under {MAX_BYTES}")
            with open(self.path, encoding="utf-8", errors="strict") as fh:
                return PinRecord.from_json(fh.read(MAX_BYTES + 1))
        except (OSError, ValueError) as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            log.warning("staff PIN record %s is corrupt (%s): counting wrong PINs from zero; it is rewritten "
                        "at the next PIN try", self.path, exc)
            return PinRecord()

    def save(self, record: PinRecord) -> bool:
        """Write ``record`` atomically (temporary file, then rename); False when it could not be."""
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(record.to_json())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            tmp = None
        except OSError as exc:
            if not self._save_failing:
                log.warning("staff PIN record %s could not be saved (%s): the count holds until the show "
                            "restarts", self.path, exc)
            self._save_failing = True
            return False
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        if self._save_failing:
            log.info("staff PIN record %s saved again", self.path)
            self._save_failing = False
        return True
