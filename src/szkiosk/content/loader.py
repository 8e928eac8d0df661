"""Load a deck folder: YAML -> validated models, every problem reported as file:line: field.

Strict for authors: :func:`load_deck` collects *all* errors. Forgiving for visitors: a panel
that fails validation is still returned, as a :class:`BrokenPanel`, so the show can put a
calm fallback card in its place and go on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from szkiosk.content.inputs import Inputs, file_missing, recording
from szkiosk.content.pin_hash import LEGACY_ADVICE, LEGACY_PIN_IGNORED
from szkiosk.content.schema import SOURCE_ID, SOURCES_FILE, DeckModel, PanelModel
from szkiosk.content.sources import Source
from szkiosk.content.types import PANEL_TYPES
from szkiosk.content.yaml_doc import (
    ContentError,
    ContentFileError,
    YamlDocument,
    display_path,
    resolve_inside,
)

__all__ = [
    "BrokenPanel",
    "ContentError",
    "ContentFileError",
    "LoadedDeck",
    "display_path",
    "load_deck",
    "load_panel",
    "resolve_inside",
]


@dataclass(frozen=True)
class BrokenPanel:
    """A panel file that did not validate: shown as a fallback card at the booth."""

    id: str
    file: Path
    errors: tuple[ContentError, ...]
    type: str = "broken"


@dataclass
class LoadedDeck:
    """A deck folder after loading: the model, its panels and every problem found."""

    root: Path
    model: DeckModel
    panels: list[PanelModel | BrokenPanel]
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    #: The deck's sources (``sources.yaml``) by id.
    sources: dict[str, Source] = field(default_factory=dict)
    #: Every file, missing file and path the load depended on (for the start-up cache).
    inputs: Inputs | None = field(default=None, compare=False, repr=False)
    #: True when this deck came from the start-up cache, not from a validation in this process.
    cached: bool = field(default=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when validation found no errors."""
        return not self.errors

    def index_of(self, panel_id: str) -> int | None:
        """Position of the panel with ``panel_id``, or None."""
        for i, panel in enumerate(self.panels):
            if panel.id == panel_id:
                return i
        return None


def load_sources(root: Path, languages: list[str]) -> tuple[dict[str, Source], list[ContentError]]:
    """``root/sources.yaml`` as {id: Source}, with every problem; empty when there is no file."""
    path = root / SOURCES_FILE
    if not path.exists() and not path.is_symlink():  # a dangling link or a loop is an error, said below
        file_missing(path)
        return {}, []
    try:
        doc = YamlDocument(path)
    except ContentFileError as exc:
        return {}, list(exc.errors)
    if doc.data is None:
        return {}, []
    if not isinstance(doc.data, dict):
        return {}, [doc.error((), "must map source ids to sources, e.g. sz-gov-hqd: {publisher: ..., date: ...}")]
    sources: dict[str, Source] = {}
    errors: list[ContentError] = list(doc.duplicates)
    for key in doc.data:
        if not isinstance(key, str) or not SOURCE_ID.match(key):
            errors.append(doc.error((key,), f"source id must be lowercase letters, digits and dashes, got {key!r}"))
            continue
        source, problems = doc.validate_at((key,), Source, {"languages": languages})
        errors.extend(problems)
        if source is not None:
            sources[key] = source
    return sources, errors


def load_panel(path: Path, languages: list[str], root: Path | None = None,
               sources: dict[str, Source] | None = None) -> PanelModel | BrokenPanel:
    """Load and validate one panel file; never raises for content problems."""
    try:
        doc = YamlDocument(path)
    except ContentFileError as exc:
        return BrokenPanel(path.stem, path, tuple(exc.errors))
    data = doc.data if isinstance(doc.data, dict) else {}
    panel_id = str(data.get("id") or path.stem)
    kind = data.get("type")
    entry = PANEL_TYPES.get(kind) if isinstance(kind, str) else None
    model = entry.model if entry is not None else None
    if model is None:
        known = ", ".join(sorted(PANEL_TYPES))
        why = "required field is missing" if kind is None else f"unknown panel type {kind!r}"
        err = doc.error(("type",), f"{why} (known types: {known})")
        return BrokenPanel(panel_id, path, (*doc.duplicates, err))
    context: dict[str, Any] = {"languages": languages, "root": root or path.parent}
    if sources is not None:
        context["sources"] = set(sources)
    panel, errors = doc.validate(model, context)
    if errors or panel is None:
        return BrokenPanel(panel_id, path, tuple(errors))
    from szkiosk.content.editorial import face_warnings, punctuation_warnings  # only a full load needs them

    panel._warnings = [*punctuation_warnings(doc), *face_warnings(doc, panel)]
    return panel


def load_deck(folder: str | os.PathLike[str]) -> LoadedDeck:
    """Load ``folder/deck.yaml`` and every panel it lists, collecting all problems.

    Raises :class:`ContentFileError` only when ``deck.yaml`` itself is unusable; problems in
    panel files become :class:`BrokenPanel` entries plus errors on the result. What the load
    read is kept in ``inputs`` (see :mod:`szkiosk.content.cache`).
    """
    with recording() as record:
        loaded = _load_deck(folder)
    loaded.inputs = record
    return loaded


def _load_deck(folder: str | os.PathLike[str]) -> LoadedDeck:
    root = Path(folder)
    if root.is_file():
        root = root.parent
    try:
        root = root.resolve()
    except (RuntimeError, OSError):  # RuntimeError: a symlink loop (Python < 3.13)
        loop = "cannot read: a symlink loop (a link that points back to itself)"
        raise ContentFileError([ContentError(display_path(root), None, "", loop)]) from None
    deck_doc = YamlDocument(root / "deck.yaml")
    model, errors = deck_doc.validate(DeckModel, {"languages": _declared_languages(deck_doc.data)})
    if model is None:
        raise ContentFileError(errors)
    loaded = LoadedDeck(root=root, model=model, panels=[], errors=list(errors))
    loaded.sources, source_errors = load_sources(root, model.languages)
    loaded.errors.extend(source_errors)
    seen: dict[str, str] = {}
    for i, rel in enumerate(model.panels):
        try:
            path = resolve_inside(root, rel)
        except ValueError as exc:
            loaded.errors.append(deck_doc.error(("panels", i), str(exc)))
            continue
        panel = load_panel(path, model.languages, root, loaded.sources)
        if isinstance(panel, BrokenPanel):
            loaded.errors.extend(panel.errors)
        elif panel.id in seen:
            doc = YamlDocument(path)
            loaded.errors.append(doc.error(("id",), f"duplicate panel id {panel.id!r} (also in {seen[panel.id]})"))
            panel = BrokenPanel(panel.id, path, (loaded.errors[-1],))
        else:
            seen[panel.id] = display_path(path)
            loaded.warnings.extend(panel._warnings)
        loaded.panels.append(panel)
    known_ids = {p.id for p in loaded.panels}
    for i, pid in enumerate(model.kiosk.attract_panels):
        if pid not in known_ids:
            loaded.errors.append(deck_doc.error(("kiosk", "attract_panels", i), f"no panel with id {pid!r}"))
    if model.kiosk.pin_sha256:  # the old, unsalted PIN hash: still read, but say how to upgrade
        loaded.warnings.append(deck_doc.error(("kiosk", "pin_sha256"), LEGACY_PIN_IGNORED if model.kiosk.pin_scrypt
                                              else LEGACY_ADVICE))
    return loaded


def _declared_languages(data: Any) -> list[str]:
    if isinstance(data, dict) and isinstance(data.get("languages"), list):
        return [str(x) for x in data["languages"]]
    return ["en", "zh"]
