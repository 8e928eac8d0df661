"""Driving Qt as the event loop would, for the frame, idle and memory benchmarks."""

from __future__ import annotations


class Painter:
    """Drives ``view`` as the event loop would for one frame, and reports whether it painted.

    After the scene changes, Qt schedules an update of the dirty region; the frame is the
    processing of those events up to and including the viewport's paint (only the changed
    region is repainted, as on screen). A frame in which nothing changed paints nothing.
    """

    def __init__(self, view) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.paints = 0
        paint = QEvent.Type.Paint

        class Counter(QObject):
            def eventFilter(inner, watched, event) -> bool:
                if event.type() == paint:
                    self.paints += 1
                return False

        self._counter = Counter()
        self.viewport = view.viewport()
        self.viewport.installEventFilter(self._counter)

    def __call__(self) -> bool:
        from PySide6.QtCore import QEventLoop

        start = self.paints
        for _ in range(4):
            self.app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            if self.paints > start:
                return True
        return False

    def close(self) -> None:
        """Stop counting paints."""
        self.viewport.removeEventFilter(self._counter)


def lay_out(view, w: int, h: int) -> None:
    """Size and show ``view`` as a w x h window, without putting it on a screen.

    A widget that was never shown keeps Qt's default viewport size: its scene would be
    drawn through a small view transform and scaled up, which is not what a screen gets.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.resize(w, h)
    view.show()
    QApplication.processEvents()


def flush_deletes() -> None:
    """Delete what deleteLater() queued now, so counts and RSS see the objects gone."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
