"""The stage: a fixed logical canvas (1920x1080, or 1080x1920 on a tall window) scaled to
fit any window, letterboxed, with panels, transitions and the navigation chrome.

Scaling is done by the view's transform, so text and charts are redrawn as vectors at the
window's resolution: never a scaled bitmap.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import (
    QAbstractAnimation,
    QCoreApplication,
    QEasingCurve,
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QImage, QPainter, QPixmap, QPixmapCache, QRegion, QResizeEvent, QShowEvent, QTransform
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from szkiosk.catalogue import language_name, ui_text
from szkiosk.content import LoadedDeck, PanelModel
from szkiosk.kit.access import AccessMode
from szkiosk.kit.items import ALIGN_CENTER, Card, ClipBox, Pill, TapArea, release_children
from szkiosk.kit.qr import QrCode
from szkiosk.kit.text import TextItem, TextStyle, lay_out, natural_width
from szkiosk.kit.theme import QtTheme
from szkiosk.panels import Panel, PanelContext, create_panel
from szkiosk.panels.base import QR_SIZE, margin_for
from szkiosk.show import collector
from szkiosk.show.access import AccessCard, ReachBar, SceneTapWatcher
from szkiosk.show.collector import hold_collector, release_collector
from szkiosk.show.keep import Keeper, trim_heap

log = logging.getLogger(__name__)

LANDSCAPE = QSizeF(1920, 1080)
PORTRAIT = QSizeF(1080, 1920)


#: Distance from the stage's bottom edge to the source line's bottom (logical px).
SOURCE_BOTTOM = 110.0
#: The row of controls: its distance from the bottom edge, the side of a touch target, the gap.
ROW_BOTTOM = 24.0
TOUCH = 72.0
GAP = 16.0


#: Source lines already fitted (the fitting lays the line out once per source: tens of ms at first).
_FOOTER_LINES: dict[tuple, str] = {}


def footer_source_line(labels: list[str], language: str, width: float, style: TextStyle, lines: int = 1) -> str:
    """The source line: as many sources as fit in ``lines`` lines of ``width``, then how many more
    the detail layer lists; when not even one fits, only where to find them."""
    key = (tuple(labels), language, width, lines, style.role, style.px, style.language, style.bold, style.family)
    hit = _FOOTER_LINES.get(key)
    if hit is None:
        if len(_FOOTER_LINES) > 512:
            _FOOTER_LINES.clear()
        hit = _FOOTER_LINES[key] = _fit_source_line(labels, language, width, style, lines)
    return hit


def _fit_source_line(labels: list[str], language: str, width: float, style: TextStyle, lines: int) -> str:
    sep = ui_text("footer.source_separator", language)
    for shown in range(len(labels), 0, -1):
        joined = sep.join(labels[:shown])
        if shown < len(labels):
            joined = ui_text("footer.more_sources", language, sources=joined, n=len(labels) - shown)
        line = ui_text("footer.source", language, sources=joined)
        lay = lay_out(line, style, width)
        if len(lay.lines) <= lines and not lay.overflow:
            return line
    return ui_text("footer.source", language, sources=ui_text("footer.sources_in_details", language))


def stage_size_for(width: float, height: float) -> QSizeF:
    """Logical stage for a window: portrait when it is taller than wide."""
    return PORTRAIT if height > width else LANDSCAPE


class StageScene(QGraphicsScene):
    """A scene that tells pyqtgraph items when a paint is coming (they defer work until then)."""

    sigPrepareForPaint = Signal()

    def prepareForPaint(self) -> None:
        """Emit :attr:`sigPrepareForPaint`; called before every view paint or render."""
        self.sigPrepareForPaint.emit()

    def render(self, *args, **kwargs) -> None:
        self.prepareForPaint()
        super().render(*args, **kwargs)


class Chrome(QGraphicsObject):
    """Footer furniture that stays put while panels move: source line, arrows, dots, language."""

    previous_requested = Signal()
    next_requested = Signal()
    panel_requested = Signal(int)
    language_requested = Signal()
    access_requested = Signal()

    def __init__(self, theme: QtTheme, size: QSizeF) -> None:
        super().__init__()
        self.theme = theme
        self.size = size
        #: Show the accessibility button (windows do; screenshots and handouts do not).
        self.access_button: Pill | None = None
        self.with_access_button = False
        self.setZValue(100)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.source_box: TextItem | None = None
        self.take_away: list[QGraphicsItem] = []
        self.dots: list[Card] = []
        self.language_button: Pill | None = None
        self.counter: TextItem | None = None

    def boundingRect(self) -> QRectF:
        return QRectF(0, self.size.height() - 160, self.size.width(), 160)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Children draw."""

    def fit_sources(self, sources: list[str], language: str) -> tuple[TextStyle, float, str]:
        """(style, width, text) of the source line for ``sources`` (remembered once fitted)."""
        w, h = self.size.width(), self.size.height()
        style = self.theme.style("source", "muted", language)
        width = w - 2 * margin_for(self.size)
        # a portrait footer has room for two lines (base.FOOTER_PORTRAIT); landscape keeps one
        lines = 2 if h > w else 1
        return style, width, footer_source_line(sources, language, width, style, lines)

    def rebuild(self, index: int, count: int, language: str, languages: list[str], sources: list[str],
                link: tuple[str, str] | None = None) -> None:
        """Lay out the footer (and the take-away QR code) for the panel at ``index``.

        One row of controls at the bottom (previous, counter, dots, next, access, language), the
        source line above it on one line. Dots are touch targets only where each gets at least
        :data:`TOUCH` px; on a narrow (portrait) stage they show progress and the arrows step.
        """
        release_children(self)
        t = self.theme
        w, h = self.size.width(), self.size.height()
        margin = margin_for(self.size)
        self.take_away = []
        if link is not None:
            url, caption = link
            side = QR_SIZE
            box = QRectF(w - margin - side, 40, side, side)
            self.take_away.append(QrCode(url, box, self))
            take = TextItem(caption or ui_text("footer.take_away", language), t.style("caption", "muted", language),
                            QRectF(box.left() - 50, box.bottom() + 8, side + 100, 0), align=ALIGN_CENTER,
                            max_lines=2, parent=self)
            take.field = "link.label"
            self.take_away.append(take)
        row_y = h - ROW_BOTTOM - TOUCH
        self.source_box = None
        if sources:
            style, width, text = self.fit_sources(sources, language)
            lines = 2 if h > w else 1
            height = lay_out(text, style, width).height
            self.source_box = TextItem(text, style, QRectF(margin, h - SOURCE_BOTTOM - height, width, 0),
                                       max_lines=lines, parent=self)
            self.source_box.field = "source"
        arrow = t.style("control", "text", language, step=1.5 / t.text_scale)
        Pill(QRectF(margin, row_y, TOUCH, TOUCH), "‹", arrow, t.colour("surface"), t.colour("text"),
             self.previous_requested.emit, parent=self)
        counter_style = t.style("caption", "muted", language)
        counter_text = ui_text("footer.counter", language, n=index + 1, count=count)
        counter_w = natural_width(ui_text("footer.counter", language, n=count, count=count), counter_style) + 8
        self.counter = TextItem(counter_text, counter_style, QRectF(margin + TOUCH + 16, row_y, counter_w, TOUCH),
                                valign=Qt.AlignmentFlag.AlignVCenter, max_lines=1, parent=self)
        self.counter.field = "counter"
        following = languages[(languages.index(language) + 1) % len(languages)] if language in languages else language
        lang_style = t.style("control", "text", language)
        lang_label = language_name(following)
        lang_w = max(176.0, natural_width(lang_label, lang_style) + 64)
        self.language_button = Pill(QRectF(w - margin - lang_w, row_y, lang_w, TOUCH), lang_label, lang_style,
                                    t.colour("surface"), t.colour("text"), self.language_requested.emit,
                                    outline=t.colour("data", 0.8), parent=self)
        right = w - margin - lang_w - GAP
        self.access_button = None
        if self.with_access_button:
            self.access_button = Pill(QRectF(right - TOUCH, row_y, TOUCH, TOUCH), ui_text("access.button", language),
                                      t.style("control", "text", language), t.colour("surface"), t.colour("text"),
                                      self.access_requested.emit, outline=t.colour("text", 0.8), parent=self)
            right -= TOUCH + GAP
        Pill(QRectF(right - TOUCH, row_y, TOUCH, TOUCH), "›", arrow, t.colour("surface"), t.colour("text"),
             self.next_requested.emit, parent=self)
        dots_right = right - TOUCH - GAP
        dots_left = margin + TOUCH + 16 + counter_w + GAP
        step = min(TOUCH, (dots_right - dots_left) / max(1, count))
        tappable = step >= TOUCH - 0.5
        start = dots_left + (dots_right - dots_left - step * count) / 2
        self.dots = []
        for i in range(count):
            cx = start + step * i + step / 2
            radius = min(12.0, step * 0.4) if i == index else min(8.0, step * 0.28)
            holder: QGraphicsItem = self
            if tappable:
                holder = TapArea(QRectF(cx - step / 2, row_y, step, TOUCH), lambda i=i: self.panel_requested.emit(i),
                                 self)
            dot = Card(QRectF(cx - radius, row_y + TOUCH / 2 - radius, radius * 2, radius * 2),
                       t.colour("accent") if i == index else t.colour("muted", 0.45), radius=radius, parent=holder)
            self.dots.append(dot)


class PanelSnapshot(QGraphicsObject):
    """A panel drawn once into device pixels, moved by whole pixels during a transition."""

    def __init__(self, pixmap: QPixmap, scale: float, size: QSizeF) -> None:
        super().__init__()
        self.pixmap = pixmap
        self.scale_factor = scale
        self._rect = QRectF(0, 0, size.width(), size.height())
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Blit at the nearest device pixel when the painter has the snapshot's scale; else scale it."""
        world = painter.worldTransform()
        s = self.scale_factor
        if abs(world.m11() - s) < 1e-6 and abs(world.m22() - s) < 1e-6 and world.m12() == 0 and world.m21() == 0:
            origin = world.map(QPointF(0, 0))
            painter.save()
            painter.resetTransform()
            painter.drawPixmap(round(origin.x()), round(origin.y()), self.pixmap)
            painter.restore()
        else:
            painter.drawPixmap(self._rect, self.pixmap, QRectF(self.pixmap.rect()))


#: QPixmapCache size (KB) the stage needs for its device-cached items at up to 4K.
PIXMAP_CACHE_KB = 160 * 1024

#: How long the current panel must sit still after its build before idle preparation starts (ms).
PREPARE_AFTER_MS = 250
#: Device pixels drawn per turn of the event loop while preparing (a band of rows: a few ms).
PREPARE_BAND_PIXELS = 1920 * 270

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TabletPress,
})


@dataclass
class _PrepareJob:
    """One image being prepared in idle time, band by band."""

    index: int
    state: str  # "start": as the panel's build starts (arriving); "rest": as it is now (leaving)
    step: int | None
    key: tuple
    area: QRect
    size: QSize
    scale: float
    dpr: float
    panel: Panel | None = None
    pixmap: QPixmap | None = None
    row: int = 0


class _Watch(QObject):
    """Input cancels idle preparation; a repaint of the view means the current panel's image may be stale."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(stage)
        self.stage = stage

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint:
            if not self.stage._capturing and watched is self.stage.viewport():
                self.stage._view_repainted()
        elif kind in _INPUT_EVENTS:
            self.stage._user_acted()
        return False


class Stage(QGraphicsView):
    """Shows one panel of a loaded deck at a time, scaled to the widget, with transitions."""

    panel_shown = Signal(int)
    #: The scene was cleared and rebuilt (rotation, reload, access modes): overlays must re-add themselves.
    scene_rebuilt = Signal()
    # the chrome is rebuilt with the scene (orientation change); windows listen here instead
    previous_requested = Signal()
    next_requested = Signal()
    panel_requested = Signal(int)
    language_requested = Signal()
    # pyqtgraph items look for these on the view that shows them (as on pg.GraphicsView)
    sigDeviceRangeChanged = Signal(object, object)
    sigDeviceTransformChanged = Signal(object)

    def __init__(self, deck: LoadedDeck, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # items cached as device pixmaps (text) live in QPixmapCache; Qt's default 10 MB holds
        # less than one 4K panel's text, so every frame re-rendered evicted text. Room for a
        # transition's two 4K panels (pixmaps exist only for items that are drawn).
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        collector.install()  # cycles holding Qt objects are only ever collected on this thread
        self.deck = deck
        self.access = AccessMode.from_model(deck.model.accessibility)
        self.theme = QtTheme(self.access.theme(deck.model.theme), self.access.text_scale)
        #: The accessibility button in the footer (ShowWindow turns it on).
        self.show_access_button = False
        self._reach_bar: ReachBar | None = None
        self._access_card: AccessCard | None = None
        self.setAccessibleName("Presentation stage")
        self.language = language
        self.logical = LANDSCAPE
        self.index = -1
        self._panels: dict[int, Panel] = {}
        self._transition: QVariantAnimation | None = None
        #: While a transition runs: (old panel, new panel, kind, slide distance).
        self._moving: tuple[Panel, Panel, str, float] | None = None
        self._arriving: QGraphicsObject | None = None
        self._leaving: QGraphicsObject | None = None
        self._snapshot_timer = QTimer(self)
        self._snapshot_timer.setSingleShot(True)
        self._snapshot_timer.setInterval(0)
        self._snapshot_timer.timeout.connect(self._take_snapshots)
        #: Images of the leaving and arriving panels that move during a transition.
        self._snapshots: list[PanelSnapshot] = []
        self.animate_transitions = True
        # images prepared in idle time for the next transitions (see enable_preparation)
        self._prepare_on = False
        self._prepare_wrap = False
        #: (index, "start"/"rest", step) -> (key, image); at most two "start" (the neighbours), one "rest"
        self._prepared: dict[tuple[int, str, int | None], tuple[tuple, QPixmap]] = {}
        #: Idle preparation has worked since the heap was last trimmed (see _prepare_slice).
        self._heap_untrimmed = False
        #: The leaving panel's prepared image, kept for the transition that has just started.
        self._leaving_image: tuple[Panel, tuple, QPixmap] | None = None
        self._prepare_job: _PrepareJob | None = None
        self._prepare_on_error: set[tuple[int, str]] = set()
        self._capturing = False
        self._collector_paused = False  # see _pause_collector
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.timeout.connect(self._prepare_slice)
        self._input_watch = _Watch(self)
        self._step: int | None = None
        #: False for handouts: keep the source line, hide arrows, dots and the language button.
        self.show_controls = True
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setBackgroundBrush(self.theme.colour("background"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scene = StageScene(self)
        self.setScene(self._scene)
        self._tap_watcher = SceneTapWatcher(self._after_tap, self)
        self._scene.installEventFilter(self._tap_watcher)
        #: Releases panels far from the current one once a change has landed (see show/keep.py).
        self.keeper = Keeper(lambda: self._panels, lambda: self.index, lambda: len(self.deck.panels),
                             lambda: self._moving is not None, self.panel, self)
        self._build_scene()

    # -- scene -------------------------------------------------------------------
    def _build_scene(self) -> None:
        self._stop_transition()
        self.drop_prepared()
        self._prepare_on_error.clear()
        for panel in self._panels.values():
            panel.deactivate()
        self._panels.clear()
        self.keeper.forget()
        if self._reach_bar is not None and shiboken6.isValid(self._reach_bar):
            self._reach_bar.retire()
        self._reach_bar = None
        self._access_card = None
        self._scene.clear()
        w, h = self.logical.width(), self.logical.height()
        self._scene.setSceneRect(0, 0, w, h)
        # made here and handed to the scene (addItem transfers ownership); keeping the item
        # addRect() returns would leave Python believing it owns an item the scene deletes
        self._backdrop = QGraphicsRectItem(QRectF(0, 0, w, h))
        self._backdrop.setPen(Qt.PenStyle.NoPen)
        self._backdrop.setBrush(self.theme.colour("background"))
        self._backdrop.setZValue(-10)
        self._scene.addItem(self._backdrop)
        self.clip = ClipBox(QRectF(0, 0, self.logical.width(), self.logical.height()))
        self._scene.addItem(self.clip)
        self.chrome = Chrome(self.theme, self.logical)
        self._scene.addItem(self.chrome)
        self.chrome.previous_requested.connect(self.previous_requested)
        self.chrome.next_requested.connect(self.next_requested)
        self.chrome.panel_requested.connect(self.panel_requested)
        self.chrome.language_requested.connect(self.language_requested)
        self.chrome.access_requested.connect(self.toggle_access_card)
        self.chrome.with_access_button = self.show_access_button
        self._fit()
        self.scene_rebuilt.emit()

    def context(self) -> PanelContext:
        """The context panels are built in right now."""
        return PanelContext(self.theme, self.logical, self.language, self.deck.root, self.access,
                            self.deck.sources)

    def panel(self, index: int) -> Panel:
        """The panel widget at ``index``, built on first use and kept."""
        panel = self._panels.get(index)
        if panel is None:
            panel = create_panel(self.deck.panels[index], self.context())
            panel.setVisible(False)  # hidden before it joins the scene: no repaint of the view
            panel.setParentItem(self.clip)
            self._panels[index] = panel
        elif panel.ctx.language != self.language:
            panel.set_language(self.language)
        return panel

    @property
    def current(self) -> Panel | None:
        """The panel on screen."""
        return self._panels.get(self.index)

    # -- showing -----------------------------------------------------------------
    def show_panel(self, index: int, direction: int = 1, *, animate: bool = True, step: int | None = None) -> Panel:
        """Bring panel ``index`` on stage, sliding or fading from the current one.

        ``step`` (presenter step builds) builds the panel only up to that step.
        """
        self._step = step
        self._stop_transition()
        old = self.current if index != self.index else None
        rest = self._prepared.get((self.index, "rest", None))
        self._leaving_image = (old, *rest) if old is not None and rest is not None else None
        self._prepared = {k: v for k, v in self._prepared.items() if k[1] != "rest"}
        self._prepare_job = None
        try:
            new = self.panel(index)
        except Exception:
            log.exception("could not show panel %d", index)
            raise
        self.index = index
        new.setVisible(True)
        new.setOpacity(1.0)
        new.setPos(0, 0)
        new.activate(step)
        self._refresh_chrome()
        kind = "none" if self.access.reduced_motion else self.deck.model.transition.kind
        ms = self.deck.model.transition.duration_ms
        if old is None or not animate or not self.animate_transitions or kind == "none" or ms == 0:
            if old is not None:
                self._retire(old)
        else:
            self._start_transition(old, new, direction, kind, ms)
        if self._transition is None:
            self._leaving_image = None
            self._prune_prepared()
        self._schedule_prepare()
        self.keeper.schedule()
        self.panel_shown.emit(index)
        return new

    def _start_transition(self, old: Panel, new: Panel, direction: int, kind: str, ms: int) -> None:
        """Slide or fade from ``old`` to ``new``; ``new`` builds once it has arrived.

        Neither panel changes while they move, so just before the first frame each is drawn
        once into an image of device pixels and the images move: a 4K frame is two blits,
        not two panels rasterised. A transition cut short before its first frame (fast
        clicking) draws no images at all.
        """
        new.pause_build()
        old.pause_build()
        self._pause_collector(ms)
        self._moving = (old, new, kind, self.logical.width() * (1 if direction >= 0 else -1))
        self._arriving, self._leaving = new, old
        anim = QVariantAnimation(self)
        anim.setStartValue(0.0)
        anim.setEndValue(1.0)
        anim.setDuration(ms)
        anim.setEasingCurve(QEasingCurve.Type.OutCubic if kind == "slide" else QEasingCurve.Type.Linear)
        anim.valueChanged.connect(self._move)
        anim.finished.connect(lambda: self._land_in_place(old))
        self._transition = anim
        if kind != "slide":
            new.setZValue(1)
            old.setZValue(0)
        self._move(0.0)
        if self._leaving_image is not None and (self.index, "start", self._step) in self._prepared:
            self._take_snapshots()  # prepared in idle time: ready before the first paint, at no cost
        else:
            self._snapshot_timer.start()
        anim.start()

    def _move(self, progress: float) -> None:
        """Place the arriving and leaving panels (or their images) at ``progress`` (0..1)."""
        if self._moving is None:
            return
        kind, dx = self._moving[2], self._moving[3]
        if kind == "slide":
            self._arriving.setPos(dx * (1.0 - progress), 0)
            self._leaving.setPos(-dx * progress, 0)
        else:
            self._arriving.setOpacity(progress)

    def _take_snapshots(self) -> None:
        """Swap the moving panels for images of themselves (see :meth:`_start_transition`).

        Images prepared in idle time (:meth:`enable_preparation`) are used when they still
        show the panel as it is; otherwise the panel is drawn now.
        """
        if self._moving is None or self._snapshots:
            return
        old, new = self._moving[0], self._moving[1]
        for panel in (new, old):
            snapshot = self._prepared_snapshot(panel, arriving=panel is new) or self._snapshot(panel)
            if snapshot is None:
                continue
            self._snapshots.append(snapshot)
            snapshot.setZValue(panel.zValue())
            snapshot.setVisible(True)
            panel.setVisible(False)
            if panel is new:
                self._arriving = snapshot
            else:
                self._leaving = snapshot
        # the two images cover the stage: no need to fill it first as well (a 4K fill a frame)
        self._backdrop.setVisible(len(self._snapshots) < 2)
        self._move(float(self._transition.currentValue() or 0.0) if self._transition is not None else 1.0)

    def _image_area(self) -> tuple[QRect, QSize, float, float]:
        """Where the stage sits in the view (widget px), its size in device px, scale, device ratio."""
        scale = self.transform().m11()
        dpr = self.devicePixelRatioF()
        corner = self.mapFromScene(QPointF(0, 0))
        area = QRect(corner.x(), corner.y(), round(self.logical.width() * scale), round(self.logical.height() * scale))
        return area, QSize(round(area.width() * dpr), round(area.height() * dpr)), scale, dpr

    def _render_panel(self, panel: Panel, pixmap: QPixmap, area: QRect, rows: tuple[int, int] | None = None) -> None:
        """Draw ``panel`` alone at (0, 0) through the view into ``pixmap`` (rows: a band of ``area``)."""
        hidden = [item for item in self._scene.items() if item.parentItem() is None
                  and item is not self.clip and item is not self._backdrop and item.isVisible()]
        hidden += [child for child in self.clip.childItems() if child is not panel and child.isVisible()]
        for item in hidden:
            item.setVisible(False)
        where, opacity, visible = panel.pos(), panel.opacity(), panel.isVisible()
        panel.setPos(0, 0)
        panel.setOpacity(1.0)
        panel.setVisible(True)
        source, offset = QRegion(area), QPoint(0, 0)
        if rows is not None:
            source = QRegion(area.x(), area.y() + rows[0], area.width(), rows[1] - rows[0])
            offset = QPoint(0, rows[0])
        self._capturing = True
        try:
            painter = QPainter(pixmap)
            try:
                # through the view, so items draw from their device caches (scene.render()
                # would use item-resolution caches: blurry text at 4K)
                QWidget.render(self, painter, offset, source, QWidget.RenderFlag.DrawChildren)
            finally:
                painter.end()
        finally:
            self._capturing = False
            panel.setPos(where)
            panel.setOpacity(opacity)
            panel.setVisible(visible)
            for item in hidden:
                item.setVisible(True)

    def _snapshot(self, panel: Panel) -> PanelSnapshot | None:
        """``panel`` as it looks now at (0, 0), in this view's device pixels (hidden until used)."""
        area, size, scale, dpr = self._image_area()
        if size.width() <= 0 or size.height() <= 0:
            return None
        pixmap = QPixmap(size)
        pixmap.setDevicePixelRatio(dpr)
        self._render_panel(panel, pixmap, area)
        return self._snapshot_item(pixmap, scale)

    def _snapshot_item(self, pixmap: QPixmap, scale: float) -> PanelSnapshot:
        snapshot = PanelSnapshot(pixmap, scale, self.logical)
        snapshot.setVisible(False)
        snapshot.setParentItem(self.clip)
        return snapshot

    # -- images prepared in idle time ----------------------------------------------
    def enable_preparation(self, on: bool = True, *, wrap: bool = False, watch: QWidget | None = None) -> None:
        """Prepare, in idle time, the images the next and previous transitions start from.

        Once the current panel has settled (its build is over and nothing happened for
        :data:`PREPARE_AFTER_MS`), the neighbours (``wrap``: the last panel's next is the
        first) are built and drawn as they look when their build starts, and the current
        panel as it is, in bands of about :data:`PREPARE_BAND_PIXELS` device pixels, one band
        per turn of the event loop, so no turn holds input back for long. Input on ``watch``
        (the window) or on the view cancels the work and drops the current panel's image
        (it may change); language, size, access modes and a reloaded deck drop everything.
        """
        self._prepare_on = on
        self._prepare_wrap = wrap
        if on:
            for target in (self.viewport(), watch):
                if target is not None:
                    target.installEventFilter(self._input_watch)
            self._schedule_prepare()
        else:
            self.drop_prepared()

    def prepared_images(self) -> dict[tuple[int, str], QPixmap]:
        """The finished prepared images: (panel index, "start" or "rest") to device-pixel image."""
        return {(index, state): pixmap for (index, state, _step), (_key, pixmap) in self._prepared.items()}

    @property
    def preparing(self) -> bool:
        """True while idle preparation waits for the panel to settle or has work left."""
        return self._prepare_timer.isActive() or self._prepare_job is not None

    def drop_prepared(self, *, rest_only: bool = False) -> None:
        """Forget prepared images (all, or only the current panel's) and any work in progress."""
        if rest_only:
            self._prepared = {k: v for k, v in self._prepared.items() if k[1] != "rest"}
            if self._prepare_job is not None and self._prepare_job.state == "rest":
                self._prepare_job = None
            return
        self._prepared.clear()
        self._leaving_image = None
        self._prepare_job = None
        self._prepare_timer.stop()

    def _prepare_key(self) -> tuple:
        """What a prepared image depends on besides its panel: when it changes, images are stale."""
        area, size, scale, dpr = self._image_area()
        return (self.language, self.logical.width(), self.logical.height(), round(scale, 6), dpr,
                area.x(), area.y(), size.width(), size.height(), self.access, id(self.deck))

    def _transitions_on(self) -> bool:
        kind = "none" if self.access.reduced_motion else self.deck.model.transition.kind
        return self.animate_transitions and kind != "none" and self.deck.model.transition.duration_ms > 0

    def _neighbours(self) -> list[tuple[int, int | None]]:
        """(index, build step) of the panels Next and Previous would bring, Next first."""
        count = len(self.deck.panels)
        found: list[tuple[int, int | None]] = []
        for delta in (1, -1):
            index = self.index + delta
            if self._prepare_wrap:
                index %= count
            if 0 <= index < count and index != self.index and index not in [i for i, _ in found]:
                step = None
                if self._step is not None:
                    step = 0 if delta > 0 else self.panel_step_count(index)
                found.append((index, step))
        return found

    def panel_step_count(self, index: int) -> int:
        """Step builds of the panel at ``index`` if it is built (0 otherwise)."""
        panel = self._panels.get(index)
        return panel.step_count if panel is not None else 0

    def _schedule_prepare(self, delay: int | None = None) -> None:
        if not self._prepare_on:
            return
        self._prepare_job = None
        self._prepare_timer.start(PREPARE_AFTER_MS if delay is None else delay)

    def _user_acted(self) -> None:
        """Input: stop preparing now, so it never delays the answer; start again once all is still."""
        if self._prepare_on and (self._prepare_job is not None or self._prepare_timer.isActive()):
            self._schedule_prepare()

    def _next_prepare_job(self) -> _PrepareJob | None:
        key = self._prepare_key()
        self._prepared = {k: v for k, v in self._prepared.items() if v[0] == key}
        jobs: list[tuple[int, str, int | None]] = [(i, "start", step) for i, step in self._neighbours()]
        jobs.insert(1 if jobs else 0, (self.index, "rest", None))
        for index, state, step in jobs:
            if (index, state, step) not in self._prepared:
                area, size, scale, dpr = self._image_area()
                if size.width() <= 0 or size.height() <= 0:
                    return None
                return _PrepareJob(index, state, step, key, area, size, scale, dpr)
        return None

    def _prepare_slice(self) -> None:
        """One turn of idle preparation: build a panel, or draw one band of an image."""
        current = self.current
        if not self._prepare_on or current is None or not self._transitions_on():
            self._prepare_job = None
            return
        if not self.isVisible():  # nothing to prepare for: showEvent starts again
            self._prepare_job = None
            return
        if current.animating or self._moving is not None:
            self._prepare_job = None
            self._prepare_timer.start(PREPARE_AFTER_MS)  # wait for the slide and the build to end
            return
        job = self._prepare_job
        if job is None or job.key != self._prepare_key():
            job = self._prepare_job = self._next_prepare_job()
            if job is None:  # everything is ready
                if self._heap_untrimmed:
                    # all is still: collect the released far panels (25-40 ms) and give the
                    # heap that building panels and drawing images left freed back to the
                    # system (0.3-3 ms; about 8 MB at 1080p)
                    self._heap_untrimmed = False
                    collector.collect_at_rest()
                    trim_heap()
                return
            self._heap_untrimmed = True
        try:
            self._prepare_step(job)
        except Exception:
            log.exception("could not prepare the image of panel %d; it will be drawn when needed", job.index)
            self._prepare_job = None
            self._prepare_on_error.add((job.index, job.state))
            return
        self._prepare_timer.start(0)

    def _prepare_step(self, job: _PrepareJob) -> None:
        if (job.index, job.state) in self._prepare_on_error:
            self._prepare_job = None
            return
        if job.panel is None:
            # building (or re-languaging) a panel is one slice; its start state is what
            # activate() shows, held there
            panel = self.panel(job.index)
            if job.state == "start":
                panel.activate(job.step)
                panel.deactivate()
                self.chrome.fit_sources(self._footer_sources(job.index), self.language)
            job.panel = panel
            return
        if job.pixmap is None:
            job.pixmap = QPixmap(job.size)
            job.pixmap.setDevicePixelRatio(job.dpr)
        rows = max(1, PREPARE_BAND_PIXELS // max(1, job.size.width()))
        rows = max(1, round(rows / job.dpr))
        top = job.row
        bottom = min(job.area.height(), top + rows)
        self._quietly(lambda: self._render_panel(job.panel, job.pixmap, job.area, (top, bottom)))
        job.row = bottom
        if bottom >= job.area.height():
            self._prepared[(job.index, job.state, job.step)] = (job.key, job.pixmap)
            self._prepare_job = None

    def _quietly(self, draw) -> None:
        """Run ``draw`` (which hides and shows items, leaving them as they were) without repainting."""
        QCoreApplication.sendPostedEvents(self._scene, QEvent.Type.MetaCall)  # real updates first
        mode = self.viewportUpdateMode()
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
        try:
            draw()
            QCoreApplication.sendPostedEvents(self._scene, QEvent.Type.MetaCall)
        finally:
            self.setViewportUpdateMode(mode)

    def _prepared_snapshot(self, panel: Panel, *, arriving: bool) -> PanelSnapshot | None:
        """The prepared image of ``panel`` as it is now (arriving: at its build's start), if any."""
        if arriving:
            if panel is not self.current or panel.elapsed_ms != 0.0:
                return None
            entry = self._prepared.get((self.index, "start", self._step))
        else:
            stash = self._leaving_image
            entry = stash[1:] if stash is not None and stash[0] is panel else None
        if entry is None or entry[0] != self._prepare_key():
            return None
        return self._snapshot_item(entry[1], self._image_area()[2])

    def _prune_prepared(self) -> None:
        """Keep only the images the panels next to the current one need (memory stays bounded)."""
        if not self._prepared:
            return
        key = self._prepare_key()
        wanted = {(index, "start", step) for index, step in self._neighbours()} | {(self.index, "rest", None)}
        self._prepared = {k: v for k, v in self._prepared.items() if k in wanted and v[0] == key}

    def _view_repainted(self) -> None:
        """The view painted something: the current panel may have changed since its image was drawn."""
        if any(k[1] == "rest" for k in self._prepared) or (
                self._prepare_job is not None and self._prepare_job.state == "rest"):
            self.drop_prepared(rest_only=True)
            self._schedule_prepare()

    def _land_in_place(self, old: Panel) -> None:
        """A transition that ran to its end: swap the arriving image for its panel unseen.

        The image at rest has the live panel's pixels, so once it has been drawn in place the
        swap needs no repaint; without this, the landing frame repainted the whole panel
        (30-47 ms at 4K). Updates pending from before are flushed first, so nothing else's
        repaint is lost; the scene's own updates for the swap are dropped.
        """
        if not self.isVisible() or not any(image is self._arriving for image in self._snapshots):
            self._land(old)
            return
        QCoreApplication.sendPostedEvents(self._scene, QEvent.Type.MetaCall)
        self.viewport().repaint()  # the last frame: the arriving image at rest
        mode = self.viewportUpdateMode()
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
        try:
            self._land(old)
            QCoreApplication.sendPostedEvents(self._scene, QEvent.Type.MetaCall)
        finally:
            self.setViewportUpdateMode(mode)

    def _pause_collector(self, ms: int) -> None:
        """Python's cyclic garbage collector waits while a transition moves: a full collection
        of the show's objects takes tens of milliseconds, a dropped frame inside a slide. It
        runs again, and catches up, as soon as the slide lands (:meth:`_resume_collector`), or
        at the latest a second after the slide should have ended, whatever became of it."""
        if not self._collector_paused and hold_collector(id(self)):
            self._collector_paused = True
            QTimer.singleShot(ms + 1000, functools.partial(release_collector, id(self)))

    def _resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            release_collector(id(self))

    def _land(self, old: Panel | None = None) -> None:
        """A transition ended (or was cut short): the live panel takes over from its image."""
        self._snapshot_timer.stop()
        self._moving = None
        self._resume_collector()
        self._leaving_image = None
        self._prune_prepared()
        # the images must go with the transition: held here, two of them kept 17 MB (1080p)
        # to 66 MB (4K) alive between changes
        self._arriving = self._leaving = None
        for snapshot in self._snapshots:
            self._scene.removeItem(snapshot)
        self._snapshots.clear()
        self._backdrop.setVisible(True)
        if old is not None:
            self._retire(old)
        current = self.current
        if current is not None:
            current.setPos(0, 0)
            current.setOpacity(1.0)
            current.setVisible(True)
            current.resume_build()
        self.keeper.schedule()

    def _retire(self, panel: Panel) -> None:
        if panel is not self.current:
            panel.deactivate()
            panel.setVisible(False)
            panel.setPos(0, 0)
            panel.setOpacity(1.0)

    def _stop_transition(self) -> None:
        group = self._transition
        if group is not None:
            self._transition = None
            if group.state() != QAbstractAnimation.State.Stopped:
                group.setCurrentTime(group.totalDuration())
                group.stop()
            for panel in list(self._panels.values()):
                if panel is not self.current:
                    self._retire(panel)
            self._land()
            group.deleteLater()

    def show_step(self, step: int) -> None:
        """Build the current panel forward (or back) to ``step`` (presenter step builds)."""
        self._step = step
        self.drop_prepared(rest_only=True)
        self._schedule_prepare()
        if self.current is not None:
            self.current.show_step(step)

    def transition_images(self) -> list[PanelSnapshot]:
        """The images that move during a transition: the arriving panel's first, then the leaving one's."""
        return list(self._snapshots)

    @property
    def transitioning(self) -> bool:
        """True while a slide or fade runs."""
        return self._transition is not None and self._transition.state() == QAbstractAnimation.State.Running

    def stop(self) -> None:
        """Stop every animation and timer (window closing, tests tearing down)."""
        self._stop_transition()
        self._resume_collector()
        self._prepare_on = False
        self.drop_prepared()
        self.keeper.stop()
        for panel in self._panels.values():
            panel.deactivate()

    def set_language(self, language: str) -> None:
        """Redraw the current panel and chrome in ``language`` (others follow on show)."""
        self._stop_transition()  # the moving images show the old language
        if language != self.language:
            self.drop_prepared()
        self.language = language
        if self.current is not None:
            self.current.set_language(language)
        self._refresh_chrome()
        self._schedule_prepare()

    def _footer_sources(self, index: int) -> list[str]:
        """The short source labels the footer lists for the panel at ``index``."""
        model = self.deck.panels[index] if index >= 0 else None
        known = self.deck.sources
        sources = [known[i].short(self.language) for i in model.sources() if i in known] \
            if isinstance(model, PanelModel) else []
        return list(dict.fromkeys(sources))

    def _refresh_chrome(self) -> None:
        model = self.deck.panels[self.index] if self.index >= 0 else None
        sources = self._footer_sources(self.index)
        link = None
        if isinstance(model, PanelModel) and model.link is not None:
            label = model.link.label.get(self.language) if model.link.label else ""
            link = (model.link.url, label)
        self.chrome.rebuild(self.index, len(self.deck.panels), self.language,
                            self.deck.model.languages, sources, link)
        keep = [self.chrome.source_box, *self.chrome.take_away]
        for item in self.chrome.childItems():
            if item not in keep:
                item.setVisible(self.show_controls)
        self._refresh_access()

    # -- accessibility -----------------------------------------------------------
    def set_access(self, mode: AccessMode, *, quiet: bool = False) -> None:
        """Switch accessibility modes: rebuild theme, panels and chrome, stay on the same panel.

        The change is logged (a visitor's choice, or the command line's) unless ``quiet``: the
        offscreen stages of ``audit``, ``shot`` and the screen self-check's reference set modes
        for their own renders, and a line for each would bury the log."""
        if mode == self.access:
            return
        card_open = self._access_card is not None
        self.access = mode
        self.theme = QtTheme(mode.theme(self.deck.model.theme), mode.text_scale)
        self.setBackgroundBrush(self.theme.colour("background"))
        index = self.index
        self._build_scene()
        self.index = -1
        if index >= 0:
            self.show_panel(index, animate=False, step=self._step)
        if card_open:
            self.toggle_access_card()
        (log.debug if quiet else log.info)("access modes: %s", mode)

    def replace_deck(self, deck: LoadedDeck, index: int | None = None) -> None:
        """Show a reloaded deck (``--watch``, hot reload): rebuild everything, at ``index``."""
        index = self.index if index is None else index
        self.deck = deck
        self.theme = QtTheme(self.access.theme(deck.model.theme), self.access.text_scale)
        self.setBackgroundBrush(self.theme.colour("background"))
        self._build_scene()
        self.index = -1
        if deck.panels:
            self.show_panel(max(0, min(index, len(deck.panels) - 1)), animate=False)

    def enable_access_button(self, on: bool = True) -> None:
        """Show the accessibility button in the footer (windows; not screenshots)."""
        self.show_access_button = on
        self.chrome.with_access_button = on
        if self.index >= 0:
            self._refresh_chrome()

    def toggle_access_card(self) -> None:
        """Open (or close) the card of accessibility toggles."""
        if self._access_card is not None:
            self._scene.removeItem(self._access_card)
            self._access_card.deleteLater()
            self._access_card = None
            return
        self._access_card = AccessCard(self.theme, self.logical, self.access, self.language,
                                       lambda name: self.set_access(self.access.toggled(name)),
                                       self.toggle_access_card)
        self._scene.addItem(self._access_card)

    @property
    def access_card(self) -> AccessCard | None:
        """The open accessibility card, if any."""
        return self._access_card

    @property
    def reach_bar(self) -> ReachBar | None:
        """The bar of repeated controls in reach mode (None otherwise)."""
        return self._reach_bar

    def _refresh_access(self) -> None:
        panel = self.current
        if panel is not None:
            self.setAccessibleDescription(panel.describe())
        if not self.access.reach or not self.show_controls:
            if self._reach_bar is not None:
                self._reach_bar.setVisible(False)
            return
        if self._reach_bar is None or self._reach_bar.language != self.language:
            if self._reach_bar is not None:
                self._reach_bar.retire()
                self._scene.removeItem(self._reach_bar)
                self._reach_bar.deleteLater()
            self._reach_bar = ReachBar(self.theme, self.logical, self.language,
                                       self.access.reach_top(self.logical.height()))
            self._scene.addItem(self._reach_bar)
        self._reach_bar.show_for(panel)

    def _after_tap(self) -> None:
        if self._reach_bar is not None and self.access.reach:
            self._reach_bar.schedule_refresh()

    # -- scaling -----------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        """Shown again: idle preparation (which stops while hidden) may start once things settle."""
        super().showEvent(event)
        self._schedule_prepare()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_to(event.size().width(), event.size().height())

    def fit_to(self, width: float, height: float) -> None:
        """Pick the landscape or portrait stage for a window size and rebuild if it changed."""
        wanted = stage_size_for(width, height)
        if wanted != self.logical:
            self.logical = wanted
            index = self.index
            self._build_scene()
            self.index = -1
            if index >= 0:
                self.show_panel(index, animate=False, step=self._step)
        self._fit()

    def _fit(self) -> None:
        # fitInView() keeps a few pixels of margin; the stage should touch the window edges
        rect = self._scene.sceneRect()
        view = self.viewport().size()
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        if scale > 0:
            self.setTransform(QTransform.fromScale(scale, scale))
            self.centerOn(rect.center())
        self.sigDeviceRangeChanged.emit(self, self._scene.sceneRect())
        self.sigDeviceTransformChanged.emit(self)
        if self._prepared or self._prepare_job is not None:
            key = self._prepare_key()
            if any(entry[0] != key for entry in self._prepared.values()) or (
                    self._prepare_job is not None and self._prepare_job.key != key):
                self.drop_prepared()
                self._schedule_prepare()

    def paintEvent(self, event) -> None:
        self._scene.prepareForPaint()
        super().paintEvent(event)

    def stage_rect_in_view(self) -> QRectF:
        """Where the logical stage sits in widget pixels (tests check nothing is clipped)."""
        return self.mapFromScene(self._scene.sceneRect()).boundingRect().toRectF()

    # -- rendering ---------------------------------------------------------------
    def render_image(self, size: QSize | None = None) -> QImage:
        """Render the stage as it is now (no window needed) to an image of ``size``."""
        w, h = int(self.logical.width()), int(self.logical.height())
        size = size or QSize(w, h)
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(self.theme.colour("background"))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        self._scene.render(painter, QRectF(0, 0, size.width(), size.height()), self._scene.sceneRect(),
                           Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        return image


