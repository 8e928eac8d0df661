"""Shenzhen's partner cities on an offline world map.

The face: the headline, the map (the visual) and beside it the official counts with their
date; under the map one line saying what it shows, the hint, and the region chips. Land is
drawn once into a device cache; arcs grow out from Shenzhen (sister cities first) and a
marker pops at each partner while the counts count up; markers that would overlap merge
into a cluster showing how many it holds, which splits when the visitor zooms in (a region
chip, or a tap on the cluster). Labels are placed clear of markers and of each other.

The counts and the mapped partners share one date basis (the counts' year; see
:mod:`szkiosk.content.map_types`). A tap on a city opens its card (names, kind, year, a
line about it, its sources, in the visitor's language); the list is the accessible
alternative to the map; keyboard users move between partners with the arrows or Tab (see
:meth:`WorldMapPanel.handle_key`).

Layout comes from rules: the arrangements are tried from widest to narrowest
(:meth:`Panel.place_body`); text never shrinks, it wraps or the map gives up height.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.catalogue import ui_text
from szkiosk.charts.countup import count_text
from szkiosk.content.map_types import WorldMapPanelModel
from szkiosk.content.partners import Partner
from szkiosk.geo import forward, lat_band_bounds
from szkiosk.geo.arcs import framed_arc
from szkiosk.geo.projection import ScreenTransform, fit_bounds
from szkiosk.geo.regions import REGIONS, region_bounds
from szkiosk.kit.items import Card, TapArea, release_children
from szkiosk.kit.layout import Card as CardNode
from szkiosk.kit.layout import Column, Grid, Node, Row, Space, Text, choose, fit, pages_that_fit
from szkiosk.kit.text import ALIGN_CENTER, ALIGN_LEFT, ALIGN_RIGHT, INK_DESCENT, TextItem, TextStyle
from szkiosk.panels.base import Panel, ease_out, phase
from szkiosk.panels.worldmap_layers import (
    Arc,
    ArcLayer,
    Chip,
    LandLayer,
    MapFrame,
    Marker,
    MarkerLayer,
    chip_height,
    chip_width,
    land_path,
)
from szkiosk.resources import asset

ASSETS = asset("map")
LAND_FILE = "land-50m.json"
#: Latitude band of the world view: Tierra del Fuego to Svalbard, Antarctica left out.
WORLD_BAND = (-56.0, 84.0)
#: Narrowest map worth drawing (stage px); below it another arrangement is taken.
MIN_MAP_W = 560.0
#: A tap on a cluster zooms in at most this far (against the world view).
MAX_ZOOM = 12.0
#: On a totem the map's frame may grow to this width-to-height ratio (the world is wider).
PORTRAIT_FRAME = 1.6
#: Padding of the portrait stand (left, top, right, bottom): the legend measures its room by it.
STAND_PADDING = (32.0, 28.0, 32.0, 28.0)

# The build, in ms from the start of a stage: each element 300-800 ms, a stage within 800,
# the whole panel settled within 1.5 s (stage 1 starts FRIENDLY_AT after stage 0).
LAND_MS = 400.0
ARC_FIRST_MS = 50.0
ARC_STAGGER_MS = 100.0
ARC_MS = 350.0
POP_LEAD_MS = 80.0
POP_MS = 250.0
COUNT_MS = 450.0
KIND_COUNT_MS = 600.0
LINE_MS = 300.0
HINT_MS = 300.0
FRIENDLY_AT_MS = 250.0

#: Spacing tokens (stage px).
GAP = 24.0
COLUMN_GAP = 48.0

REGION_CHIPS = ("world", *REGIONS)
KINDS = ("sister", "friendly")


def ui(key: str, language: str, **values: object) -> str:
    """A word of the map's own in ``language`` (English as fallback), with values filled in.

    The words of the map's controls live in the catalogue under ``worldmap.``; the numbers
    and names come from the content.
    """
    return ui_text(f"worldmap.{key}", language, **values)


# -- layout nodes of the map panel ---------------------------------------------------------
@dataclass
class MapNode(Node):
    """The map: as wide as it is given, as tall as the world's shape needs (at most ``max_h``).

    With ``frame_aspect`` (a totem) the frame may grow taller than the world, up to that
    width-to-height ratio: the world stands in its middle with room above for the arcs, and
    a region zooms into a frame closer to its own shape."""

    aspect: float
    build: Callable[[QRectF, QGraphicsItem], None]
    max_h: float | None = None
    min_w: float = MIN_MAP_W
    flex: float = 0.0
    frame_aspect: float | None = None
    rect: QRectF | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.frame_aspect is not None:
            self.flex = 1.0

    def min_height(self, width: float) -> float:
        h = width / self.aspect
        return min(h, self.max_h) if self.max_h is not None else h

    def max_height(self, width: float) -> float | None:
        if self.frame_aspect is None:
            return self.min_height(width)
        return max(self.min_height(width), width / self.frame_aspect)

    def min_width(self) -> float:
        return self.min_w

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        w = min(rect.width(), rect.height() * self.aspect)
        h = w / self.aspect
        if self.frame_aspect is not None and w >= rect.width() - 0.5:
            h = max(h, min(rect.height(), w / self.frame_aspect))
        self.rect = QRectF(rect.left(), rect.top(), w, h)
        self.build(self.rect, parent)


@dataclass
class Slot(Node):
    """A child whose rectangle is remembered once placed (a card or list goes over it later),
    at least ``least`` tall (the room a card opening there will need)."""

    child: Node
    least: float = 0.0
    rect: QRectF | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.flex = self.child.flex

    def min_height(self, width: float) -> float:
        return max(self.least, self.child.min_height(width))

    def min_width(self) -> float:
        return self.child.min_width()

    def natural_width(self) -> float:
        return self.child.natural_width()

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        self.rect = QRectF(rect)
        self.child.place(rect, parent)


@dataclass
class ChipGrid(Node):
    """Chips of one style in as few equal rows as fit, every chip as wide as the widest needs."""

    labels: Sequence[str]
    style: TextStyle
    make: Callable[[int, QRectF, QGraphicsItem], Chip]
    gap: float = 16.0

    def _widths(self) -> list[float]:
        return [chip_width(label, self.style) for label in self.labels]

    def _one_row(self, width: float) -> bool:
        return sum(self._widths()) + self.gap * (len(self.labels) - 1) <= width

    def _columns(self, width: float) -> int:
        n = len(self.labels)
        widest = self.min_width()
        cols = max(1, min(n, int((width + self.gap) // (widest + self.gap))))
        rows = math.ceil(n / cols)
        return math.ceil(n / rows)

    def min_width(self) -> float:
        return max(self._widths(), default=0.0)

    def natural_width(self) -> float:
        return sum(self._widths()) + self.gap * (len(self.labels) - 1)

    def min_height(self, width: float) -> float:
        rows = 1 if self._one_row(width) else math.ceil(len(self.labels) / self._columns(width))
        return rows * chip_height(self.style) + (rows - 1) * self.gap

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        h = chip_height(self.style)
        if self._one_row(rect.width()):
            # one row: each chip as wide as its words, the spare shared out evenly
            widths = self._widths()
            spare = (rect.width() - sum(widths) - self.gap * (len(widths) - 1)) / len(widths)
            x = rect.left()
            for i, w in enumerate(widths):
                self.make(i, QRectF(x, rect.top(), w + spare, h), parent)
                x += w + spare + self.gap
            return
        cols = self._columns(rect.width())
        n = len(self.labels)
        for i in range(n):
            r, c = divmod(i, cols)
            # a short last row shares the full width too: no empty corner
            in_row = min(cols, n - r * cols)
            w = (rect.width() - self.gap * (in_row - 1)) / in_row
            self.make(i, QRectF(rect.left() + c * (w + self.gap), rect.top() + r * (h + self.gap), w, h), parent)


class _Mark(Node):
    """A legend mark: a square of ``size`` px (a field of the subclass), centred where placed."""

    size: float

    def min_height(self, width: float) -> float:
        return self.size

    def min_width(self) -> float:
        return self.size

    def _box(self, rect: QRectF) -> QRectF:
        c = rect.center()
        return QRectF(c.x() - self.size / 2, c.y() - self.size / 2, self.size, self.size)


@dataclass
class Glyph(_Mark):
    """The legend mark of a kind: a diamond for sister cities, a circle for friendly ones."""

    diamond: bool
    fill: QColor
    outline: QColor
    size: float = 30.0

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        _GlyphItem(self._box(rect), self.diamond, self.fill, self.outline, parent)


@dataclass
class ClusterGlyph(_Mark):
    """The legend mark of a cluster: a disc with its count, drawn as the map draws one."""

    count: Text
    fill: QColor
    ring: QColor
    size: float

    def place(self, rect: QRectF, parent: QGraphicsItem) -> None:
        box = self._box(rect)
        Card(box, self.fill, outline=self.ring, radius=self.size / 2, parent=parent)
        self.count.align = ALIGN_CENTER
        h = self.count.min_height(self.size)
        self.count.place(QRectF(box.left(), box.center().y() - h / 2, self.size, h), parent)


class _GlyphItem(Card):
    """Draws a :class:`Glyph`."""

    def __init__(self, rect: QRectF, diamond: bool, fill: QColor, outline: QColor, parent: QGraphicsItem) -> None:
        super().__init__(rect, fill, radius=rect.width() / 2, parent=parent)
        self._diamond = diamond
        self._outline_colour = QColor(outline)

    def paint(self, painter, option, widget=None) -> None:
        from PySide6.QtGui import QPainter, QPen

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(self._fill)
        painter.setPen(QPen(self._outline_colour, 2))
        r = self._rect
        c = r.center()
        if self._diamond:
            d = r.width() / 2
            painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - d), QPointF(c.x() + d, c.y()),
                                           QPointF(c.x(), c.y() + d), QPointF(c.x() - d, c.y())]))
        else:
            painter.drawEllipse(c, r.width() / 2 - 3, r.width() / 2 - 3)


@dataclass
class FaceParts:
    """The face's nodes (built once per arrangement) and, once placed, where they went."""

    total_number: Text
    total_unit: Text
    total_line: Text
    counts: Slot
    kinds: dict[str, tuple[Text, Slot, CardNode]]
    as_of: Text
    listed: Text
    hint: Text
    #: Portrait's stand: what a numbered disc on the map is (fades in with the hint).
    legend: Text | None = None
    side: Slot | None = None
    below: Slot | None = None


class WorldMapPanel(Panel):
    """The partner-cities map with counts, region chips, clusters, list and cards."""

    model: WorldMapPanelModel
    #: A build projects every coastline and places every label (0.2-0.8 s): far from the
    #: current panel the map stays built and drops only its images (:meth:`release_caches`).
    keep_when_far = True

    def release_caches(self) -> None:
        """Drop the land and finished-arc images (device pixels: 5 MB at 1080p, 20 MB at 4K) and
        the text's device caches; the next paint draws them again, the same."""
        super().release_caches()
        land = self.__dict__.get("land")
        if land is not None:
            land.drop_image()
        arcs = self.__dict__.get("arc_layer")
        if arcs is not None:
            arcs.drop_image()

    # -- state that survives a rebuild (language switch) -----------------------------
    def _state(self) -> None:
        if not hasattr(self, "kind_filter"):
            self.kind_filter = "all"
            self.region = "world"
            self.zoom_box: tuple[float, float, float, float] | None = None
            self.selected: int | None = None
            self.focused: int | None = None
            self.list_open = False
            self.list_page = 0

    @property
    def partners(self) -> list[Partner]:
        """Partners on the map, in drawing order: sister cities first, then friendly exchange cities."""
        mapped = self.__dict__.get("_mapped")
        if mapped is None:
            mapped = self._mapped = self.model.mapped()
        return mapped

    def _n_sister(self) -> int:
        return sum(p.kind == "sister" for p in self.partners)

    def _arc_offsets(self) -> list[tuple[int, float]]:
        """(stage, offset within the stage's stagger) of every arc, computed once."""
        offsets = self.__dict__.get("_offsets")
        if offsets is None:
            stages = [self._stage_of(i) for i in range(len(self.partners))]
            offsets = []
            for i, stage in enumerate(stages):
                members = [k for k, s in enumerate(stages) if s == stage]
                offsets.append((stage, members.index(i) / max(1, len(members) - 1)))
            self._offsets = offsets
        return offsets

    # -- the build ---------------------------------------------------------------------
    def stage_count(self) -> int:
        n, s = len(self.partners), self._n_sister()
        return 2 if 0 < s < n else 1

    def stage_length(self, stage: int) -> float:
        return ARC_FIRST_MS + ARC_STAGGER_MS + ARC_MS + HINT_MS

    @property
    def build_ms(self) -> float:  # type: ignore[override]
        last = FRIENDLY_AT_MS if self.stage_count() > 1 else 0.0
        return last + self.stage_length(1)

    def _stage_of(self, index: int) -> int:
        return 1 if self.stage_count() > 1 and index >= self._n_sister() else 0

    def _stage_starts(self) -> tuple[float, float]:
        s0 = self.stage_start(0, 0.0)
        s1 = self.stage_start(1, FRIENDLY_AT_MS) if self.stage_count() > 1 else s0
        return s0, s1

    def arc_start(self, index: int) -> float:
        """When the arc to partner ``index`` starts growing (ms after activation).

        Sister-city arcs are one stage and friendly ones the next (one Next each in
        presenter step mode); within a stage the arcs start over :data:`ARC_STAGGER_MS`.
        """
        stage, share = self._arc_offsets()[index]
        start = self._stage_starts()[stage]
        return start + ARC_FIRST_MS + ARC_STAGGER_MS * share

    def hint_start(self) -> float:
        """When the hint appears: once the last arc has landed (the map has drawn)."""
        last = self._stage_starts()[1 if self.stage_count() > 1 else 0]
        return last + ARC_FIRST_MS + ARC_STAGGER_MS + ARC_MS

    # -- building ---------------------------------------------------------------------
    def build_body(self, rect: QRectF) -> None:
        self._state()
        self.lang = self.ctx.language
        band = lat_band_bounds(*WORLD_BAND)
        self._band = band
        self.aspect = (band[2] - band[0]) / (band[3] - band[1])
        self.map_rect = QRectF()
        self._faces: dict[int, FaceParts] = {}
        face = self._faces[id(self.place_body(self._arrangements(rect), rect))]
        self._faces = {}
        self._hook_face(face)
        self._overlay_rects(face, rect)
        self.card: Card | None = None
        self.card_texts: list[TextItem] = []
        self.list_card: Card | None = None
        self.list_rows: list[TapArea] = []
        self._apply_view()
        self._refresh()

    # arrangements, widest first
    def _arrangements(self, rect: QRectF) -> list[Callable[[], Node]]:
        if self.ctx.portrait:
            return [lambda: self._stacked(rect), lambda: self._stacked(rect, roomy=False)]
        return [lambda share=share, beside=beside: self._side_by_side(rect, share, notes_beside=beside)
                for share, beside in ((0.25, True), (0.3, True), (0.3, False), (0.36, False))] + \
            [lambda: self._stacked(rect, roomy=False)]

    def _side_by_side(self, rect: QRectF, share: float, *, notes_beside: bool = True) -> Node:
        """Landscape: the map and its chips on the left, the counts beside them (with the
        mapped line and the hint at the foot of the column, or under the map when the column
        has no room for them)."""
        face = self._face_parts()
        side_w = max(rect.width() * share, self._side_column(face, notes=notes_beside).min_width())
        left_w = rect.width() - side_w - COLUMN_GAP
        below = Slot(self._chips() if notes_beside else Column([self._caption_row(face, left_w), self._chips()],
                                                                  gap=GAP))
        map_node = MapNode(self.aspect, self._build_map, max_h=max(1.0, rect.height() - below.min_height(left_w) - GAP))
        face.side, face.below = Slot(self._side_column(face, notes=notes_beside)), below
        node = Row([Column([map_node, below], gap=GAP), face.side], gap=COLUMN_GAP,
                   basis=[0.0, side_w], grow=[1.0, 0.0])
        self._faces[id(node)] = face
        return node

    def _stacked(self, rect: QRectF, *, roomy: bool = True) -> Node:
        """Portrait: the counts over the map, the chips under it, and below them the place
        where a city's card opens (until then it holds the hint)."""
        face = self._face_parts()
        kinds = Column([face.kinds["sister"][2], face.kinds["friendly"][2]], gap=8)
        total = Column([face.counts, face.total_line], gap=8)
        counts: Node = Row([total, kinds], gap=COLUMN_GAP, grow=[1.0, 1.0])
        half = (rect.width() - COLUMN_GAP) / 2
        if max(total.min_width(), kinds.min_width()) > half or counts.min_height(rect.width()) > rect.height() / 3:
            counts = Column([total, kinds], gap=16)  # large text: the kinds under the total
        top = Column([counts, face.as_of], gap=16)
        face.hint.align = ALIGN_CENTER
        theme = self.ctx.theme
        # the stand is as tall as the tallest city card needs: a card opens there without hiding
        # the map, and the room left goes to the map's frame rather than to an empty stand
        # at rest the stand also says what the numbered discs on the map are
        count_style = self.style("label", step=0.94, bold=True)  # as the map's cluster counts
        size = round(count_style.px * 1.9)
        count = Text("2", count_style, max_lines=1)
        glyph = ClusterGlyph(count, theme.colour("surface"), theme.colour("text", 0.85), size)
        words = self.text(ui("cluster_legend", self.lang), "body", "muted", field="worldmap.cluster_legend",
                          group="map-note", hint=True)
        face.legend = words
        inner = rect.width() - STAND_PADDING[0] - STAND_PADDING[2]
        if size + 16 + words.natural_width() <= inner:  # one line, centred under the hint
            legend: Node = Row([Space(flex=1.0), glyph, words, Space(flex=1.0)], gap=16,
                               basis=[0.0, size, "natural", 0.0], grow=[1.0, 0.0, 0.0, 1.0], valign="center")
        else:  # large text: the words wrap beside the disc
            legend = Row([glyph, words], gap=16, basis=[size, 0.0], grow=[0.0, 1.0], valign="center")
        stand = Slot(CardNode(Column([Space(flex=1.0), face.hint, Space(20), legend, Space(flex=1.0)]),
                              theme.colour("surface", 0.35), padding=STAND_PADDING,
                              outline=theme.colour("muted", 0.35), radius=20), least=self._tallest_card(rect.width()))
        stand.flex = 0.0
        # without the stand (large text), the hint goes with the mapped line, above the chips
        caption = face.listed if roomy else self._caption_row(face, rect.width())
        below = Column([caption, self._chips()], gap=GAP)
        others = top.min_height(rect.width()) + below.min_height(rect.width())
        if roomy:
            others += stand.min_height(rect.width())
        map_node = MapNode(self.aspect, self._build_map, max_h=max(1.0, rect.height() - others - 3 * GAP),
                           frame_aspect=PORTRAIT_FRAME)
        face.side, face.below = Slot(top), stand
        node = Column([face.side, map_node, below, stand] if roomy else [face.side, map_node, below],
                      gap=GAP, justify="center")
        self._faces[id(node)] = face
        return node

    def _face_parts(self) -> FaceParts:
        """Fresh nodes for the face's texts (a node is placed once)."""
        m, lang, theme = self.model, self.lang, self.ctx.theme
        number = self.text(count_text(m.total.value, 1.0, 0, None, lang), "display", field="total.value",
                           group="map-total", max_lines=1)
        unit = self.text(m.total.label, "title", field="total.label", group="map-unit")
        total_row = Row([number, _on_baseline(unit, number)], gap=16, basis=["natural", 0.0], grow=[0.0, 1.0],
                        valign="end")
        kinds: dict[str, tuple[Text, Slot, CardNode]] = {}
        for kind in KINDS:
            tally = m.sister if kind == "sister" else m.friendly
            colour = "accent" if kind == "sister" else "data"
            num = self.text(count_text(tally.value, 1.0, 0, None, lang), "headline", colour,
                            field=f"{kind}.value", group="map-kind-number", max_lines=1)
            label = self.text(tally.label, "body", field=f"{kind}.label", group="map-kind-label")
            size = round(num.style.px * 0.46)
            glyph = Column([Glyph(kind == "sister", theme.colour(colour), theme.colour("background"), size),
                            Space(num.style.px * 0.22)])
            row = Row([glyph, num, _on_baseline(label, num)],
                      gap=14, basis=[float(size), "natural", 0.0], grow=[0.0, 0.0, 1.0], valign="end")
            slot = Slot(row)
            card = CardNode(slot, theme.colour("background", 0.0), padding=(14.0, 6.0, 16.0, 6.0), radius=16.0)
            kinds[kind] = (num, slot, card)
        return FaceParts(
            total_number=number, total_unit=unit,
            total_line=self.text(m.total_line(lang), "title", field="countries", group="map-unit"),
            counts=Slot(total_row), kinds=kinds,
            as_of=self.text(m.as_of, "body", "muted", field="as_of", group="map-note"),
            listed=self.text(m.listed_line(lang), "body", "muted", field="listed_note", group="map-note"),
            hint=self.text(m.hint, "body", "muted", field="hint", group="map-note"),
        )

    def _side_column(self, face: FaceParts, *, notes: bool = True) -> Column:
        parts: list[Node] = [face.counts, face.total_line, Space(12), face.kinds["sister"][2],
                             face.kinds["friendly"][2], Space(4), face.as_of]
        if notes:
            face.hint.align = ALIGN_LEFT
            parts += [Space(flex=1.0), face.listed, face.hint]
        return Column(parts, gap=10)

    def _caption_row(self, face: FaceParts, width: float) -> Node:
        """What the map shows and the hint, under the map: one row (the hint on the right)
        when both fit on one line, else one above the other."""
        row = Row([face.listed, face.hint], gap=COLUMN_GAP, basis=["natural", "natural"], grow=[1.0, 1.0])
        if row.natural_width() <= width:
            face.hint.align = ALIGN_RIGHT
            return row
        face.hint.align = ALIGN_LEFT
        return Column([face.listed, face.hint], gap=8)

    def _chips(self) -> ChipGrid:
        keys = [*REGION_CHIPS, "list"]
        labels = [ui(k, self.lang) for k in keys]
        self.region_chips: dict[str, Chip] = {}
        style = self.style("label")

        def make(i: int, rect: QRectF, parent: QGraphicsItem) -> Chip:
            key = keys[i]
            action = self.toggle_list if key == "list" else (lambda k=key: self.set_region(k))
            chip = Chip(rect, labels[i], style, self.ctx.theme.colour("surface"), action,
                        field=f"worldmap.{key}", group="map-chip", parent=parent)
            if key == "list":
                self.list_chip = chip
            else:
                self.region_chips[key] = chip
            return chip

        return ChipGrid(labels, style, make)

    def _hook_face(self, face: FaceParts) -> None:
        """Tap targets on the placed face: the counts open the details, a kind filters the map."""
        self.total_item = face.total_number.item
        self.kind_numbers = {k: face.kinds[k][0].item for k in KINDS}
        self.kind_cards = {k: face.kinds[k][2].item for k in KINDS}
        self.line_items = [t.item for t in (face.total_line, face.as_of) if t.item is not None]
        notes = (face.hint, face.listed, face.legend)
        self.hint_items = [t.item for t in notes if t is not None and t.item is not None]
        self.hint_item = face.hint.item
        if face.counts.rect is not None:
            TapArea(face.counts.rect, lambda: self.open_details("counts"), self)
        for kind in KINDS:
            card = self.kind_cards[kind]
            if card is not None:
                area = TapArea(card.rect, lambda k=kind: self.set_kind_filter(k), card)
                area.label = ui(kind, self.lang)  # type: ignore[attr-defined]
        if face.listed.item is not None:
            TapArea(face.listed.item.box, lambda: self.open_details("mapped"), self)

    def _overlay_rects(self, face: FaceParts, body: QRectF) -> None:
        """Where the card and the list go: over the counts (landscape) or below the map (portrait)."""
        side = face.side.rect if face.side is not None and face.side.rect is not None else body
        below = face.below.rect if face.below is not None and face.below.rect is not None else body
        if self.ctx.portrait or not side.left() > self.map_rect.right():
            self.card_room = QRectF(body.left(), self.map_rect.bottom() + GAP, body.width(),
                                    body.bottom() - self.map_rect.bottom() - GAP)
            self.card_rect = below if below.top() > self.map_rect.bottom() else self.card_room
            self.list_rect = QRectF(body.left(), body.top(), body.width(), self.map_rect.bottom() - body.top())
        else:
            self.card_rect = QRectF(side.left(), body.top(), side.width(), body.height())
            wide = max(side.width(), body.width() * 0.55)
            self.card_room = QRectF(body.right() - wide, body.top(), wide, body.height())
            self.list_rect = QRectF(self.map_rect)
        self.card_body = QRectF(body)

    # the map itself
    def _build_map(self, rect: QRectF, parent: QGraphicsItem) -> None:
        theme = self.ctx.theme
        self.map_rect = QRectF(rect)
        self.base_tf = fit_bounds(self._band, rect.width(), rect.height(), left=rect.left(), top=rect.top())
        Card(rect, _mix(theme.colour("surface"), theme.colour("background"), 0.55), radius=18, parent=parent)
        self.frame = MapFrame(rect, parent)
        self.land = LandLayer(rect, [(land_path(str(ASSETS / LAND_FILE), self.base_tf),
                                      _mix(theme.colour("muted"), theme.colour("background"), 0.42))], self.frame)
        self.world = _World(self.frame)
        colours = {"sister": theme.colour("accent"), "friendly": theme.colour("data")}
        hub_lon, hub_lat = self.model.hub_lon, self.model.hub_lat
        self.arc_layer = ArcLayer(QRectF(-1e5, -1e5, 2e5, 2e5), [
            Arc([QPointF(*self._to_px(x, y)) for x, y in framed_arc(hub_lon, hub_lat, p.lon, p.lat, self._band)],
                _alpha(colours[p.kind], 0.8))
            for p in self.partners
        ], self.world)
        colours_m = {
            "outline": theme.colour("background"), "focus": theme.colour("text"), "hub": theme.colour("text"),
            "label": theme.colour("text"), "label_bg": theme.colour("background", 0.85),
            "cluster": theme.colour("surface"), "cluster_ring": theme.colour("text", 0.85),
        }
        self.markers = MarkerLayer(
            rect,
            [Marker(self._world_point(p.lon, p.lat), p.kind == "sister", colours[p.kind], self.tr(p.name))
             for p in self.partners],
            self._world_point(hub_lon, hub_lat), self.tr(self.model.hub),
            self.style("label", step=0.94), self.style("label", step=0.94, bold=True),
            colours_m, self._tapped_map, self.frame,
        )
        self.frame.mark_sources = [
            lambda: self.arc_layer.marks(self.view, None if self.view.isIdentity() else self.map_rect),
            self.markers.marks,
        ]

    def _to_px(self, x: float, y: float) -> tuple[float, float]:
        return self.base_tf.to_screen(x, y)

    def _world_point(self, lon: float, lat: float) -> QPointF:
        return QPointF(*self._to_px(*forward(lon, lat)))

    # -- state changes ------------------------------------------------------------------
    def visible_indices(self) -> list[int]:
        """Partners that pass the kind and region filters, in drawing order."""
        continents = REGIONS[self.region][0] if self.region in REGIONS else None
        return [i for i, p in enumerate(self.partners)
                if (self.kind_filter == "all" or p.kind == self.kind_filter)
                and (continents is None or p.continent in continents)]

    def set_kind_filter(self, kind: str) -> None:
        """Show only sister cities or only friendly exchange cities; the same kind again shows all."""
        self.kind_filter = "all" if kind == self.kind_filter or kind not in KINDS else kind
        self.list_page = 0
        self._drop_hidden()
        self._refresh()

    def set_region(self, region: str) -> None:
        """Zoom into a region (and show only its partners), or back out to the world."""
        self.region = region if region in REGIONS else "world"
        self.zoom_box = None
        self.list_page = 0
        self._drop_hidden()
        self._apply_view()
        self._refresh()

    def expand_cluster(self, members: Sequence[int]) -> None:
        """Open up a cluster: zoom to its region, or (already there) to the cluster itself."""
        regions = {name for name, (continents, _) in REGIONS.items()
                   if all(self.partners[i].continent in continents for i in members)}
        if self.region == "world" and self.zoom_box is None and len(regions) == 1:
            self.set_region(regions.pop())
            return
        xs, ys = zip(*(forward(self.partners[i].lon, self.partners[i].lat) for i in members), strict=True)
        world = self._band
        min_w = (world[2] - world[0]) / MAX_ZOOM
        min_h = (world[3] - world[1]) / MAX_ZOOM
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        w = max(max(xs) - min(xs), min_w) * 1.5
        h = max(max(ys) - min(ys), min_h) * 1.5
        self.zoom_box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        self._apply_view()
        self._refresh()

    def _drop_hidden(self) -> None:
        shown = set(self.visible_indices())
        if self.selected is not None and self.selected not in shown:
            self.selected = None
        if self.focused is not None and self.focused not in shown:
            self.focused = None

    def _apply_view(self) -> None:
        """Point the world transform at the current region or cluster (land re-caches once)."""
        r = self.map_rect
        if self.zoom_box is not None:
            tf = fit_bounds(self.zoom_box, r.width(), r.height(), left=r.left(), top=r.top())
        elif self.region in REGIONS:
            tf = fit_bounds(region_bounds(REGIONS[self.region][1]), r.width(), r.height(), left=r.left(), top=r.top())
        else:
            tf = self.base_tf
        self.view = _view(self.base_tf, tf)
        self.world.setTransform(self.view)
        self.land.set_view(self.view)
        self.arc_layer.zoom = self.view.m11()
        self.markers.view = self.view

    def open_card(self, index: int | None) -> None:
        """Show the card of partner ``index`` (None closes it).

        A partner hidden in a cluster (opened from the list or the keyboard) is first zoomed
        to, so its marker stands on its own beside its card.
        """
        if index is not None:
            for _ in range(3):
                cluster = self.markers.cluster_of(index)
                if cluster is None or cluster.single:
                    break
                self.expand_cluster(cluster.members)
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

    def _tapped_map(self, kind: str, value: int | None) -> None:
        if kind == "cluster" and value is not None:
            self.expand_cluster(self.markers.clusters[value].members)
        elif kind == "marker" and value is not None:
            self.open_card(value)
        else:
            self.close_card()

    def _refresh(self) -> None:
        """Bring chips, markers, arcs, card and list in line with the state (not time)."""
        theme = self.ctx.theme
        shown = set(self.visible_indices())
        for i, m in enumerate(self.markers.markers):
            m.visible = i in shown
        self.markers.selected = self.selected
        self.markers.focused = self.focused
        self.markers.relayout()
        on, off, ring = theme.colour("data", 0.28), theme.colour("surface"), theme.colour("data")
        for key, chip in self.region_chips.items():
            chip.set_on(key == self.region, on, off, ring)
        self.list_chip.set_on(self.list_open, on, off, ring)
        self.list_chip.set_label(ui("map" if self.list_open else "list", self.lang))
        for kind, card in self.kind_cards.items():
            if card is not None:
                active = self.kind_filter == kind
                card.set_fill(theme.colour("data", 0.22) if active else theme.colour("background", 0.0))
                card.set_outline(theme.colour("data") if active else None)
        self._fill_card()
        self._fill_list(sorted(shown))
        self.apply(self._t)

    # -- the detail layer ------------------------------------------------------------------
    def open_details(self, about: str | None = None) -> None:
        """The detail layer, citing the partners' sources as well as the panel's (the footer
        names only the panel's), cut into sections that each fit a column (one section of
        fifty citations would run off the page)."""
        model = self.model
        if self._details is None:
            from szkiosk.panels.base import BODY_GAP, FOOTER, FOOTER_PORTRAIT, HEADER_TOP
            from szkiosk.panels.details import BUTTON, DetailsLayer, Section, sections_for

            sections = sections_for(model.details, model.all_sources(), self.ctx.sources, self.lang)
            rect = QRectF(self.margin, HEADER_TOP, self.width - 2 * self.margin,
                          self.height - (FOOTER_PORTRAIT if self.ctx.portrait else FOOTER) - BODY_GAP - HEADER_TOP)
            columns = 1 if self.ctx.portrait else 2
            inner = rect.adjusted(40, 32, -40, -32)
            column_w = (inner.width() - 56 * (columns - 1)) / columns
            room = inner.height() - BUTTON - 24
            cited = [s for s in sections if s.about == "sources"]
            if cited:
                sections.remove(cited[0])
                chunks = self._citation_chunks([_breakable_urls(c) for c in cited[0].text.split("\n")],
                                               column_w, room)
                for k, chunk in enumerate(chunks):
                    title = ui_text("details.sources", self.lang) if len(chunks) == 1 else \
                        ui("sources_part", self.lang, part=k + 1, parts=len(chunks))
                    # every part is a "sources" section: the layer sets those in the caption role
                    sections.append(Section(title, "\n".join(chunk), "", "sources", "sources"))
            self._details = DetailsLayer(self.ctx.theme, rect, self.tr(model.title), sections, self.lang,
                                         columns, self.close_details, self)
        if about is not None:
            self._details.show_about(about)

    def _citation_chunks(self, lines: list[str], width: float, room: float) -> list[list[str]]:
        """Citations in runs that fit ``room`` under a section title at ``width``."""
        title = Text(ui("sources_part", self.lang, part=88, parts=88), self.style("title"))

        def fits(trial: list[str]) -> bool:
            return Column([title, Text("\n".join(trial), self.style("caption"))], gap=12).min_height(width) <= room

        return pages_that_fit(lines, fits)

    # -- the card ---------------------------------------------------------------------
    def _fill_card(self) -> None:
        if self.card is not None:
            self.card.setParentItem(None)
            if self.card.scene() is not None:
                self.card.scene().removeItem(self.card)
            self.card = None
        self.card_texts = []
        index = self.selected
        if index is None:
            return
        theme = self.ctx.theme
        card, foot = self._partner_card(index)
        close_label = ui_text("details.close", self.lang)
        close_style = self.style("label")
        close_h = chip_height(close_style)
        close_w = chip_width(close_label, close_style)

        # the card's own place first; where that is too small (large text), a wider one over
        # part of the map, then the whole body; the note goes only when nothing else helps
        rect = self.card_body
        for where in (self.card_rect, self.card_room, self.card_body):
            if fit(card(True), where).ok:
                rect = where
                break
        node, fitted = choose([card(True), card(False)], rect, what=f"{self.model.id} card")
        if self.ctx.portrait:
            # on a totem the card rises from the bottom only as far as it needs: the map stays in view
            h = min(rect.height(), max(fitted.height, self.card_rect.height()))
            rect = QRectF(rect.left(), rect.bottom() - h, rect.width(), h)
        holder = _Overlay(rect, self)
        holder.setZValue(20)
        node.place(rect, holder)
        self.card = holder
        at = foot.rect if foot.rect is not None else QRectF(rect.left(), rect.bottom() - close_h, close_w, close_h)
        Chip(QRectF(at.left(), at.center().y() - close_h / 2, close_w, close_h), close_label,
             close_style, theme.colour("background"), self.close_card, outline=theme.colour("text", 0.8),
             field="details.close", parent=holder)
        self.card_texts = [t for t in _texts_under(holder)]

    def _partner_card(self, index: int) -> tuple[Callable[[bool], CardNode], Slot]:
        """Partner ``index``'s card (a function of whether it keeps its note) and its foot, the
        row where the close control and the source line go."""
        p = self.partners[index]
        theme = self.ctx.theme
        colour = "accent" if p.kind == "sister" else "data"
        kind = ui(f"kind_{p.kind}", self.lang)
        close_style = self.style("label")
        close_h = chip_height(close_style)
        rows: list[Node] = [self.text(kind, "label", colour, field="partner.kind"),
                            self.text(p.name, "title", field="partner.name")]
        other = next((lang for lang in self.ctx_languages() if lang != self.lang), None)
        if other is not None and p.name.get(other) != p.name.get(self.lang):
            rows.append(self.text(p.name.get(other), "body", "muted", field="partner.name"))
        rows.append(self.text(p.country, "body", "muted", field="partner.country"))
        if p.since is not None:
            rows.append(self.text(ui("since_year", self.lang, year=p.since), "body", field="partner.since"))
        note = self.text(p.note, "body", field="partner.note") if p.note is not None else None
        source = self.text(ui("source", self.lang, source=self._publishers(p)), "caption", "muted",
                           field="partner.source")
        close_w = chip_width(ui_text("details.close", self.lang), close_style)
        foot = Slot(Row([Space(close_h), source], gap=24, basis=[close_w, 0.0], grow=[0.0, 1.0], valign="center"))

        def card(with_note: bool) -> CardNode:
            tail = [Space(flex=1.0), foot]
            parts = [*rows, note, *tail] if with_note and note is not None else [*rows, *tail]
            return CardNode(Column(parts, gap=10), theme.colour("surface"), outline=theme.colour(colour, 0.9),
                            radius=20)

        return card, foot

    def _tallest_card(self, width: float) -> float:
        """Height of the tallest city card (note and all) at ``width``."""
        return max((self._partner_card(i)[0](True).min_height(width) for i in range(len(self.partners))),
                   default=0.0)

    def ctx_languages(self) -> list[str]:
        """The deck's languages (from the content: the partner names carry them)."""
        return list(self.model.title.root)

    def _publishers(self, partner: Partner) -> str:
        """The publishers of a partner's sources in the visitor's language (the card's source line)."""
        names = [self.ctx.sources[s].publisher.get(self.lang) for s in partner.source if s in self.ctx.sources]
        names = list(dict.fromkeys(names)) or list(partner.source)
        return ui_text("footer.source_separator", self.lang).join(names)

    # -- the list -----------------------------------------------------------------------
    def _fill_list(self, shown: list[int]) -> None:
        if self.list_card is not None:
            self.list_card.setParentItem(None)
            if self.list_card.scene() is not None:
                self.list_card.scene().removeItem(self.list_card)
            self.list_card = None
        self.list_rows = []
        self.list_prev: Chip | None = None
        self.list_next: Chip | None = None
        self.list_pages = 1
        if not self.list_open:
            return
        theme = self.ctx.theme
        rect = self.list_rect
        holder = _Overlay(rect, self)
        holder.setZValue(10)
        Card(rect, theme.colour("background"), outline=theme.colour("muted", 0.5), parent=holder)
        inner = rect.adjusted(24, 24, -24, -24)
        nav_style = self.style("label")
        nav_h = chip_height(nav_style)
        grid_rect = QRectF(inner.left(), inner.top(), inner.width(), inner.height() - nav_h - GAP)
        columns = max(1, int((grid_rect.width() + 16) // 460))
        pages = self._list_pages(shown, grid_rect, columns)
        self.list_pages = len(pages)
        self.list_page = max(0, min(self.list_page, len(pages) - 1))
        page = pages[self.list_page] if pages else []
        if page:
            grid = Grid([self._list_cell(i) for i in page], columns, gap=16, row_gap=12, center_last=False)
            grid.place(QRectF(grid_rect.left(), grid_rect.top(), grid_rect.width(), grid.min_height(grid_rect.width())),
                       holder)
            for i, cell in zip(page, grid.children, strict=True):
                item = cell.item if isinstance(cell, CardNode) else None
                if item is not None:
                    area = TapArea(item.rect, lambda i=i: self.open_card(i), item)
                    area.partner_index = i  # type: ignore[attr-defined]
                    area.label = self.tr(self.partners[i].name)  # type: ignore[attr-defined]
                    self.list_rows.append(area)
        nav_y = inner.bottom() - nav_h
        arrow_w = chip_width("‹", nav_style) + 24
        x = inner.left()
        if self.list_page > 0:
            self.list_prev = Chip(QRectF(x, nav_y, arrow_w, nav_h), "‹", nav_style, theme.colour("surface"),
                                  lambda: self.turn_list_page(-1), field="worldmap.page", parent=holder)
        if self.list_prev is not None:
            x += arrow_w + 16
        if self.list_page < len(pages) - 1:
            self.list_next = Chip(QRectF(x, nav_y, arrow_w, nav_h), "›", nav_style, theme.colour("surface"),
                                  lambda: self.turn_list_page(1), field="worldmap.page", parent=holder)
        x += arrow_w + 24
        words = ui("page", self.lang, page=self.list_page + 1, pages=len(pages)) if shown else ui("none", self.lang)
        Text(words, self.style("body", "muted"), valign=Qt.AlignmentFlag.AlignVCenter,
             on_place=_field("worldmap.page")).place(QRectF(x, nav_y, inner.right() - x, nav_h), holder)
        self.list_card = holder

    def _list_cell(self, i: int) -> CardNode:
        p = self.partners[i]
        mark = "◆" if p.kind == "sister" else "●"
        words = ui("list_row", self.lang, mark=mark, name=self.tr(p.name), country=self.tr(p.country))
        text = self.text(words, "body", field="partner.name", group="map-list")
        return CardNode(text, self.ctx.theme.colour("surface"), padding=(20.0, 14.0, 20.0, 14.0), radius=16.0)

    def _list_pages(self, shown: list[int], rect: QRectF, columns: int) -> list[list[int]]:
        """The shown partners cut into pages that fit ``rect`` (rows as tall as their text)."""

        def fits(trial: list[int]) -> bool:
            grid = Grid([self._list_cell(k) for k in trial], columns, gap=16, row_gap=12, center_last=False)
            return fit(grid, rect).ok

        return pages_that_fit(shown, fits)

    # -- animation --------------------------------------------------------------------------
    def apply(self, t_ms: float) -> None:
        if not hasattr(self, "markers") or not hasattr(self, "total_item"):
            return
        s0, s1 = self._stage_starts()
        starts = (s0, s1)
        offsets = self._arc_offsets()
        land = ease_out(phase(t_ms, s0, LAND_MS))
        self.frame.setOpacity(0.25 + 0.75 * land)
        self.markers.hub_pop = _pop(phase(t_ms, s0, POP_MS))
        progress: list[float] = []
        for i, m in enumerate(self.markers.markers):
            stage, share = offsets[i]
            start = starts[stage] + ARC_FIRST_MS + ARC_STAGGER_MS * share
            progress.append(ease_out(phase(t_ms, start, ARC_MS)))
            m.pop = _pop(phase(t_ms, start + ARC_MS - POP_LEAD_MS, POP_MS))
        self.arc_layer.set_state(progress, [m.visible for m in self.markers.markers])
        self.markers.update()
        m = self.model
        lang = self.lang
        total = ease_out(phase(t_ms, s0 + ARC_FIRST_MS, COUNT_MS))
        if self.total_item is not None:
            self.total_item.set_text(count_text(m.total.value, total, 0, None, lang))
        for kind, start in (("sister", s0), ("friendly", s1)):
            item = self.kind_numbers.get(kind)
            tally = m.sister if kind == "sister" else m.friendly
            if item is not None:
                p = ease_out(phase(t_ms, start + ARC_FIRST_MS, KIND_COUNT_MS))
                item.set_text(count_text(tally.value, p, 0, None, lang))
        # "in 57 countries" and the date land with the total, never before it
        landed = s0 + ARC_FIRST_MS + COUNT_MS
        for item in self.line_items:
            item.setOpacity(ease_out(phase(t_ms, landed, LINE_MS)))
        hint = ease_out(phase(t_ms, self.hint_start(), HINT_MS))
        for item in self.hint_items:
            item.setOpacity(hint)

    # -- keyboard ---------------------------------------------------------------------------
    def handle_key(self, key: int) -> bool:
        """Keyboard on the map: Tab/arrows move between partners, Enter opens, Esc closes.

        Returns True when the key was used (the window must then not act on it). Arrows are
        only taken once the map has focus (after Tab or a tap), so they still change panels
        before that.
        """
        if super().handle_key(key):
            return True
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
        """Scene position of partner ``index``'s marker (or of the cluster that holds it)."""
        c = self.markers.cluster_of(index)
        if c is not None and not c.single:
            return self.mapToScene(QPointF(c.x, c.y))
        return self.mapToScene(self.markers.position(index))

    def shown_markers(self) -> list[int]:
        """Indices of markers currently drawn (alone or inside a cluster)."""
        return [i for i in range(len(self.partners)) if self.markers.shown(i)]

    def card_text(self) -> list[str]:
        """The texts on the open card (empty when closed)."""
        return [t.text for t in self.card_texts] if self.card is not None else []


class _World(QGraphicsItem):
    """The zoomable group under the frame: arcs live here in unzoomed stage pixels."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter, option, widget=None) -> None:
        """Draws nothing."""


class _Overlay(Card):
    """A card or the list over the face: swallows taps so they do not reach what it covers."""

    def __init__(self, rect: QRectF, parent: QGraphicsItem) -> None:
        super().__init__(rect, QColor(0, 0, 0, 0), radius=20, parent=parent)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        event.accept()


def _view(base: ScreenTransform, tf: ScreenTransform) -> QTransform:
    """The transform from unzoomed map pixels (``base``) to those of ``tf``."""
    k = tf.scale / base.scale
    return QTransform(k, 0, 0, k, tf.offset_x - k * base.offset_x, tf.offset_y - k * base.offset_y)


def _breakable_urls(text: str) -> str:
    """Addresses in ``text`` with a zero-width space after each ``/`` and ``-`` of their path:
    a long address may then wrap in a column instead of running past it (Chinese lines
    give a Latin run no break of its own)."""
    def soften(match: re.Match[str]) -> str:
        head, rest = match.group(1), match.group(2)
        return head + re.sub(r"([/\-])", "\\1\u200b", rest)

    return re.sub(r"(https?://)(\S+)", soften, text)


def _on_baseline(small: Text, big: Text) -> Node:
    """``small`` lifted so that, bottom-aligned beside ``big``, their last baselines meet."""
    return Column([small, Space(max(0.0, (big.style.px - small.style.px) * INK_DESCENT))])


def _texts_under(item: QGraphicsItem) -> list[TextItem]:
    out: list[TextItem] = []
    stack = [item]
    while stack:
        it = stack.pop(0)
        if isinstance(it, TextItem) and it.isVisible():
            out.append(it)
        stack.extend(it.childItems())
    return out


def _field(name: str) -> Callable[[TextItem], None]:
    def tag(item: TextItem) -> None:
        item.field = name

    return tag


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


__all__ = ["WorldMapPanel", "release_children"]
