"""The fleet's MQTT contract: topics, commands, replies, status and statistics payloads.

Every booth publishes under ``szkiosk/<booth>/``:

============================  =====  ========  ==================================================
topic                         QoS    retained  payload
============================  =====  ========  ==================================================
``szkiosk/<booth>/online``    1      yes       ``true`` / ``false`` (the broker's last will)
``szkiosk/<booth>/status``    1      yes       JSON, :data:`STATUS_SCHEMA` (every 60 s, on change)
``szkiosk/<booth>/stats``     1      no        JSON, :data:`STATS_SCHEMA` (hourly aggregates)
``szkiosk/<booth>/reply``     1      no        JSON, :data:`REPLY_SCHEMA` (one per command)
``szkiosk/<booth>/screenshot`` 1     no        PNG bytes (answer to ``screenshot``)
============================  =====  ========  ==================================================

and listens on ``szkiosk/<booth>/cmd`` and ``szkiosk/all/cmd`` (JSON, :data:`COMMAND_SCHEMA`,
or plain text such as ``goto chain`` for a quick ``mosquitto_pub``).

Pure Python: no Qt, no paho.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

ROOT = "szkiosk"
#: The pseudo-booth every booth listens to for commands; no booth may take the name.
ALL = "all"

ONLINE, STATUS, STATS, CMD, REPLY, SCREENSHOT = "online", "status", "stats", "cmd", "reply", "screenshot"
LEAVES = (ONLINE, STATUS, STATS, CMD, REPLY, SCREENSHOT)

#: Booth names: letters, digits, ``-`` and ``_``; they are MQTT topic levels and broker user names.
BOOTH_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

#: Commands a booth answers, with whether they take an argument (True: required, None: optional).
COMMANDS: dict[str, bool | None] = {
    "reload": False,      # load the deck on screen again from disk
    "fetch": False,       # look for a new commit in the content repository now
    "goto": True,         # show panel ID (or number)
    "language": True,     # switch to LANG
    "identify": False,    # show the booth's name large for 10 s
    "screenshot": False,  # reply with a PNG of the screen on szkiosk/<booth>/screenshot
    "restart": False,     # restart the booth process (through the service)
    "rollback": None,     # go back to the previous good commit (or to COMMIT)
    "resend": True,       # send statistics messages FIRST[-LAST] again (a collector lost them)
}
#: Longest command payload a booth reads; longer ones are refused unread.
MAX_COMMAND_BYTES = 4096


class CommandError(ValueError):
    """A command payload that is malformed, unknown or missing its argument."""


def check_booth_name(name: str) -> str:
    """``name`` if it can be a booth's name, else :class:`ValueError` saying why."""
    if name == ALL:
        raise ValueError(f"{ALL!r} is reserved (it addresses every booth)")
    if not BOOTH_NAME.match(name or ""):
        raise ValueError(f"booth name {name!r}: use 1-64 letters, digits, '-' or '_', starting with a letter or digit")
    return name


def topic(booth: str, leaf: str) -> str:
    """``szkiosk/<booth>/<leaf>``."""
    if leaf not in LEAVES:
        raise ValueError(f"unknown topic leaf {leaf!r}")
    return f"{ROOT}/{booth}/{leaf}"


def parse_topic(name: str) -> tuple[str, str] | None:
    """``szkiosk/<booth>/<leaf>`` -> ``(booth, leaf)``; anything else -> None."""
    parts = name.split("/")
    if len(parts) != 3 or parts[0] != ROOT or parts[2] not in LEAVES:
        return None
    return parts[1], parts[2]


@dataclass(frozen=True)
class Command:
    """One command to a booth: its id (echoed in the reply), name and argument."""

    name: str
    arg: str | None = None
    id: str = ""

    def encode(self) -> bytes:
        """The JSON payload for ``szkiosk/<booth>/cmd``."""
        body: dict[str, Any] = {"id": self.id, "command": self.name}
        if self.arg is not None:
            body["arg"] = self.arg
        return json.dumps(body, ensure_ascii=False).encode()


def new_command(name: str, arg: str | None = None) -> Command:
    """A command with a fresh id, checked as a booth would check it."""
    command = Command(name, arg, uuid.uuid4().hex[:12])
    return parse_command(command.encode())


def parse_command(payload: bytes | str) -> Command:
    """Read a command payload (JSON or ``name [arg]`` text); :class:`CommandError` if it is not one."""
    if isinstance(payload, bytes):
        if len(payload) > MAX_COMMAND_BYTES:
            raise CommandError(f"command of {len(payload)} bytes (at most {MAX_COMMAND_BYTES})")
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError("command is not UTF-8 text") from exc
    text = payload.strip()
    if not text:
        raise CommandError("empty command")
    if text[0] in "{[":  # JSON (an array is refused below)
        try:
            body = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"command is not valid JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise CommandError("command JSON must be an object")
        name, arg, ident = body.get("command"), body.get("arg"), body.get("id", "")
        if not isinstance(name, str):
            raise CommandError("command JSON needs a string 'command'")
        if arg is not None and not isinstance(arg, str):
            raise CommandError("'arg' must be a string")
        if not isinstance(ident, str) or len(ident) > 64:
            raise CommandError("'id' must be a string of at most 64 characters")
    else:
        name, _, rest = text.partition(" ")
        arg, ident = (rest.strip() or None), ""
    name = name.strip().lower()
    if name not in COMMANDS:
        raise CommandError(f"unknown command {name!r}; known: {', '.join(COMMANDS)}")
    takes = COMMANDS[name]
    if takes is True and not arg:
        raise CommandError(f"{name} needs an argument")
    if takes is False and arg:
        raise CommandError(f"{name} takes no argument")
    if arg is not None and (len(arg) > 200 or any(ord(c) < 32 for c in arg)):
        raise CommandError("argument too long or has control characters")
    return Command(name, arg, ident)


def parse_seq_range(text: str) -> tuple[int, int]:
    """``"17"`` or ``"17-20"`` -> ``(17, 20)``; :class:`CommandError` for anything else."""
    first, _, last = text.strip().partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError as exc:
        raise CommandError(f"resend wants SEQ or FIRST-LAST, not {text!r}") from exc
    if low < 1 or high < low or high - low > 100_000:
        raise CommandError(f"resend: bad range {text!r}")
    return low, high


def reply_payload(booth: str, command: Command | None, ok: bool, message: str) -> bytes:
    """The JSON reply a booth publishes on ``szkiosk/<booth>/reply`` for one command."""
    body = {
        "booth": booth,
        "id": command.id if command else "",
        "command": command.name if command else None,
        "arg": command.arg if command else None,
        "ok": ok,
        "message": message,
        "at": iso_time(),
    }
    return json.dumps(body, ensure_ascii=False).encode()


def iso_time(when: float | None = None) -> str:
    """UTC time as ``2026-12-01T14:02:31Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if when is None else when))


#: Per-panel-and-language counters in a statistics row (beside ``panel`` and ``language``).
STAT_FIELDS = ("views", "dwell_s", "touches", "sessions", "language_switches", "details_opened", "idle_resets")

_ISO = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}
_NAME = {"type": "string", "pattern": BOOTH_NAME.pattern}

COMMAND_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "szkiosk/<booth>/cmd and szkiosk/all/cmd",
    "type": "object",
    "required": ["command"],
    "properties": {
        "id": {"type": "string", "maxLength": 64, "description": "echoed in the reply"},
        "command": {"enum": list(COMMANDS)},
        "arg": {"type": "string", "maxLength": 200},
    },
    "additionalProperties": False,
}

REPLY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "szkiosk/<booth>/reply",
    "type": "object",
    "required": ["booth", "id", "command", "ok", "message", "at"],
    "properties": {
        "booth": _NAME,
        "id": {"type": "string"},
        "command": {"type": ["string", "null"]},
        "arg": {"type": ["string", "null"]},
        "ok": {"type": "boolean"},
        "message": {"type": "string"},
        "at": _ISO,
    },
}

STATUS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "szkiosk/<booth>/status (retained)",
    "type": "object",
    "required": ["booth", "version", "content_commit", "panel", "language", "errors", "last_touch",
                 "uptime_s", "screen_ok", "at"],
    "properties": {
        "booth": _NAME,
        "version": {"type": "string", "description": "szkiosk's version"},
        "content_commit": {"type": ["string", "null"], "description": "commit on screen (null: not from git)"},
        "content_time": {"type": ["string", "null"], "description": "that commit's time, UTC"},
        "panel": {"type": ["string", "null"]},
        "language": {"type": ["string", "null"]},
        "errors": {
            "type": "object",
            "required": ["count", "latest"],
            "properties": {"count": {"type": "integer", "minimum": 0}, "latest": {"type": ["string", "null"]}},
        },
        "last_touch": {"anyOf": [_ISO, {"type": "null"}]},
        "uptime_s": {"type": "integer", "minimum": 0},
        "screen_ok": {"type": ["boolean", "null"], "description": "null until the first self-check"},
        "screen_reason": {"type": ["string", "null"]},
        "visitors_today": {"type": "integer", "minimum": 0},
        "stats_seq": {"type": ["integer", "null"],
                      "description": "seq of the newest statistics message (null: statistics off); a collector "
                                     "asks for any message up to it that it lacks"},
        "at": _ISO,
    },
}

STATS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "szkiosk/<booth>/stats",
    "type": "object",
    "required": ["booth", "seq", "hour", "hours", "rows"],
    "properties": {
        "booth": _NAME,
        "seq": {"type": "integer", "minimum": 1, "description": "per booth, rises by one per message"},
        "seq_to": {"type": "integer", "minimum": 1,
                   "description": "a rolled-up message stands for seq..seq_to (messages never sent, merged)"},
        "hour": _ISO | {"description": "start of the first hour covered, UTC"},
        "hours": {"type": "integer", "minimum": 1, "description": "hours covered (more than 1: rolled up)"},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["panel", "language", *STAT_FIELDS],
                "properties": {
                    "panel": {"type": "string"},
                    "language": {"type": "string"},
                    **{f: {"type": "number", "minimum": 0} for f in STAT_FIELDS},
                },
            },
        },
    },
}
