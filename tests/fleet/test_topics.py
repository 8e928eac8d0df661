"""The fleet contract: commands parse as documented, and the JSON Schemas in docs/fleet are
the ones the code checks against (regenerate them with the snippet in docs/FLEET.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from szkiosk.fleet import topics
from szkiosk.fleet.topics import CommandError, parse_command

DOCS = Path(__file__).resolve().parents[2] / "docs" / "fleet"


@pytest.mark.parametrize(("name", "schema"), [
    ("status", topics.STATUS_SCHEMA), ("stats", topics.STATS_SCHEMA),
    ("command", topics.COMMAND_SCHEMA), ("reply", topics.REPLY_SCHEMA),
])
def test_documented_schemas_are_the_code_s(name: str, schema: dict) -> None:
    documented = json.loads((DOCS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert documented == schema, f"docs/fleet/{name}.schema.json is out of date"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(("payload", "expected"), [
    (b"goto chain", ("goto", "chain", "")),
    (b"  RELOAD ", ("reload", None, "")),
    (b'{"id": "a1", "command": "language", "arg": "zh"}', ("language", "zh", "a1")),
    ("rollback", ("rollback", None, "")),
    ("rollback 3f9c2e1", ("rollback", "3f9c2e1", "")),
])
def test_commands_parse(payload, expected) -> None:
    command = parse_command(payload)
    assert (command.name, command.arg, command.id) == expected
    jsonschema.validate(json.loads(command.encode()), topics.COMMAND_SCHEMA)


@pytest.mark.parametrize(("payload", "reason"), [
    (b"", "empty"), (b"dance", "unknown command"), (b"goto", "needs an argument"),
    (b"identify now", "takes no argument"), (b"{", "not valid JSON"), (b"[1]", "must be an object"),
    (b'{"command": 3}', "string 'command'"), (b'{"command": "goto", "arg": 5}', "'arg' must be a string"),
    (b"\xff", "not UTF-8"), (b"x" * 5000, "bytes"), (b"goto a\x07b", "control characters"),
])
def test_bad_commands_say_why(payload: bytes, reason: str) -> None:
    with pytest.raises(CommandError, match=reason):
        parse_command(payload)


@pytest.mark.parametrize("name", ["all", "", "-x", "a/b", "a+b", "#", "x" * 65])
def test_booth_names_that_cannot_be_topics_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        topics.check_booth_name(name)


def test_topics_round_trip() -> None:
    assert topics.topic("hall-3", topics.STATUS) == "szkiosk/hall-3/status"
    assert topics.parse_topic("szkiosk/hall-3/status") == ("hall-3", "status")
    assert topics.parse_topic("szkiosk/hall-3/other") is None
    assert topics.check_booth_name("hall-3_east") == "hall-3_east"
