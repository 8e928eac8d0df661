"""Cycles are collected on the GUI thread only (szkiosk.show.collector).

A collection that CPython starts on a worker thread (it collects wherever an allocation tips a
generation over its threshold) destroys Qt objects held in cycles on that thread: booths died
with a segmentation fault that way. These tests make a worker thread allocate far past the
thresholds while cycles wait, and check where the cycles die.
"""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

import pytest

from szkiosk.show import collector


class Cyclic:
    """Half of a reference cycle that notes the thread it is finalised on."""

    died_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.partner = self

    def __del__(self) -> None:
        Cyclic.died_on.append(threading.current_thread().name)


def churn(count: int = 200_000) -> list[list[int]]:
    """Allocate container objects on a worker thread, as a deck load builds its models; they
    stay alive (returned), so the collector's counts stay over their thresholds."""
    made: list[list[int]] = []

    def work() -> None:
        made.extend([n] for n in range(count))

    thread = threading.Thread(target=work, name="churn")
    thread.start()
    thread.join()
    return made


@pytest.fixture
def gui(qapp):
    gc.collect()
    Cyclic.died_on.clear()
    installed = collector.install()
    assert installed is not None and collector.installed() is installed
    return installed


def test_cycles_die_on_the_gui_thread_not_on_a_busy_worker(qtbot, gui) -> None:
    assert not gc.isenabled()  # automatic collection off: a worker never starts one
    for _ in range(50):
        Cyclic()
    alive = churn()
    assert Cyclic.died_on == []  # the worker allocated 200,000 containers and collected nothing
    qtbot.waitUntil(lambda: len(Cyclic.died_on) == 50, timeout=5000)
    assert set(Cyclic.died_on) == {threading.main_thread().name}
    assert sum(gui.collections) >= 1
    del alive


def test_a_held_collector_waits_and_catches_up(qtbot, gui) -> None:
    assert collector.hold_collector(1234)
    try:
        for _ in range(10):
            Cyclic()
        alive = churn(20_000)
        qtbot.wait(3 * collector.INTERVAL_MS)
        assert Cyclic.died_on == []  # held: a slide is moving
    finally:
        collector.release_collector(1234)
    qtbot.waitUntil(lambda: len(Cyclic.died_on) == 10, timeout=5000)
    del alive


def test_a_forgotten_hold_does_not_stop_collection(qtbot, gui, monkeypatch) -> None:
    monkeypatch.setattr(collector, "MAX_HOLD_S", 0.3)
    assert collector.hold_collector(4321)  # never released
    try:
        for _ in range(10):
            Cyclic()
        alive = churn(20_000)
        qtbot.waitUntil(lambda: len(Cyclic.died_on) == 10, timeout=5000)
        del alive
    finally:
        collector.release_collector(4321)


def test_the_app_installs_it(qapp) -> None:
    from szkiosk.show.app import application

    assert application() is qapp
    assert collector.installed() is not None and not gc.isenabled()


def test_the_timer_backs_off_at_rest_and_wakes_when_a_slide_lands(qtbot, gui) -> None:
    """Five checks a second cost a resting booth 0.13 % CPU: with nothing to collect the
    timer slows down to one check in 5 s; a landing slide makes it look often again."""
    gc.collect()
    qtbot.waitUntil(lambda: gui.interval_ms == collector.MAX_INTERVAL_MS, timeout=10_000)
    assert collector.hold_collector(99)
    collector.release_collector(99)
    assert gui.interval_ms == collector.INTERVAL_MS


def test_a_collection_at_rest_is_full_unless_held(qtbot, gui) -> None:
    for _ in range(5):
        Cyclic()
    assert collector.hold_collector(7)
    try:
        assert not collector.collect_at_rest()
        assert Cyclic.died_on == []
    finally:
        collector.release_collector(7)
    full = gui.collections[2]
    assert collector.collect_at_rest()
    assert len(Cyclic.died_on) == 5 and gui.collections[2] == full + 1


def test_when_the_loop_ends_it_collects_once_and_stays_off(qtbot, gui) -> None:
    """After the event loop, workers may still run (analytics flush, fleet goodbye): automatic
    collection must not come back on, or a worker could again collect Qt objects."""
    for _ in range(3):
        Cyclic()
    gui.stop()
    try:
        assert len(Cyclic.died_on) == 3 and not gc.isenabled()
        assert set(Cyclic.died_on) == {threading.main_thread().name}
    finally:
        gui.wake()  # running again for the tests that follow
