"""Warm-up self-test: build every panel offscreen once and check every file it refers to.

Run at start (and after a hot reload) so a broken panel or a missing file shows up in the log
and the admin overlay before a visitor finds it. A panel that fails is skipped, never fatal;
the show keeps its calm fallback card for it and leaves it out of the attract loop.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, QTimer, Signal

from szkiosk.content import BrokenPanel, LoadedDeck, PanelModel, resolve_inside

if TYPE_CHECKING:
    from szkiosk.panels import Panel
    from szkiosk.show.stage import Stage

log = logging.getLogger(__name__)

#: File endings that mark a content string as a path to check.
ASSET_SUFFIXES = (".yaml", ".yml", ".json", ".topojson", ".csv", ".png", ".jpg", ".jpeg", ".svg",
                  ".webp", ".otf", ".ttf", ".mp4", ".webm")


@dataclass
class WarmupReport:
    """What the warm-up found."""

    problems: list[str] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    panels_built: int = 0
    assets_checked: int = 0
    seconds: float = 0.0
    done: bool = False


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def check_assets(deck: LoadedDeck, model: PanelModel) -> tuple[int, list[str]]:
    """Every path-like string in a panel must name a file inside the deck folder."""
    try:
        data = model.model_dump(mode="json", exclude_none=True)
    except Exception as exc:  # a custom serializer failing is a problem to report, not to raise
        return 0, [f"panel {model.id}: cannot inspect content: {exc}"]
    checked = 0
    problems: list[str] = []
    for text in _strings(data):
        if "\n" in text or len(text) > 300 or not text.lower().endswith(ASSET_SUFFIXES) or " " in text:
            continue
        checked += 1
        try:
            path = resolve_inside(deck.root, text)
        except ValueError as exc:
            problems.append(f"panel {model.id}: {exc}")
            continue
        if not path.is_file():
            problems.append(f"panel {model.id}: missing file {text} (looked in {deck.root})")
    return checked, problems


class WarmUp(QObject):
    """Builds one panel per event-loop turn so the screen stays responsive while it runs."""

    finished = Signal(object)

    def __init__(self, deck: LoadedDeck, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.deck = deck
        self.language = language
        self.report = WarmupReport()
        self._steps: Iterator[None] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._started = 0.0

    def start(self) -> None:
        """Begin in the background (one panel per timer tick)."""
        self._started = time.perf_counter()
        self._steps = self._run()
        self._timer.start()

    def run_now(self) -> WarmupReport:
        """Do everything at once (tests, the CLI self-check)."""
        self._started = time.perf_counter()
        for _ in self._run():
            pass
        return self.report

    def stop(self) -> None:
        """Abandon a running warm-up."""
        self._timer.stop()
        self._steps = None

    def _step(self) -> None:
        try:
            if self._steps is not None:
                next(self._steps)
                return
        except StopIteration:
            pass
        except Exception:
            log.exception("warm-up stopped early")
        self._timer.stop()

    def _run(self) -> Iterator[None]:
        from szkiosk.kit.fonts import bundled_font_path
        from szkiosk.panels import panel_class
        from szkiosk.show.stage import Stage

        report = self.report
        if bundled_font_path() is None:
            report.problems.append("bundled font Noto Sans SC is missing; Chinese text uses a system font")
        stage = Stage(self.deck, self.language)
        stage.resize(1920, 1080)
        stage.fit_to(1920, 1080)
        try:
            for model in self.deck.panels:
                yield
                self._one(stage, model, panel_class)
        finally:
            stage.stop()
            stage.deleteLater()
            report.seconds = time.perf_counter() - self._started
            report.done = True
            for problem in report.problems:
                log.warning("warm-up: %s", problem)
            log.info("warm-up: %d panels built, %d files checked, %d problem(s) in %.2f s",
                     report.panels_built, report.assets_checked, len(report.problems), report.seconds)
            self.finished.emit(report)

    def _one(self, stage: Stage, model: PanelModel | BrokenPanel,
             panel_class: Callable[[str], type[Panel] | None]) -> None:
        report = self.report
        if isinstance(model, BrokenPanel):
            report.failed.add(model.id)
            report.problems.extend(f"panel {model.id}: {err}" for err in model.errors)
            return
        checked, problems = check_assets(self.deck, model)
        report.assets_checked += checked
        report.problems.extend(problems)
        if problems:
            report.failed.add(model.id)
        try:
            cls = panel_class(model.type)
        except Exception as exc:
            cls = None
            log.exception("warm-up: the module for panel type %r failed to load", model.type)
            report.problems.append(f"panel {model.id}: type {model.type!r} fails to load: {exc}")
        if cls is None:
            report.failed.add(model.id)
            report.problems.append(f"panel {model.id}: no panel class for type {model.type!r}")
            return
        panel = None
        try:
            panel = cls(model, stage.context())
            panel.setParentItem(stage.clip)
            panel.finish()
            stage.render_image(QSize(480, 270 if stage.logical.width() > stage.logical.height() else 854))
            report.panels_built += 1
        except Exception as exc:
            log.exception("warm-up: panel %s failed", model.id)
            report.failed.add(model.id)
            report.problems.append(f"panel {model.id} ({model.type}) fails to build: {type(exc).__name__}: {exc}")
        finally:
            if panel is not None:
                try:
                    panel.deactivate()
                    if panel.scene() is not None:
                        panel.scene().removeItem(panel)
                    panel.deleteLater()
                except Exception:
                    log.exception("warm-up: could not discard panel %s", model.id)

