"""Panel types: a base class plus one module per YAML ``type:`` (the table is
:data:`szkiosk.content.types.PANEL_TYPES`); each module is imported the first time a panel
of its type is built.
"""

from szkiosk.panels.base import Panel, PanelContext
from szkiosk.panels.registry import create_panel, panel_class

__all__ = ["Panel", "PanelContext", "create_panel", "panel_class"]
