"""Helpers for the tests of the panels: show a panel on a stage at its final state, run the
layout audit's inspection on it in states the audit itself never reaches (a stage tapped,
mid-build), and read what the panel draws.

Findings the footer and the stage's controls cause on their own (whatever the panel) are left
out: they belong to the footer's tests. Everything the panel draws is inspected against
everything else, the footer included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF

from szkiosk.authoring.audit import MATRIX, SAFE_INSET, Config, audit_deck, collect, inspect, legibility_floor
from szkiosk.kit.access import AccessMode
from szkiosk.kit.items import Pill
from szkiosk.kit.text import TextItem

#: The configurations every panel must pass (the audit's full matrix).
CONFIGS = MATRIX


def on_stage(stage, deck, panel_id: str, scale: float = 1.0, high_contrast: bool = False):
    """The panel ``panel_id`` shown on ``stage`` and built to its final state; ``scale`` and
    ``high_contrast`` switch the stage's access modes (left as the deck has them when neither
    is asked for)."""
    if scale != 1.0 or high_contrast:
        stage.set_access(AccessMode(high_contrast=high_contrast, text_scale=scale))
    panel = stage.show_panel(deck.index_of(panel_id), animate=False)
    panel.finish()
    return panel


def show(stage_for, deck, panel_id: str, language: str = "en", size: tuple[int, int] = (1920, 1080),
         scale: float = 1.0, *, high_contrast: bool = False, kind: type | None = None):
    """The panel ``panel_id`` on a new stage (see :func:`on_stage`); ``kind``: the panel's
    class, checked (the panel built: no fallback card)."""
    panel = on_stage(stage_for(deck, language, size), deck, panel_id, scale, high_contrast)
    if kind is not None:
        assert isinstance(panel, kind), f"{panel_id} built (no fallback card)"
    return panel


def stopped_at_end(stage_for, deck, panel_id: str, language: str = "en"):
    """The panel on a new stage with its clock stopped, at its final state: the test drives
    the build itself (``panel.apply(t_ms)``)."""
    stage = stage_for(deck, language)
    panel = stage.show_panel(deck.index_of(panel_id), animate=False)
    panel.deactivate()
    panel.finish()
    return panel


@contextmanager
def shown(stage_for, deck, panel_id: str, language: str, config: Config) -> Iterator[object]:
    """The stage of ``config`` and the panel on it (see :func:`on_stage`); deactivated afterwards."""
    stage = stage_for(deck, language, config.size)
    panel = on_stage(stage, deck, panel_id, config.scale, config.high_contrast)
    try:
        yield stage, panel
    finally:
        panel.deactivate()


def audit_everywhere(deck, panel_id: str) -> list[str]:
    """``szkiosk audit``'s whole matrix (every size, scale, language, build step and details
    page) on one panel: what it finds. Checks that every configuration was audited."""
    records = list(audit_deck(deck, CONFIGS, only=panel_id))
    assert len(records) == len(CONFIGS) * len(deck.model.languages)
    return [str(f) for r in records for f in r.findings]


def findings(stage, panel, deck, root=None) -> list[str]:
    """What the layout audit reports about the panel as it is drawn now, less what the footer
    causes alone; ``root``: only what is under this item (the detail layer, which hides the face)."""
    theme = stage.theme
    far, near = legibility_floor(deck, True), legibility_floor(deck, False)

    def floors(t: TextItem) -> float:
        role = theme.role(t.role)
        return max(role.floor, far if role.far else near)

    logical = stage.logical
    safe = QRectF(SAFE_INSET, SAFE_INSET, logical.width() - 2 * SAFE_INSET, logical.height() - 2 * SAFE_INSET)
    footer = collect(stage.chrome)
    drawn = collect(panel if root is None else root)
    drawn.texts.extend(footer.texts)
    drawn.marks.extend(footer.marks)
    alone = set(inspect(footer, safe=safe, floors=floors))
    return [f"{kind} {where}: {message}" for kind, where, message in inspect(drawn, safe=safe, floors=floors)
            if (kind, where, message) not in alone]


def texts(panel) -> list[TextItem]:
    """The panel's visible kit text items (opacity ignored), without the labels of its controls."""
    out = []
    stack = list(panel.childItems())
    while stack:
        item = stack.pop()
        if not item.isVisible() or isinstance(item, Pill):
            continue
        stack.extend(item.childItems())
        if isinstance(item, TextItem) and item.text.strip():
            out.append(item)
    return out


def seen_texts(root) -> list[TextItem]:
    """Every kit text item a visitor sees now under ``root`` (``root`` too): visible and not
    faded out, the labels of controls and empty items included."""
    out, stack = [], [root]
    while stack:
        item = stack.pop()
        stack.extend(item.childItems())
        if isinstance(item, TextItem) and item.isVisible() and item.effectiveOpacity() > 0.01:
            out.append(item)
    return out


def by_field(panel, match: Callable[[str], bool]) -> list[TextItem]:
    """Text items whose content field satisfies ``match``."""
    return [t for t in texts(panel) if match(getattr(t, "field", ""))]


def scene_rect(item) -> QRectF:
    """An item's bounding rectangle on the stage."""
    return item.mapToScene(item.boundingRect()).boundingRect()


def frame(panel) -> list[tuple]:
    """Everything that moves, for every item under the panel: visibility, opacity, position,
    scale and text (two equal frames mean nothing is still moving)."""
    out = []
    stack = list(panel.childItems())
    while stack:
        item = stack.pop()
        stack.extend(item.childItems())
        pos = item.pos()
        out.append((type(item).__name__, item.isVisible(), round(item.opacity(), 4), round(pos.x(), 2),
                    round(pos.y(), 2), round(item.scale(), 4), getattr(item, "text", None)
                    if isinstance(getattr(item, "text", None), str) else None))
    return out


def settles_by_build_ms(panel) -> bool:
    """True when the panel drawn at ``build_ms`` is the panel drawn long after it."""
    panel.apply(panel.build_ms)
    at_end = frame(panel)
    panel.apply(panel.build_ms + 5000)
    return frame(panel) == at_end


def settles_in_time(stage_for, deck, panel_id: str, language: str, size: tuple[int, int]) -> None:
    """Check that the panel's build takes at most 1.5 s and that everything has settled by then."""
    stage = stage_for(deck, language, size)
    panel = stage.show_panel(deck.index_of(panel_id), animate=False)
    assert panel.build_ms <= 1500
    assert settles_by_build_ms(panel)
    panel.deactivate()
