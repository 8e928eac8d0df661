"""Panel classes by YAML ``type:``, from the one table in :mod:`szkiosk.content.types`.

A type's module is imported the first time a panel of that type is built, so start-up pays
only for the first panel's module (the world map alone pulls in numpy and the projection).
"""

from __future__ import annotations

import importlib
import logging

from szkiosk.content import PANEL_TYPES, BrokenPanel, PanelModel
from szkiosk.content.types import FALLBACK_VIEW
from szkiosk.panels.base import Panel, PanelContext

log = logging.getLogger(__name__)

_classes: dict[str, type[Panel]] = {}


def _load(view: str) -> type[Panel]:
    module, _, name = view.partition(":")
    cls = getattr(importlib.import_module(module), name)
    if not (isinstance(cls, type) and issubclass(cls, Panel)):
        raise TypeError(f"{view} is not a Panel class")
    return cls


def panel_class(type_name: str) -> type[Panel] | None:
    """The drawing class for a panel type (imported on first use), or None for an unknown type."""
    cls = _classes.get(type_name)
    if cls is None:
        entry = PANEL_TYPES.get(type_name)
        if entry is None:
            return None
        cls = _classes[type_name] = _load(entry.view)
    return cls


def fallback_class() -> type[Panel]:
    """The calm card shown in place of a panel that cannot be built."""
    return _load(FALLBACK_VIEW)


def create_panel(model: PanelModel | BrokenPanel, ctx: PanelContext) -> Panel:
    """Build the panel for ``model``; on any failure, a calm fallback card (and a log line)."""
    if isinstance(model, BrokenPanel):
        for err in model.errors:
            log.error("content error: %s", err)
        return fallback_class()(model, ctx)
    try:
        cls = panel_class(model.type)
    except Exception:
        log.exception("panel %s: the module for type %r failed to load", model.id, model.type)
        cls = None
    if cls is None:
        log.error("panel %s: no panel class for type %r", model.id, model.type)
        return fallback_class()(model, ctx)
    try:
        return cls(model, ctx)
    except Exception:
        log.exception("panel %s (%s) failed to build; showing the fallback card", model.id, model.type)
        return fallback_class()(model, ctx)
