"""A real Mosquitto broker for the fleet tests, on 127.0.0.1 at a free port.

Each :class:`Broker` writes its own configuration in a temporary folder: no anonymous
clients, a password file made with ``mosquitto_passwd``, per-booth ACLs as
``deploy/mosquitto`` ships them, and persistence (QoS 1 messages for persistent sessions
survive a restart). Tests can stop it (SIGTERM), kill it (SIGKILL) and start it again on the
same port. ``tls=True`` adds a second listener that speaks TLS, with a certificate authority
and a server certificate for 127.0.0.1 made by ``openssl`` for the test, and a third that also
asks every client for a certificate signed by that authority and takes the certificate's
common name as the user name (mutual TLS; :meth:`Broker.client_certificate` makes one).

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


def require_openssl() -> str:
    """The ``openssl`` command, or skip (fail under CI, where ``.ci/run`` installs it)."""
    found = shutil.which("openssl")
    if found:
        return found
    message = "openssl is not installed (apt-get install openssl, or bash scripts/setup.sh --test)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


#: A new EC key, unencrypted (``openssl req`` options).
_NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _openssl(*commands: list) -> None:
    for command in commands:
        subprocess.run([str(part) for part in command], check=True, capture_output=True)


def _signed(folder: Path, stem: str, common_name: str, extensions: str, ca_crt: Path,
            ca_key: Path) -> tuple[Path, Path]:
    """A new key and a certificate for ``common_name`` signed by ``ca_crt``: (stem.crt, stem.key)."""
    folder.mkdir(parents=True, exist_ok=True)
    key, csr, crt, ext = (folder / f"{stem}.{suffix}" for suffix in ("key", "csr", "crt", "ext"))
    ext.write_text(f"basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\n{extensions}\n", encoding="ascii")
    openssl = require_openssl()
    _openssl([openssl, "req", *_NEW_KEY, "-keyout", key, "-out", csr, "-subj", f"/CN={common_name}"],
             [openssl, "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-out", crt,
              "-days", "2", "-extfile", ext])
    key.chmod(0o600)
    return crt, key


def make_certificates(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path, Path]:
    """A certificate authority and a server certificate it signed for ``host`` (an IP address
    in the subject's alternative names, as clients check): (ca.crt, server.crt, server.key)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_crt = folder / "ca.key", folder / "ca.crt"
    _openssl([require_openssl(), "req", "-x509", *_NEW_KEY, "-keyout", ca_key, "-out", ca_crt, "-days", "2",
              "-subj", "/CN=szkiosk test authority"])
    crt, key = _signed(folder, "server", host, f"subjectAltName = IP:{host}\nextendedKeyUsage = serverAuth",
                       ca_crt, ca_key)
    return ca_crt, crt, key


def make_client_certificate(folder: Path, name: str, ca_crt: Path, ca_key: Path) -> tuple[Path, Path]:
    """A client certificate for ``name`` (its common name) signed by ``ca_crt``: (name.crt, name.key)."""
    return _signed(folder, name, name, "extendedKeyUsage = clientAuth", ca_crt, ca_key)


class Broker:
    """One Mosquitto process with a generated configuration, users and ACLs."""

    def __init__(self, folder: Path, users: dict[str, str] | None = None, *, root: str = "szkiosk",
                 tls: bool = False) -> None:
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
        #: The TLS listener's port and the authority that signed its certificate (with ``tls``).
        self.tls_port: int | None = None
        self.ca_file: Path | None = None
        tls_lines: list[str] = []
        #: The listener that asks each client for a certificate (with ``tls``).
        self.mutual_port: int | None = None
        if tls:
            self.ca_file, certificate, key = make_certificates(folder / "tls")
            self.tls_port, self.mutual_port = free_port(), free_port()
            server = [f"cafile {self.ca_file}", f"certfile {certificate}", f"keyfile {key}"]
            tls_lines = [f"listener {self.tls_port} 127.0.0.1", *server,
                         f"listener {self.mutual_port} 127.0.0.1", *server,
                         "require_certificate true", "use_identity_as_username true"]
        self.config.write_text(
            "\n".join([
                f"listener {self.port} 127.0.0.1",
                *tls_lines,
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

    def tls_url(self, user: str = CONSOLE_USER, *, host: str = "127.0.0.1", ca: bool = True) -> str:
        """``mqtts://user:password@host:tls_port?ca=...`` (``ca=False``: trust the system's
        authorities only, which do not know the test's)."""
        assert self.tls_port is not None and self.ca_file is not None, "started without tls=True"
        query = f"?ca={self.ca_file}" if ca else ""
        return f"mqtts://{user}:{self.users.get(user, '')}@{host}:{self.tls_port}{query}"

    def client_certificate(self, name: str) -> tuple[Path, Path]:
        """A client certificate for user ``name``, signed by this broker's authority: (crt, key)."""
        assert self.ca_file is not None, "started without tls=True"
        return make_client_certificate(self.folder / "clients", name, self.ca_file, self.ca_file.with_suffix(".key"))

    def mutual_url(self, cert: Path | None = None, key: Path | None = None, *, user: str | None = None) -> str:
        """``mqtts://127.0.0.1:mutual_port?ca=...&cert=...&key=...`` (no password: the certificate logs in)."""
        assert self.mutual_port is not None and self.ca_file is not None, "started without tls=True"
        query = f"?ca={self.ca_file}" + (f"&cert={cert}" if cert else "") + (f"&key={key}" if key else "")
        return f"mqtts://{user + '@' if user else ''}127.0.0.1:{self.mutual_port}{query}"

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
