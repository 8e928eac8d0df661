"""Great-circle arcs and distances on a spherical Earth.

The arcs are what a "partner cities" map draws from Shenzhen to each partner:
the shortest path on the globe, sampled densely enough that straight screen
segments between samples look smooth, then projected and cut at the map's
seam by :func:`project_arc`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .projection import DEFAULT_CENTRAL_MERIDIAN, forward, project_polyline

Point = tuple[float, float]

__all__ = [
    "EARTH_RADIUS_KM",
    "arc_samples",
    "great_circle",
    "haversine_km",
    "project_arc",
    "project_great_circle",
]

EARTH_RADIUS_KM: float = 6371.0088
"""Mean Earth radius (IUGG R1), in kilometres."""


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlam / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _to_vec(lon: float, lat: float) -> tuple[float, float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    c = math.cos(phi)
    return (c * math.cos(lam), c * math.sin(lam), math.sin(phi))


def _to_lonlat(x: float, y: float, z: float) -> Point:
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    lon = math.degrees(math.atan2(y, x))
    return (lon, lat)


def great_circle(lon1: float, lat1: float, lon2: float, lat2: float, n: int = 64) -> list[Point]:
    """``n`` points along the shorter great-circle arc, endpoints included.

    Uses spherical linear interpolation (slerp) of the two unit vectors, so
    the points are evenly spaced along the arc. The first and last points are
    exactly the inputs. Longitudes of interior points are in [-180, 180].
    Raises :class:`ValueError` for ``n < 2`` or (nearly) antipodal points,
    whose shortest path is not unique.
    """
    if n < 2:
        raise ValueError("n must be at least 2")
    a = _to_vec(lon1, lat1)
    b = _to_vec(lon2, lat2)
    dot = max(-1.0, min(1.0, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]))
    omega = math.acos(dot)
    if math.pi - omega < 1e-9:
        raise ValueError("antipodal points: the great circle is not unique")
    points: list[Point] = [(lon1, lat1)]
    if omega < 1e-12:
        points.extend((lon1, lat1) for _ in range(n - 2))
    else:
        sin_omega = math.sin(omega)
        for i in range(1, n - 1):
            t = i / (n - 1)
            wa = math.sin((1.0 - t) * omega) / sin_omega
            wb = math.sin(t * omega) / sin_omega
            points.append(_to_lonlat(wa * a[0] + wb * b[0], wa * a[1] + wb * b[1], wa * a[2] + wb * b[2]))
    points.append((lon2, lat2))
    return points


def arc_samples(lon1: float, lat1: float, lon2: float, lat2: float, step_km: float = 100.0) -> int:
    """A sample count giving about one point every ``step_km`` (at least 2)."""
    return max(2, math.ceil(haversine_km(lon1, lat1, lon2, lat2) / step_km) + 1)


def project_arc(points: Sequence[Point], central_meridian: float = DEFAULT_CENTRAL_MERIDIAN) -> list[list[Point]]:
    """Project a lon/lat arc to Equal Earth, split where it crosses the seam.

    Returns one or more projected polylines in travel order; where the arc
    crosses the seam (``central_meridian + 180``) one piece ends on one edge
    of the map and the next begins on the opposite edge, at the same
    latitude, so no segment jumps across the map.
    """
    return project_polyline(points, central_meridian)


def project_great_circle(
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
    n: int | None = None,
) -> list[list[Point]]:
    """:func:`great_circle` then :func:`project_arc`; ``n`` defaults to one
    sample per 100 km."""
    if n is None:
        n = arc_samples(lon1, lat1, lon2, lat2)
    return project_arc(great_circle(lon1, lat1, lon2, lat2, n), central_meridian)


def _inside(points: Sequence[Point], bounds: tuple[float, float, float, float]) -> bool:
    xmin, ymin, xmax, ymax = bounds
    return all(xmin <= x <= xmax and ymin <= y <= ymax for x, y in points)


def bowed_line(p0: Point, p1: Point, bulge: float, n: int = 48) -> list[Point]:
    """A quadratic curve from ``p0`` to ``p1`` bowed sideways by ``bulge`` x its length
    (positive: to the left of the direction of travel)."""
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 - dy * bulge * 2, (y0 + y1) / 2 + dx * bulge * 2
    out = []
    for k in range(n + 1):
        t = k / n
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append((a * x0 + b * cx + c * x1, a * y0 + b * cy + c * y1))
    return out


def framed_arc(
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    bounds: tuple[float, float, float, float],
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
) -> list[Point]:
    """One projected line from the first place to the second that stays inside ``bounds``.

    The great circle where it does (most partners); where it would cross the map's seam or
    leave the band (Shenzhen to Buenos Aires runs over Antarctica), a curve across the map
    between the two points instead, bowed north like the great circles and flattened until
    it fits. Both places must lie inside ``bounds``.
    """
    pieces = project_great_circle(lon1, lat1, lon2, lat2, central_meridian)
    if len(pieces) == 1 and _inside(pieces[0], bounds):
        return list(pieces[0])
    p0, p1 = forward(lon1, lat1, central_meridian), forward(lon2, lat2, central_meridian)
    north = 1.0 if p1[0] > p0[0] else -1.0  # left of travel is north when heading east
    for bulge in (0.18, 0.12, 0.08, 0.04, 0.0):
        line = bowed_line(p0, p1, north * bulge)
        if _inside(line, bounds):
            return line
    return [p0, p1]
