"""Soak: thousands of panel changes leave the number of live QObjects and timers flat.

RSS over time is a benchmark figure (``szkiosk bench --only memory``), not asserted here.
"""

from __future__ import annotations

import os
import random

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QGraphicsObject

CHANGES = int(os.environ.get("SZKIOSK_SOAK_CHANGES", "5000"))


def live_objects(win) -> tuple[int, int, int]:
    """(QObjects, QTimers, running QTimers) owned by the window and its scene."""
    objects = win.findChildren(QObject)
    for item in win.stage.scene().items():
        if isinstance(item, QGraphicsObject):
            objects.append(item)
            objects.extend(item.findChildren(QObject))
    timers = [o for o in objects if isinstance(o, QTimer)]
    return len(objects), len(timers), sum(t.isActive() for t in timers)


def test_thousands_of_panel_changes_keep_objects_flat(qtbot, window) -> None:
    win = window()
    p = win.presentation
    for _ in p.languages:  # every panel built once in every language: the cache is full
        for n in range(1, p.count + 1):
            p.goto(n)
        p.toggle_language()
    rng = random.Random(5000)
    commands = [p.next] * 6 + [p.previous, p.last, p.first, p.toggle_language,
                               lambda: p.goto(rng.randrange(1, p.count + 1))]
    samples: dict[int, tuple[int, int, int]] = {}
    for i in range(1, CHANGES + 1):
        if i % 100 == 0:
            qtbot.keyClick(win, Qt.Key.Key_Right)  # now and then through the real key path
        else:
            commands[i % len(commands)]()
        if i % 50 == 0:
            QApplication.processEvents()
        if i in (500, CHANGES):
            win.presentation.first()
            win.stage._stop_transition()
            QApplication.processEvents()
            # what the event loop does between frames: delete what was deleteLater()'d
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
            samples[i] = live_objects(win)
    assert samples[CHANGES] == samples[500], samples
    # at most the first panel's own build timer, and the stage waiting for it to settle (it then
    # prepares the next transitions' images in idle time)
    assert samples[CHANGES][2] <= 1 + win.stage.preparing
