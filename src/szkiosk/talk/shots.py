"""Render panels at their final animation state to PNG files (``szkiosk shot``, export)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from szkiosk.content import LoadedDeck
from szkiosk.kit.access import AccessMode
from szkiosk.show.stage import Stage


def render_panel(stage: Stage, index: int, size: tuple[int, int]) -> QImage:
    """The panel at ``index`` as the visitor sees it once its build has finished."""
    panel = stage.show_panel(index, animate=False)
    panel.finish()
    image = stage.render_image(QSize(*size))
    panel.deactivate()
    return image


def render_deck(
    deck: LoadedDeck, language: str, out: Path, size: tuple[int, int], only: str | None = None,
    access: AccessMode | None = None,
) -> Iterator[Path]:
    """Write ``out/NN-<id>.png`` for each panel; yields each path as it is written.

    ``access`` renders in accessibility modes (default: the deck's ``accessibility:`` settings).
    """
    out.mkdir(parents=True, exist_ok=True)
    stage = Stage(deck, language)
    stage.resize(*size)
    stage.fit_to(*size)
    if access is not None:
        stage.set_access(access, quiet=True)
    stage.animate_transitions = False
    try:
        for i, panel in enumerate(deck.panels):
            if only and panel.id != only:
                continue
            path = out / f"{i + 1:02d}-{panel.id}.png"
            if not render_panel(stage, i, size).save(str(path)):
                raise OSError(f"could not write {path}")
            yield path
    finally:
        stage.stop()
        stage.deleteLater()
