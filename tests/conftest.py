"""Shared fixtures: offscreen Qt with a 1920x1080 screen, the bundled deck, leak checks."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from szkiosk.show.app import prepare_environment

prepare_environment(offscreen=True)

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


@pytest.fixture(scope="session", autouse=True)
def app():
    """The QApplication with the bundled font registered (before pytest-qt's qapp)."""
    from szkiosk.show.app import application

    return application()


@pytest.fixture(autouse=True)
def no_running_timers(app) -> Iterator[None]:
    """Fail a test that leaves a QTimer or animation running on a window or stage."""
    yield
    from PySide6.QtCore import QAbstractAnimation, QTimer
    from PySide6.QtWidgets import QGraphicsObject, QGraphicsView

    app.processEvents()
    running: list[str] = []
    for widget in app.topLevelWidgets():
        owners = [widget]
        views = [widget] if isinstance(widget, QGraphicsView) else widget.findChildren(QGraphicsView)
        for view in views:
            if view.scene() is not None:
                owners += [i for i in view.scene().items() if isinstance(i, QGraphicsObject)]
        for owner in owners:
            for timer in owner.findChildren(QTimer):
                if timer.isActive() and timer.interval() < 1000:
                    running.append(f"QTimer({timer.interval()} ms) on {type(owner).__name__}")
            for anim in owner.findChildren(QAbstractAnimation):
                if anim.state() == QAbstractAnimation.State.Running:
                    running.append(f"{type(anim).__name__} on {type(owner).__name__}")
    for widget in app.topLevelWidgets():
        if hasattr(widget, "stage"):
            widget.stage.stop()
        widget.close()
        widget.deleteLater()
    app.processEvents()
    assert not running, "test left animations running: " + ", ".join(sorted(set(running)))


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch) -> None:
    """Nothing a test does (logs, analytics, QR cache, service files) lands in the real home."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


@pytest.fixture(scope="session")
def bundled_deck():
    """The shipped deck, loaded once (tests must not modify it)."""
    from szkiosk.content import load_deck

    return load_deck(CONTENT)


@pytest.fixture
def deck_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled deck for tests that break things."""
    target = tmp_path / "deck"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def stage_for(qtbot) -> Callable:
    """Build a Stage for a deck, language and size; stopped after the test."""
    from szkiosk.show.stage import Stage

    made: list[Stage] = []

    def make(deck, language: str = "en", size: tuple[int, int] = (1920, 1080)) -> Stage:
        stage = Stage(deck, language)
        stage.resize(*size)
        stage.fit_to(*size)
        stage.animate_transitions = False
        made.append(stage)
        return stage

    yield make
    for stage in made:
        stage.stop()
        stage.deleteLater()


@pytest.fixture
def window(qtbot, bundled_deck):
    """A ShowWindow on the bundled deck at 1920x1080, shown offscreen."""
    from szkiosk.show.window import ShowWindow

    def make(deck=None, **kwargs):
        win = ShowWindow(deck or bundled_deck, **kwargs)
        qtbot.addWidget(win)
        win.resize(1920, 1080)
        win.show()
        qtbot.waitExposed(win)
        return win

    return make


#: The R&D headline figure of the bundled deck, and the wrong value tests plant in its place.
HEADLINE = ("innovation-figures", "5.49", "1.23")


@pytest.fixture
def changed_headline_deck(deck_copy: Path):
    """A copy of the bundled deck whose R&D figure reads 1.23 instead of 5.49 (nothing else changed)."""
    from szkiosk.content import load_deck

    panel_id, old, new = HEADLINE
    path = deck_copy / "panels" / f"{panel_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"  - value: {old}\n" in text, "the planted change needs the R&D figure"
    path.write_text(text.replace(f"  - value: {old}\n", f"  - value: {new}\n", 1), encoding="utf-8")
    deck = load_deck(deck_copy)
    assert deck.ok, deck.errors
    return deck


@pytest.fixture
def mosquitto(tmp_path_factory):
    """Start real Mosquitto brokers: ``mosquitto(users={"booth-1": "pw"})`` -> a started
    :class:`mosquitto_broker.Broker` on 127.0.0.1 (stopped after the test); ``tls=True``
    adds a TLS listener with a certificate made for the test."""
    from mosquitto_broker import Broker

    brokers: list[Broker] = []

    def start(users: dict[str, str] | None = None, *, tls: bool = False) -> Broker:
        broker = Broker(tmp_path_factory.mktemp("mosquitto"), users, tls=tls)
        brokers.append(broker)
        return broker.start()

    yield start
    for broker in brokers:
        broker.kill()
