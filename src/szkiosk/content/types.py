"""Every panel type, declared once: its YAML ``type:`` name, the model that validates it and the
module (and class) that draws it, imported the first time a panel of that type is shown.

Pure: the drawing side is named by module path, so content checks never load Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from szkiosk.content.map_types import WorldMapPanelModel
from szkiosk.content.panel_types import (
    ChainPanelModel,
    ColumnsPanelModel,
    FiguresPanelModel,
    GaugesPanelModel,
    GbaPanelModel,
    GridPanelModel,
    LinksPanelModel,
    ShowcasePanelModel,
    TimelinePanelModel,
    TitlePanelModel,
)
from szkiosk.content.schema import PanelModel


@dataclass(frozen=True)
class PanelType:
    """One panel type: its content model and where its drawing class lives."""

    name: str
    model: type[PanelModel]
    #: ``package.module:Class`` of the Qt panel class, imported on first use.
    view: str

    @property
    def view_module(self) -> str:
        """The module to import for the drawing class."""
        return self.view.partition(":")[0]

    @property
    def view_class(self) -> str:
        """The drawing class's name inside :attr:`view_module`."""
        return self.view.partition(":")[2]


def _types(*entries: tuple[str, type[PanelModel], str]) -> dict[str, PanelType]:
    return {name: PanelType(name, model, f"szkiosk.panels.{view}") for name, model, view in entries}


#: The table. Add a panel type here (and nowhere else): name, model, ``module:Class`` under szkiosk.panels.
PANEL_TYPES: dict[str, PanelType] = _types(
    ("title", TitlePanelModel, "title:TitlePanel"),
    ("figures", FiguresPanelModel, "figures:FiguresPanel"),
    ("columns", ColumnsPanelModel, "columns:ColumnsPanel"),
    ("chain", ChainPanelModel, "chain:ChainPanel"),
    ("gauges", GaugesPanelModel, "gauges:GaugesPanel"),
    ("links", LinksPanelModel, "links:LinksPanel"),
    ("grid", GridPanelModel, "grid:GridPanel"),
    ("timeline", TimelinePanelModel, "timeline:TimelinePanel"),
    ("showcase", ShowcasePanelModel, "showcase:ShowcasePanel"),
    ("gba", GbaPanelModel, "gba:GbaPanel"),
    ("worldmap", WorldMapPanelModel, "worldmap:WorldMapPanel"),
)

#: Type name -> content model (for validation, schemas and skeletons).
PANEL_MODELS: dict[str, type[PanelModel]] = {name: t.model for name, t in PANEL_TYPES.items()}

#: The calm card shown in place of a panel that cannot be built; not a YAML type.
FALLBACK_VIEW = "szkiosk.panels.fallback:FallbackPanel"
