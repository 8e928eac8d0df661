"""The booth config file: ``$XDG_CONFIG_HOME/szkiosk/booth.yaml`` (default ``~/.config``).

A booth set up once keeps its fleet settings here instead of on its command line::

    # ~/.config/szkiosk/booth.yaml
    booth: hall-a-01                               # name in the fleet (topics, state folder)
    content_repo: https://git.example.org/fair/deck.git#main   # or a path, or /media/usb/deck.bundle
    allowed_signers: ~/.config/szkiosk/allowed_signers          # only show commits signed by these keys
    fleet: mqtts://hall-a-01:secret@broker.local:8883           # the broker (status, stats, commands)
    fetch_every: 5                                 # minutes between looks at the repository

Every key is optional; a flag given on the command line wins over the file. A relative
``allowed_signers`` path is read from the file's folder. Unknown keys are an error (a typo
must not silently drop a setting). Only ``szkiosk run --kiosk`` reads the file.

Pure Python: no Qt.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from szkiosk.fleet.topics import BOOTH_NAME, check_booth_name
from szkiosk.logs import state_dir

FILE_NAME = "booth.yaml"
#: Minutes between fetches when neither the file nor the command line says.
DEFAULT_FETCH_EVERY = 5.0
#: The range ``fetch_every`` may take (minutes).
FETCH_EVERY_RANGE = (0.05, 24 * 60.0)


class ConfigError(ValueError):
    """A booth config file that cannot be used; the message names the file (and line)."""


@dataclass(frozen=True)
class BoothConfig:
    """A booth's fleet settings (None: not set)."""

    booth: str | None = None
    content_repo: str | None = None
    allowed_signers: Path | None = None
    fleet: str | None = None
    fetch_every: float | None = None
    #: The file these came from (None: none was read).
    source: Path | None = None

    @property
    def fetch_every_s(self) -> float:
        """Seconds between fetches (the default when unset)."""
        return 60.0 * (self.fetch_every if self.fetch_every is not None else DEFAULT_FETCH_EVERY)


KEYS = tuple(f.name for f in fields(BoothConfig) if f.name != "source")


def config_path() -> Path:
    """``$XDG_CONFIG_HOME/szkiosk/booth.yaml`` (default ``~/.config/szkiosk/booth.yaml``)."""
    base = os.environ.get("XDG_CONFIG_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "szkiosk" / FILE_NAME


def fleet_state_dir(booth: str) -> Path:
    """A booth's fleet state folder: ``$XDG_STATE_HOME/szkiosk/fleet/<booth>``."""
    return state_dir() / "fleet" / check_booth_name(booth)


def default_booth_name() -> str:
    """The host name, made into a booth name (``kiosk.local`` -> ``kiosk-local``)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", socket.gethostname()).strip("-_")[:64]
    return name if BOOTH_NAME.match(name) and name != "all" else "booth"


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return number
    return None


def load_config(path: str | os.PathLike[str] | None = None) -> BoothConfig:
    """Read the booth config file (``path`` or :func:`config_path`); empty when it does not exist."""
    file = Path(path) if path is not None else config_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return BoothConfig()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot be read: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{file}{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from exc
    if data is None:
        return BoothConfig(source=file)
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: must be a mapping of keys ({', '.join(KEYS)})")
    values: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{file}:{_line_of(text, str(key)) or 1}"
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}; known keys: {', '.join(KEYS)}")
        if value is None:
            continue
        try:
            values[key] = _value(key, value, file.parent)
        except ValueError as exc:
            raise ConfigError(f"{where}: {key}: {exc}") from exc
    return BoothConfig(**values, source=file)


def _value(key: str, value: Any, folder: Path) -> Any:
    if key == "fetch_every":
        return check_fetch_every(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty text")
    value = value.strip()
    if key == "booth":
        return check_booth_name(value)
    if key == "allowed_signers":
        path = Path(value).expanduser()
        return path if path.is_absolute() else folder / path
    return value


def check_fetch_every(value: Any) -> float:
    """Minutes between fetches, checked: a number in :data:`FETCH_EVERY_RANGE`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("must be a number of minutes")
    try:
        minutes = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number of minutes") from None
    low, high = FETCH_EVERY_RANGE
    if not low <= minutes <= high:
        raise ValueError(f"{value} minutes is out of range ({low:g} to {high:g})")
    return minutes


def merge(config: BoothConfig, **flags: Any) -> BoothConfig:
    """``config`` with every flag that is not None put over it (the command line wins)."""
    updates = {k: v for k, v in flags.items() if v is not None}
    unknown = set(updates) - set(KEYS)
    if unknown:
        raise TypeError(f"unknown booth settings: {sorted(unknown)}")
    if isinstance(updates.get("allowed_signers"), str):
        updates["allowed_signers"] = Path(updates["allowed_signers"]).expanduser().absolute()
    if "booth" in updates:
        check_booth_name(updates["booth"])
    return replace(config, **updates)
