"""Equal Earth projection, seam splitting, simplification and screen fitting."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from szkiosk.geo.projection import (
    DEFAULT_CENTRAL_MERIDIAN,
    X_MAX,
    Y_MAX,
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
)

MAP_WIDTH = 2.0 * X_MAX


def equal_earth_reference(lon: float, lat: float, central_meridian: float) -> tuple[float, float]:
    """Equal Earth written out from Šavrič, Patterson & Jenny (2018), eqs. (1)-(3)."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    dlon = (lon - central_meridian + 180.0) % 360.0 - 180.0
    lam = math.radians(dlon)
    theta = math.asin(math.sqrt(3.0) / 2.0 * math.sin(math.radians(lat)))
    x = (2.0 * math.sqrt(3.0) * lam * math.cos(theta)) / (
        3.0 * (9.0 * a4 * theta**8 + 7.0 * a3 * theta**6 + 3.0 * a2 * theta**2 + a1)
    )
    y = a4 * theta**9 + a3 * theta**7 + a2 * theta**3 + a1 * theta
    return x, y


def ring_area(points: list[tuple[float, float]]) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(points))


def segments(lines: list[list[tuple[float, float]]]) -> list[float]:
    return [math.dist(a, b) for line in lines for a, b in itertools.pairwise(line)]


def test_map_extent_constants() -> None:
    assert pytest.approx(2.7066, abs=1e-4) == X_MAX
    assert pytest.approx(1.3174, abs=1e-4) == Y_MAX
    assert forward(DEFAULT_CENTRAL_MERIDIAN + 180.0 - 1e-9, 0.0)[0] == pytest.approx(X_MAX)
    assert forward(0.0, 90.0)[1] == pytest.approx(Y_MAX)


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [("Shenzhen", 114.06, 22.54), ("Houston", -95.37, 29.76), ("Brisbane", 153.03, -27.47)],
)
@pytest.mark.parametrize("central_meridian", [0.0, 114.06, DEFAULT_CENTRAL_MERIDIAN])
def test_known_points_match_the_published_formula(name: str, lon: float, lat: float, central_meridian: float) -> None:
    want = equal_earth_reference(lon, lat, central_meridian)
    got = forward(lon, lat, central_meridian)
    assert got == pytest.approx(want, abs=1e-12), name


def test_known_points_default_centre_layout() -> None:
    # Centre 150°E: Shenzhen left of centre, Houston right, Brisbane just right and south.
    sz = forward(114.06, 22.54)
    hou = forward(-95.37, 29.76)
    bne = forward(153.03, -27.47)
    assert sz[0] < 0 < bne[0] < hou[0]
    assert bne[1] < 0 < sz[1] < hou[1]
    assert sz == pytest.approx((-0.520592, 0.450394), abs=1e-6)


def test_centre_maps_to_origin() -> None:
    assert forward(150.0, 0.0) == pytest.approx((0.0, 0.0))
    assert forward(-30.0, 0.0, -30.0) == pytest.approx((0.0, 0.0))


@pytest.mark.parametrize("central_meridian", [0.0, DEFAULT_CENTRAL_MERIDIAN, -100.0])
def test_forward_inverse_round_trip_over_grid(central_meridian: float) -> None:
    lons = np.arange(-179.5, 180.0, 7.25)
    lats = np.arange(-89.0, 89.5, 4.5)
    lon, lat = np.meshgrid(lons, lats)
    x, y = forward_array(lon, lat, central_meridian)
    lon2, lat2 = inverse_array(x, y, central_meridian)
    dlon = (lon2 - lon + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(dlon)) < 1e-9
    assert np.max(np.abs(lat2 - lat)) < 1e-9
    # Scalar versions agree.
    for lo, la in [(114.06, 22.54), (-171.76, -13.83), (0.0, 0.0)]:
        back = inverse(*forward(lo, la, central_meridian), central_meridian)
        assert back == pytest.approx((lo, la), abs=1e-9)


def test_inverse_outside_the_outline() -> None:
    with pytest.raises(ValueError):
        inverse(X_MAX * 0.9, Y_MAX * 0.95)
    with pytest.raises(ValueError):
        inverse(0.0, Y_MAX * 1.1)
    lon, lat = inverse_array([0.0, 10.0], [0.0, 0.0])
    assert not np.isnan(lon[0])
    assert np.isnan(lon[1])
    assert np.isnan(lat[1])


def box(lon0: float, lon1: float, lat0: float, lat1: float, step: float = 1.0) -> list:
    """Closed lon/lat rectangle going east along the bottom (lon0 -> lon1 eastwards)."""
    width = (lon1 - lon0) % 360.0
    n = max(1, math.ceil(width / step))
    bottom = [(lon0 + width * k / n, lat0) for k in range(n + 1)]
    top = [(lon0 + width * k / n, lat1) for k in range(n, -1, -1)]
    ring = [((lo + 180.0) % 360.0 - 180.0, la) for lo, la in bottom + top]
    return [*ring, ring[0]]


@pytest.mark.parametrize("central_meridian", [0.0, DEFAULT_CENTRAL_MERIDIAN, -75.0])
def test_polygon_across_the_seam_is_split_without_streaks(central_meridian: float) -> None:
    seam = central_meridian + 180.0
    ring = box(seam - 10.0, seam + 10.0, -20.0, 30.0, step=2.0)
    pieces = project_rings([ring], central_meridian, tolerance=0.0)
    assert len(pieces) == 2
    assert max(segments(pieces)) < MAP_WIDTH / 4.0
    sides = sorted(np.sign(np.mean([p[0] for p in piece])) for piece in pieces)
    assert sides == [-1.0, 1.0]
    for piece in pieces:
        assert piece[0] == piece[-1]
        assert all(abs(x) <= X_MAX + 1e-12 for x, _ in piece)
    # Nothing lost: the two pieces add up to the same shape drawn away from the seam.
    whole = project_rings([ring], seam, tolerance=0.0)
    assert len(whole) == 1
    split_area = sum(abs(ring_area(p)) for p in pieces)
    assert split_area == pytest.approx(abs(ring_area(whole[0])), rel=1e-4)


def test_ring_written_with_raw_plus_minus_180_longitudes() -> None:
    # 170E..170W given with a jump from 180 to -180, as stitched TopoJSON stores it.
    ring = [(170.0, 0.0), (180.0, 0.0), (-180.0, 0.0), (-170.0, 0.0), (-170.0, 10.0)]
    ring += [(-180.0, 10.0), (180.0, 10.0), (170.0, 10.0), (170.0, 0.0)]
    pieces = project_rings([ring], 0.0, tolerance=0.0)
    assert len(pieces) == 2
    assert max(segments(pieces)) < MAP_WIDTH / 4.0
    # Away from the seam it stays whole.
    assert len(project_rings([ring], 150.0, tolerance=0.0)) == 1


@pytest.mark.parametrize("central_meridian", [0.0, DEFAULT_CENTRAL_MERIDIAN, -42.0])
def test_ring_round_the_south_pole_is_closed_along_the_pole(central_meridian: float) -> None:
    ring = [(float(lon), -70.0) for lon in range(-180, 181, 10)]
    pieces = project_rings([ring], central_meridian, tolerance=0.0)
    assert pieces
    area = sum(abs(ring_area(p)) for p in pieces)
    # Equal Earth is equal-area on the unit sphere: the cap south of 70°S.
    assert area == pytest.approx(2.0 * math.pi * (1.0 - math.sin(math.radians(70.0))), rel=1e-4)
    ys = [y for piece in pieces for _, y in piece]
    assert min(ys) == pytest.approx(-Y_MAX)
    # The only long segments run along the flat pole line.
    for piece in pieces:
        for a, b in itertools.pairwise(piece):
            if math.dist(a, b) >= MAP_WIDTH / 4.0:
                assert a[1] == pytest.approx(-Y_MAX)
                assert b[1] == pytest.approx(-Y_MAX)


def test_polar_ring_meeting_the_seam_several_times() -> None:
    # A cap south of 70°S with a hook-shaped peninsula. Centred on 120°E the
    # seam (60°W) crosses the ring three times: at 70°S, 66°S and 62°S. The
    # ring starts on the hook, so the first crossing met is not the one
    # nearest the pole; closing there would make the shape cross itself.
    ring = [(-64.0, -62.0), (-50.0, -62.0), (-50.0, -70.0)]
    ring += [(float(lon), -70.0) for lon in range(-48, 181, 2)]
    ring += [(float(lon), -70.0) for lon in range(-178, -55, 2)]
    ring += [(-56.0, -66.0), (-64.0, -66.0), (-64.0, -62.0)]
    areas = []
    for central_meridian in (120.0, 0.0, 110.0, 130.0, -60.0, 150.0):
        pieces = project_rings([ring], central_meridian, tolerance=0.0)
        areas.append(sum(abs(ring_area(p)) for p in pieces))
        for piece in pieces:
            for a, b in itertools.pairwise(piece):
                if math.dist(a, b) >= MAP_WIDTH / 4.0:
                    assert a[1] == pytest.approx(-Y_MAX)
    assert max(areas) == pytest.approx(min(areas), rel=1e-4)
    cap = 2.0 * math.pi * (1.0 - math.sin(math.radians(70.0)))
    assert cap < areas[0] < cap * 1.05


def test_small_rings_and_tolerance() -> None:
    tiny = box(10.0, 10.001, 0.0, 0.001, step=1.0)
    assert project_rings([tiny], tolerance=0.0) == []  # a sliver below the area floor
    island = box(100.0, 101.0, 0.0, 1.0, step=0.01)
    dense = project_rings([island], tolerance=0.0)[0]
    sparse = project_rings([island], tolerance=0.001)[0]
    assert len(sparse) < len(dense) / 5
    assert sparse[0] == sparse[-1]
    assert abs(ring_area(sparse)) == pytest.approx(abs(ring_area(dense)), rel=0.02)


def test_simplify_keeps_endpoints() -> None:
    line = [(i * 0.001, 0.0) for i in range(101)]
    out = simplify(line, 0.0095)
    assert out[0] == line[0]
    assert out[-1] == line[-1]
    assert len(out) == 11
    assert simplify(line, 0.0) == line
    closed = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    assert simplify(closed, 0.1) == closed


def test_project_polyline_splits_at_the_seam() -> None:
    line = [(170.0, 0.0), (175.0, 2.0), (-175.0, 4.0), (-170.0, 6.0)]
    pieces = project_polyline(line, 0.0)
    assert len(pieces) == 2
    assert pieces[0][-1][0] == pytest.approx(X_MAX, rel=1e-3)
    assert pieces[1][0][0] == pytest.approx(-X_MAX, rel=1e-3)
    assert pieces[0][-1][1] == pytest.approx(pieces[1][0][1])
    assert max(segments(pieces)) < MAP_WIDTH / 4.0
    assert len(project_polyline(line, 150.0)) == 1
    # A point exactly on the seam does not start a bogus piece.
    on_seam = [(170.0, 0.0), (180.0, 1.0), (-170.0, 2.0)]
    pieces = project_polyline(on_seam, 0.0)
    assert len(pieces) == 2
    assert max(segments(pieces)) < MAP_WIDTH / 4.0
    assert project_polyline([], 0.0) == []


def test_project_points() -> None:
    pts = project_points([(114.06, 22.54), (-95.37, 29.76)])
    assert pts[0] == pytest.approx(forward(114.06, 22.54))
    assert pts[1] == pytest.approx(forward(-95.37, 29.76))
    assert project_points([]) == []


def test_drop_antarctica() -> None:
    rings = [box(0.0, 10.0, -80.0, -70.0), box(0.0, 10.0, -70.0, -50.0)]
    assert drop_antarctica(rings) == [rings[1]]


def test_fit_bounds_whole_world_in_full_hd() -> None:
    tf = fit_bounds(world_bounds(), 1920, 1080)
    assert tf.scale == pytest.approx(1920 / MAP_WIDTH)
    left = tf.to_screen(-X_MAX, 0.0)
    right = tf.to_screen(X_MAX, 0.0)
    top = tf.to_screen(0.0, Y_MAX)
    bottom = tf.to_screen(0.0, -Y_MAX)
    assert left == pytest.approx((0.0, 540.0))
    assert right == pytest.approx((1920.0, 540.0))
    assert top[1] == pytest.approx(540.0 - tf.scale * Y_MAX)
    assert top[1] > 0 and bottom[1] < 1080
    assert top[1] == pytest.approx(1080 - bottom[1])  # centred vertically
    assert tf.from_screen(*tf.to_screen(0.3, -0.2)) == pytest.approx((0.3, -0.2))
    xs, ys = tf.to_screen_array([0.0, X_MAX], [0.0, 0.0])
    assert xs.tolist() == pytest.approx([960.0, 1920.0])
    assert ys.tolist() == pytest.approx([540.0, 540.0])
    assert tf.to_screen_lines([[(0.0, 0.0)]]) == [[pytest.approx((960.0, 540.0))]]


def test_fit_bounds_with_margin_offset_and_tall_rect() -> None:
    tf = fit_bounds(world_bounds(), 500, 1000, margin=10, left=100, top=50)
    assert tf.to_screen(-X_MAX, 0.0)[0] == pytest.approx(110.0)
    assert tf.to_screen(X_MAX, 0.0)[0] == pytest.approx(590.0)
    assert tf.to_screen(0.0, 0.0)[1] == pytest.approx(550.0)
    with pytest.raises(ValueError):
        fit_bounds(world_bounds(), 10, 10, margin=6)


def test_lat_band_bounds() -> None:
    xmin, ymin, xmax, ymax = lat_band_bounds(-58.0, 84.0)
    assert (xmin, xmax) == (-X_MAX, X_MAX)
    assert ymin == pytest.approx(forward(0.0, -58.0)[1])
    assert ymax == pytest.approx(forward(0.0, 84.0)[1])
