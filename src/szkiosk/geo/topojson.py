"""Minimal TopoJSON decoder (pure Python, no third-party dependencies).

TopoJSON (https://github.com/topojson/topojson-specification) stores shared
line pieces once, in a top-level ``arcs`` array, and geometries refer to them
by index:

* With a ``transform`` member the topology is *quantized*: every arc is a list
  of integer positions where the first position is absolute and each further
  one is a delta from the previous position. Real coordinates are
  ``position * scale + translate`` after the deltas are summed.
* A negative arc index ``i`` means arc ``~i`` (that is ``-i - 1``) traversed in
  reverse.
* A ring is the concatenation of its arcs; consecutive arcs share their joint
  point, which is kept only once.

Only what a land/coastline map needs is decoded: ``Polygon``,
``MultiPolygon``, ``GeometryCollection`` (and, for completeness,
``LineString`` / ``MultiLineString`` via :func:`decode_lines`). Points carry no
area and are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

Point = tuple[float, float]
"""A ``(lon, lat)`` pair in decimal degrees."""

Ring = list[Point]
"""A closed ring (first point equals last point) or a polyline."""

Polygon = list[Ring]
"""A polygon: exterior ring first, then its holes."""

__all__ = [
    "Point",
    "Polygon",
    "Ring",
    "TopoJSONError",
    "decode_arcs",
    "decode_lines",
    "decode_polygons",
    "decode_rings",
    "load_land",
    "load_topology",
]


class TopoJSONError(ValueError):
    """Raised when a document is not a TopoJSON topology we can decode."""


def load_topology(path: str | Path) -> dict[str, Any]:
    """Read a TopoJSON file and check that it is a ``Topology``."""
    with Path(path).open(encoding="utf-8") as fh:
        topology = json.load(fh)
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise TopoJSONError(f"{path}: not a TopoJSON Topology")
    if not isinstance(topology.get("arcs"), list) or not isinstance(topology.get("objects"), dict):
        raise TopoJSONError(f"{path}: Topology without 'arcs' or 'objects'")
    return topology


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    """Return every arc of ``topology`` as absolute ``(lon, lat)`` floats.

    Quantized topologies (with a ``transform``) are delta-decoded and scaled;
    unquantized ones are returned as floats unchanged.
    """
    raw_arcs: Sequence[Sequence[Sequence[float]]] = topology["arcs"]
    transform = topology.get("transform")
    decoded: list[list[Point]] = []
    if transform is None:
        for arc in raw_arcs:
            decoded.append([(float(p[0]), float(p[1])) for p in arc])
        return decoded
    sx, sy = (float(v) for v in transform["scale"])
    tx, ty = (float(v) for v in transform["translate"])
    for arc in raw_arcs:
        x = 0
        y = 0
        points: list[Point] = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _arc(arcs: Sequence[Sequence[Point]], index: int) -> Sequence[Point]:
    """Arc ``index``; a negative index is arc ``~index`` reversed."""
    if index >= 0:
        return arcs[index]
    return arcs[~index][::-1]


def _stitch(arcs: Sequence[Sequence[Point]], indices: Sequence[int]) -> Ring:
    """Concatenate arcs into one line, keeping each shared joint point once."""
    points: Ring = []
    for k, index in enumerate(indices):
        piece = _arc(arcs, index)
        points.extend(piece if k == 0 else piece[1:])
    return points


def _geometries(obj: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Yield the non-collection geometries inside ``obj`` (depth first)."""
    if obj.get("type") == "GeometryCollection":
        for child in obj.get("geometries", []):
            yield from _geometries(child)
    else:
        yield obj


def _get_object(topology: Mapping[str, Any], name: str | None) -> Mapping[str, Any]:
    objects: Mapping[str, Any] = topology["objects"]
    if name is None:
        if not objects:
            raise TopoJSONError("Topology has no objects")
        return next(iter(objects.values()))
    try:
        return objects[name]
    except KeyError:
        raise TopoJSONError(f"no object {name!r} in topology (have: {', '.join(objects)})") from None


def decode_polygons(topology: Mapping[str, Any], object_name: str | None = None) -> list[Polygon]:
    """Decode the polygons of one object (default: the first object).

    Each polygon is a list of closed rings of ``(lon, lat)``: its exterior
    ring followed by any holes. ``MultiPolygon`` members become separate
    polygons; ``GeometryCollection`` members are flattened.
    """
    arcs = decode_arcs(topology)
    polygons: list[Polygon] = []
    for geometry in _geometries(_get_object(topology, object_name)):
        kind = geometry.get("type")
        if kind == "Polygon":
            parts = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue
        for polygon_arcs in parts:
            polygon = [_stitch(arcs, ring_arcs) for ring_arcs in polygon_arcs]
            polygons.append([ring for ring in polygon if ring])
    return polygons


def decode_rings(topology: Mapping[str, Any], object_name: str | None = None) -> list[Ring]:
    """All rings (exteriors and holes) of one object, as a flat list."""
    return [ring for polygon in decode_polygons(topology, object_name) for ring in polygon]


def decode_lines(topology: Mapping[str, Any], object_name: str | None = None) -> list[Ring]:
    """Decode ``LineString`` / ``MultiLineString`` geometries into polylines."""
    arcs = decode_arcs(topology)
    lines: list[Ring] = []
    for geometry in _geometries(_get_object(topology, object_name)):
        kind = geometry.get("type")
        if kind == "LineString":
            lines.append(_stitch(arcs, geometry["arcs"]))
        elif kind == "MultiLineString":
            lines.extend(_stitch(arcs, part) for part in geometry["arcs"])
    return lines


def load_land(path: str | Path, object_name: str | None = "land") -> list[Ring]:
    """Load the rings of a land topology such as world-atlas ``land-110m.json``.

    Returns a flat list of closed rings of ``(lon, lat)`` floats. Holes (large
    lakes such as the Caspian Sea) are included as rings of their own, so fill
    the whole set with an even-odd rule. If ``object_name`` is missing from
    the file, the first object is used.
    """
    topology = load_topology(path)
    if object_name is not None and object_name not in topology["objects"]:
        object_name = None
    return decode_rings(topology, object_name)
