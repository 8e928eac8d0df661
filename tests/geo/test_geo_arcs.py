"""Great-circle arcs, distances and seam-aware arc projection."""

from __future__ import annotations

import itertools
import math

import pytest

from szkiosk.geo import SHENZHEN_LON_LAT
from szkiosk.geo.arcs import (
    EARTH_RADIUS_KM,
    arc_samples,
    great_circle,
    haversine_km,
    project_arc,
    project_great_circle,
)
from szkiosk.geo.projection import DEFAULT_CENTRAL_MERIDIAN, X_MAX

SZ = SHENZHEN_LON_LAT
LONDON = (-0.1276, 51.5072)
APIA = (-171.76, -13.83)
HOUSTON = (-95.37, 29.76)
MAP_WIDTH = 2.0 * X_MAX


def midpoint_reference(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[float, float]:
    """Great-circle midpoint by the closed-form formula (not by slerp)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    bx = math.cos(p2) * math.cos(dl)
    by = math.cos(p2) * math.sin(dl)
    lat = math.atan2(math.sin(p1) + math.sin(p2), math.hypot(math.cos(p1) + bx, by))
    lon = math.radians(lon1) + math.atan2(by, math.cos(p1) + bx)
    return ((math.degrees(lon) + 180.0) % 360.0 - 180.0, math.degrees(lat))


def test_endpoints_are_the_inputs() -> None:
    arc = great_circle(*SZ, *LONDON, 50)
    assert len(arc) == 50
    assert arc[0] == SZ
    assert arc[-1] == LONDON


def test_equator_midpoint() -> None:
    arc = great_circle(0.0, 0.0, 90.0, 0.0, 3)
    assert arc[1] == pytest.approx((45.0, 0.0), abs=1e-12)


def test_shenzhen_london_midpoint() -> None:
    arc = great_circle(*SZ, *LONDON, 101)
    want = midpoint_reference(*SZ, *LONDON)
    assert abs(arc[50][0] - want[0]) < 0.1
    assert abs(arc[50][1] - want[1]) < 0.1
    # The route passes over Siberia/Kazakhstan, well north of both ends.
    assert want == pytest.approx((73.7, 53.0), abs=0.1)


def test_points_are_evenly_spaced() -> None:
    arc = great_circle(*SZ, *HOUSTON, 41)
    steps = [haversine_km(*a, *b) for a, b in itertools.pairwise(arc)]
    total = haversine_km(*SZ, *HOUSTON)
    assert sum(steps) == pytest.approx(total, rel=1e-9)
    assert max(steps) - min(steps) < 1e-6


def test_haversine() -> None:
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 180.0)
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 2.0)
    assert haversine_km(*SZ, *SZ) == 0.0
    assert haversine_km(*SZ, *LONDON) == pytest.approx(9596, abs=5)
    assert haversine_km(179.5, 0.0, -179.5, 0.0) == pytest.approx(111.2, abs=0.1)


def test_invalid_arcs() -> None:
    with pytest.raises(ValueError):
        great_circle(0.0, 0.0, 180.0, 0.0, 10)
    with pytest.raises(ValueError):
        great_circle(0.0, 0.0, 1.0, 1.0, 1)
    same = great_circle(*SZ, *SZ, 5)
    assert same == [SZ] * 5


def test_arc_samples() -> None:
    assert arc_samples(*SZ, *SZ) == 2
    assert arc_samples(*SZ, *LONDON, step_km=100.0) == 97


def test_arc_across_the_seam_is_split_at_the_edges() -> None:
    # Centred on Greenwich, the seam is the 180th meridian and Shenzhen-Apia crosses it.
    arc = great_circle(*SZ, *APIA, 200)
    pieces = project_arc(arc, 0.0)
    assert len(pieces) == 2
    assert max(math.dist(a, b) for p in pieces for a, b in itertools.pairwise(p)) < MAP_WIDTH / 4
    end, start = pieces[0][-1], pieces[1][0]
    assert end[0] == pytest.approx(X_MAX, rel=0.02)
    assert start[0] == pytest.approx(-X_MAX, rel=0.02)
    assert end[1] == pytest.approx(start[1])
    assert end[0] == pytest.approx(-start[0])


@pytest.mark.parametrize("partner", [APIA, HOUSTON, LONDON, (153.03, -27.47), (-24.98, 16.89)])
def test_default_centre_keeps_main_routes_whole(partner: tuple[float, float]) -> None:
    pieces = project_great_circle(*SZ, *partner, DEFAULT_CENTRAL_MERIDIAN)
    assert len(pieces) == 1
    line = pieces[0]
    assert max(math.dist(a, b) for a, b in itertools.pairwise(line)) < 0.05


def test_buenos_aires_route_crosses_the_atlantic_seam() -> None:
    # Nearly antipodal: the shortest route runs over southern Africa and the
    # South Atlantic, so on a 150°E map it leaves at the left edge (30°W) and
    # comes back in at the right edge.
    pieces = project_great_circle(*SZ, -58.38, -34.60, DEFAULT_CENTRAL_MERIDIAN)
    assert len(pieces) == 2
    assert pieces[0][-1][0] == pytest.approx(-pieces[1][0][0])
    assert pieces[0][-1][0] < 0 < pieces[1][0][0]
    assert max(math.dist(a, b) for p in pieces for a, b in itertools.pairwise(p)) < 0.05


def test_projected_arc_has_no_long_segment_for_any_centre() -> None:
    for cm in range(-180, 180, 15):
        for partner in (APIA, HOUSTON, LONDON, (-58.38, -34.60)):
            pieces = project_great_circle(*SZ, *partner, float(cm))
            assert 1 <= len(pieces) <= 2
            for piece in pieces:
                for a, b in itertools.pairwise(piece):
                    assert math.dist(a, b) < MAP_WIDTH / 4
