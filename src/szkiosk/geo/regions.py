"""World regions a visitor can zoom into, as lon/lat boxes and their projected bounds."""

from __future__ import annotations

import numpy as np

from .projection import DEFAULT_CENTRAL_MERIDIAN, forward_array

Bounds = tuple[float, float, float, float]

#: region name -> (continents it covers, (lon_min, lat_min, lon_max, lat_max)).
REGIONS: dict[str, tuple[tuple[str, ...], tuple[float, float, float, float]]] = {
    "asia": (("asia",), (26.0, -8.0, 150.0, 56.0)),
    "europe": (("europe",), (-12.0, 35.0, 52.0, 62.0)),
    "africa": (("africa",), (-26.0, -37.0, 60.0, 37.0)),
    "americas": (("north-america", "south-america"), (-128.0, -40.0, -55.0, 52.0)),
    "oceania": (("oceania",), (112.0, -47.0, 180.0, 0.0)),
}


def region_bounds(
    box: tuple[float, float, float, float],
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
    pad: float = 0.06,
) -> Bounds:
    """Projected ``(xmin, ymin, xmax, ymax)`` of a lon/lat box, padded by ``pad`` of its size.

    The box's edges are sampled (a box's edges are curves in Equal Earth), so the bounds
    hold the whole box. Boxes must not straddle the map's seam.
    """
    lon0, lat0, lon1, lat1 = box
    lons = np.linspace(lon0, lon1, 33)
    lats = np.linspace(lat0, lat1, 33)
    edge_lon = np.concatenate([lons, lons, np.full(33, lon0), np.full(33, lon1)])
    edge_lat = np.concatenate([np.full(33, lat0), np.full(33, lat1), lats, lats])
    x, y = forward_array(edge_lon, edge_lat, central_meridian)
    xmin, xmax, ymin, ymax = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    dx, dy = (xmax - xmin) * pad, (ymax - ymin) * pad
    return (xmin - dx, ymin - dy, xmax + dx, ymax + dy)
