"""Pure content layer: pydantic schema, YAML loading with file:line errors, bilingual text.

Never imports Qt: a CI test proves it.
"""

import os

# pydantic looks for plugins through every installed distribution's entry points when it
# builds its first validator: ~20 ms of a booth's start, for plugins szkiosk never uses. An
# explicit setting in the environment still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from szkiosk.content.loader import (
    BrokenPanel,
    ContentError,
    ContentFileError,
    LoadedDeck,
    load_deck,
    load_panel,
    resolve_inside,
)
from szkiosk.content.schema import DeckModel, PanelModel, Theme
from szkiosk.content.text import Text, text
from szkiosk.content.types import PANEL_MODELS, PANEL_TYPES, PanelType

__all__ = [
    "PANEL_MODELS",
    "PANEL_TYPES",
    "BrokenPanel",
    "ContentError",
    "ContentFileError",
    "DeckModel",
    "LoadedDeck",
    "PanelModel",
    "PanelType",
    "Text",
    "Theme",
    "load_deck",
    "load_panel",
    "resolve_inside",
    "text",
]
