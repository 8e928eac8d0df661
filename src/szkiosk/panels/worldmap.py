"""Shenzhen's partner cities on an offline world map.

Land is drawn once into a device cache; great-circle arcs grow out from Shenzhen one after
another (sister cities first) and a marker pops at each partner while the official counts
count up. Visitors tap a marker (or use the list) for a card, filter by kind, and zoom into
a region; keyboard users move between partners with the arrows or Tab (see
:meth:`WorldMapPanel.handle_key`).
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPolygonF, QTransform

from szkiosk.catalogue import ui_text
from szkiosk.charts.countup import format_number
from szkiosk.content.map_types import WorldMapPanelModel
from szkiosk.content.partners import Partner
from szkiosk.geo import (
    ScreenTransform,
    fit_bounds,
    forward,
    lat_band_bounds,
    project_great_circle,
)
from szkiosk.geo.regions import REGIONS, region_bounds
from szkiosk.kit.items import Card, ClipBox, Pill, TextBox, retain
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.panels.worldmap_layers import (
    Arc,
    ArcLayer,
    LandLayer,
    Marker,
    MarkerLayer,
    land_path,
)
from szkiosk.resources import asset

VCENTER = Qt.AlignmentFlag.AlignVCenter
ASSETS = asset("map")
LAND_FILE = "land-50m.json"
#: Latitude band of the world view: Tierra del Fuego to Svalbard, Antarctica left out.
WORLD_BAND = (-56.0, 84.0)

LAND_MS = 500.0
ARCS_START_MS = 600.0
ARC_GAP_MS = 70.0
ARC_MS = 800.0
POP_MS = 320.0
CHIP_H = 64.0
GAP = 16.0

REGION_CHIPS = ("world", *REGIONS)
KIND_CHIPS = ("all", "sister", "friendly")


def ui(key: str, language: str, **values: object) -> str:
    """A control's words in ``language`` (English as fallback), with values filled in.

    The words of the map's own controls live in the catalogue under ``worldmap.``; the numbers
    and names come from the content.
    """
    return ui_text(f"worldmap.{key}", language, **values)


class WorldMapPanel(Panel):
    """The partner-cities map with counters, filter chips, region zoom, list and cards."""

    model: WorldMapPanelModel

    # -- state that survives a rebuild (language switch) -----------------------------
    def _state(self) -> None:
        if not hasattr(self, "kind_filter"):
            self.kind_filter = "all"
            self.region = "world"
            self.selected: int | None = None
            self.focused: int | None = None
            self.list_open = False
            self.list_page = 0

    @property
    def partners(self) -> list[Partner]:
        """Partners in drawing order: sister cities first, then friendly exchange cities."""
        plist = self.model.partner_list
        return plist.by_kind("sister") + plist.by_kind("friendly")

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        return ARCS_START_MS + max(0, len(self.model.partner_list.partners) - 1) * ARC_GAP_MS + ARC_MS + POP_MS + 200

    def arc_start(self, index: int) -> float:
        """When the arc to partner ``index`` starts growing (ms after activation).

        In presenter step mode, sister-city arcs are one step and friendly ones the next.
        """
        if self._step_starts is None:
            return ARCS_START_MS + index * ARC_GAP_MS
        n_sister = len(self.model.partner_list.by_kind("sister"))
        if index < n_sister:
            return self.stage_start(0, 0.0) + ARCS_START_MS + index * ARC_GAP_MS
        return self.stage_start(1, 0.0) + (index - n_sister) * ARC_GAP_MS

    def stage_count(self) -> int:
        plist = self.model.partner_list
        return 2 if plist.by_kind("sister") and plist.by_kind("friendly") else 1

    def stage_length(self, stage: int) -> float:
        n_sister = len(self.model.partner_list.by_kind("sister"))
        if stage == 0:
            return ARCS_START_MS + n_sister * ARC_GAP_MS + ARC_MS + POP_MS
        return (len(self.partners) - n_sister) * ARC_GAP_MS + ARC_MS + POP_MS

    # -- building ---------------------------------------------------------------------
    def build_body(self, rect: QRectF) -> None:
        self._state()
        theme = self.ctx.theme
        lang = self.ctx.language
        self.lang = lang
        band = lat_band_bounds(*WORLD_BAND)
        aspect = (band[2] - band[0]) / (band[3] - band[1])
        if self.ctx.portrait:
            map_rect = QRectF(0, rect.top(), self.width, self.width / aspect)
            side = QRectF(rect.left(), map_rect.bottom() + 24, rect.width(), 0)
        else:
            side_w = 460.0
            map_w = rect.width() - side_w - 32
            map_rect = QRectF(rect.left(), rect.top(), map_w, min(map_w / aspect, rect.height() - 2 * (CHIP_H + GAP)))
            side = QRectF(map_rect.right() + 32, rect.top(), side_w, rect.height())
        self.map_rect = map_rect
        self.base_tf = fit_bounds(band, map_rect.width(), map_rect.height(), left=map_rect.left(), top=map_rect.top())
        # the map: backdrop (the globe's outline), land, arcs, markers
        Card(map_rect, theme.colour("background"), radius=0, parent=self)
        self.clip = ClipBox(map_rect, self)
        self.world = ClipBox(QRectF(-1e5, -1e5, 2e5, 2e5), self.clip)
        self.world.setFlag(self.world.GraphicsItemFlag.ItemClipsChildrenToShape, False)
        self.land = LandLayer(map_rect, [
            (self._globe_path(self.base_tf), _mix(theme.colour("surface"), theme.colour("background"), 0.55)),
            (land_path(str(ASSETS / LAND_FILE), self.base_tf),
             _mix(theme.colour("muted"), theme.colour("background"), 0.42)),
        ], self.clip)
        self.land.setZValue(-1)
        hub = self._world_point(self.model.hub_lon, self.model.hub_lat)
        colours = {"sister": theme.colour("accent"), "friendly": theme.colour("data")}
        self.arc_layer = ArcLayer(QRectF(-1e5, -1e5, 2e5, 2e5), [
            Arc([[QPointF(*self._to_px(x, y)) for x, y in piece]
                 for piece in project_great_circle(self.model.hub_lon, self.model.hub_lat, p.lon, p.lat)],
                _alpha(colours[p.kind], 0.8))
            for p in self.partners
        ], self.world)
        marker_colours = {
            "outline": theme.colour("background"), "focus": theme.colour("text"), "hub": theme.colour("text"),
            "label": theme.colour("text"), "label_bg": theme.colour("background", 0.82),
        }
        self.markers = MarkerLayer(
            map_rect,
            [Marker(self._world_point(p.lon, p.lat), p.kind == "sister", colours[p.kind], self.tr(p.name))
             for p in self.partners],
            hub, self.tr(self.model.hub), theme.font("body", 28 / theme.model.body_size, bold=True),
            marker_colours, self._tapped_map, self.clip,
        )
        self.hint = TextBox(self.tr(self.model.hint), theme.font("body", 0.85), theme.colour("muted"),
                            QRectF(map_rect.left() + 24, map_rect.bottom() - 60, map_rect.width() * 0.5, 52),
                            max_lines=1, min_scale=0.85, valign=VCENTER, parent=self)
        self.hint.setZValue(2)
        if self.ctx.portrait:
            self._build_counters_portrait(side)
            rows = 2 + math.ceil(len(REGION_CHIPS) / 3)
            # leave room above the footer: its source line may run to three lines on a totem
            chips_bottom = rect.bottom() - 48
            chips_top = chips_bottom - rows * (CHIP_H + GAP) + GAP
            chip_area = QRectF(rect.left(), chips_top, rect.width(), chips_bottom - chips_top)
            self.card_rect = QRectF(side.left(), side.top(), side.width(), chips_top - 24 - side.top())
            self.list_rect = QRectF(24, map_rect.top(), self.width - 48, chips_top - 24 - map_rect.top())
        else:
            self._build_counters_landscape(side)
            self.card_rect = side
            chip_area = QRectF(map_rect.left(), map_rect.bottom() + GAP, map_rect.width(),
                               rect.bottom() - map_rect.bottom() - GAP)
            self.list_rect = QRectF(map_rect)
        self._build_chips(chip_area)
        self._build_card()
        self._build_list()
        self._apply_view()
        self._refresh()

    def _to_px(self, x: float, y: float) -> tuple[float, float]:
        return self.base_tf.to_screen(x, y)

    def _world_point(self, lon: float, lat: float) -> QPointF:
        return QPointF(*self._to_px(*forward(lon, lat)))

    def _globe_path(self, tf: ScreenTransform) -> QPainterPath:
        """The Equal Earth outline (the sea), so the map reads as a world, not a blob."""
        cm = 150.0
        east = [forward(cm + 179.999, lat) for lat in range(-90, 91, 2)]
        west = [forward(cm - 179.999, lat) for lat in range(90, -91, -2)]
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(*tf.to_screen(x, y)) for x, y in east + west]))
        path.closeSubpath()
        return path

    def _build_counters_landscape(self, side: QRectF) -> None:
        theme = self.ctx.theme
        m = self.model
        y = side.top()
        # large text: the big counters keep their usual size, so the words beside them have room
        nf = 1.0 / self.ctx.access.text_scale
        self.total_box = TextBox("0", theme.font("number", nf), theme.colour("text"),
                                 QRectF(side.left(), y, side.width(), theme.model.number_size * 1.3),
                                 max_lines=1, min_scale=0.8, parent=self)
        y += self.total_box.used_height
        label = TextBox(self.tr(m.total.label), theme.font("body", 1.0, bold=True), theme.colour("text"),
                        QRectF(side.left(), y, side.width(), 90), max_lines=2, min_scale=0.85, parent=self)
        y += label.used_height + 4
        self.countries_box = TextBox(self._countries_text(0), theme.font("body"), theme.colour("muted"),
                                     QRectF(side.left(), y, side.width(), 50), max_lines=1, min_scale=0.85,
                                     parent=self)
        y += self.countries_box.used_height + 28
        half = (side.width() - 20) / 2
        self.kind_boxes = {}
        bottom = y
        for k, (kind, tally) in enumerate((("sister", m.sister), ("friendly", m.friendly))):
            x = side.left() + k * (half + 20)
            colour = theme.colour("accent" if kind == "sister" else "data")
            box = TextBox("0", theme.font("number", 0.86 * nf), colour, QRectF(x + 44, y, half - 44, 124),
                          max_lines=1, min_scale=0.8, parent=self)
            _Glyph(QPointF(x + 16, y + box.used_height / 2 + 6), kind == "sister", colour,
                   theme.colour("background"), self)
            lab = TextBox(self.tr(tally.label), theme.font("body", 0.9), theme.colour("text"),
                          QRectF(x, y + box.used_height, half, 90), max_lines=2, min_scale=0.85, parent=self)
            self.kind_boxes[kind] = box
            bottom = max(bottom, y + box.used_height + lab.used_height)
        y = bottom + 28
        self.note_box = TextBox(self._note_text(), theme.font("body", 0.85), theme.colour("muted"),
                                QRectF(side.left(), y, side.width(), side.bottom() - y), min_scale=0.85,
                                parent=self)

    def _build_counters_portrait(self, side: QRectF) -> float:
        theme = self.ctx.theme
        m = self.model
        third = (side.width() - 40) / 3
        y = side.top()
        self.kind_boxes = {}
        bottom = y
        cols = (("total", m.total, theme.colour("text")), ("sister", m.sister, theme.colour("accent")),
                ("friendly", m.friendly, theme.colour("data")))
        for k, (kind, tally, colour) in enumerate(cols):
            x = side.left() + k * (third + 20)
            indent = 44 if kind != "total" else 0
            box = TextBox("0", theme.font("number", 0.9 / self.ctx.access.text_scale), colour,
                          QRectF(x + indent, y, third - indent, 130),
                          max_lines=1, min_scale=0.8, parent=self)
            if kind != "total":
                _Glyph(QPointF(x + 16, y + box.used_height / 2 + 6), kind == "sister", colour,
                       theme.colour("background"), self)
                self.kind_boxes[kind] = box
            else:
                self.total_box = box
            lab = TextBox(self.tr(tally.label), theme.font("body", 0.9, bold=kind == "total"), theme.colour("text"),
                          QRectF(x, y + box.used_height, third, 90), max_lines=2, min_scale=0.85, parent=self)
            bottom = max(bottom, y + box.used_height + lab.used_height)
        y = bottom + 12
        self.countries_box = TextBox(self._countries_text(0), theme.font("body"), theme.colour("muted"),
                                     QRectF(side.left(), y, side.width(), 50), max_lines=1, min_scale=0.85,
                                     parent=self)
        y += self.countries_box.used_height + 20
        self.note_box = TextBox(self._note_text(), theme.font("body", 0.85), theme.colour("muted"),
                                QRectF(side.left(), y, side.width(), 150), max_lines=4, min_scale=0.85,
                                parent=self)
        return y + max(self.note_box.used_height, 100)

    def _countries_text(self, value: float) -> str:
        label = self.tr(self.model.countries.label)
        return ui("in", self.lang, value=format_number(value, 0, self.lang), label=label)

    def _note_text(self) -> str:
        return self.tr(self.model.listed_note).format(**self.model.note_values())

    def _build_chips(self, area: QRectF) -> None:
        theme = self.ctx.theme
        font = theme.font("body", 0.85)
        self.kind_chips: dict[str, Pill] = {}
        self.region_chips: dict[str, Pill] = {}
        row1 = [*KIND_CHIPS, "list"]
        per_row1 = 2 if self.ctx.portrait else len(row1)
        w1 = (area.width() - GAP * (per_row1 - 1)) / per_row1
        for i, key in enumerate(row1):
            row, col = divmod(i, per_row1)
            r = QRectF(area.left() + col * (w1 + GAP), area.top() + row * (CHIP_H + GAP), w1, CHIP_H)
            handler = self.toggle_list if key == "list" else (lambda k=key: self.set_kind_filter(k))
            pill = Pill(r, ui(key, self.lang), font, theme.colour("surface"), theme.colour("text"), handler,
                        parent=self)
            if key == "list":
                self.list_chip = pill
            else:
                self.kind_chips[key] = pill
        per_row = len(REGION_CHIPS) if not self.ctx.portrait else 3
        first_row = math.ceil(len(row1) / per_row1)
        w2 = (area.width() - GAP * (per_row - 1)) / per_row
        for i, key in enumerate(REGION_CHIPS):
            row, col = divmod(i, per_row)
            r = QRectF(area.left() + col * (w2 + GAP), area.top() + (row + first_row) * (CHIP_H + GAP), w2, CHIP_H)
            self.region_chips[key] = Pill(r, ui(key, self.lang), font, theme.colour("surface"),
                                          theme.colour("text"), lambda k=key: self.set_region(k), parent=self)

    def _build_card(self) -> None:
        theme = self.ctx.theme
        rect = self.card_rect
        self.card = Card(rect, theme.colour("surface"), outline=theme.colour("data", 0.9), parent=self)
        self.card.setZValue(20)
        inner = rect.adjusted(28, 24, -28, -20)
        close = Pill(QRectF(rect.right() - 88, rect.top() + 16, 72, 72), "×", theme.font("headline", 0.8),
                     theme.colour("background"), theme.colour("text"), self.close_card, parent=self.card)
        self.card_close = close
        w = inner.width() - 80
        self.card_kind = TextBox("", theme.font("body", 0.85, bold=True), theme.colour("data"),
                                 QRectF(inner.left(), inner.top(), w, 80), max_lines=2, min_scale=0.85,
                                 parent=self.card)
        self.card_name = TextBox("", theme.font("headline", 0.7), theme.colour("text"),
                                 QRectF(inner.left(), 0, inner.width(), 190), max_lines=3, min_scale=0.6,
                                 parent=self.card)
        self.card_other = TextBox("", theme.font("body", 1.0), theme.colour("text"),
                                  QRectF(inner.left(), 0, inner.width(), 130), max_lines=3, min_scale=0.85,
                                  parent=self.card)
        self.card_country = TextBox("", theme.font("body", 0.9), theme.colour("muted"),
                                    QRectF(inner.left(), 0, inner.width(), 90), max_lines=2, min_scale=0.85,
                                    parent=self.card)
        self.card_note = TextBox("", theme.font("body", 0.85), theme.colour("text"),
                                 QRectF(inner.left(), 0, inner.width(), 200), min_scale=0.85, parent=self.card)
        self.card_source = TextBox("", theme.font("caption"), theme.colour("muted"),
                                   QRectF(inner.left(), 0, inner.width(), 70), max_lines=2, min_scale=0.85,
                                   parent=self.card)
        self.card_inner = inner

    def _build_list(self) -> None:
        theme = self.ctx.theme
        rect = self.list_rect
        self.list_card = Card(rect, theme.colour("background"), outline=theme.colour("muted", 0.5),
                              parent=self)
        self.list_card.setZValue(10)
        inner = rect.adjusted(20, 20, -20, -20)
        row_h, row_gap = 64.0, 10.0
        nav_h = 64.0
        cols = max(1, int((inner.width() + 16) // 520))
        col_w = (inner.width() - 16 * (cols - 1)) / cols
        rows = max(1, int((inner.height() - nav_h - 10 + row_gap) // (row_h + row_gap)))
        self.list_geometry = (inner, cols, rows, col_w, row_h, row_gap)
        self.list_rows: list[Pill] = []
        nav_y = inner.bottom() - nav_h
        self.list_prev = Pill(QRectF(inner.left(), nav_y, 88, nav_h), "‹", theme.font("headline", 0.7),
                              theme.colour("surface"), theme.colour("text"), lambda: self.turn_list_page(-1),
                              parent=self.list_card)
        self.list_next = Pill(QRectF(inner.left() + 100, nav_y, 88, nav_h), "›", theme.font("headline", 0.7),
                              theme.colour("surface"), theme.colour("text"), lambda: self.turn_list_page(1),
                              parent=self.list_card)
        self.list_pages = TextBox("", theme.font("body", 0.85), theme.colour("muted"),
                                  QRectF(inner.left() + 210, nav_y, 300, nav_h), max_lines=1,
                                  valign=VCENTER, parent=self.list_card)

    # -- state changes ------------------------------------------------------------------
    def visible_indices(self) -> list[int]:
        """Partners that pass the kind and region filters, in drawing order."""
        continents = REGIONS[self.region][0] if self.region in REGIONS else None
        return [i for i, p in enumerate(self.partners)
                if (self.kind_filter == "all" or p.kind == self.kind_filter)
                and (continents is None or p.continent in continents)]

    def set_kind_filter(self, kind: str) -> None:
        """Show all partners, only sister cities or only friendly exchange cities."""
        self.kind_filter = kind if kind in KIND_CHIPS else "all"
        self.list_page = 0
        self._drop_hidden()
        self._refresh()

    def set_region(self, region: str) -> None:
        """Zoom into a region (and show only its partners), or back out to the world."""
        self.region = region if region in REGIONS else "world"
        self.list_page = 0
        self._drop_hidden()
        self._apply_view()
        self._refresh()

    def _drop_hidden(self) -> None:
        shown = set(self.visible_indices())
        if self.selected is not None and self.selected not in shown:
            self.selected = None
        if self.focused is not None and self.focused not in shown:
            self.focused = None

    def _apply_view(self) -> None:
        """Point the world transform at the current region (land re-caches once)."""
        if self.region in REGIONS:
            tf = fit_bounds(region_bounds(REGIONS[self.region][1]), self.map_rect.width(), self.map_rect.height(),
                            left=self.map_rect.left(), top=self.map_rect.top())
        else:
            tf = self.base_tf
        k = tf.scale / self.base_tf.scale
        view = QTransform(k, 0, 0, k, tf.offset_x - k * self.base_tf.offset_x, tf.offset_y - k * self.base_tf.offset_y)
        self.world.setTransform(view)
        self.land.set_view(view)
        self.arc_layer.zoom = k
        self.markers.view = view
        self.markers.show_all_labels = self.region in REGIONS
        self.markers.update()

    def open_card(self, index: int | None) -> None:
        """Show the card of partner ``index`` (None closes it)."""
        self.selected = index
        if index is not None:
            self.focused = index
            self.list_open = False
        self._refresh()

    def close_card(self) -> None:
        """Hide the card."""
        self.open_card(None)

    def toggle_list(self) -> None:
        """Open or close the list of partners (the accessible alternative to the map)."""
        self.list_open = not self.list_open
        if self.list_open:
            self.selected = None
        self._refresh()

    def turn_list_page(self, step: int) -> None:
        """Show the next (1) or previous (-1) page of the list."""
        self.list_page += step
        self._refresh()

    def _tapped_map(self, index: int | None) -> None:
        if index is None:
            self.close_card()
        else:
            self.open_card(index)

    def _refresh(self) -> None:
        """Bring chips, markers, arcs, card and list in line with the state (not time)."""
        theme = self.ctx.theme
        shown = set(self.visible_indices())
        for i, m in enumerate(self.markers.markers):
            m.visible = i in shown
        self.markers.selected = self.selected
        self.markers.focused = self.focused
        self.markers.update()
        for key, chip in self.kind_chips.items():
            _highlight(chip, key == self.kind_filter, theme)
        for key, chip in self.region_chips.items():
            _highlight(chip, key == self.region, theme)
        _highlight(self.list_chip, self.list_open, theme)
        self.list_chip.label.set_text(ui("map" if self.list_open else "list", self.lang))
        self._fill_card()
        self._fill_list(sorted(shown))
        self.apply(self._t)

    def _fill_card(self) -> None:
        index = self.selected
        self.card.setVisible(index is not None)
        if index is None:
            return
        p = self.partners[index]
        lang = self.lang
        other = "zh" if lang != "zh" else "en"
        kind = ui(f"kind_{p.kind}", lang)
        if p.since is not None:
            kind += " · " + ui("since", lang, year=p.since)
        self.card_kind.set_text(kind)
        self.card_kind.set_colour(self.ctx.theme.colour("accent" if p.kind == "sister" else "data"))
        inner = self.card_inner
        y = max(self.card_kind.text_rect().bottom() + 8, self.card_close.rect.bottom() + 4)
        y = _place(self.card_name, p.name.get(lang), inner, y) + 4
        y = _place(self.card_other, p.name.get(other), inner, y) + 6
        y = _place(self.card_country, self.tr(p.country), inner, y) + 18
        y = _place(self.card_note, self.tr(p.note), inner, y, inner.bottom() - y - 64) + 10
        publisher = _short_source(p.source)
        _place(self.card_source, ui("source", lang, source=publisher), inner, y)

    def _fill_list(self, shown: list[int]) -> None:
        self.list_card.setVisible(self.list_open)
        for row in self.list_rows:
            row.setParentItem(None)
            if row.scene() is not None:
                row.scene().removeItem(row)
        self.list_rows = []
        if not self.list_open:
            return
        theme = self.ctx.theme
        inner, cols, rows, col_w, row_h, row_gap = self.list_geometry
        per_page = cols * rows
        pages = max(1, math.ceil(len(shown) / per_page))
        self.list_page = max(0, min(self.list_page, pages - 1))
        page = shown[self.list_page * per_page:(self.list_page + 1) * per_page]
        font = theme.font("body", 0.85)
        for k, i in enumerate(page):
            c, r = divmod(k, rows)
            p = self.partners[i]
            mark = "◆" if p.kind == "sister" else "●"
            rect = QRectF(inner.left() + c * (col_w + 16), inner.top() + r * (row_h + row_gap), col_w, row_h)
            pill = Pill(rect, f"{mark} {self.tr(p.name)} · {self.tr(p.country)}", font, theme.colour("surface"),
                        theme.colour("text"), lambda i=i: self.open_card(i),
                        parent=self.list_card)
            pill.partner_index = i  # type: ignore[attr-defined]
            self.list_rows.append(pill)
        text = ui("page", self.lang, page=self.list_page + 1, pages=pages) if shown else ui("none", self.lang)
        self.list_pages.set_text(text)
        self.list_prev.setVisible(self.list_page > 0)
        self.list_next.setVisible(self.list_page < pages - 1)

    # -- animation --------------------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        if not hasattr(self, "markers"):
            return
        land = ease_out(phase(t_ms, 0, LAND_MS))
        self.world.setOpacity(0.25 + 0.75 * land)
        self.land.setOpacity(0.25 + 0.75 * land)
        self.markers.hub_pop = _pop(phase(t_ms, 250, POP_MS))
        progress: list[float] = []
        for i, m in enumerate(self.markers.markers):
            start = self.arc_start(i)
            progress.append(ease_out(phase(t_ms, start, ARC_MS)))
            m.pop = _pop(phase(t_ms, start + ARC_MS * 0.85, POP_MS))
        self.arc_layer.set_state(progress, [m.visible for m in self.markers.markers])
        self.markers.update()
        n_sister = len(self.model.partner_list.by_kind("sister"))
        n = len(self.partners)
        sister_end = self.arc_start(max(0, n_sister - 1)) + ARC_MS
        end = self.arc_start(n - 1) + ARC_MS
        if not math.isfinite(end):  # step mode, friendly arcs not yet asked for
            end = sister_end
        m = self.model
        sister = phase(t_ms, ARCS_START_MS, sister_end - ARCS_START_MS)
        friendly_start = self.arc_start(min(n_sister, n - 1))
        friendly = phase(t_ms, friendly_start, self.arc_start(n - 1) + ARC_MS - friendly_start)
        self.kind_boxes["sister"].set_text(self._count(m.sister.value, sister))
        self.kind_boxes["friendly"].set_text(self._count(m.friendly.value, friendly))
        overall = phase(t_ms, ARCS_START_MS, end - ARCS_START_MS)
        self.total_box.set_text(self._count(m.total.value, overall))
        self.countries_box.set_text(self._countries_text(round(m.countries.value * ease_out(overall))))
        self.note_box.setOpacity(ease_out(phase(t_ms, end - 400, 600)))
        self.hint.setOpacity(ease_out(phase(t_ms, end, POP_MS)))

    def _count(self, value: int, progress: float) -> str:
        return format_number(round(value * ease_out(progress)), 0, self.lang)

    # -- keyboard ---------------------------------------------------------------------------
    def handle_key(self, key: int) -> bool:
        """Keyboard on the map: Tab/arrows move between partners, Enter opens, Esc closes.

        Returns True when the key was used (the window must then not act on it). Arrows are
        only taken once the map has focus (after Tab or a tap), so they still change panels
        before that.
        """
        k = Qt.Key
        forward_keys = (k.Key_Right, k.Key_Down, k.Key_Tab)
        back_keys = (k.Key_Left, k.Key_Up, k.Key_Backtab)
        if key in (k.Key_Tab, k.Key_Backtab) or (key in forward_keys + back_keys and self.focused is not None):
            self.move_focus(1 if key in forward_keys else -1)
            return True
        if key in (k.Key_Return, k.Key_Enter) and self.focused is not None:
            self.open_card(self.focused)
            return True
        if key == k.Key_Escape:
            if self.selected is not None:
                self.close_card()
            elif self.list_open:
                self.toggle_list()
            elif self.focused is not None:
                self.focused = None
                self._refresh()
            else:
                return False
            return True
        return False

    def move_focus(self, step: int) -> None:
        """Focus the next partner west to east (step 1) or east to west (-1)."""
        order = sorted(self.visible_indices(), key=lambda i: (self.markers.markers[i].world.x(),
                                                              self.markers.markers[i].world.y()))
        if not order:
            return
        if self.focused in order:
            pos = (order.index(self.focused) + step) % len(order)
        else:
            pos = 0 if step > 0 else len(order) - 1
        self.focused = order[pos]
        if self.selected is not None:
            self.selected = self.focused
        self._refresh()

    # -- for tests and the benchmark --------------------------------------------------------------
    def marker_scene_pos(self, index: int) -> QPointF:
        """Scene position of partner ``index``'s marker."""
        return self.mapToScene(self.markers.position(index))

    def shown_markers(self) -> list[int]:
        """Indices of markers currently drawn."""
        return [i for i in range(len(self.partners)) if self.markers.shown(i)]

    def card_text(self) -> list[str]:
        """The texts on the open card (empty when closed)."""
        if not self.card.isVisible():
            return []
        return [b.text for b in (self.card_kind, self.card_name, self.card_other, self.card_country,
                                 self.card_note, self.card_source) if b.isVisible()]


def _place(box: TextBox, text: str, inner: QRectF, y: float, height: float | None = None) -> float:
    """Move a card line to ``y`` with ``text``; return the y below it (hidden when empty)."""
    box.setVisible(bool(text))
    if not text:
        return y
    box.setPos(0, y - box._rect.top())
    box.set_text(text)
    if height is not None and height > 40:
        box.prepareGeometryChange()
        box._rect.setHeight(height)
        box._fit()
    return y + box.used_height


def _short_source(source: str, limit: int = 56) -> str:
    """The publisher part of a source line, short enough for a card (the file has the rest)."""
    head = re.split(r"[,(;]", source, maxsplit=1)[0].strip()
    if len(head) <= limit:
        return head
    return head[:limit].rsplit(" ", 1)[0] + "…"


def _pop(x: float) -> float:
    """A little overshoot (1.25) before settling at 1: the marker 'pops'."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    return math.sin(x * math.pi * 0.75) / math.sin(math.pi * 0.75) if x < 0.66 else 1 + 0.25 * (1 - x) / 0.34


def _alpha(colour: QColor, alpha: float) -> QColor:
    c = QColor(colour)
    c.setAlphaF(alpha)
    return c


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` blended toward ``b``: t=1 gives a, t=0 gives b."""
    return QColor(round(a.red() * t + b.red() * (1 - t)), round(a.green() * t + b.green() * (1 - t)),
                  round(a.blue() * t + b.blue() * (1 - t)))


def _highlight(chip: Pill, on: bool, theme) -> None:
    chip.set_fill(theme.colour("data", 0.28) if on else theme.colour("surface"))
    chip.set_outline(theme.colour("data") if on else None)


class _Glyph(Card):
    """The legend mark beside a count: diamond for sister cities, circle for friendly ones."""

    def __init__(self, centre: QPointF, diamond: bool, fill: QColor, outline: QColor, parent) -> None:
        r = 14.0
        super().__init__(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), fill, radius=r, parent=parent)
        self._diamond = diamond
        self._outline_colour = outline

    def paint(self, painter, option, widget=None) -> None:
        from PySide6.QtGui import QPainter, QPen

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(self._fill)
        painter.setPen(QPen(self._outline_colour, 2))
        r = self._rect
        c = r.center()
        if self._diamond:
            d = r.width() / 2 + 3
            painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - d), QPointF(c.x() + d, c.y()),
                                           QPointF(c.x(), c.y() + d), QPointF(c.x() - d, c.y())]))
        else:
            painter.drawEllipse(c, r.width() / 2, r.width() / 2)


__all__ = ["WorldMapPanel", "retain"]
