"""The screen checks itself: once a minute the booth looks at its own window.

:class:`ScreenCheck` grabs the show window as the screen shows it (the platform's screen grab
where there is one, ``xcb`` and ``offscreen``; else the window drawn afresh), crops it to the
stage, scales it down (:data:`COMPARE_PX` on the long side) and checks that it is:

* **not blank**: a uniform image (all black, all white, any one colour) has almost no spread
  of pixel values. A black screen the booth means to show (the ``kiosk.screen_off`` hours,
  the B/W keys) is not checked at all;
* **not frozen while an animation should run**: when the stage says a transition or a panel
  build is running, more grabs follow :data:`FROZEN_GAP_MS` apart (on a timer: the show never
  waits); if every one of them is the same picture while the stage still says it animates,
  the screen is frozen. One gap is not enough: a build may hold still for a moment (the
  bundled deck's ``innovation-people`` does, for 350 ms);
* **close to the reference render**: the panel drawn offscreen at the end of its build, in
  the same language, size and accessibility modes, the way ``szkiosk shot`` draws it
  (``Stage.show_panel``, ``Panel.finish``, ``Stage.render_image``). Two measures: the mean
  absolute difference over the stage and the worst one of its tiles (:data:`TILE_PX` px,
  about 60 logical px), which sees one changed figure that the mean hides. The footer (it
  shifts a few pixels against burn-in), the reach bar and the attract prompt's tab are left
  out; while a transition, a build, an overlay (staff menu, PIN pad, countdown, help, the
  accessibility card...), the detail layer or a visitor's selection is up, the comparison is
  skipped and the reason says so. References are cached per (deck, panel, language, size,
  accessibility modes): most minutes a check costs one grab and one comparison.

``ok`` is True when the checks that could run passed (``reason`` then names a skipped
comparison, or is None), False when one failed (``reason`` says which), None before the first
check and when nothing could be checked. A screen that fails :attr:`ScreenCheck.reload_after`
checks in a row has its panel rebuilt (the whole stage scene, at the same panel); one that
fails :attr:`ScreenCheck.restart_after` in a row leaves the event loop with exit status 75,
as :mod:`szkiosk.booth.guard` does, so the service starts the show again. A check never takes
the booth down: an error inside it is logged and gives ``ok=None``.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from szkiosk.booth.guard import WINDOW_LOST_EXIT_CODE
from szkiosk.booth_state import Phase
from szkiosk.show.overlays import Blackout
from szkiosk.show.stage import Stage

if TYPE_CHECKING:
    from szkiosk.booth.kiosk import KioskController
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

#: How often the booth looks at its screen (ms).
INTERVAL_MS = 60_000
#: The compared images' long side (px): a 1920x1080 stage becomes 480x270.
COMPARE_PX = 480
#: Side of a comparison tile (compared px; 60 logical px on a 1920-wide stage).
TILE_PX = 15
#: Below this spread (standard deviation of the 0-255 grey levels) the screen is blank.
#: The bundled deck's panels spread 19-44.
BLANK_SPREAD = 3.0
#: Above this mean absolute difference (0-255, both images softened by :func:`soften`) the
#: screen differs from its reference.
MAD_LIMIT = 4.0
#: Above this difference in any one tile the screen differs from its reference. Healthy
#: panels of the bundled deck score at most 6.1 (text a pixel off after its build); a changed
#: headline or big figure 25-90; a few changed characters in small text only 4-9 (not seen).
TILE_LIMIT = 12.0
#: Time between the grabs of the frozen check (ms), and how many grabs it takes.
FROZEN_GAP_MS = 300
FROZEN_GRABS = 3
#: Two grabs whose pixels differ by at most this (0-255) are the same picture.
FROZEN_TOLERANCE = 2
#: Footer items shift by up to 4 logical px (screen care): masks grow by this much.
SHIFT_MARGIN = 8.0
#: Reference renders kept (each a small compared image, 130 KB at 480x270).
CACHE_SIZE = 64
#: Platforms whose screen grab shows what the screen shows (elsewhere the window is drawn afresh).
SCREEN_GRAB_PLATFORMS = frozenset({"xcb", "offscreen"})


@dataclass(frozen=True)
class ScreenVerdict:
    """One look at the screen: the outcome, why, and what it cost."""

    #: True: the checks that could run passed; False: one failed; None: nothing checked.
    ok: bool | None
    #: A short English phrase for the fleet status (None when everything was checked and passed).
    reason: str | None
    panel: str | None = None
    language: str | None = None
    #: The checks that ran: "blank", "frozen", "reference".
    checks: tuple[str, ...] = ()
    #: Spread of the grab (0-255; blank below :attr:`ScreenCheck.blank_spread`).
    spread: float | None = None
    #: Mean absolute difference from the reference, and the worst tile's (0-255).
    mad: float | None = None
    worst_tile: float | None = None
    #: Where the picture came from: "screen" (the platform's grab) or "widget" (drawn afresh).
    source: str = ""
    #: What the check cost (ms): grabbing (all grabs), comparing, rendering the reference (0 when cached).
    grab_ms: float = 0.0
    compare_ms: float = 0.0
    reference_ms: float = 0.0
    #: The frozen check is still watching (the final verdict comes with :attr:`ScreenCheck.checked`).
    pending: bool = False
    at: float = field(default_factory=time.time)

    def as_status(self) -> dict[str, Any]:
        """The fields the fleet status carries."""
        return {"screen_ok": self.ok, "screen_reason": self.reason}

    def as_dict(self) -> dict[str, Any]:
        """Everything, for logs and JSON."""
        return asdict(self)


@dataclass
class _Grab:
    """A grab cropped to the stage and scaled down: grey levels, shape (h, w)."""

    pixels: np.ndarray
    source: str
    ms: float


@dataclass
class _Watch:
    """The frozen check under way: the grabs so far."""

    first: _Grab
    index: int
    grabs: int = 1
    grab_ms: float = 0.0
    compare_ms: float = 0.0
    spread: float | None = None
    verdict: ScreenVerdict | None = None


def _pixels(image: QImage, size: QSize) -> np.ndarray:
    """``image`` scaled (smoothly) to ``size``, as an (h, w) array of grey levels (uint8)."""
    small = image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    small = small.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h = small.width(), small.height()
    raw = np.frombuffer(small.constBits(), np.uint8, count=small.bytesPerLine() * h)
    return raw.reshape(h, small.bytesPerLine())[:, :w].copy()


def soften(pixels: np.ndarray) -> np.ndarray:
    """A 3x3 box blur (float32): text drawn half a pixel off (the stage's device caches place
    moved text by whole pixels) then differs little, a changed word or figure still a lot."""
    padded = np.pad(pixels.astype(np.float32), 1, mode="edge")
    h, w = pixels.shape
    return sum(padded[y:y + h, x:x + w] for y in range(3) for x in range(3)) / 9.0


def tile_means(diff: np.ndarray, tile: int) -> np.ndarray:
    """Mean of ``diff`` (h, w) over tiles of ``tile`` px (the edge tiles padded with zeros)."""
    h, w = diff.shape
    rows, cols = -(-h // tile), -(-w // tile)
    padded = np.zeros((rows * tile, cols * tile), np.float32)
    padded[:h, :w] = diff
    return padded.reshape(rows, tile, cols, tile).mean(axis=(1, 3))


def visitor_busy(controller: KioskController) -> Callable[[], str | None]:
    """A ``busy`` hook for :class:`ScreenCheck`: a visitor is using the show (taps may have
    changed the panel), so its reference comparison waits."""

    def busy() -> str | None:
        state = controller.state
        if state.has_visitor and state.phase in (Phase.ACTIVE, Phase.COUNTDOWN):
            return "visitor using the show"
        return None

    return busy


class ScreenCheck(QObject):
    """Looks at a show window once a minute (see the module docstring)."""

    #: Every final verdict (a :class:`ScreenVerdict`).
    checked = Signal(object)
    #: The panel was rebuilt after failed checks (the reason).
    panel_reloaded = Signal(str)
    #: The show is leaving the event loop with this exit status after failed checks.
    exit_requested = Signal(int)

    def __init__(
        self,
        window: ShowWindow,
        *,
        controller: KioskController | None = None,
        busy: Callable[[], str | None] | None = None,
        blank_spread: float = BLANK_SPREAD,
        mad_limit: float = MAD_LIMIT,
        tile_limit: float = TILE_LIMIT,
        frozen_gap_ms: int = FROZEN_GAP_MS,
        frozen_grabs: int = FROZEN_GRABS,
        frozen_tolerance: int = FROZEN_TOLERANCE,
        compare_px: int = COMPARE_PX,
        tile_px: int = TILE_PX,
        reload_after: int = 2,
        restart_after: int = 3,
        exit_code: int = WINDOW_LOST_EXIT_CODE,
        grab: str = "auto",
        cache_size: int = CACHE_SIZE,
        restart: Callable[[int], None] | None = None,
    ) -> None:
        """``controller`` (the booth's kiosk controller) holds the reference comparison back while a
        visitor is using the show; ``busy`` may name any other reason to hold it back (None: go on).
        ``grab``: "auto", "screen" or "widget". ``restart`` replaces leaving the event loop (tests
        that run inside one)."""
        super().__init__(window)
        if grab not in ("auto", "screen", "widget"):
            raise ValueError(f"grab must be auto, screen or widget, not {grab!r}")
        if not 1 <= reload_after <= restart_after:
            raise ValueError("need 1 <= reload_after <= restart_after")
        self.window = window
        self._busy = [hook for hook in (visitor_busy(controller) if controller is not None else None, busy) if hook]
        self.blank_spread = blank_spread
        self.mad_limit = mad_limit
        self.tile_limit = tile_limit
        self.frozen_gap_ms = frozen_gap_ms
        self.frozen_grabs = max(2, frozen_grabs)
        self.frozen_tolerance = frozen_tolerance
        self.compare_px = compare_px
        self.tile_px = tile_px
        self.reload_after = reload_after
        self.restart_after = restart_after
        self.exit_code = exit_code
        self.grab_mode = grab
        self.cache_size = cache_size
        self._restart = restart
        #: The last final verdict's outcome and reason (None before the first check).
        self.ok: bool | None = None
        self.reason: str | None = None
        self.last: ScreenVerdict | None = None
        #: Failed checks in a row (a skipped check neither counts nor resets).
        self.failures = 0
        self.reloads = 0
        self.exiting = False
        self._cache: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._ref_stage: Stage | None = None
        self._ref_key: Hashable = None
        self._watch: _Watch | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.check_now)
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.timeout.connect(self._follow_up)
        window.closed.connect(self.stop)

    # -- on and off ---------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """True while checks come by themselves."""
        return self._timer.isActive()

    @property
    def cached_references(self) -> int:
        """Reference renders in the cache."""
        return len(self._cache)

    def start(self, interval_ms: int = INTERVAL_MS) -> None:
        """Check every ``interval_ms`` from now on (the first check one interval from now)."""
        if self.exiting:
            return
        self._timer.start(interval_ms)
        log.info("screen self-check on: every %g s", interval_ms / 1000)

    def stop(self) -> None:
        """No more checks; a frozen check under way is dropped; the reference stage goes."""
        self._timer.stop()
        self._follow.stop()
        self._watch = None
        ref, self._ref_stage = self._ref_stage, None
        self._ref_key = None
        if ref is not None and shiboken6.isValid(ref):
            ref.stop()
            ref.deleteLater()

    # -- the check ----------------------------------------------------------------------------
    def check_now(self) -> ScreenVerdict:
        """Look at the screen now. The verdict is final (and :attr:`checked` is emitted) unless an
        animation runs: then it is ``pending`` and the final one follows on :attr:`checked`."""
        if self._watch is not None and self._watch.verdict is not None:
            return self._watch.verdict
        try:
            verdict = self._begin()
        except Exception as exc:
            verdict = self._error(exc)
        if not verdict.pending:
            self._conclude(verdict)
        return verdict

    def _error(self, exc: BaseException) -> ScreenVerdict:
        self._watch = None
        log.warning("screen self-check could not run: %s: %s", type(exc).__name__, exc)
        log.debug("screen self-check error", exc_info=exc)
        return ScreenVerdict(None, f"check failed ({type(exc).__name__})", self._panel_id(), self._language())

    def _panel_id(self) -> str | None:
        try:
            stage = self.window.stage
            return self.window.deck.panels[stage.index].id if 0 <= stage.index < len(self.window.deck.panels) else None
        except Exception:
            return None

    def _language(self) -> str | None:
        try:
            return self.window.stage.language
        except Exception:
            return None

    def _verdict(self, ok: bool | None, reason: str | None, **values: Any) -> ScreenVerdict:
        return ScreenVerdict(ok, reason, self._panel_id(), self._language(), **values)

    def _begin(self) -> ScreenVerdict:
        window = self.window
        if not shiboken6.isValid(window) or not window.isVisible():
            return self._verdict(None, "skipped: window not shown")
        meant = self._meant_blank()
        if meant is not None:
            return self._verdict(None, f"skipped: {meant}")
        grab = self._grab()
        spread = float(grab.pixels.std())
        if spread < self.blank_spread:
            return self._verdict(False, f"blank screen ({_colour_word(grab.pixels)})", checks=("blank",),
                                 spread=spread, source=grab.source, grab_ms=grab.ms)
        moving = self._animation()
        if moving is not None:
            stage = window.stage
            self._watch = _Watch(grab, stage.index, grab_ms=grab.ms, spread=spread)
            self._watch.verdict = self._verdict(None, f"checking: {moving}", checks=("blank",), spread=spread,
                                                source=grab.source, grab_ms=grab.ms, pending=True)
            self._follow.start(self.frozen_gap_ms)
            return self._watch.verdict
        return self._against_reference(grab, spread, grab.ms, 0.0, ("blank",))

    def _follow_up(self) -> None:
        """The frozen check's next grab (on the timer)."""
        watch = self._watch
        if watch is None:
            return
        try:
            verdict = self._frozen_step(watch)
        except Exception as exc:
            verdict = self._error(exc)
        if verdict is not None:
            self._watch = None
            self._conclude(verdict)

    def _frozen_step(self, watch: _Watch) -> ScreenVerdict | None:
        if not shiboken6.isValid(self.window) or not self.window.isVisible():
            return self._verdict(None, "skipped: window not shown")
        grab = self._grab()
        watch.grab_ms += grab.ms
        watch.grabs += 1
        started = time.perf_counter()
        still = bool(grab.pixels.shape == watch.first.pixels.shape and np.abs(
            grab.pixels.astype(np.int16) - watch.first.pixels.astype(np.int16)).max() <= self.frozen_tolerance)
        watch.compare_ms += (time.perf_counter() - started) * 1000
        moving = self._animation()
        values = {"checks": ("blank", "frozen"), "spread": watch.spread, "source": grab.source,
                  "grab_ms": watch.grab_ms, "compare_ms": watch.compare_ms}
        if not still:
            if moving is not None:
                return self._verdict(True, f"skipped: {moving}", **values)
            return self._verdict(True, "skipped: animation ended during the check", **values)
        if moving is None or self.window.stage.index != watch.index:
            # the picture held still and the animation has ended (or the panel changed) since
            return self._verdict(True, "skipped: animation ended during the check", **values)
        if watch.grabs < self.frozen_grabs:
            self._follow.start(self.frozen_gap_ms)
            return None
        return self._verdict(False, "frozen during an animation", **values)

    def _against_reference(self, grab: _Grab, spread: float, grab_ms: float, compare_ms: float,
                           checks: tuple[str, ...]) -> ScreenVerdict:
        values: dict[str, Any] = {"checks": checks, "spread": spread, "source": grab.source, "grab_ms": grab_ms,
                                  "compare_ms": compare_ms}
        held = self._hold_reference()
        if held is not None:
            return self._verdict(True, f"skipped: {held}", **values)
        reference, reference_ms = self._reference(grab.pixels.shape)
        started = time.perf_counter()
        diff = np.abs(soften(grab.pixels) - reference.astype(np.float32))
        for rect in self._masks(grab.pixels.shape):
            diff[rect] = 0
        mad = float(diff.mean())
        worst = float(tile_means(diff, self.tile_px).max())
        values.update(checks=(*checks, "reference"), mad=round(mad, 2), worst_tile=round(worst, 2),
                      compare_ms=compare_ms + (time.perf_counter() - started) * 1000, reference_ms=reference_ms)
        if mad > self.mad_limit or worst > self.tile_limit:
            return self._verdict(False, f"differs from the reference render (mad {mad:.1f}, worst tile {worst:.1f})",
                                 **values)
        return self._verdict(True, None, **values)

    # -- what the stage is doing ----------------------------------------------------------------
    def _meant_blank(self) -> str | None:
        """Why the screen is black (or white) on purpose, if it is."""
        for item in self._overlays():
            if isinstance(item, Blackout):
                name = item.objectName()
                return "screen off hours" if name == "screen-off" else f"{name or 'blank'} screen on purpose"
        return None

    def _animation(self) -> str | None:
        """What is moving on the stage right now (None: nothing)."""
        stage = self.window.stage
        if stage.transitioning:
            return "transition running"
        current = stage.current
        if current is not None and current.animating:
            return "panel building"
        return None

    def _overlays(self) -> list[Any]:
        """Visible items over the panels besides the stage's own (panels, footer, reach bar); the
        backdrop and anything else below the panels (z < 0) covers nothing."""
        stage = self.window.stage
        own = {id(stage.clip), id(stage.chrome), id(stage.reach_bar)}
        return [item for item in stage.scene().items()
                if item.parentItem() is None and id(item) not in own and item.isVisible() and item.zValue() >= 0]

    def _hold_reference(self) -> str | None:
        """Why the picture cannot be held against the reference right now (None: it can)."""
        stage, window = self.window.stage, self.window
        for item in self._overlays():
            if getattr(item, "scene_area", None) is not None and item.objectName() == "attract":
                continue  # the attract prompt's tab is masked
            name = item.objectName() or type(item).__name__
            return "accessibility card open" if item is stage.access_card else f"{name} overlay up"
        current = stage.current
        if current is None:
            return "no panel on screen"
        if current.details_open:
            return "details open"
        if getattr(current, "selected", None) is not None:
            return "visitor selection shown"
        if current.opacity() < 0.999:
            return "panel fading in"
        if window.presentation.step_builds:
            return "step builds"
        for hook in self._busy:
            held = hook()
            if held:
                return held
        return None

    def _masks(self, shape: tuple[int, ...]) -> list[tuple[slice, slice]]:
        """Areas (compared px) left out of the comparison: the footer, the reach bar, the attract tab."""
        stage = self.window.stage
        h, w = shape[0], shape[1]
        fx, fy = w / stage.logical.width(), h / stage.logical.height()
        rects: list[QRectF] = [child.sceneBoundingRect() for child in stage.chrome.childItems() if child.isVisible()]
        if stage.reach_bar is not None and stage.reach_bar.isVisible():
            rects.append(stage.reach_bar.sceneBoundingRect())
        for item in self._overlays():
            area = getattr(item, "scene_area", None)
            if area is not None:
                rects.append(area())
        slices = []
        m = SHIFT_MARGIN
        for r in rects:
            left, top = max(0, int((r.left() - m) * fx)), max(0, int((r.top() - m) * fy))
            right, bottom = min(w, int((r.right() + m) * fx) + 1), min(h, int((r.bottom() + m) * fy) + 1)
            if right > left and bottom > top:
                slices.append((slice(top, bottom), slice(left, right)))
        return slices

    # -- pictures -------------------------------------------------------------------------------
    def _compare_size(self, width: float, height: float) -> QSize:
        scale = self.compare_px / max(width, height)
        return QSize(max(1, round(width * scale)), max(1, round(height * scale)))

    def _grab(self) -> _Grab:
        """The window as the screen shows it, cropped to the stage and scaled down."""
        window = self.window
        started = time.perf_counter()
        image, source = None, "widget"
        if self.grab_mode == "screen" or (self.grab_mode == "auto"
                                          and QApplication.platformName() in SCREEN_GRAB_PLATFORMS):
            image = self._screen_grab()
            source = "screen"
        if image is None:
            if self.grab_mode == "screen":
                raise RuntimeError("the screen grab gave no picture")
            image, source = window.grab().toImage(), "widget"
        dpr = image.devicePixelRatio() or 1.0
        stage = window.stage
        rect = _stage_area(stage).translated(stage.mapTo(window, QPoint(0, 0)))
        crop = QRect(round(rect.left() * dpr), round(rect.top() * dpr), round(rect.width() * dpr),
                     round(rect.height() * dpr)).intersected(image.rect())
        if crop.isEmpty():
            raise RuntimeError("the stage is not inside the window")
        pixels = _pixels(image.copy(crop), self._compare_size(stage.logical.width(), stage.logical.height()))
        return _Grab(pixels, source, (time.perf_counter() - started) * 1000)

    def _screen_grab(self) -> QImage | None:
        """The platform's grab of the window (None when it gives nothing usable)."""
        window = self.window
        screen = window.screen() or QGuiApplication.primaryScreen()
        handle = window.windowHandle()
        if screen is None or handle is None or not handle.isExposed():
            return None
        pixmap = screen.grabWindow(window.winId())
        if pixmap.isNull():
            return None
        image = pixmap.toImage()
        dpr = pixmap.devicePixelRatio() or 1.0
        if abs(image.width() / dpr - window.width()) > 2 or abs(image.height() / dpr - window.height()) > 2:
            return None
        return image

    def _reference(self, shape: tuple[int, ...]) -> tuple[np.ndarray, float]:
        """The current panel's reference render at the compared size, and its cost (0 when cached)."""
        window, stage = self.window, self.window.stage
        panel_id = self._panel_id()
        view = _stage_area(stage)
        dpr = window.devicePixelRatioF() or 1.0
        size = (max(1, round(view.width() * dpr)), max(1, round(view.height() * dpr)))
        key = (id(stage.deck), panel_id, stage.language, size, stage.access, stage.show_access_button,
               stage.show_controls, shape)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached, 0.0
        started = time.perf_counter()
        ref = self._reference_stage()
        if ref.language != stage.language:
            ref.set_language(stage.language)
        panel = ref.show_panel(stage.index, animate=False)  # as `szkiosk shot` draws a panel
        try:
            panel.finish()
            image = ref.render_image(QSize(*size))
        finally:
            panel.deactivate()
        pixels = np.round(soften(_pixels(image, QSize(shape[1], shape[0])))).astype(np.uint8)
        self._cache[key] = pixels
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        ms = (time.perf_counter() - started) * 1000
        log.debug("screen self-check: reference for %s (%s, %dx%d) rendered in %.0f ms", panel_id, stage.language,
                  *size, ms)
        return pixels, ms

    def _reference_stage(self) -> Stage:
        """An offscreen stage like the window's (deck, shape, accessibility modes, footer), kept."""
        stage = self.window.stage
        key = (id(stage.deck), stage.width(), stage.height(), stage.access, stage.show_access_button,
               stage.show_controls)
        ref = self._ref_stage
        if ref is not None and (key != self._ref_key or not shiboken6.isValid(ref)):
            if shiboken6.isValid(ref):
                ref.stop()
                ref.deleteLater()
            ref = None
        if ref is None:
            if self._ref_key is not None and self._ref_key[0] != key[0]:
                self._cache.clear()  # another deck (hot reload): the old references are of no use
            ref = Stage(stage.deck, stage.language)
            ref.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            ref.resize(stage.width(), stage.height())
            ref.fit_to(stage.width(), stage.height())
            ref.animate_transitions = False
            if stage.access != ref.access:
                ref.set_access(stage.access, quiet=True)
            ref.enable_access_button(stage.show_access_button)
            ref.show_controls = stage.show_controls
            self._ref_stage, self._ref_key = ref, key
        return ref

    # -- verdicts and what follows ---------------------------------------------------------------
    def _conclude(self, verdict: ScreenVerdict) -> None:
        self.last, self.ok, self.reason = verdict, verdict.ok, verdict.reason
        if verdict.ok is True:
            if self.failures:
                log.info("screen self-check: the screen is fine again (%s)", verdict.panel)
            self.failures = 0
        elif verdict.ok is False:
            self.failures += 1
            log.warning("screen self-check failed: %s (panel %s, %s); %d in a row", verdict.reason, verdict.panel,
                        verdict.language, self.failures)
        self.checked.emit(verdict)
        if verdict.ok is False and not self.exiting:
            if self.failures >= self.restart_after:
                self._request_exit(verdict)
            elif self.failures == self.reload_after:
                self._reload(verdict)

    def _reload(self, verdict: ScreenVerdict) -> None:
        """Rebuild the stage's scene at the same panel (a fresh panel, footer and overlays)."""
        stage = self.window.stage
        log.warning("screen self-check: %d failed checks in a row (%s): rebuilding panel %s", self.failures,
                    verdict.reason, verdict.panel)
        self.reloads += 1
        try:
            stage.replace_deck(stage.deck, stage.index)
        except Exception as exc:
            log.warning("screen self-check: rebuilding the panel failed: %s: %s", type(exc).__name__, exc)
        self.panel_reloaded.emit(verdict.reason or "")

    def _request_exit(self, verdict: ScreenVerdict) -> None:
        self.exiting = True
        log.error("screen self-check: the screen failed %d checks in a row (%s), also after rebuilding the panel; "
                  "exiting with %d so the service starts the show again", self.failures, verdict.reason,
                  self.exit_code)
        self.stop()
        self.exit_requested.emit(self.exit_code)
        if self._restart is not None:
            self._restart(self.exit_code)
        else:
            QCoreApplication.exit(self.exit_code)


def _stage_area(stage: Stage) -> QRect:
    """Where the logical stage sits in the stage widget, in whole pixels (as the stage's own
    transition images measure it)."""
    scale = stage.transform().m11()
    corner = stage.mapFromScene(QPointF(0, 0))
    return QRect(corner.x(), corner.y(), round(stage.logical.width() * scale), round(stage.logical.height() * scale))


def _colour_word(pixels: np.ndarray) -> str:
    """"black", "white" or "uniform": what a blank screen looks like."""
    mean = float(pixels.mean())
    return "black" if mean < 40 else "white" if mean > 215 else "uniform"
