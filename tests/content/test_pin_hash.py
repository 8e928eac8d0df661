"""The staff PIN as deck.yaml stores it: the scrypt line, its checks in the schema and in
``szkiosk validate``, the old SHA-256 still read with a warning, and ``szkiosk hash-pin``."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from szkiosk.content import load_deck
from szkiosk.content.pin_hash import (
    SCRYPT_N,
    ScryptHash,
    check_pin_scrypt,
    hash_pin,
    is_legacy,
    pin_matches,
    sha256_pin,
)
from szkiosk.content.schema import Kiosk

PIN = "246810"
LINE = re.compile(r"scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}")


def szkiosk(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("SZKIOSK_DECK", None)
    return subprocess.run([sys.executable, "-m", "szkiosk", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=env)


def test_a_new_line_is_salted_slow_scrypt_and_matches_only_its_pin() -> None:
    line = hash_pin(PIN)
    assert LINE.fullmatch(line)
    assert pin_matches(PIN, line) and pin_matches(PIN, f"  {line}\n")
    for wrong in ("246811", "24681", "2468100", "", "0" * 12):
        assert not pin_matches(wrong, line)
    assert hash_pin(PIN) != line  # a new salt each time: equal PINs do not give equal lines
    assert check_pin_scrypt(line) == line
    parsed = ScryptHash.parse(line)
    assert (parsed.n, parsed.r, parsed.p, len(parsed.salt), len(parsed.key)) == (SCRYPT_N, 8, 1, 16, 32)
    assert str(parsed) == line


def test_the_fields_mean_what_rfc_7914_says() -> None:
    # RFC 7914, section 12: scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64)
    key = ("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727"
           "afb94a83ee6d8360cbdfa2cc0640")
    line = f"scrypt$1024$8$16${b'NaCl'.hex()}${key}"
    assert pin_matches("password", line)
    assert not pin_matches("passwore", line)


def test_the_old_sha256_is_still_read() -> None:
    old = hashlib.sha256(PIN.encode()).hexdigest()
    assert sha256_pin(PIN) == old and is_legacy(old) and not is_legacy(hash_pin(PIN, n=16))
    assert pin_matches(PIN, old) and pin_matches(PIN, old.upper())
    assert not pin_matches("1234", old)
    assert not pin_matches("", sha256_pin(""))


@pytest.mark.parametrize("stored", [None, "", "scrypt", "scrypt$16$1$1$zz$00", "scrypt$15$1$1$00$00",
                                    "scrypt$16$1$1$0$00", "bcrypt$16$1$1$00$00", "9" * 63, "scrypt$1$1$1$00$00",
                                    f"scrypt${2**40}$8$1$00112233445566778899aabbccddeeff$00"])
def test_a_malformed_hash_matches_nothing_and_never_raises(stored: str | None) -> None:
    assert not pin_matches(PIN, stored)


def test_the_schema_takes_a_good_line_and_the_old_hash() -> None:
    line = hash_pin(PIN)
    kiosk = Kiosk(pin_scrypt=line.upper().replace("SCRYPT", "scrypt"))  # hex case does not matter
    assert kiosk.pin_scrypt == line and kiosk.pin_hash == line
    old = Kiosk(pin_sha256=sha256_pin(PIN).upper())
    assert old.pin_sha256 == sha256_pin(PIN) and old.pin_hash == sha256_pin(PIN)
    both = Kiosk(pin_scrypt=line, pin_sha256=sha256_pin("1111"))
    assert both.pin_hash == line  # the salted hash wins
    assert Kiosk().pin_hash is None


@pytest.mark.parametrize(("value", "says"), [
    (PIN, "scrypt$N$r$p$<salt hex>$<key hex>"),  # the PIN itself, by mistake
    (sha256_pin(PIN), "scrypt$N$r$p"),  # the old hash under the new key
    ("scrypt$16384$8$1$00112233445566778899aabbccddeeff$" + "g" * 64, "the key must be hex digits"),
    ("scrypt$16000$8$1$00112233445566778899aabbccddeeff$" + "0" * 64, "power of two"),
    ("scrypt$1024$8$1$00112233445566778899aabbccddeeff$" + "0" * 64, "too cheap"),
    ("scrypt$1048576$8$1$00112233445566778899aabbccddeeff$" + "0" * 64, "slow"),
    ("scrypt$16384$8$1$0011$" + "0" * 64, "salt must be at least 16 bytes"),
    ("scrypt$16384$8$1$00112233445566778899aabbccddeeff$0011", "key must be 16 to 64 bytes"),
    ("scrypt$16384$x$1$00112233445566778899aabbccddeeff$" + "0" * 64, "whole numbers"),
])
def test_the_schema_refuses_a_bad_line_saying_why(value: str, says: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(says)) as caught:
        Kiosk(pin_scrypt=value)
    message = caught.value.errors()[0]["msg"]  # what `szkiosk validate` and the log show
    assert "szkiosk hash-pin" in message
    assert PIN not in message


def test_the_old_key_refuses_anything_but_64_hex_digits() -> None:
    with pytest.raises(ValueError, match="64 hex digits"):
        Kiosk(pin_sha256=PIN)


def _with_kiosk_line(deck: Path, line: str) -> int:
    """Put ``line`` under ``kiosk:`` in deck.yaml; the line number it landed on."""
    path = deck / "deck.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("kiosk:") + 1
    lines.insert(at, f"  {line}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


def test_validate_names_file_line_and_field_of_a_bad_line(deck_copy: Path) -> None:
    line_no = _with_kiosk_line(deck_copy, f"pin_scrypt: {PIN}")
    out = szkiosk("validate", str(deck_copy))
    assert out.returncode == 1
    assert f"deck.yaml:{line_no}: kiosk.pin_scrypt: must be one line of the form scrypt$N$r$p" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
    assert PIN not in out.stdout + out.stderr


def test_validate_warns_about_the_old_hash_and_tells_how_to_upgrade(deck_copy: Path) -> None:
    line_no = _with_kiosk_line(deck_copy, f"pin_sha256: {sha256_pin(PIN)}")
    loaded = load_deck(deck_copy)
    assert loaded.ok and loaded.model.kiosk.pin_hash == sha256_pin(PIN)
    out = szkiosk("validate", str(deck_copy))
    assert out.returncode == 0, out.stdout + out.stderr
    warning = next(line for line in out.stdout.splitlines() if "pin_sha256" in line)
    assert warning.startswith("warning: ") and f"deck.yaml:{line_no}: kiosk.pin_sha256: " in warning
    assert "unsalted" in warning and "szkiosk hash-pin" in warning and "pin_scrypt" in warning


def test_a_deck_with_both_hashes_says_the_old_one_is_ignored(deck_copy: Path) -> None:
    _with_kiosk_line(deck_copy, f"pin_sha256: {sha256_pin('1111')}")
    _with_kiosk_line(deck_copy, f"pin_scrypt: {hash_pin(PIN)}")
    loaded = load_deck(deck_copy)
    assert loaded.ok and pin_matches(PIN, loaded.model.kiosk.pin_hash)
    assert not pin_matches("1111", loaded.model.kiosk.pin_hash)
    assert [w.field for w in loaded.warnings if "ignored" in w.message] == ["kiosk.pin_sha256"]


def test_hash_pin_prints_a_line_the_deck_takes(deck_copy: Path) -> None:
    out = szkiosk("hash-pin", "--stdin", stdin=PIN + "\n")
    assert out.returncode == 0, out.stderr
    printed = out.stdout.strip()
    assert printed.startswith("pin_scrypt: ")
    value = printed.split()[1]
    assert LINE.fullmatch(value) and pin_matches(PIN, value)
    assert PIN not in out.stdout.replace(value, "")
    _with_kiosk_line(deck_copy, printed)  # pasted as printed, comment and all
    loaded = load_deck(deck_copy)
    assert loaded.ok and loaded.model.kiosk.pin_scrypt == value
    assert not [w for w in loaded.warnings if "pin" in w.field]


@pytest.mark.parametrize("typed", ["123", "1234567890123", "12a4", "", "١٢٣٤"])
def test_hash_pin_refuses_what_the_pad_cannot_type(typed: str) -> None:
    out = szkiosk("hash-pin", "--stdin", stdin=typed + "\n")
    assert out.returncode == 1
    assert out.stdout == "" and "4 to 12 digits" in out.stderr and "Traceback" not in out.stderr
