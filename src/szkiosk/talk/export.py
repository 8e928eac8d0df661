"""Handout export: one PDF page per panel at its final state, text kept as vector text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from szkiosk.catalogue import ui_text
from szkiosk.content import LoadedDeck, PanelModel
from szkiosk.kit.items import vector_text
from szkiosk.show.stage import Stage

#: Width of a page in mm (a 16:9 slide); notes add a band below the slide.
PAGE_W_MM = 297.0


def export_pdf(deck: LoadedDeck, path: Path, language: str, *, notes: bool = False) -> Iterator[int]:
    """Write the handout; yields the 1-based number of each page as it is drawn."""
    stage = Stage(deck, language)
    stage.resize(1920, 1080)
    stage.fit_to(1920, 1080)
    stage.animate_transitions = False
    stage.show_controls = False
    logical = stage.logical
    notes_h = logical.height() * 0.36 if notes else 0.0
    page_h_mm = PAGE_W_MM * (logical.height() + notes_h) / logical.width()
    writer = QPdfWriter(str(path))
    writer.setTitle(deck.model.title.get(language))
    writer.setCreator("szkiosk")
    # one device pixel per logical pixel: pyqtgraph lays out axes in device units, so the
    # page must not rescale them (text and shapes stay vectors either way)
    writer.setResolution(96)
    writer.setPageLayout(QPageLayout(QPageSize(QSizeF(PAGE_W_MM, page_h_mm), QPageSize.Unit.Millimeter),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    try:
        scale = writer.width() / logical.width()
        for i, model in enumerate(deck.panels):
            if i:
                writer.newPage()
            panel = stage.show_panel(i, animate=False)
            panel.finish()
            painter.save()
            painter.scale(scale, scale)
            page = QRectF(0, 0, logical.width(), logical.height() + notes_h)
            painter.fillRect(page, stage.theme.colour("background"))
            vector_text(stage.scene().items())
            stage.scene().render(painter, QRectF(0, 0, logical.width(), logical.height()), stage.scene().sceneRect())
            if notes:
                _draw_notes(painter, stage, model, language, QRectF(96, logical.height() + 10,
                                                                    logical.width() - 192, notes_h - 40))
            painter.restore()
            panel.deactivate()
            yield i + 1
    finally:
        painter.end()
        stage.stop()
        stage.deleteLater()


def _draw_notes(painter: QPainter, stage: Stage, model: object, language: str, rect: QRectF) -> None:
    theme = stage.theme
    painter.setPen(theme.colour("muted", 0.5))
    painter.drawLine(rect.topLeft(), rect.topRight())
    text = model.notes.get(language) if isinstance(model, PanelModel) and model.notes else ""
    painter.setPen(theme.colour("data"))
    painter.setFont(theme.font("caption", 1.1, bold=True))
    painter.drawText(rect.adjusted(0, 16, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                     ui_text("talk.notes", language))
    painter.setPen(theme.colour("text"))
    painter.setFont(theme.font("body", 0.9, bold=False))
    painter.drawText(rect.adjusted(0, 64, 0, 0),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap),
                     text or "—")
