"""FleetClient against a real Mosquitto: URLs, refused logins, acknowledgements, reconnects."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from szkiosk.fleet.broker import BrokerURL, FleetClient, parse_broker_url


def until(condition, timeout: float = 15.0) -> bool:
    """Wait until ``condition()`` holds (no wall-clock assertion: a generous bound)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize(("text", "expected"), [
    ("mqtt://host", BrokerURL("host", 1883)),
    ("mqtts://u:p%40ss@broker.local:9000", BrokerURL("broker.local", 9000, True, "u", "p@ss")),
    ("mqtt://booth-1:pw@127.0.0.1:1884", BrokerURL("127.0.0.1", 1884, False, "booth-1", "pw")),
])
def test_parse_broker_url(text: str, expected: BrokerURL) -> None:
    assert parse_broker_url(text) == expected
    assert "pw" not in str(parse_broker_url(text)) and "p@ss" not in str(parse_broker_url(text))


@pytest.mark.parametrize("text", ["http://host", "mqtt://", "mqtt://host:port", "mqtt://host?x=1",
                                  "mqtts://host?ca=/no/such/ca.crt"])
def test_bad_broker_urls_say_why(text: str) -> None:
    with pytest.raises(ValueError, match="broker URL"):
        parse_broker_url(text)


def test_password_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("SZKIOSK_FLEET_PASSWORD", "from-env")
    assert parse_broker_url("mqtt://booth@host").password == "from-env"


def test_wrong_password_is_one_clear_error(mosquitto, caplog) -> None:
    broker = mosquitto({"booth-1": "right"})
    client = FleetClient(parse_broker_url(broker.url("booth-1", "wrong")), "t-wrong")
    with caplog.at_level(logging.ERROR, logger="szkiosk.fleet.broker"):
        client.start()
        assert until(lambda: client.last_error is not None)
        time.sleep(2.5)  # paho retries after 1 s, then 2 s: the error is logged once
        client.close()
    assert "refused the login" in client.last_error and "password" in client.last_error
    assert not client.connected
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]


def test_acknowledged_publish_and_resubscribe_after_restart(mosquitto) -> None:
    broker = mosquitto({"booth-1": "pw"})
    got: list[tuple[str, bytes]] = []
    console = FleetClient(parse_broker_url(broker.url()), "t-console",
                          on_message=lambda t, p: got.append((t, p)))
    console.subscribe("szkiosk/+/status")
    console.start()
    booth = FleetClient(parse_broker_url(broker.url("booth-1")), "t-booth")
    booth.start()
    assert console.wait_subscribed(10) and booth.wait_connected(10)
    acked = threading.Event()
    assert booth.publish("szkiosk/booth-1/status", b"one", on_acked=acked.set)
    assert acked.wait(10)
    assert until(lambda: ("szkiosk/booth-1/status", b"one") in got)

    broker.stop()
    assert until(lambda: not booth.connected and not console.connected, 60)
    assert not booth.publish("szkiosk/booth-1/status", b"lost")  # not connected: the caller keeps it
    broker.start()
    assert until(lambda: booth.connected and console.connected, 60)
    assert console.wait_subscribed(30)  # subscribed again, acknowledged
    assert booth.publish("szkiosk/booth-1/status", b"two")
    assert until(lambda: ("szkiosk/booth-1/status", b"two") in got)
    assert console.connections >= 2
    for client in (booth, console):
        client.close()


def test_bad_url_messages_hide_the_password() -> None:
    with pytest.raises(ValueError) as caught:
        parse_broker_url("mqtt://booth:s3cret@host:notaport")
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)


def test_unreachable_broker_is_named(caplog) -> None:
    from mosquitto_broker import free_port

    client = FleetClient(parse_broker_url(f"mqtt://booth:pw@127.0.0.1:{free_port()}"), "t-nobody")
    with caplog.at_level(logging.ERROR, logger="szkiosk.fleet.broker"):
        client.start()
        assert until(lambda: client.last_error is not None)
        client.close()
    assert "cannot reach the broker at mqtt://booth@127.0.0.1" in client.last_error
    assert "pw" not in caplog.text


def test_deliberate_close_is_not_a_lost_broker(mosquitto, caplog) -> None:
    broker = mosquitto()
    client = FleetClient(parse_broker_url(broker.url()), "t-close")
    client.start()
    assert client.wait_connected(10)
    with caplog.at_level(logging.WARNING, logger="szkiosk.fleet.broker"):
        client.close()
    assert "lost the broker" not in caplog.text


def test_publishing_from_threads_while_acks_arrive_never_deadlocks(mosquitto) -> None:
    """paho calls on_publish under its own lock: publishing from other threads at the same
    moment must not take the two locks in the opposite order (it froze booths once)."""
    broker = mosquitto({"booth-1": "pw"})
    client = FleetClient(parse_broker_url(broker.url("booth-1")), "t-threads")
    client.start()
    assert client.wait_connected(10)
    acked: list[int] = []
    lock = threading.Lock()

    def ack() -> None:
        with lock:
            acked.append(1)

    def burst() -> None:
        for i in range(400):
            client.publish("szkiosk/booth-1/status", f"{i}".encode(), on_acked=ack)

    threads = [threading.Thread(target=burst) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a publishing thread is stuck"
    assert until(lambda: len(acked) == 1600, 60), len(acked)
    client.close()
