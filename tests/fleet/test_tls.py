"""The fleet over TLS (``mqtts://``) with a real Mosquitto TLS listener and real certificates.

The broker's certificate and its authority are made by ``openssl`` for each test broker
(:func:`mosquitto_broker.make_certificates`). A client that trusts the authority (``?ca=``)
connects, and the connection really is TLS; one that does not, or that names another host,
or that speaks TLS to a plain port, is refused in words that say what to change, and the
console gives up at once with that one line instead of waiting for its timeout.
"""

from __future__ import annotations

import json
import ssl
import threading
from pathlib import Path

import pytest

from fleet_processes import ROOT, booth_env, start_booth, stop_booth, szkiosk, until
from mosquitto_broker import CONSOLE_USER, make_certificates
from szkiosk.fleet import topics
from szkiosk.fleet.broker import FleetClient, parse_broker_url


def _status_listener(broker) -> tuple[FleetClient, dict[str, bytes], threading.Event]:
    """A console on the plain port collecting every booth's status: (client, topic -> payload, arrived)."""
    got: dict[str, bytes] = {}
    arrived = threading.Event()

    def on_message(topic: str, payload: bytes) -> None:
        got[topic] = payload
        arrived.set()

    console = FleetClient(parse_broker_url(broker.url()), "console-plain", on_message=on_message)
    console.subscribe("szkiosk/+/status")
    console.start()
    return console, got, arrived


def test_a_booth_over_tls_reaches_a_console_on_the_plain_port(mosquitto) -> None:
    broker = mosquitto({"booth-1": "pw1"}, tls=True)
    console, got, arrived = _status_listener(broker)
    booth = FleetClient(parse_broker_url(broker.tls_url("booth-1")), "booth-1")
    booth.start()
    try:
        assert console.wait_subscribed(10)
        assert booth.wait_connected(10), booth.last_error
        assert (booth.last_error, booth.refused) == (None, False)
        wire = booth._client.socket()  # what paho really talks through
        assert isinstance(wire, ssl.SSLSocket) and wire.version() in ("TLSv1.2", "TLSv1.3")
        assert wire.getpeername()[1] == broker.tls_port != broker.port
        booth.publish(topics.topic("booth-1", "status"), b'{"booth": "booth-1"}', qos=1, retain=True)
        assert arrived.wait(10)
        assert got == {"szkiosk/booth-1/status": b'{"booth": "booth-1"}'}
    finally:
        booth.close()
        console.close()


def _first_listed(env: dict[str, str], console_url: str, log: Path) -> dict:
    """The first booth ``fleet status --once --json`` lists with a panel, waiting up to 120 s for it."""
    def listed() -> dict | None:
        done = szkiosk(env, "fleet", "status", "--once", "--json", "--broker", console_url)
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        return rows[0] if rows and rows[0].get("panel") else None

    assert until(lambda: listed() is not None, 120), log.read_text(errors="replace") if log.exists() else ""
    row = listed()
    assert row is not None
    return row


def _refusal(url: str) -> tuple[bool, bool, str | None]:
    client = FleetClient(parse_broker_url(url), "booth-1")
    client.start()
    try:
        assert until(lambda: client.last_error is not None, 15), "no error reported"
        return client.connected, client.refused, client.last_error
    finally:
        client.close()


def test_an_untrusted_certificate_is_refused_in_words(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({"booth-1": "pw1"}, tls=True)
    base = f"mqtts://booth-1:pw1@127.0.0.1:{broker.tls_port}"
    other_ca, _, _ = make_certificates(tmp_path / "other")
    cases = {
        # the system's authorities do not know the test's
        broker.tls_url("booth-1", ca=False): ("is not trusted", "self-signed certificate in certificate chain",
                                              "name the authority that signed it with ?ca=FILE"),
        # the certificate is for 127.0.0.1, not for this name
        broker.tls_url("booth-1", host="localhost"): ("is not trusted", "Hostname mismatch",
                                                      "the certificate must name the host in the URL"),
        # an authority that did not sign it
        f"{base}?ca={other_ca}": ("is not trusted", f"it was not signed by {other_ca}"),
        # TLS spoken to the plain port
        f"mqtts://booth-1:pw1@127.0.0.1:{broker.port}": ("during the handshake", "is it a plain MQTT port?"),
    }
    for url, words in cases.items():
        connected, refused, error = _refusal(url)
        assert not connected and refused, url
        assert error is not None and error.startswith("TLS refused: ") and "pw1" not in error, error
        assert all(word in error for word in words), (url, error)


def test_the_console_lists_a_real_booth_over_tls_and_gives_up_at_once_on_a_bad_certificate(
        mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({"tls-booth": "pw-tls"}, tls=True)
    env = booth_env(tmp_path)
    log = tmp_path / "booth.log"
    booth = start_booth(env, log, str(ROOT / "content"), "--kiosk", "--booth", "tls-booth",
                        "--fleet", broker.tls_url("tls-booth"))
    try:
        row = _first_listed(env, broker.tls_url(CONSOLE_USER), log)
        assert (row["booth"], row["online"], row["problem"], row["panel"], row["language"]) == (
            "tls-booth", True, None, "title", "en")
        assert booth.poll() is None  # still showing

        # it gives up on the refusal and says so (at its timeout it would say "cannot reach ... within 60 s")
        done = szkiosk(env, "fleet", "status", "--once", "--timeout", "60", "--broker",
                       broker.tls_url(CONSOLE_USER, ca=False))
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.count("\n") == 1, done.stderr
        assert "TLS refused: the broker's certificate" in done.stderr and "?ca=FILE" in done.stderr
        assert "console-secret" not in done.stderr
    finally:
        stop_booth(booth)


@pytest.mark.parametrize("scheme", ["mqtt", "mqtts"])
def test_a_missing_authority_file_is_a_url_error(scheme: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.crt"
    with pytest.raises(ValueError, match=r"certificate authority file .* does not exist"):
        parse_broker_url(f"{scheme}://booth:pw@127.0.0.1:8883?ca={missing}")


# -- mutual TLS: the broker asks every client for a certificate ---------------------------------
def test_a_booth_logs_in_with_its_client_certificate_and_the_broker_knows_it_by_that(mosquitto) -> None:
    broker = mosquitto({"booth-1": "pw1", "booth-2": "pw2"}, tls=True)
    crt, key = broker.client_certificate("booth-1")
    console, got, arrived = _status_listener(broker)
    # no password anywhere, and the user name the URL gives is not the one the broker uses
    booth = FleetClient(parse_broker_url(broker.mutual_url(crt, key, user="booth-2")), "booth-1")
    booth.start()
    try:
        assert console.wait_subscribed(10)
        assert booth.wait_connected(10), booth.last_error
        assert (booth.last_error, booth.refused) == (None, False)
        wire = booth._client.socket()
        assert isinstance(wire, ssl.SSLSocket) and wire.getpeername()[1] == broker.mutual_port
        # the ACL lets user booth-1 (the certificate's name) write only its own topics
        booth.publish(topics.topic("booth-2", "status"), b'{"booth": "forged"}', qos=1, retain=True)
        booth.publish(topics.topic("booth-1", "status"), b'{"booth": "booth-1"}', qos=1, retain=True)
        assert arrived.wait(10)
        assert until(lambda: "szkiosk/booth-1/status" in got, 10)
        assert got == {"szkiosk/booth-1/status": b'{"booth": "booth-1"}'}
    finally:
        booth.close()
        console.close()
    assert "as booth-1 (" in broker.log.read_text(errors="replace")  # Mosquitto's own word for who logged in


def test_a_missing_or_foreign_client_certificate_is_refused_in_words(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({"booth-1": "pw1"}, tls=True)
    other_ca, _, _ = make_certificates(tmp_path / "other")
    from mosquitto_broker import make_client_certificate

    foreign_crt, foreign_key = make_client_certificate(tmp_path / "foreign", "booth-1", other_ca,
                                                       other_ca.with_suffix(".key"))
    cases = {
        broker.mutual_url(): ("asks for a client certificate", "give the booth's with ?cert=FILE&key=FILE"),
        broker.mutual_url(foreign_crt, foreign_key): (
            "does not accept the client certificate", str(foreign_crt), "signed by an authority the broker trusts"),
    }
    for url, words in cases.items():
        connected, refused, error = _refusal(url)
        assert not connected and refused, url
        assert error is not None and error.startswith("TLS refused: "), error
        assert all(word in error for word in words), (url, error)


def test_the_console_gives_up_at_once_without_a_client_certificate(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({}, tls=True)
    crt, key = broker.client_certificate(CONSOLE_USER)
    env = booth_env(tmp_path)
    done = szkiosk(env, "fleet", "status", "--once", "--json", "--broker", broker.mutual_url(crt, key))
    assert done.returncode == 0 and json.loads(done.stdout) == [], done.stderr
    done = szkiosk(env, "fleet", "status", "--once", "--timeout", "60", "--broker", broker.mutual_url())
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "asks for a client certificate" in done.stderr


def test_client_certificate_options_are_checked_in_the_url(mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({}, tls=True)
    crt, key = broker.client_certificate("booth-1")
    _, other_key = broker.client_certificate("booth-2")
    base = f"mqtts://127.0.0.1:{broker.mutual_port}"
    parsed = parse_broker_url(f"{base}?ca={broker.ca_file}&cert={crt}&key={key}")
    assert (parsed.cert_file, parsed.key_file, parsed.ca_file) == (str(crt), str(key), str(broker.ca_file))
    bad = {
        f"mqtt://127.0.0.1:1883?cert={crt}&key={key}": "cert=, key= only work with mqtts:// (TLS)",
        f"{base}?key={key}": "key= needs cert=",
        f"{base}?cert={tmp_path / 'none.crt'}": "client certificate file",
        f"{base}?cert={crt}": "(no key= given, none in it) cannot be used",
        f"{base}?cert={crt}&key={other_key}": "KEY_VALUES_MISMATCH",
        f"{base}?certificate={crt}": "unknown option(s) certificate (known: ca, cert, key)",
    }
    for url, words in bad.items():
        with pytest.raises(ValueError, match=None) as caught:
            parse_broker_url(url)
        assert words in str(caught.value), (url, str(caught.value))


def test_a_real_booth_over_mutual_tls_is_listed_by_a_console_with_its_own_certificate(
        mosquitto, tmp_path: Path) -> None:
    broker = mosquitto({}, tls=True)  # no passwords at all: certificates only on this listener
    booth_crt, booth_key = broker.client_certificate("cert-booth")
    console_crt, console_key = broker.client_certificate(CONSOLE_USER)
    env = booth_env(tmp_path)
    log = tmp_path / "booth.log"
    booth = start_booth(env, log, str(ROOT / "content"), "--kiosk", "--booth", "cert-booth",
                        "--fleet", broker.mutual_url(booth_crt, booth_key))
    try:
        row = _first_listed(env, broker.mutual_url(console_crt, console_key), log)
        assert (row["booth"], row["online"], row["problem"], row["panel"]) == ("cert-booth", True, None, "title")
        assert booth.poll() is None
    finally:
        stop_booth(booth)
    assert "TLS refused" not in log.read_text(errors="replace")
