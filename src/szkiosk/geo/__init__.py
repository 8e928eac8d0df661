"""Map geometry for the partner-cities world map (pure Python + numpy, no Qt).

* :mod:`.topojson` decodes the bundled world-atlas land TopoJSON into rings of
  ``(lon, lat)``.
* :mod:`.projection` projects them with Equal Earth around a configurable
  central meridian (default 150°E, seam at 30°W), cuts them at the seam,
  simplifies them and fits the result into a pixel rectangle.
* :mod:`.arcs` makes great-circle arcs (e.g. Shenzhen to each partner) and
  projects them with the same seam handling.

The map is land only: no country borders are decoded or drawn.

Typical use::

    rings = load_land("assets/map/land-110m.json")
    shapes = project_rings(rings)                      # projected, seam-split
    tf = fit_bounds(world_bounds(), 1920, 1080, margin=40)
    pixels = tf.to_screen_lines(shapes)
    arc = tf.to_screen_lines(project_great_circle(114.06, 22.54, -95.37, 29.76))
"""

from .arcs import (
    EARTH_RADIUS_KM,
    arc_samples,
    great_circle,
    haversine_km,
    project_arc,
    project_great_circle,
)
from .projection import (
    DEFAULT_CENTRAL_MERIDIAN,
    DEFAULT_MAX_STEP,
    DEFAULT_TOLERANCE,
    X_MAX,
    Y_MAX,
    ScreenTransform,
    drop_antarctica,
    fit_bounds,
    forward,
    forward_array,
    inverse,
    inverse_array,
    lat_band_bounds,
    project_points,
    project_polyline,
    project_rings,
    simplify,
    world_bounds,
    wrap_longitude,
)
from .topojson import (
    TopoJSONError,
    decode_arcs,
    decode_lines,
    decode_polygons,
    decode_rings,
    load_land,
    load_topology,
)

SHENZHEN_LON_LAT: tuple[float, float] = (114.06, 22.54)
"""Shenzhen city centre (lon, lat), the origin of every partner arc."""

__all__ = [
    "DEFAULT_CENTRAL_MERIDIAN",
    "DEFAULT_MAX_STEP",
    "DEFAULT_TOLERANCE",
    "EARTH_RADIUS_KM",
    "SHENZHEN_LON_LAT",
    "X_MAX",
    "Y_MAX",
    "ScreenTransform",
    "TopoJSONError",
    "arc_samples",
    "decode_arcs",
    "decode_lines",
    "decode_polygons",
    "decode_rings",
    "drop_antarctica",
    "fit_bounds",
    "forward",
    "forward_array",
    "great_circle",
    "haversine_km",
    "inverse",
    "inverse_array",
    "lat_band_bounds",
    "load_land",
    "load_topology",
    "project_arc",
    "project_great_circle",
    "project_points",
    "project_polyline",
    "project_rings",
    "simplify",
    "world_bounds",
    "wrap_longitude",
]
