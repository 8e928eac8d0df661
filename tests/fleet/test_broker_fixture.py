"""The test broker really is Mosquitto with passwords and ACLs (what every fleet test builds on)."""

from __future__ import annotations

import threading

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode

from mosquitto_broker import CONSOLE_PASSWORD, CONSOLE_USER


def _connect(port: int, user: str, password: str) -> tuple[mqtt.Client, ReasonCode]:
    done = threading.Event()
    result: list[ReasonCode] = []
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"t-{user}", protocol=mqtt.MQTTv311)
    client.username_pw_set(user, password)

    def on_connect(_c, _u, _f, reason, _p):
        result.append(reason)
        done.set()

    client.on_connect = on_connect
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert done.wait(10), "no CONNACK"
    return client, result[0]


def test_broker_checks_passwords_and_acls(mosquitto) -> None:
    broker = mosquitto({"booth-1": "pw1"})
    _, refused = _connect(broker.port, "booth-1", "wrong")
    assert refused.is_failure
    console, ok = _connect(broker.port, CONSOLE_USER, CONSOLE_PASSWORD)
    assert not ok.is_failure
    booth, ok = _connect(broker.port, "booth-1", "pw1")
    assert not ok.is_failure

    got: list[tuple[str, bytes]] = []
    arrived = threading.Event()

    def on_message(_c, _u, msg):
        got.append((msg.topic, msg.payload))
        if msg.topic.endswith("/status"):
            arrived.set()

    subscribed = threading.Event()
    console.on_message = on_message
    console.on_subscribe = lambda *_: subscribed.set()
    console.subscribe("szkiosk/#", qos=1)
    assert subscribed.wait(10), "no SUBACK"
    # a booth may not write another booth's topics (the broker drops it silently) ...
    booth.publish("szkiosk/booth-2/status", b"forged", qos=1).wait_for_publish(5)
    # ... but may write its own
    booth.publish("szkiosk/booth-1/status", b"{}", qos=1).wait_for_publish(5)
    assert arrived.wait(10)
    assert ("szkiosk/booth-1/status", b"{}") in got
    assert all(topic != "szkiosk/booth-2/status" for topic, _ in got)
    for client in (console, booth):
        client.loop_stop()
        client.disconnect()
