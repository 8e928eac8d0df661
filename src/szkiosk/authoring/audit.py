"""``szkiosk audit``: render every panel in every language, size and text scale, and inspect
the scene for what an exhibition designer would photograph.

Findings, each as ``file:field: panel, language, size, scale: what``:

* **overlap**: text over other text or over a chart mark;
* **outside**: text or a mark outside its card, its map or chart frame, or the stage's safe area;
* **clipped**: lines cut (elided), a word wider than its box, text taller than its box;
* **small**: text below its role's floor or below the legibility minimum for the deck's
  screen and viewing distance (``szkiosk.content.legibility``);
* **siblings**: items of one role (or one named group) in a panel drawn at different sizes;
* **word break**: a Chinese word split across lines in a title, label, card head, name or
  number (display roles);
* **punctuation**: a line starting with closing or ending with opening punctuation.

The inspection works on the items a panel really drew (:class:`~szkiosk.kit.text.TextItem`,
items that report chart marks or frames), so a defect planted in a panel is found.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtWidgets import QGraphicsItem

from szkiosk.content import BrokenPanel, LoadedDeck, PanelModel
from szkiosk.content.legibility import CAP_HEIGHT, CAPTION_DISTANCE_M, FAIL_MM_AT_3M, LOGICAL_WIDTH, pixel_pitch_mm
from szkiosk.content.yaml_doc import display_path
from szkiosk.kit.access import AccessMode
from szkiosk.kit.items import Card
from szkiosk.kit.text import TextItem
from szkiosk.typeset import broken_words, has_han, punctuation_faults, word_count

log = logging.getLogger(__name__)

#: Text may sit this close to the stage edge (logical px); panel content keeps the grid margin.
SAFE_INSET = 24.0
#: Overlaps smaller than this many square px are anti-aliasing, not collisions.
MIN_OVERLAP_AREA = 6.0
#: Text may overhang its container by this much (rounding, ink of accents).
TOLERANCE = 2.0
DISPLAY_ROLES = {"display", "headline", "title", "label", "data"}


@dataclass(frozen=True)
class Config:
    """One rendering configuration of the matrix."""

    size: tuple[int, int]
    scale: float = 1.0
    high_contrast: bool = False

    @property
    def name(self) -> str:
        """``1920x1080`` (plus ``high contrast``)."""
        return f"{self.size[0]}x{self.size[1]}" + (", high contrast" if self.high_contrast else "")


#: The full matrix: three screens, two text scales, high contrast at each screen.
MATRIX: tuple[Config, ...] = tuple(
    [Config(size, scale) for size in ((1920, 1080), (1080, 1920), (3840, 2160)) for scale in (1.0, 1.4)]
    + [Config(size, 1.0, True) for size in ((1920, 1080), (1080, 1920))]
)
QUICK: tuple[Config, ...] = (Config((1920, 1080)), Config((1080, 1920)), Config((1920, 1080), 1.4))


@dataclass
class Finding:
    """One defect, located in the content and in the matrix."""

    kind: str
    message: str
    file: str = ""
    field: str = ""
    panel: str = ""
    language: str = ""
    size: str = ""
    scale: float = 1.0
    step: str = "final"

    def __str__(self) -> str:
        where = f"{self.file}:{self.field}" if self.field else self.file
        step = "" if self.step == "final" else f", {self.step}"
        return (f"{where}: {self.panel}, {self.language}, {self.size}, {self.scale:g}{step}: "
                f"{self.kind}: {self.message}")


@dataclass
class TextRecord:
    """A visible text item as the audit saw it."""

    text: str
    role: str
    px: float
    box: tuple[float, float, float, float]
    lines: list[str] = field(default_factory=list)
    field: str = ""


@dataclass
class Record:
    """One panel in one language, size and scale: what was drawn and what is wrong with it."""

    id: str
    language: str
    size: str
    scale: float
    texts: list[TextRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    face_words: int = 0


# -- what a panel drew ---------------------------------------------------------------------------
@dataclass
class Drawn:
    """Text items, chart marks and frames under one root item, in scene coordinates."""

    texts: list[tuple[TextItem, list[QRectF], QRectF | None]] = field(default_factory=list)
    marks: list[tuple[QGraphicsItem, QRectF, QRectF | None]] = field(default_factory=list)


def _scene_rect(item: QGraphicsItem, rect: QRectF) -> QRectF:
    return item.mapToScene(rect).boundingRect()


def _container(item: QGraphicsItem) -> QRectF | None:
    """The rectangle an item must stay inside: its nearest card or frame ancestor."""
    parent = item.parentItem()
    while parent is not None:
        frame = getattr(parent, "audit_frame", None)
        if callable(frame):
            return _scene_rect(parent, frame())
        if isinstance(parent, Card):
            return _scene_rect(parent, parent.rect)
        parent = parent.parentItem()
    return None


def collect(root: QGraphicsItem) -> Drawn:
    """Everything visible under ``root`` that the audit checks."""
    drawn = Drawn()
    stack = [root]
    while stack:
        item = stack.pop()
        if not item.isVisible() or item.opacity() <= 0.01 or item.effectiveOpacity() <= 0.01:
            continue
        if isinstance(item, TextItem) and item.text.strip():
            lines = [_scene_rect(item, r) for r in item.line_rects()]
            drawn.texts.append((item, lines, _container(item)))
        marks = getattr(item, "audit_marks", None)
        if callable(marks):
            frame = getattr(item, "audit_frame", None)
            box = _scene_rect(item, frame()) if callable(frame) else _container(item)
            drawn.marks.extend((item, _scene_rect(item, r), box) for r in marks())
        stack.extend(item.childItems())
    return drawn


# -- checks ------------------------------------------------------------------------------------------
def _area(a: QRectF, b: QRectF) -> float:
    i = a.intersected(b)
    return max(0.0, i.width()) * max(0.0, i.height())


def _inside(inner: QRectF, outer: QRectF, tol: float = TOLERANCE) -> bool:
    return (inner.left() >= outer.left() - tol and inner.top() >= outer.top() - tol
            and inner.right() <= outer.right() + tol and inner.bottom() <= outer.bottom() + tol)


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _related(a: QGraphicsItem, b: QGraphicsItem) -> bool:
    """True when one item is (part of) the other, e.g. a mark's own value label."""
    owner = getattr(a, "audit_owner", None)
    return owner is not None and owner is getattr(b, "audit_owner", b)


def legibility_floor(deck: LoadedDeck, role_far: bool) -> float:
    """Smallest font size (logical px) that passes the legibility check for this deck's screen."""
    screen = deck.model.screen
    mm_per_logical = pixel_pitch_mm(screen.diagonal_in, screen.width_px, screen.height_px) * (
        max(screen.width_px, screen.height_px) / LOGICAL_WIDTH)
    distance = screen.viewing_distance_m if role_far else CAPTION_DISTANCE_M
    need_mm = FAIL_MM_AT_3M * distance / 3.0
    return need_mm / (CAP_HEIGHT * mm_per_logical)


def inspect(drawn: Drawn, *, safe: QRectF, floors: Callable[[TextItem], float]) -> list[tuple[str, str, str]]:
    """Findings as (kind, field, message) for what one panel (and its footer) drew."""
    out: list[tuple[str, str, str]] = []
    texts = drawn.texts
    # overlaps between different text items
    for i, (a, lines_a, _) in enumerate(texts):
        for b, lines_b, _ in texts[i + 1:]:
            if a is b or a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            hit = max((_area(la, lb) for la in lines_a for lb in lines_b), default=0.0)
            if hit > MIN_OVERLAP_AREA:
                out.append(("overlap", getattr(a, "field", ""),
                            f"{_short(a.text)!r} overlaps {_short(b.text)!r} ({hit:.0f} px²)"))
    # text over chart marks
    for t, lines, _ in texts:
        for owner, mark, _ in drawn.marks:
            if _related(t, owner):
                continue
            hit = max((_area(line, mark) for line in lines), default=0.0)
            if hit > MIN_OVERLAP_AREA:
                out.append(("overlap", getattr(t, "field", ""), f"{_short(t.text)!r} lies on a chart mark"))
                break
    # outside containers and the safe area; clipping; size; Chinese breaks; punctuation
    for t, lines, container in texts:
        where = getattr(t, "field", "")
        for line in lines:
            if container is not None and not _inside(line, container):
                out.append(("outside", where, f"{_short(t.text)!r} runs outside its card or frame"))
                break
            if not _inside(line, safe, 0.5):
                out.append(("outside", where, f"{_short(t.text)!r} runs outside the safe area"))
                break
        if t.elided:
            out.append(("clipped", where, f"{_short(t.text)!r} is cut after {len(t.lines)} line(s)"))
        if t.overflow:
            out.append(("clipped", where, f"{_short(t.text)!r}: {', '.join(t.overflow)!r} is wider than its box"))
        if t.box.height() > 0 and t.used_height > t.box.height() + TOLERANCE:
            out.append(("clipped", where,
                        f"{_short(t.text)!r} needs {t.used_height:.0f} px, its box has {t.box.height():.0f}"))
        floor = floors(t)
        if t.px < floor - 0.01:
            out.append(("small", where, f"{_short(t.text)!r} is {t.px:.0f} px; {t.role} needs {floor:.0f}"))
        if len(t.lines) > 1 and t.role in DISPLAY_ROLES and has_han(t.text):
            split = broken_words(t.text, t.lines)
            if split:
                out.append(("word break", where, f"{_short(t.text)!r} breaks {', '.join(split)}"))
        if len(t.lines) > 1 and has_han(t.text):
            for fault in punctuation_faults(t.lines):
                out.append(("punctuation", where, f"{_short(t.text)!r}: {fault}"))
    # marks outside their frame
    for owner, mark, frame in drawn.marks:
        if frame is not None and not _inside(mark, frame, 1.0):
            out.append(("outside", getattr(owner, "field", ""), "a chart or map mark runs outside its frame"))
        elif not _inside(mark, safe, 0.5):
            out.append(("outside", getattr(owner, "field", ""), "a chart or map mark runs outside the safe area"))
    # siblings: one size per role (or named group)
    sizes: dict[tuple[str, str], dict[float, TextItem]] = {}
    for t, _, _ in texts:
        if t.role == "control" and not t.group:
            continue  # buttons are sized by their control
        key = (t.role, t.group or "")
        sizes.setdefault(key, {}).setdefault(round(t.px, 1), t)
    for (role, group), by_px in sizes.items():
        if len(by_px) > 1:
            items = sorted(by_px.items())
            desc = ", ".join(f"{_short(t.text, 20)!r} {px:g} px" for px, t in items)
            out.append(("siblings", getattr(items[0][1], "field", ""),
                        f"{role}{' ' + group if group else ''} drawn at different sizes: {desc}"))
    return _dedupe(out)


def _dedupe(findings: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


# -- running the matrix --------------------------------------------------------------------------------
def _panel_file(deck: LoadedDeck, model: PanelModel | BrokenPanel) -> str:
    path = getattr(model, "file", None) or getattr(model, "_file", None)
    if isinstance(path, Path):
        return display_path(path)
    for rel in deck.model.panels:
        if Path(rel).stem == model.id:
            return display_path(deck.root / rel)
    return display_path(deck.root / "deck.yaml")


def face_words(panel: QGraphicsItem) -> int:
    """Reading length of a panel's face (everything drawn except charts' own labels)."""
    words = 0
    for t, _, _ in collect(panel).texts:
        if t.role in ("data", "source") or getattr(t, "audit_owner", None) is not None:
            continue
        words += word_count(t.text)
    return words


def audit_deck(deck: LoadedDeck, configs: Iterable[Config] = MATRIX, *,
               languages: Iterable[str] | None = None, only: str | None = None,
               progress: Callable[[str], None] | None = None) -> Iterator[Record]:
    """Render and inspect every panel of ``deck`` in every configuration; yields a record each."""
    from szkiosk.show.stage import Stage

    langs = list(languages or deck.model.languages)
    for config in configs:
        for language in langs:
            stage = Stage(deck, language)
            stage.resize(*config.size)
            stage.fit_to(*config.size)
            stage.animate_transitions = False
            stage.set_access(AccessMode(high_contrast=config.high_contrast, text_scale=config.scale), quiet=True)
            try:
                for index, model in enumerate(deck.panels):
                    if only and model.id != only:
                        continue
                    if progress is not None:
                        progress(f"{model.id} {language} {config.name} x{config.scale:g}")
                    yield _audit_panel(deck, stage, index, model, language, config)
            finally:
                stage.stop()
                stage.deleteLater()


def _audit_panel(deck: LoadedDeck, stage: object, index: int, model: PanelModel | BrokenPanel,
                 language: str, config: Config) -> Record:
    panel = stage.show_panel(index, animate=False)  # type: ignore[attr-defined]
    logical: QSizeF = stage.logical  # type: ignore[attr-defined]
    chrome = stage.chrome  # type: ignore[attr-defined]
    theme = stage.theme  # type: ignore[attr-defined]
    file = _panel_file(deck, model)
    record = Record(model.id, language, config.name, config.scale)
    far_floor = legibility_floor(deck, True)
    near_floor = legibility_floor(deck, False)

    def floors(t: TextItem) -> float:
        role = theme.role(t.role)
        return max(role.floor, far_floor if role.far else near_floor)

    safe = QRectF(SAFE_INSET, SAFE_INSET, logical.width() - 2 * SAFE_INSET, logical.height() - 2 * SAFE_INSET)
    states: list[tuple[str, Callable[[], None]]] = []
    steps = panel.step_count if hasattr(panel, "step_count") else 0
    for k in range(steps):
        states.append((f"step {k + 1}", lambda k=k: panel.settle(step=k)))
    states.append(("final", panel.finish))
    pages = _details_pages(panel)
    for page in range(pages):
        states.append((f"details {page + 1}/{pages}", lambda page=page: _show_details_page(panel, page)))
    seen: set[str] = set()
    for name, settle in states:
        settle()
        # an open detail layer is opaque: what it covers is not seen, so only the layer counts
        layer = getattr(panel, "_details", None)
        drawn = collect(layer if layer is not None and name.startswith("details") else panel)
        footer = collect(chrome)
        drawn.texts.extend(footer.texts)
        drawn.marks.extend(footer.marks)
        for kind, where, message in inspect(drawn, safe=safe, floors=floors):
            key = f"{kind}{where}{message}"
            if key in seen:
                continue
            seen.add(key)
            record.findings.append(Finding(kind, message, file, where, model.id, language, config.name,
                                           config.scale, name))
    panel.close_details()
    for t, _lines, _ in collect(panel).texts + collect(chrome).texts:
        box = t.mapToScene(t.text_rect()).boundingRect()
        record.texts.append(TextRecord(t.text, t.role, round(t.px, 1),
                                       (round(box.x(), 1), round(box.y(), 1), round(box.width(), 1),
                                        round(box.height(), 1)), list(t.lines), getattr(t, "field", "")))
    record.face_words = face_words(panel)
    panel.deactivate()
    return record


def _details_pages(panel: object) -> int:
    """How many pages the panel's detail layer has (0 when it has none)."""
    open_details = getattr(panel, "open_details", None)
    if not callable(open_details):
        return 0
    open_details()
    layer = getattr(panel, "_details", None)
    pages = len(layer.pages) if layer is not None else 0
    panel.close_details()  # type: ignore[attr-defined]
    return pages


def _show_details_page(panel: object, page: int) -> None:
    """The panel at rest with its detail layer open at ``page``."""
    panel.finish()  # type: ignore[attr-defined]
    panel.open_details()  # type: ignore[attr-defined]
    layer = panel._details  # type: ignore[attr-defined]
    while layer is not None and layer.page != page:
        layer.next_page()


def write_json(records: list[Record], path: Path | None) -> str:
    """The records as JSON (written to ``path`` when given); returns the text."""
    data = [{**asdict(r), "findings": [{**asdict(f), "text": str(f)} for f in r.findings]} for r in records]
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    return text


def summary(records: list[Record]) -> str:
    """One line: how many panels and configurations were checked, how many findings."""
    findings = sum(len(r.findings) for r in records)
    panels = len({r.id for r in records})
    configs = len({(r.language, r.size, r.scale) for r in records})
    return f"{panels} panels x {configs} language/size/scale combinations: {findings} finding(s)"
