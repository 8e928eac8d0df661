"""Panel types: a base class plus one registered module per YAML ``type:``.

The world map module is imported when the first map panel is built (``LAZY_TYPES``).
"""

from szkiosk.panels import (  # noqa: F401  (registration)
    chain,
    columns,
    fallback,
    figures,
    gauges,
    gba,
    grid,
    links,
    showcase,
    timeline,
    title,
)
from szkiosk.panels.base import REGISTRY, Panel, PanelContext, create_panel, register

__all__ = ["REGISTRY", "Panel", "PanelContext", "create_panel", "register"]
