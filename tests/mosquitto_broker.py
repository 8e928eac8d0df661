"""A real Mosquitto broker for the fleet tests, on 127.0.0.1 at a free port.

Each :class:`Broker` writes its own configuration in a temporary folder: no anonymous
clients, a password file made with ``mosquitto_passwd``, per-booth ACLs as
``deploy/mosquitto`` ships them, and persistence (QoS 1 messages for persistent sessions
survive a restart). Tests can stop it (SIGTERM), kill it (SIGKILL) and start it again on the
same port.

Under ``CI=true`` a missing ``mosquitto`` fails the test (``.ci/run`` installs it); elsewhere
it is skipped with the command to install it.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

#: The console's user name and password in every test broker.
CONSOLE_USER, CONSOLE_PASSWORD = "console", "console-secret"

ACL_TEMPLATE = """\
# Generated for a test; same rules as deploy/mosquitto/acl.
# The console reads everything and sends commands.
user {console}
topic read {root}/#
topic write {root}/+/cmd

# Every booth user (user name = booth name) writes its own topics and reads its commands.
pattern write {root}/%u/online
pattern write {root}/%u/status
pattern write {root}/%u/stats
pattern write {root}/%u/reply
pattern write {root}/%u/screenshot
pattern read {root}/%u/cmd
pattern read {root}/all/cmd
"""


def mosquitto_binary() -> str | None:
    """The broker's path (Debian puts it in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("mosquitto")
    if found:
        return found
    return "/usr/sbin/mosquitto" if os.access("/usr/sbin/mosquitto", os.X_OK) else None


def require_mosquitto() -> tuple[str, str]:
    """(mosquitto, mosquitto_passwd), or skip (fail under CI) when they are missing."""
    broker = mosquitto_binary()
    passwd = shutil.which("mosquitto_passwd") or (
        "/usr/bin/mosquitto_passwd" if os.access("/usr/bin/mosquitto_passwd", os.X_OK) else None)
    if broker and passwd:
        return broker, passwd
    message = "mosquitto is not installed (apt-get install mosquitto, or bash scripts/setup.sh --test)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    """One Mosquitto process with a generated configuration, users and ACLs."""

    def __init__(self, folder: Path, users: dict[str, str] | None = None, *, root: str = "szkiosk") -> None:
        self.binary, self.passwd = require_mosquitto()
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.users: dict[str, str] = {CONSOLE_USER: CONSOLE_PASSWORD, **(users or {})}
        self.log = folder / "mosquitto.log"
        self.proc: subprocess.Popen | None = None
        self.password_file = folder / "passwords"
        self.acl_file = folder / "acl"
        self.acl_file.write_text(ACL_TEMPLATE.format(console=CONSOLE_USER, root=root), encoding="utf-8")
        self.config = folder / "mosquitto.conf"
        (folder / "data").mkdir(exist_ok=True)
        self._write_passwords()
        self.config.write_text(
            "\n".join([
                f"listener {self.port} 127.0.0.1",
                "allow_anonymous false",
                f"password_file {self.password_file}",
                f"acl_file {self.acl_file}",
                "persistence true",
                f"persistence_location {folder / 'data'}/",
                "autosave_interval 1",
                "autosave_on_changes true",
                "max_queued_messages 100000",
                f"log_dest file {self.log}",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type subscribe",
                "connection_messages true",
                f"user {getpass.getuser()}",  # as root, do not drop to the mosquitto user
                "",
            ]),
            encoding="utf-8",
        )

    def _write_passwords(self) -> None:
        self.password_file.unlink(missing_ok=True)
        self.password_file.touch()
        for user, password in self.users.items():
            subprocess.run([self.passwd, "-b", str(self.password_file), user, password], check=True,
                           capture_output=True)
        self.password_file.chmod(0o600)
        self.acl_file.chmod(0o600)

    def add_user(self, user: str, password: str) -> None:
        """Add a user (before :meth:`start`, or restart the broker after)."""
        self.users[user] = password
        subprocess.run([self.passwd, "-b", str(self.password_file), user, password], check=True, capture_output=True)

    def url(self, user: str = CONSOLE_USER, password: str | None = None) -> str:
        """``mqtt://user:password@127.0.0.1:port`` for one of the broker's users."""
        pw = self.users.get(user, "") if password is None else password
        return f"mqtt://{user}:{pw}@127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> Broker:
        """Start (or start again) and wait until the port accepts connections."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self.proc = subprocess.Popen([self.binary, "-c", str(self.config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                log = self.log.read_text(errors="replace") if self.log.exists() else ""
                raise RuntimeError(f"mosquitto exited with {self.proc.returncode}: {err}\n{log}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return self
            time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not listen on {self.port} within {timeout} s")

    def stop(self) -> None:
        """SIGTERM: the broker saves its persistence file and exits."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL: the broker dies at once (what it saved is what survives)."""
        self._signal(signal.SIGKILL)

    def _signal(self, sig: int) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    @property
    def running(self) -> bool:
        """The process is alive."""
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        """What the broker logged (connections, refusals)."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""
