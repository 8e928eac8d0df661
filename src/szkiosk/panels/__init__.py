"""Panel types: a base class plus one registered module per YAML ``type:``.

Each type's module is imported the first time a panel of that type is built
(``base.LAZY_TYPES``), so start-up pays only for the first panel's module.
"""

from szkiosk.panels.base import REGISTRY, Panel, PanelContext, create_panel, register

__all__ = ["REGISTRY", "Panel", "PanelContext", "create_panel", "register"]
