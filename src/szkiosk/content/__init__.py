"""Pure content layer: pydantic schema, YAML loading with file:line errors, bilingual text.

Never imports Qt: a CI test proves it.
"""

from szkiosk.content import map_types as _map_types  # noqa: F401  (registers the worldmap type)
from szkiosk.content import panel_types as _panel_types  # noqa: F401  (registers types)
from szkiosk.content.loader import (
    BrokenPanel,
    ContentError,
    ContentFileError,
    LoadedDeck,
    load_deck,
    load_panel,
    resolve_inside,
)
from szkiosk.content.schema import PANEL_MODELS, DeckModel, PanelModel, Theme, panel_type
from szkiosk.content.text import Text, text

__all__ = [
    "PANEL_MODELS",
    "BrokenPanel",
    "ContentError",
    "ContentFileError",
    "DeckModel",
    "LoadedDeck",
    "PanelModel",
    "Text",
    "Theme",
    "load_deck",
    "load_panel",
    "panel_type",
    "resolve_inside",
    "text",
]
