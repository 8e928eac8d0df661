"""Panel types: a base class plus one registered module per YAML ``type:``."""

from szkiosk.panels import columns, fallback, figures, title  # noqa: F401  (registration)
from szkiosk.panels import chain  # noqa: F401  (registration)
from szkiosk.panels.base import REGISTRY, Panel, PanelContext, create_panel, register

__all__ = ["REGISTRY", "Panel", "PanelContext", "create_panel", "register"]
