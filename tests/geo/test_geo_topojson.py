"""TopoJSON decoding against a small hand-made topology."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from szkiosk.geo.topojson import (
    TopoJSONError,
    decode_arcs,
    decode_lines,
    decode_polygons,
    decode_rings,
    load_land,
    load_topology,
)

# Quantized: real = q * scale + translate, with q delta-encoded along each arc.
SCALE = (0.5, 0.25)
TRANSLATE = (10.0, 20.0)
ARCS = [
    # q: (0,0) (4,0) (4,4)  -> (10,20) (12,20) (12,21)
    [[0, 0], [4, 0], [0, 4]],
    # q: (4,4) (0,4) (0,0)  -> (12,21) (10,21) (10,20)
    [[4, 4], [-4, 0], [0, -4]],
    # q: (1,1) (2,1) (2,2) (1,1) -> a closed triangle, used as a hole
    [[1, 1], [1, 0], [0, 1], [-1, -1]],
    # q: (8,0) (8,2) -> an open line
    [[8, 0], [0, 2]],
]
SQUARE = [(10.0, 20.0), (12.0, 20.0), (12.0, 21.0), (10.0, 21.0), (10.0, 20.0)]
SQUARE_REVERSED = SQUARE[::-1]
TRIANGLE = [(10.5, 20.25), (11.0, 20.25), (11.0, 20.5), (10.5, 20.25)]


def make_topology() -> dict[str, Any]:
    return {
        "type": "Topology",
        "transform": {"scale": list(SCALE), "translate": list(TRANSLATE)},
        "arcs": ARCS,
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]]},
                    # ~1 == -2 (arc 1 reversed), ~0 == -1 (arc 0 reversed)
                    {"type": "MultiPolygon", "arcs": [[[-2, -1]], [[0, 1], [2]]]},
                    {
                        "type": "GeometryCollection",
                        "geometries": [
                            {"type": "Point", "coordinates": [1, 1]},
                            {"type": "Polygon", "arcs": [[~2]]},
                        ],
                    },
                ],
            },
            "coast": {"type": "LineString", "arcs": [3]},
        },
    }


def assert_points_close(got: list[tuple[float, float]], want: list[tuple[float, float]]) -> None:
    assert len(got) == len(want)
    for (gx, gy), (wx, wy) in zip(got, want, strict=True):
        assert gx == pytest.approx(wx, abs=1e-12)
        assert gy == pytest.approx(wy, abs=1e-12)


def test_decode_arcs_applies_delta_and_transform() -> None:
    arcs = decode_arcs(make_topology())
    assert_points_close(arcs[0], SQUARE[:3])
    assert_points_close(arcs[1], SQUARE[2:])
    assert_points_close(arcs[2], TRIANGLE)


def test_decode_arcs_without_transform_keeps_coordinates() -> None:
    topo = {"type": "Topology", "arcs": [[[1.5, 2.5], [3.0, 4.0]]], "objects": {}}
    assert decode_arcs(topo) == [[(1.5, 2.5), (3.0, 4.0)]]


def test_polygon_rings_are_stitched_without_duplicate_joints() -> None:
    polygons = decode_polygons(make_topology(), "land")
    assert_points_close(polygons[0][0], SQUARE)


def test_negative_arc_index_means_reversed_arc() -> None:
    polygons = decode_polygons(make_topology(), "land")
    assert_points_close(polygons[1][0], SQUARE_REVERSED)
    # ~2 on its own: the triangle walked backwards.
    assert_points_close(polygons[3][0], TRIANGLE[::-1])


def test_multipolygon_keeps_holes_and_collections_are_flattened() -> None:
    polygons = decode_polygons(make_topology(), "land")
    assert [len(p) for p in polygons] == [1, 1, 2, 1]
    assert_points_close(polygons[2][1], TRIANGLE)
    rings = decode_rings(make_topology(), "land")
    assert len(rings) == 5
    assert all(r[0] == r[-1] for r in rings)


def test_first_object_is_the_default() -> None:
    assert len(decode_rings(make_topology())) == 5


def test_decode_lines() -> None:
    lines = decode_lines(make_topology(), "coast")
    assert_points_close(lines[0], [(14.0, 20.0), (14.0, 20.5)])


def test_unknown_object_raises() -> None:
    with pytest.raises(TopoJSONError):
        decode_rings(make_topology(), "countries")


def test_load_land_from_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(make_topology()), encoding="utf-8")
    rings = load_land(path)
    assert len(rings) == 5
    assert_points_close(rings[0], SQUARE)
    assert load_topology(path)["type"] == "Topology"


def test_load_land_falls_back_to_first_object(tmp_path: Path) -> None:
    topo = make_topology()
    topo["objects"] = {"world": topo["objects"]["land"]}
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(topo), encoding="utf-8")
    assert len(load_land(path)) == 5


def test_not_a_topology_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "geo.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    with pytest.raises(TopoJSONError):
        load_topology(path)
