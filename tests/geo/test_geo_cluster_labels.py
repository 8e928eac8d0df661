"""Clusters merge markers that would touch; the label placer keeps labels clear and framed;
arcs that would leave the map bow across it instead."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from szkiosk.geo import lat_band_bounds, project_great_circle
from szkiosk.geo.arcs import bowed_line, framed_arc
from szkiosk.geo.cluster import bubble_radius, cluster_points
from szkiosk.geo.labels import Box, LabelRequest, place_labels


def radius(n: int) -> float:
    return bubble_radius(n, 10.0, 20.0)


def test_far_points_stay_single_and_close_ones_merge() -> None:
    clusters = cluster_points([(0, 0), (500, 0), (505, 3), (1000, 1000)], 8.0, radius)
    sizes = sorted(len(c.members) for c in clusters)
    assert sizes == [1, 1, 2]
    pair = next(c for c in clusters if len(c.members) == 2)
    assert pair.members == (1, 2) and math.isclose(pair.x, 502.5) and pair.radius == radius(2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 800), st.floats(0, 400)), min_size=1, max_size=40))
def test_no_two_discs_touch_and_every_point_is_in_one_cluster(points) -> None:
    gap = 8.0
    clusters = cluster_points(points, gap, radius)
    members = sorted(i for c in clusters for i in c.members)
    assert members == list(range(len(points)))
    for a in range(len(clusters)):
        for b in range(a + 1, len(clusters)):
            ca, cb = clusters[a], clusters[b]
            assert math.hypot(ca.x - cb.x, ca.y - cb.y) >= ca.radius + cb.radius + gap - 1e-6


def test_the_order_of_points_does_not_change_the_clusters() -> None:
    pts = [(10, 10), (30, 12), (200, 50), (205, 60), (600, 300), (40, 15)]
    a = {frozenset(pts[i] for i in c.members) for c in cluster_points(pts, 8.0, radius)}
    rev = pts[::-1]
    b = {frozenset(rev[i] for i in c.members) for c in cluster_points(rev, 8.0, radius)}
    assert a == b


def test_labels_avoid_markers_each_other_and_the_frame_edge() -> None:
    frame = Box(0, 0, 400, 200)
    reqs = [LabelRequest(100, 100, 80, 30, 10), LabelRequest(120, 100, 80, 30, 10), LabelRequest(395, 100, 80, 30, 10)]
    obstacles = [Box(r.x - r.r, r.y - r.r, 2 * r.r, 2 * r.r) for r in reqs]
    boxes = place_labels(reqs, obstacles, frame)
    placed = [b for b in boxes if b is not None]
    assert boxes[2] is not None and boxes[2].right <= 400, "at the edge the label goes to the left"
    for i, b in enumerate(placed):
        assert b.inside(frame)
        assert all(b.overlap(o) == 0 for o in obstacles)
        assert all(b.overlap(o) == 0 for o in placed[i + 1:])


def test_a_label_with_no_room_is_left_out_unless_forced() -> None:
    frame = Box(0, 0, 100, 40)
    req = LabelRequest(50, 20, 90, 30, 10)
    block = [Box(0, 0, 100, 40)]
    assert place_labels([req], block, frame) == [None]
    forced = LabelRequest(50, 20, 30, 10, 5, forced=True)
    assert place_labels([forced], block, frame)[0] is not None


def test_buenos_aires_bows_across_the_map_and_stays_inside() -> None:
    band = lat_band_bounds(-56, 84)
    assert len(project_great_circle(114.06, 22.54, -58.38, -34.60)) > 1, "the great circle crosses the seam"
    line = framed_arc(114.06, 22.54, -58.38, -34.60, band)
    xmin, ymin, xmax, ymax = band
    assert all(xmin <= x <= xmax and ymin <= y <= ymax for x, y in line)
    mid = line[len(line) // 2]
    assert mid[1] > (line[0][1] + line[-1][1]) / 2, "it bows north, like the great circles"


def test_a_great_circle_that_fits_is_kept() -> None:
    band = lat_band_bounds(-56, 84)
    houston = framed_arc(114.06, 22.54, -95.37, 29.76, band)
    assert houston == list(project_great_circle(114.06, 22.54, -95.37, 29.76)[0])
    straight = bowed_line((0, 0), (1, 0), 0.0, n=4)
    assert straight == [(0.0, 0.0), (0.25, 0.0), (0.5, 0.0), (0.75, 0.0), (1.0, 0.0)]
