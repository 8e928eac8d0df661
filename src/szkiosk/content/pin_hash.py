"""The staff PIN as ``deck.yaml`` stores it: a salted, slow hash, never the PIN itself.

``kiosk.pin_scrypt`` holds one line made by ``szkiosk hash-pin``::

    scrypt$16384$8$1$<salt, 32 hex digits>$<key, 64 hex digits>

that is ``scrypt$N$r$p$salt$key``: :func:`hashlib.scrypt` of the PIN's UTF-8 bytes with cost
``N`` (a power of two), block size ``r``, parallelism ``p`` and a random salt of its own, so a
leaked ``deck.yaml`` costs an attacker tens of milliseconds per guess, for each deck apart.
The older ``kiosk.pin_sha256`` (unsalted SHA-256 hex) is still read, with a warning: a
six-digit PIN falls to it in under a second.

Pure Python (hashlib, hmac, secrets); the schema and the booth both use it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

#: The cost ``szkiosk hash-pin`` uses: about 16 MiB and a few tens of milliseconds per check.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
#: What a deck may ask for: at least the default cost, at most 8 times it (a check must stay
#: well under a second on a booth PC, and within :data:`MAX_MEMORY`).
MIN_N = 2**14
MAX_WORK = SCRYPT_N * SCRYPT_R * SCRYPT_P * 8
MAX_MEMORY = 128 * 2**20
#: The shape of a line, for error messages.
FORMAT = "scrypt$N$r$p$<salt hex>$<key hex>"
PREFIX = "scrypt"
#: How to make a new line, for error messages and warnings.
MAKE_ONE = "make it with `szkiosk hash-pin`, never write the PIN itself"

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_HEX = re.compile(r"(?:[0-9a-f]{2})+")


def _memory(n: int, r: int, p: int) -> int:
    """Bytes OpenSSL needs for scrypt(n, r, p) (what ``maxmem`` must allow)."""
    return 128 * r * (n + 2) + 128 * r * p


@dataclass(frozen=True)
class ScryptHash:
    """One ``scrypt$N$r$p$salt$key`` line, parsed."""

    n: int
    r: int
    p: int
    salt: bytes
    key: bytes

    def __str__(self) -> str:
        return f"{PREFIX}${self.n}${self.r}${self.p}${self.salt.hex()}${self.key.hex()}"

    @classmethod
    def parse(cls, text: str) -> ScryptHash:
        """The line ``text`` (``ValueError`` saying what is wrong with it; the text is never quoted,
        since a PIN typed there by mistake would land in a log)."""
        parts = text.strip().split("$")
        if len(parts) != 6 or parts[0] != PREFIX:
            raise ValueError(f"must be one line of the form {FORMAT} ({len(parts)} part(s) found); {MAKE_ONE}")
        _, n_text, r_text, p_text, salt_hex, key_hex = parts
        if not (n_text.isdigit() and r_text.isdigit() and p_text.isdigit()):
            raise ValueError(f"N, r and p must be whole numbers ({FORMAT}); {MAKE_ONE}")
        n, r, p = int(n_text), int(r_text), int(p_text)
        if n < 2 or n & (n - 1):
            raise ValueError(f"N must be a power of two, got {n}; {MAKE_ONE}")
        if not (1 <= r <= 64 and 1 <= p <= 64):
            raise ValueError(f"r and p must be 1 to 64, got r={r}, p={p}; {MAKE_ONE}")
        for name, value in (("salt", salt_hex), ("key", key_hex)):
            if not _HEX.fullmatch(value.lower()):
                raise ValueError(f"the {name} must be hex digits, two per byte; {MAKE_ONE}")
        return cls(n, r, p, bytes.fromhex(salt_hex), bytes.fromhex(key_hex))

    def check_strength(self) -> None:
        """``ValueError`` unless the cost and sizes are what a booth should accept."""
        if self.n < MIN_N:
            raise ValueError(f"N={self.n} is too cheap to guess against: use at least {MIN_N}; {MAKE_ONE}")
        if self.n * self.r * self.p > MAX_WORK or _memory(self.n, self.r, self.p) > MAX_MEMORY:
            raise ValueError(f"N*r*p={self.n * self.r * self.p} would make each PIN check slow: at most "
                             f"{MAX_WORK} (the default is {SCRYPT_N}*{SCRYPT_R}*{SCRYPT_P}); {MAKE_ONE}")
        if len(self.salt) < SALT_BYTES:
            raise ValueError(f"the salt must be at least {SALT_BYTES} bytes ({2 * SALT_BYTES} hex digits); {MAKE_ONE}")
        if not 16 <= len(self.key) <= 64:
            raise ValueError(f"the key must be 16 to 64 bytes (32 to 128 hex digits); {MAKE_ONE}")

    def derive(self, pin: str) -> bytes:
        """scrypt of ``pin`` with this line's salt and cost."""
        return hashlib.scrypt(pin.encode("utf-8"), salt=self.salt, n=self.n, r=self.r, p=self.p,
                              maxmem=_memory(self.n, self.r, self.p) + 2**20, dklen=len(self.key))

    def matches(self, pin: str) -> bool:
        """True when ``pin`` is the PIN this line was made from (constant-time compare)."""
        return hmac.compare_digest(self.derive(pin), self.key)


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
             salt: bytes | None = None) -> str:
    """A new ``scrypt$...`` line for ``pin``, with a random salt unless one is given (tests may
    pass a cheaper ``n``; a deck accepts only :data:`MIN_N` and more)."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    key = ScryptHash(n, r, p, salt, bytes(KEY_BYTES)).derive(pin)  # the placeholder key sets the length
    return str(ScryptHash(n, r, p, salt, key))


def sha256_pin(pin: str) -> str:
    """The old, unsalted ``pin_sha256`` value of ``pin`` (only to read and test old decks)."""
    return hashlib.sha256(pin.encode("utf-8")).hexdigest()


def is_legacy(stored: str | None) -> bool:
    """True for an old ``pin_sha256`` value (64 hex digits)."""
    return bool(stored) and _SHA256.fullmatch(stored.strip()) is not None


def pin_matches(pin: str, stored: str | None) -> bool:
    """True when ``pin`` is the PIN ``stored`` was made from: a ``scrypt$`` line or an old SHA-256
    hex value. False for no PIN, no hash or a malformed one (never raises)."""
    if not pin or not stored:
        return False
    stored = stored.strip()
    if is_legacy(stored):
        return hmac.compare_digest(sha256_pin(pin), stored.lower())
    try:
        return ScryptHash.parse(stored).matches(pin)
    except (ValueError, MemoryError):
        return False


def check_pin_scrypt(value: str) -> str:
    """``kiosk.pin_scrypt`` as the schema accepts it: well formed and strong enough (normalised)."""
    parsed = ScryptHash.parse(value)
    parsed.check_strength()
    return str(parsed)


def check_pin_sha256(value: str) -> str:
    """``kiosk.pin_sha256`` (old) as the schema accepts it: 64 hex digits, lowercased."""
    if not is_legacy(value):
        raise ValueError(f"pin_sha256 must be 64 hex digits; better, replace it by pin_scrypt: {MAKE_ONE}")
    return value.strip().lower()


#: What a warning about an old ``pin_sha256`` says (``szkiosk validate`` and the booth's log).
LEGACY_ADVICE = ("an unsalted SHA-256, which a leaked deck.yaml gives away in under a second: "
                 "run `szkiosk hash-pin` and replace this line with the pin_scrypt line it prints")
LEGACY_PIN_IGNORED = "ignored because pin_scrypt is set: delete this line"
