"""Equal Earth projection, seam (antimeridian) splitting and screen fitting.

Equal Earth is an equal-area pseudocylindrical projection published by
Bojan Šavrič, Tom Patterson and Bernhard Jenny, "The Equal Earth map
projection", International Journal of Geographical Information Science 33(3),
2019 (online 2018), doi:10.1080/13658816.2018.1504949. With the parametric
latitude ``θ = asin(√3/2 · sin φ)``::

    x = 2√3 · λ · cos θ / (3 · (9·A4·θ⁸ + 7·A3·θ⁶ + 3·A2·θ² + A1))
    y = A4·θ⁹ + A3·θ⁷ + A2·θ³ + A1·θ

with A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, λ and φ in
radians and λ measured from the central meridian. The output is a unit-free
plane (a sphere of radius 1): x in about [-2.7066, 2.7066], y in about
[-1.3173, 1.3173], north up (y grows northwards, unlike screen pixels).

Central meridian
----------------
:data:`DEFAULT_CENTRAL_MERIDIAN` is **150°E**, which puts the seam (the
meridian opposite the centre, where the map is cut) at **30°W**, in the
middle of the Atlantic. Reasons:

* Shenzhen (114.06°E) sits a little left of centre, with the whole of Asia,
  Europe and Africa to its left and the Pacific and the Americas to its right,
  so great-circle arcs from Shenzhen to Europe run leftwards over Eurasia and
  arcs to North America run rightwards over the North Pacific without leaving
  the map.
* Partners in the Pacific (Brisbane, Christchurch, Suva near 178°E, Apia near
  172°W) land near the middle instead of being torn across both edges, as
  they would be on a map centred on Greenwich or on Shenzhen itself.
* 30°W touches no inhabited land: it misses the Americas (Brazil's eastern
  tip is 34.8°W), Iceland (from 24.5°W) and the Cabo Verde islands (from
  25.4°W, including Mindelo). Only Greenland and Antarctica are cut, and
  those pieces are split cleanly by :func:`project_rings`. Centring on
  Shenzhen's own meridian (seam at 66°W) would cut both Americas instead.
* Pacific-centred world maps near 150°E are the customary layout for maps
  made in China.

Seam handling
-------------
Rings are unwrapped around the central meridian, so a ring crossing the seam
becomes one continuous shape that extends past ±180°; it is then clipped to
each 360°-wide strip it touches (Sutherland-Hodgman clipping against two
vertical lines) and every piece is shifted back into [-180°, 180°]. Rings
that go round a pole (Antarctica) are closed along the pole line, with the
closing legs laid on the seam so they coincide with the map's edge. Long
segments, including edges that run along the seam, are densified so they
follow the curved map outline.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Point = tuple[float, float]

__all__ = [
    "DEFAULT_CENTRAL_MERIDIAN",
    "DEFAULT_MAX_STEP",
    "DEFAULT_TOLERANCE",
    "X_MAX",
    "Y_MAX",
    "ScreenTransform",
    "drop_antarctica",
    "fit_bounds",
    "forward",
    "forward_array",
    "inverse",
    "inverse_array",
    "lat_band_bounds",
    "project_points",
    "project_polyline",
    "project_rings",
    "simplify",
    "world_bounds",
    "wrap_longitude",
]

DEFAULT_CENTRAL_MERIDIAN: float = 150.0
"""Central meridian in degrees east; the seam is at 30°W. See module docs."""

DEFAULT_TOLERANCE: float = 1e-3
"""Default simplification distance in projected units.

A full-world map 1920 px wide has about 355 px per unit, so 1e-3 is about
0.35 px: invisible, but it drops most points of the 50m data set.
"""

A1 = 1.340264
A2 = -0.081106
A3 = 0.000893
A4 = 0.003796
_M = math.sqrt(3.0) / 2.0

DEFAULT_MAX_STEP: float = 1.0
"""Longest ring segment, in degrees of lon or lat, before projection (see
:func:`project_rings`)."""


def _y_of_theta(theta: NDArray[np.float64]) -> NDArray[np.float64]:
    t2 = theta * theta
    t6 = t2 * t2 * t2
    return theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))


def _dy_dtheta(theta: NDArray[np.float64]) -> NDArray[np.float64]:
    t2 = theta * theta
    t6 = t2 * t2 * t2
    return A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)


X_MAX: float = 2.0 * math.sqrt(3.0) * math.pi / (3.0 * A1)
"""Half-width of the map (x at the equator on the seam), about 2.7066."""

Y_MAX: float = float(_y_of_theta(np.array(math.pi / 3.0)))
"""Half-height of the map (y at the north pole), about 1.3173."""


def wrap_longitude(lon: float) -> float:
    """Wrap a longitude in degrees into [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


def _project_rel(rel_lon_deg: ArrayLike, lat_deg: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Project longitudes already relative to the central meridian (no wrap)."""
    lam = np.radians(np.asarray(rel_lon_deg, dtype=np.float64))
    phi = np.radians(np.clip(np.asarray(lat_deg, dtype=np.float64), -90.0, 90.0))
    theta = np.arcsin(_M * np.sin(phi))
    x = 2.0 * math.sqrt(3.0) * lam * np.cos(theta) / (3.0 * _dy_dtheta(theta))
    y = _y_of_theta(theta)
    return x, y


def forward_array(
    lon: ArrayLike, lat: ArrayLike, central_meridian: float = DEFAULT_CENTRAL_MERIDIAN
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Vectorised :func:`forward`; longitudes are wrapped around the centre."""
    rel = (np.asarray(lon, dtype=np.float64) - central_meridian + 180.0) % 360.0 - 180.0
    return _project_rel(rel, lat)


def forward(lon: float, lat: float, central_meridian: float = DEFAULT_CENTRAL_MERIDIAN) -> tuple[float, float]:
    """Project one ``(lon, lat)`` in degrees to Equal Earth ``(x, y)``.

    The longitude is taken relative to ``central_meridian`` and wrapped into
    [-180, 180); a point exactly on the seam lands on the left edge.
    """
    x, y = forward_array(lon, lat, central_meridian)
    return float(x), float(y)


def _theta_of_y(y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Solve y = Y(θ) for θ by Newton's method (converges in a few steps)."""
    theta = y / A1
    for _ in range(20):
        delta = (_y_of_theta(theta) - y) / _dy_dtheta(theta)
        theta = theta - delta
        if np.all(np.abs(delta) < 1e-13):
            break
    return theta


def inverse_array(
    x: ArrayLike, y: ArrayLike, central_meridian: float = DEFAULT_CENTRAL_MERIDIAN
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Vectorised inverse; points outside the map outline give NaN."""
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    inside_y = np.abs(ya) <= Y_MAX * (1.0 + 1e-12)
    theta = _theta_of_y(np.clip(ya, -Y_MAX, Y_MAX))
    lam = 3.0 * xa * _dy_dtheta(theta) / (2.0 * math.sqrt(3.0) * np.cos(theta))
    phi = np.arcsin(np.clip(np.sin(theta) / _M, -1.0, 1.0))
    inside = inside_y & (np.abs(lam) <= math.pi * (1.0 + 1e-12))
    lon = np.degrees(lam) + central_meridian
    lon = (lon + 180.0) % 360.0 - 180.0
    lat = np.degrees(phi)
    return np.where(inside, lon, np.nan), np.where(inside, lat, np.nan)


def inverse(x: float, y: float, central_meridian: float = DEFAULT_CENTRAL_MERIDIAN) -> tuple[float, float]:
    """Unproject Equal Earth ``(x, y)`` to ``(lon, lat)`` in degrees.

    The longitude is wrapped into [-180, 180). Raises :class:`ValueError`
    for a point outside the map outline.
    """
    lon, lat = inverse_array(x, y, central_meridian)
    if math.isnan(float(lon)):
        raise ValueError(f"({x}, {y}) lies outside the Equal Earth outline")
    return float(lon), float(lat)


def project_points(points: Iterable[Point], central_meridian: float = DEFAULT_CENTRAL_MERIDIAN) -> list[Point]:
    """Project a sequence of ``(lon, lat)`` points (e.g. city markers)."""
    pts = list(points)
    if not pts:
        return []
    arr = np.asarray(pts, dtype=np.float64)
    x, y = forward_array(arr[:, 0], arr[:, 1], central_meridian)
    return list(zip(x.tolist(), y.tolist(), strict=True))


# --------------------------------------------------------------- seam logic


def _unwrap(lons: NDArray[np.float64], central_meridian: float) -> NDArray[np.float64]:
    """Longitudes relative to the centre, made continuous (|step| <= 180)."""
    rel = (lons - central_meridian + 180.0) % 360.0 - 180.0
    if rel.size < 2:
        return rel
    steps = np.diff(rel)
    steps = (steps + 180.0) % 360.0 - 180.0
    out = np.empty_like(rel)
    out[0] = rel[0]
    np.cumsum(steps, out=out[1:])
    out[1:] += rel[0]
    return out


def _clip_side(points: list[Point], bound: float, keep_below: bool) -> list[Point]:
    """Sutherland-Hodgman clip of a closed ring against the line u = bound."""
    if not points:
        return []

    def inside(p: Point) -> bool:
        return p[0] <= bound if keep_below else p[0] >= bound

    out: list[Point] = []
    prev = points[-1]
    prev_in = inside(prev)
    for cur in points:
        cur_in = inside(cur)
        if cur_in != prev_in:
            du = cur[0] - prev[0]
            t = (bound - prev[0]) / du if du != 0.0 else 0.0
            out.append((bound, prev[1] + t * (cur[1] - prev[1])))
        if cur_in:
            out.append(cur)
        prev, prev_in = cur, cur_in
    return out


def _densify(points: list[Point], max_step: float) -> list[Point]:
    """Subdivide segments longer than ``max_step`` degrees in lon or lat.

    Natural Earth rings are straight in lon/lat, and a long straight piece
    (a clipped edge along the seam, a sparse coastline near the map edge)
    projects to a curve; densifying keeps it on that curve. Segments along a
    pole are left alone: the pole is a straight line in Equal Earth.
    """
    if len(points) < 2 or max_step <= 0.0:
        return points
    out: list[Point] = [points[0]]
    for a, b in itertools.pairwise(points):
        span = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
        if span > max_step and not (a[1] == b[1] and abs(a[1]) == 90.0):
            n = math.ceil(span / max_step)
            du, dv = (b[0] - a[0]) / n, (b[1] - a[1]) / n
            out.extend((a[0] + du * k, a[1] + dv * k) for k in range(1, n))
        out.append(b)
    return out


def _close_polar(u: NDArray[np.float64], lat: NDArray[np.float64]) -> list[Point]:
    """Turn an unwrapped ring that winds once round a pole into a closed shape.

    The ring is rotated to start where it crosses a seam line closest to the
    pole, and closed with two legs from there down that seam line to the
    pole and one leg along the pole. Starting at the crossing nearest the pole
    guarantees the legs cross no coastline (a ring that meets the seam several
    times, like the Antarctic Peninsula on a 120°E map, would otherwise
    self-intersect), and the legs lie on the map's edge.
    """
    if u[-1] < u[0]:  # make it wind eastwards; fill rules ignore orientation
        u = u[::-1].copy()
        lat = lat[::-1].copy()
    pole = -90.0 if float(np.mean(lat)) < 0.0 else 90.0
    best: tuple[float, int, float, float] | None = None  # (distance to pole, j, s, lat)
    for j in range(len(u) - 1):
        u0, u1 = float(u[j]), float(u[j + 1])
        if u0 == u1:
            continue
        lo, hi = min(u0, u1), max(u0, u1)
        for m in range(math.ceil((lo - 180.0) / 360.0), math.floor((hi - 180.0) / 360.0) + 1):
            seam = 180.0 + 360.0 * m
            t = (seam - u0) / (u1 - u0)
            lat_c = float(lat[j] + t * (lat[j + 1] - lat[j]))
            distance = abs(pole - lat_c)
            if best is None or distance < best[0]:
                best = (distance, j, seam, lat_c)
    if best is None:  # cannot happen for a ring spanning 360°
        raise ValueError("polar ring does not cross a seam line")
    _, j, seam, lat_c = best
    # Start at the crossing C (on segment j); the ring then runs 360° east to C + 360.
    head = list(zip(u[j + 1 :].tolist(), lat[j + 1 :].tolist(), strict=True))
    tail = list(zip((u[1 : j + 1] + 360.0).tolist(), lat[1 : j + 1].tolist(), strict=True))
    ring: list[Point] = [(seam, lat_c), *head, *tail, (seam + 360.0, lat_c)]
    ring += [(seam + 360.0, pole), (seam, pole), (seam, lat_c)]
    return ring


def _split_ring(
    ring: Sequence[Point], central_meridian: float, max_step: float = DEFAULT_MAX_STEP
) -> list[list[Point]]:
    """Split one closed lon/lat ring at the seam into rings of (rel_lon, lat)."""
    arr = np.asarray(ring, dtype=np.float64)
    if arr.ndim != 2 or len(arr) < 3:
        return []
    if arr[0, 0] != arr[-1, 0] or arr[0, 1] != arr[-1, 1]:
        arr = np.vstack([arr, arr[:1]])
    u = _unwrap(arr[:, 0], central_meridian)
    lat = arr[:, 1]
    net = float(u[-1] - u[0])
    polar = abs(net) > 180.0
    pts = _close_polar(u, lat) if polar else list(zip(u.tolist(), lat.tolist(), strict=True))
    us = [p[0] for p in pts]
    umin, umax = min(us), max(us)
    if umin >= -180.0 and umax <= 180.0:
        return [_densify(pts, max_step)]
    k_lo = math.floor((umin - 180.0) / 360.0) + 1
    k_hi = math.ceil((umax + 180.0) / 360.0) - 1
    pieces: list[list[Point]] = []
    body = pts[:-1] if pts[0] == pts[-1] else pts
    for k in range(k_lo, k_hi + 1):
        lo, hi = -180.0 + 360.0 * k, 180.0 + 360.0 * k
        clipped = _clip_side(_clip_side(body, lo, keep_below=False), hi, keep_below=True)
        if len(clipped) < 3:
            continue
        shift = 360.0 * k
        piece = [(max(-180.0, min(180.0, p[0] - shift)), p[1]) for p in clipped]
        piece.append(piece[0])
        pieces.append(_densify(piece, max_step))
    return pieces


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Drop points closer than ``tolerance`` to the last kept point.

    Radial-distance simplification: the first and last points are always
    kept, so a closed ring stays closed.
    """
    if tolerance <= 0.0 or len(points) < 3:
        return list(points)
    tol2 = tolerance * tolerance
    kept: list[Point] = [points[0]]
    lx, ly = points[0]
    for px, py in points[1:-1]:
        dx, dy = px - lx, py - ly
        if dx * dx + dy * dy >= tol2:
            kept.append((px, py))
            lx, ly = px, py
    last = points[-1]
    if len(kept) > 1:
        dx, dy = last[0] - lx, last[1] - ly
        if dx * dx + dy * dy < tol2 and last != points[0]:
            kept.pop()
    kept.append(last)
    return kept


def _ring_area(points: Sequence[Point]) -> float:
    """Signed shoelace area of a ring in projected units."""
    arr = np.asarray(points, dtype=np.float64)
    x, y = arr[:, 0], arr[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


_MIN_AREA = 1e-8
"""Rings with a projected area below this (in units of the unit sphere, about
0.4 km² on the Earth) are slivers, such as the 0.001°-wide hole world-atlas
50m keeps round the south pole, and are dropped."""


def project_rings(
    rings: Iterable[Sequence[Point]],
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
    tolerance: float = DEFAULT_TOLERANCE,
    max_step: float = DEFAULT_MAX_STEP,
) -> list[list[Point]]:
    """Project closed lon/lat rings, split at the seam, and simplify them.

    Every ring crossing the seam (``central_meridian + 180``) is clipped into
    one closed piece per side, so no segment runs across the map; a ring
    round a pole is closed along the pole line. Segments longer than
    ``max_step`` degrees are subdivided so they bend with the projection
    (0 disables it; seam edges then become straight chords). Pieces are
    projected with Equal Earth, simplified with :func:`simplify` (``tolerance`` in projected
    units, 0 disables it) and returned closed (first point == last point).
    Pieces that collapse below three distinct points or to a sliver are
    dropped. Fill the result with an even-odd rule so lake holes stay open.
    """
    out: list[list[Point]] = []
    for ring in rings:
        for piece in _split_ring(ring, central_meridian, max_step):
            arr = np.asarray(piece, dtype=np.float64)
            x, y = _project_rel(arr[:, 0], arr[:, 1])
            projected = simplify(list(zip(x.tolist(), y.tolist(), strict=True)), tolerance)
            if len(projected) < 4 or abs(_ring_area(projected)) < _MIN_AREA:
                continue
            out.append(projected)
    return out


def project_polyline(
    points: Sequence[Point],
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
    tolerance: float = 0.0,
) -> list[list[Point]]:
    """Project an open lon/lat polyline, cutting it where it crosses the seam.

    Consecutive points are joined the short way round (|Δlon| <= 180°).
    Where a step crosses the seam, the crossing point is interpolated and
    emitted on both edges, ending one piece and starting the next, so no
    projected segment spans the map. Returns the projected pieces in order.
    """
    if len(points) == 0:
        return []
    arr = np.asarray(points, dtype=np.float64)
    u = _unwrap(arr[:, 0], central_meridian)
    lat = arr[:, 1]

    def on_seam(v: float) -> bool:
        return (v - 180.0) % 360.0 == 0.0

    def strip(v: float) -> int:
        """Strip k covers [-180 + 360k, 180 + 360k]."""
        return math.floor((v + 180.0) / 360.0)

    # Each piece is (strip index or None while it has only seam points, points).
    pieces: list[tuple[int | None, list[Point]]] = []
    current: list[Point] = [(float(u[0]), float(lat[0]))]
    k_cur: int | None = None if on_seam(float(u[0])) else strip(float(u[0]))
    for j in range(1, len(u)):
        u0, u1 = float(u[j - 1]), float(u[j])
        la0, la1 = float(lat[j - 1]), float(lat[j])
        if on_seam(u1):
            current.append((u1, la1))
            continue
        k1 = strip(u1)
        if k_cur is not None and k1 != k_cur:
            # Steps are under 180°, so exactly one seam line lies between.
            seam = 180.0 + 360.0 * min(k_cur, k1)
            if u0 == seam:
                crossing = (u0, la0)
            else:
                t = (seam - u0) / (u1 - u0)
                crossing = (seam, la0 + t * (la1 - la0))
                current.append(crossing)
            pieces.append((k_cur, current))
            current = [crossing]
        k_cur = k1
        current.append((u1, la1))
    pieces.append((k_cur, current))

    out: list[list[Point]] = []
    for k, piece in pieces:
        if k is None:
            k = strip(min(max(piece[0][0], -180.0), 180.0) - 1e-9)
        shift = 360.0 * k
        rel = [max(-180.0, min(180.0, p[0] - shift)) for p in piece]
        x, y = _project_rel(rel, [p[1] for p in piece])
        projected = simplify(list(zip(x.tolist(), y.tolist(), strict=True)), tolerance)
        if len(projected) >= 2:
            out.append(projected)
    return out


def drop_antarctica(rings: Iterable[Sequence[Point]], max_lat: float = -60.0) -> list[list[Point]]:
    """Keep only lon/lat rings that reach north of ``max_lat`` (drops Antarctica)."""
    return [list(r) for r in rings if r and max(p[1] for p in r) > max_lat]


# ----------------------------------------------------------- screen fitting


def world_bounds() -> tuple[float, float, float, float]:
    """Bounds ``(xmin, ymin, xmax, ymax)`` of the whole projected world."""
    return (-X_MAX, -Y_MAX, X_MAX, Y_MAX)


def lat_band_bounds(lat_min: float, lat_max: float) -> tuple[float, float, float, float]:
    """Bounds of the full-width map cropped to a latitude band.

    For instance ``lat_band_bounds(-58, 84)`` leaves Antarctica out and fits
    a 16:9 screen better than the whole world.
    """
    _, y0 = _project_rel(0.0, lat_min)
    _, y1 = _project_rel(0.0, lat_max)
    return (-X_MAX, float(y0), X_MAX, float(y1))


@dataclass(frozen=True)
class ScreenTransform:
    """Maps projected ``(x, y)`` (north up) to pixels (y down) and back.

    ``px = offset_x + scale * x`` and ``py = offset_y - scale * y``.
    """

    scale: float
    offset_x: float
    offset_y: float

    def to_screen(self, x: float, y: float) -> Point:
        """Projected point to pixel coordinates."""
        return (self.offset_x + self.scale * x, self.offset_y - self.scale * y)

    def to_screen_array(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Vectorised :meth:`to_screen`."""
        xa = np.asarray(x, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
        return self.offset_x + self.scale * xa, self.offset_y - self.scale * ya

    def to_screen_lines(self, lines: Iterable[Sequence[Point]]) -> list[list[Point]]:
        """Apply :meth:`to_screen` to every point of every ring or polyline."""
        s, ox, oy = self.scale, self.offset_x, self.offset_y
        return [[(ox + s * x, oy - s * y) for x, y in line] for line in lines]

    def from_screen(self, px: float, py: float) -> Point:
        """Pixel coordinates back to projected ``(x, y)``."""
        return ((px - self.offset_x) / self.scale, (self.offset_y - py) / self.scale)


def fit_bounds(
    bounds: tuple[float, float, float, float],
    width: float,
    height: float,
    *,
    margin: float = 0.0,
    left: float = 0.0,
    top: float = 0.0,
) -> ScreenTransform:
    """Fit projected ``bounds`` into a pixel rectangle, keeping the aspect ratio.

    ``bounds`` is ``(xmin, ymin, xmax, ymax)`` in projected units (see
    :func:`world_bounds`, :func:`lat_band_bounds`); the rectangle starts at
    ``(left, top)`` and is ``width`` x ``height`` pixels, less ``margin`` on
    every side. The content is centred in whichever direction has room left.
    """
    xmin, ymin, xmax, ymax = bounds
    bw, bh = xmax - xmin, ymax - ymin
    avail_w, avail_h = width - 2.0 * margin, height - 2.0 * margin
    if bw <= 0 or bh <= 0 or avail_w <= 0 or avail_h <= 0:
        raise ValueError("bounds and rectangle must have positive size")
    scale = min(avail_w / bw, avail_h / bh)
    offset_x = left + margin + (avail_w - scale * bw) / 2.0 - scale * xmin
    offset_y = top + margin + (avail_h - scale * bh) / 2.0 + scale * ymax
    return ScreenTransform(scale, offset_x, offset_y)
