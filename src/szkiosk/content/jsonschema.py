"""JSON Schemas of deck.yaml and panel files, for editors (``szkiosk schema``)."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter

from szkiosk.content.schema import DeckModel
from szkiosk.content.types import PANEL_MODELS


def deck_schema() -> dict[str, Any]:
    """Schema of ``deck.yaml``."""
    schema = DeckModel.model_json_schema()
    schema["title"] = "szkiosk deck.yaml"
    return schema


def panel_schema() -> dict[str, Any]:
    """Schema of a panel file: one of the registered panel types, chosen by ``type``."""
    models = tuple(PANEL_MODELS[name] for name in sorted(PANEL_MODELS))
    union = Annotated[Union[models], Field(discriminator="type")]  # noqa: UP007
    schema = TypeAdapter(union).json_schema()
    schema["title"] = "szkiosk panel"
    return schema
