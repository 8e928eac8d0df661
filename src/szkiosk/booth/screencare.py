"""Screen care for a booth screen that runs for days, drawn: the black screen of the
``kiosk.screen_off`` hours and the footer's few-pixel shift against burn-in.

When to black out, when to light up and where the footer goes are the booth's rules
(:class:`szkiosk.booth_state.BoothState`: :class:`~szkiosk.booth_state.ScreenOff`,
:class:`~szkiosk.booth_state.ScreenOn`, :class:`~szkiosk.booth_state.ShiftFooter`); this
module only does it to a :class:`~szkiosk.show.stage.Stage`:

* the black layer covers everything (admin menu, PIN pad and prompts included) and the
  letterbox; panel animations stop behind it, also after a reload under the black screen;
* the static footer (:class:`~szkiosk.show.stage.Chrome`: source line, arrows, dots, language
  and Aa buttons, the take-away QR code) and the reach bar move by the offset; panels never
  move. A rebuilt scene (rotation, reload, access modes) gets both back at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QPointF
from PySide6.QtGui import QColor

from szkiosk.show.overlays import Blackout

if TYPE_CHECKING:
    from szkiosk.show.stage import Stage

#: Above every other layer (admin menu, PIN pad, countdown, attract prompt).
SCREEN_OFF_Z = 1000


class ScreenCare(QObject):
    """The black layer and the footer offset of one stage."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(stage)
        self.stage = stage
        #: The footer's offset in logical px.
        self.offset: tuple[int, int] = (0, 0)
        self.layer: Blackout | None = None
        stage.scene_rebuilt.connect(self._on_scene_rebuilt)
        stage.panel_shown.connect(self._on_panel_shown)

    @property
    def is_off(self) -> bool:
        """True while the screen is black."""
        return self.layer is not None

    def black_out(self) -> None:
        """Black screen, letterbox included; nothing animates behind it."""
        if self.layer is None:
            self._add_layer()
        self.stage.stop()

    def light_up(self) -> None:
        """Take the black screen away; the panel underneath starts again."""
        if self.layer is None:
            return
        self._remove_layer()
        current = self.stage.current
        if current is not None:
            current.activate()

    def shift_footer(self, dx: int, dy: int) -> None:
        """Move the footer (and the reach bar) to ``(dx, dy)``."""
        self.offset = (dx, dy)
        self._place_footer()

    def _place_footer(self) -> None:
        stage = self.stage
        dx, dy = self.offset
        for item in (stage.chrome, stage.reach_bar):
            if item is not None and shiboken6.isValid(item) and item.pos() != QPointF(dx, dy):
                item.setPos(dx, dy)

    def _add_layer(self) -> None:
        stage = self.stage
        layer = Blackout(stage.logical, QColor("black"))
        layer.setObjectName("screen-off")
        layer.setZValue(SCREEN_OFF_Z)
        stage.scene().addItem(layer)
        stage.setBackgroundBrush(QColor("black"))  # the letterbox too
        self.layer = layer

    def _remove_layer(self) -> None:
        layer, self.layer = self.layer, None
        stage = self.stage
        if shiboken6.isValid(stage):
            stage.setBackgroundBrush(stage.theme.colour("background"))
        if layer is not None and shiboken6.isValid(layer):
            if layer.scene() is not None:
                layer.scene().removeItem(layer)
            layer.deleteLater()

    def _on_scene_rebuilt(self) -> None:
        # rotation, access modes, reload: a new chrome at (0, 0), our layer gone with the old scene
        if self.layer is not None:
            self._add_layer()
        self._place_footer()

    def _on_panel_shown(self, _index: int) -> None:
        self._place_footer()  # the reach bar may be new
        if self.is_off:
            self.stage.stop()  # e.g. a reload under the black screen: no animation behind it
