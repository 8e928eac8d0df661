"""Broker URLs and the MQTT client booths, the console and the collector share.

``mqtt://[user:password@]host[:port]`` (port 1883) or ``mqtts://...`` (TLS, port 8883;
``?ca=/path/ca.crt`` names the certificate authority, else the system's are trusted;
``&cert=/path/booth.crt&key=/path/booth.key`` logs in with a client certificate, for a broker
that asks for one: mutual TLS).
A password can also come from the environment (``SZKIOSK_FLEET_PASSWORD``) so it need not
sit in a service file's command line.

:class:`FleetClient` wraps a paho client that runs its own network thread: it connects in
the background, reconnects with a growing delay (1 s to 30 s), subscribes again after every
reconnect, and reports a refused login once, clearly, instead of once per retry. Over TLS a
failed connection is diagnosed with a handshake of its own (same trust, same host name
check), so that staff read "the broker's certificate is not trusted" and not only "cannot
reach". Callbacks run on paho's thread; the Qt side moves them to the GUI thread.

Pure Python: no Qt. paho is imported here only, and this module only when a fleet feature
is asked for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

log = logging.getLogger(__name__)

PASSWORD_ENV = "SZKIOSK_FLEET_PASSWORD"
#: The file options a broker URL may carry, and what each names.
URL_FILES = {"ca": "certificate authority file", "cert": "client certificate file", "key": "client key file"}
DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}
#: Acknowledgements remembered for a publish() that has not registered its callback yet. Far
#: fewer than the 65535 message ids, so a remembered id is gone long before paho reuses it.
EARLY_ACKS = 4096


@dataclass(frozen=True)
class BrokerURL:
    """Where the broker is and how to log in."""

    host: str
    port: int
    tls: bool = False
    user: str | None = None
    password: str | None = None
    ca_file: str | None = None
    #: The client certificate (PEM) and its private key (None: in the certificate's file).
    cert_file: str | None = None
    key_file: str | None = None

    def __str__(self) -> str:  # never the password
        who = f"{self.user}@" if self.user else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{who}{self.host}:{self.port}"


def _shown(text: str) -> str:
    """A URL as it may appear in a message: the password replaced by ``***``."""
    parts = urlsplit(text.strip())
    if parts.password is None:
        return text.strip()
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def parse_broker_url(text: str) -> BrokerURL:
    """Read a broker URL; :class:`ValueError` with the reason if it is not one (never showing a password)."""
    shown = _shown(text)
    parts = urlsplit(text.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError(f"broker URL {shown!r}: use mqtt://host[:port] or mqtts://host[:port]")
    if not parts.hostname:
        raise ValueError(f"broker URL {shown!r} has no host")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise ValueError(f"broker URL {shown!r}: bad port") from exc
    query = parse_qs(parts.query)
    unknown = set(query) - set(URL_FILES)
    if unknown:
        raise ValueError(f"broker URL {shown!r}: unknown option(s) {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(URL_FILES)})")
    files = {name: query.get(name, [None])[0] or None for name in URL_FILES}
    for name, path in files.items():
        if path and not os.path.isfile(path):
            raise ValueError(f"broker URL {shown!r}: {URL_FILES[name]} {path} does not exist")
    if parts.scheme != "mqtts" and any(files.values()):
        raise ValueError(f"broker URL {shown!r}: {', '.join(n + '=' for n, f in files.items() if f)} "
                         "only work with mqtts:// (TLS)")
    if files["key"] and not files["cert"]:
        raise ValueError(f"broker URL {shown!r}: key= needs cert= (the client certificate it belongs to)")
    # a certificate without its key, or a key of another certificate, fails here, not at each retry
    problem = _client_certificate_problem(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), files["cert"], files["key"])
    if problem is not None:
        raise ValueError(f"broker URL {shown!r}: {problem}")
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else os.environ.get(PASSWORD_ENV)
    return BrokerURL(parts.hostname, port, parts.scheme == "mqtts", user, password, files["ca"], files["cert"],
                     files["key"])


def _client_certificate_problem(context: ssl.SSLContext, cert: str | None, key: str | None) -> str | None:
    """Load the client certificate (if any) into ``context``; why it cannot be used, or None."""
    if not cert:
        return None
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        which = f" with key {key}" if key else " (no key= given, none in it)"
        return f"the client certificate {cert}{which} cannot be used: {getattr(exc, 'reason', None) or exc}"
    return None


def describe_refusal(reason: object) -> str:
    """A CONNACK refusal in words staff understand."""
    text = str(reason)
    lowered = text.lower()
    if "user name or password" in lowered or "bad username" in lowered:
        return "the broker refused the login: wrong user name or password"
    if "not authori" in lowered:
        # Mosquitto answers an MQTT 3.1.1 login with a wrong password this way too
        return "the broker refused the login (not authorised): check the booth's user name and password"
    return f"the broker refused the connection: {text}"


def tls_problem(url: BrokerURL, timeout: float = 5.0) -> str | None:
    """Why a TLS handshake with the broker fails, in words; None if it succeeds, or if the
    broker cannot be reached at all (no TCP connection: that is not a TLS problem).

    The handshake trusts what the client trusts (``?ca=`` or the system's authorities) and
    checks the host name as paho does, so its verdict is the client's.
    """
    try:
        context = ssl.create_default_context(cafile=url.ca_file)
    except (OSError, ssl.SSLError) as exc:
        return f"the certificate authority file {url.ca_file} cannot be used: {exc}"
    problem = _client_certificate_problem(context, url.cert_file, url.key_file)
    if problem is not None:
        return problem
    try:
        raw = socket.create_connection((url.host, url.port), timeout=timeout)
    except OSError:
        return None
    plain = " (is it a plain MQTT port? use mqtt:// for that)"
    try:
        with raw, context.wrap_socket(raw, server_hostname=url.host) as wire:
            return _client_certificate_refusal(wire, url)
    except ssl.SSLCertVerificationError as exc:
        reason = str(exc.verify_message or exc.reason or exc).rstrip(".")
        hint = ("the certificate must name the host in the URL" if "mismatch" in reason.lower()
                else "name the authority that signed it with ?ca=FILE" if url.ca_file is None
                else f"it was not signed by {url.ca_file}")
        return f"TLS refused: the broker's certificate at {url.host}:{url.port} is not trusted ({reason}); {hint}"
    except ssl.SSLError as exc:
        reason = str(exc.reason or exc)
        about_ours = _certificate_words(reason, url)  # TLS 1.2: the verdict comes in the handshake
        if about_ours is not None:
            return about_ours
        hint = plain if "WRONG_VERSION" in reason.upper() or isinstance(exc, ssl.SSLEOFError) else ""
        return f"TLS refused: the handshake with {url.host}:{url.port} failed: {reason}{hint}"
    except OSError as exc:  # connected, then closed mid-handshake: a server that does not speak TLS
        return f"TLS refused: {url.host}:{url.port} closed the connection during the handshake ({exc}){plain}"


#: Alerts a broker sends when it wants a client certificate, or does not accept the one sent.
_CERTIFICATE_ALERTS = ("CERTIFICATE_REQUIRED", "BAD_CERTIFICATE", "UNKNOWN_CA", "CERTIFICATE_UNKNOWN",
                       "CERTIFICATE_EXPIRED", "CERTIFICATE_REVOKED", "HANDSHAKE_FAILURE")


def _certificate_words(reason: str, url: BrokerURL) -> str | None:
    """The refusal of our client certificate (or of its absence) in words; None for other alerts."""
    if not any(alert in reason.upper() for alert in _CERTIFICATE_ALERTS):
        return None
    where = f"the broker at {url.host}:{url.port}"
    if url.cert_file is None:
        return (f"TLS refused: {where} asks for a client certificate ({reason}); "
                "give the booth's with ?cert=FILE&key=FILE")
    return (f"TLS refused: {where} does not accept the client certificate {url.cert_file} ({reason}); "
            "it must be signed by an authority the broker trusts (its cafile)")


def _client_certificate_refusal(wire: ssl.SSLSocket, url: BrokerURL, wait_s: float = 1.0) -> str | None:
    """After a handshake that went through on our side: does the broker turn our certificate down?

    Under TLS 1.3 the server judges the client's certificate after the client has finished, so
    its refusal arrives as an alert on the first read. A broker content with the client sends
    nothing until it gets an MQTT CONNECT, so the read just times out.
    """
    wire.settimeout(wait_s)
    try:
        wire.recv(1)
    except ssl.SSLError as exc:
        reason = str(exc.reason or exc)
        return _certificate_words(reason, url) or \
            f"TLS refused: the broker at {url.host}:{url.port} closed the connection: {reason}"
    except OSError:  # the read timed out (the broker waits for a login), or the line went
        return None
    return None


class FleetClient:
    """One MQTT connection with automatic reconnects (paho on its own thread).

    ``on_message(topic, payload)``, ``on_connected()`` and ``on_disconnected(reason)`` run on
    paho's network thread: keep them short and thread-safe.
    """

    def __init__(
        self,
        url: BrokerURL,
        client_id: str,
        *,
        will: tuple[str, bytes, int, bool] | None = None,
        clean_session: bool = True,
        keepalive: int = 30,
        on_message: Callable[[str, bytes], None] | None = None,
        on_connected: Callable[[], None] | None = None,
        on_disconnected: Callable[[str], None] | None = None,
        max_inflight: int = 20,
    ) -> None:
        self.url = url
        self.on_message = on_message
        self.on_connected = on_connected
        self.on_disconnected = on_disconnected
        self._lock = threading.RLock()  # paho may call on_publish inside publish()
        self._subscriptions: dict[str, int] = {}
        self._acks: dict[int, Callable[[], None]] = {}
        #: Message ids acknowledged before publish() registered their callback (oldest first).
        self._early: dict[int, None] = {}
        self._connected = threading.Event()
        #: Set once the broker has acknowledged every subscription of this connection.
        self._subscribed = threading.Event()
        self._pending_subs: dict[int, str] = {}  # message id -> topic, until its SUBACK
        self._early_subs: dict[int, None] = {}  # SUBACKs that came before subscribe() noted them
        self._started = False
        self._closing = False
        self._logged_error: str | None = None
        #: The broker answered this attempt's login with a refusal (already noted in words).
        self._login_answered = False
        #: The last refusal or connection problem, in words (None while all is well).
        self.last_error: str | None = None
        #: The last problem is one retrying will not mend (a refused login or certificate):
        #: scripts give up at once; a booth still retries (the broker's set-up may change).
        self.refused = False
        #: Connections made so far (reconnects count).
        self.connections = 0
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean_session,
                             protocol=mqtt.MQTTv311)
        if url.user:
            client.username_pw_set(url.user, url.password)
        if url.tls:
            client.tls_set(ca_certs=url.ca_file, certfile=url.cert_file, keyfile=url.key_file,
                           cert_reqs=ssl.CERT_REQUIRED)
        if will is not None:
            topic, payload, qos, retain = will
            client.will_set(topic, payload, qos=qos, retain=retain)
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.max_inflight_messages_set(max_inflight)
        client.max_queued_messages_set(0)  # unbounded in paho; callers bound what they send
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_publish = self._on_publish
        client.on_subscribe = self._on_subscribe
        client.on_connect_fail = self._on_connect_fail
        self._client = client
        self._keepalive = keepalive

    # -- life --------------------------------------------------------------------------------
    def start(self) -> None:
        """Connect in the background (returns at once; see :meth:`wait_connected`)."""
        if self._started:
            return
        self._started = True
        try:
            self._client.connect_async(self.url.host, self.url.port, keepalive=self._keepalive)
        except (OSError, ValueError) as exc:
            self._note_error(f"cannot reach the broker at {self.url}: {exc}")
        self._client.loop_start()

    def wait_connected(self, timeout: float) -> bool:
        """Block until connected (scripts and the console), at most ``timeout`` seconds."""
        return self._connected.wait(timeout)

    def wait_subscribed(self, timeout: float) -> bool:
        """Block until connected and every subscription is acknowledged, at most ``timeout`` s.

        Only then is a message that another client publishes sure to reach us: the broker
        handles each connection's packets on its own, so a SUBSCRIBE sent just before may not
        have been handled yet.
        """
        deadline = time.monotonic() + timeout
        if not self._connected.wait(timeout):
            return False
        return self._subscribed.wait(max(0.0, deadline - time.monotonic()))

    @property
    def connected(self) -> bool:
        """The broker accepted us and the connection is up."""
        return self._connected.is_set()

    def close(self, *, last: tuple[str, bytes, bool] | None = None, timeout: float = 3.0) -> None:
        """Publish ``last`` (topic, payload, retain) if connected, then disconnect and stop the thread."""
        if not self._started:
            return
        if last is not None and self.connected:
            info = self._client.publish(last[0], last[1], qos=1, retain=last[2])
            with contextlib.suppress(RuntimeError, ValueError):
                info.wait_for_publish(timeout)
        self._closing = True
        self._client.disconnect()
        self._client.loop_stop()
        self._started = False
        self._connected.clear()

    # -- traffic -----------------------------------------------------------------------------
    def subscribe(self, topic: str, qos: int = 1) -> None:
        """Subscribe now (if connected) and again after every reconnect."""
        with self._lock:
            self._subscriptions[topic] = qos
        if self.connected:
            self._send_subscribe(topic, qos)

    def _send_subscribe(self, topic: str, qos: int) -> None:
        """SUBSCRIBE now and remember its message id until the SUBACK (see :meth:`wait_subscribed`)."""
        result, mid = self._client.subscribe(topic, qos)  # not under our lock (see publish)
        if result != mqtt.MQTT_ERR_SUCCESS or mid is None:
            return  # not connected after all: _on_connect subscribes again
        with self._lock:
            if self._early_subs.pop(mid, None) is None:
                self._pending_subs[mid] = topic
                self._subscribed.clear()

    def publish(self, topic: str, payload: bytes | str, *, qos: int = 1, retain: bool = False,
                on_acked: Callable[[], None] | None = None) -> bool:
        """Send one message if connected (False when not: the caller keeps or drops it).

        ``on_acked`` runs (on paho's thread) once the broker has acknowledged a QoS 1 message.
        """
        if not self.connected:
            return False
        # Never hold our lock while paho holds its own: paho calls on_publish under its
        # out-message lock and _on_publish takes ours, so taking them the other way round here
        # would deadlock a publish that races an acknowledgement. The acknowledgement may thus
        # come before the callback is registered; _on_publish remembers such early ones.
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            return False
        if on_acked is not None:
            with self._lock:
                early = self._early.pop(info.mid, None) is not None
                if not early:
                    self._acks[info.mid] = on_acked
            if early:
                self._run_ack(on_acked)
        return True

    @staticmethod
    def _run_ack(callback: Callable[[], None]) -> None:
        try:
            callback()
        except Exception:
            log.exception("fleet: acknowledgement handler failed")

    # -- paho callbacks (network thread) -----------------------------------------------------
    def _note_error(self, text: str, *, refused: bool = False) -> None:
        self.last_error = text
        self.refused = refused
        if text != self._logged_error:  # once per distinct problem, not once per retry
            self._logged_error = text
            log.error("fleet: %s", text)

    def _on_connect(self, client: mqtt.Client, _userdata: object, _flags: object, reason: object,
                    _props: object) -> None:
        if getattr(reason, "is_failure", False):
            self._note_error(describe_refusal(reason), refused=True)
            self._login_answered = True  # the disconnect that follows says nothing more
            return
        self.connections += 1
        if self.last_error is not None or self.connections == 1:
            log.info("fleet: connected to %s", self.url)
        self.last_error = None
        self.refused = False
        self._logged_error = None
        with self._lock:  # unacknowledged QoS 1 messages: paho sends them again itself
            subscriptions = list(self._subscriptions.items())
            self._pending_subs.clear()
            self._early_subs.clear()
        if subscriptions:
            self._subscribed.clear()
            for topic, qos in subscriptions:
                self._send_subscribe(topic, qos)
        else:
            self._subscribed.set()
        self._connected.set()
        if self.on_connected is not None:
            self.on_connected()

    def _on_connect_fail(self, _client: mqtt.Client, _userdata: object) -> None:
        problem = tls_problem(self.url) if self.url.tls and not self._closing else None
        if problem is not None:
            self._note_error(problem, refused=True)
        else:
            self._note_error(f"cannot reach the broker at {self.url} (retrying)")

    def _on_disconnect(self, _client: mqtt.Client, _userdata: object, _flags: object, reason: object,
                       _props: object) -> None:
        was = self._connected.is_set()
        self._connected.clear()
        self._subscribed.clear()
        if self._closing:
            return
        if was:
            log.warning("fleet: lost the broker at %s (%s); reconnecting", self.url, reason)
            if self.on_disconnected is not None:
                self.on_disconnected(str(reason))
            return
        if self._login_answered:
            self._login_answered = False
            return
        # closed before the broker answered the login: under TLS 1.3 this is how a broker that
        # wants a client certificate (or rejects ours) says so
        problem = tls_problem(self.url) if self.url.tls else None
        if problem is not None:
            self._note_error(problem, refused=True)
        else:
            self._note_error(f"the broker at {self.url} closed the connection before answering the login "
                             f"({reason}); retrying")

    def _on_subscribe(self, _client: mqtt.Client, _userdata: object, mid: int, reasons: object,
                      _props: object) -> None:
        with self._lock:
            topic = self._pending_subs.pop(mid, None)
            if topic is None:  # subscribe() has not noted it yet
                self._early_subs[mid] = None
                while len(self._early_subs) > EARLY_ACKS:
                    self._early_subs.pop(next(iter(self._early_subs)))
            elif not self._pending_subs:
                self._subscribed.set()
        for reason in reasons if isinstance(reasons, list) else []:
            if getattr(reason, "is_failure", False):
                log.warning("fleet: the broker refused the subscription to %s (%s): check the ACL",
                            topic or "a topic", reason)

    def _on_message(self, _client: mqtt.Client, _userdata: object, message: mqtt.MQTTMessage) -> None:
        if self.on_message is None:
            return
        try:
            self.on_message(message.topic, bytes(message.payload))
        except Exception:  # a handler's bug must not kill the network thread
            log.exception("fleet: handling a message on %s failed", message.topic)

    def _on_publish(self, _client: mqtt.Client, _userdata: object, mid: int, _reason: object,
                    _props: object) -> None:
        with self._lock:
            callback = self._acks.pop(mid, None)
            if callback is None:  # not registered (yet): remember it for a moment
                self._early[mid] = None
                while len(self._early) > EARLY_ACKS:
                    self._early.pop(next(iter(self._early)))
        if callback is not None:
            self._run_ack(callback)
