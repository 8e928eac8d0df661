"""The bundled world-atlas land files decode and project cleanly."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from szkiosk.geo import X_MAX, Y_MAX, load_land, project_rings

MAP_DIR = Path(__file__).resolve().parents[2] / "assets" / "map"
LAND_110M = MAP_DIR / "land-110m.json"
LAND_FILES = [p for p in (LAND_110M, MAP_DIR / "land-50m.json") if p.exists()]


def test_110m_is_bundled() -> None:
    assert LAND_110M.is_file()


@pytest.mark.parametrize("path", LAND_FILES, ids=lambda p: p.name)
def test_land_decodes_into_valid_rings(path: Path) -> None:
    rings = load_land(path)
    assert len(rings) > 100
    for ring in rings:
        assert len(ring) >= 4
        assert ring[0] == ring[-1]
        for lon, lat in ring:
            assert -180.0 <= lon <= 180.0
            assert -90.0 <= lat <= 90.0


@pytest.mark.parametrize("path", LAND_FILES, ids=lambda p: p.name)
def test_land_only_no_borders(path: Path) -> None:
    topology = json.loads(path.read_text(encoding="utf-8"))
    assert list(topology["objects"]) == ["land"]


@pytest.mark.parametrize("path", LAND_FILES, ids=lambda p: p.name)
def test_projected_land_has_no_streaks(path: Path) -> None:
    shapes = project_rings(load_land(path))
    assert len(shapes) > 100
    quarter = X_MAX / 2.0
    for shape in shapes:
        for a, b in itertools.pairwise(shape):
            assert abs(a[0]) <= X_MAX + 1e-9
            assert abs(a[1]) <= Y_MAX + 1e-9
            if math.dist(a, b) > quarter:
                # Only Antarctica's edge along the flat south-pole line may be long
                # (simplification may have moved its ends by up to the tolerance).
                assert a[1] == pytest.approx(-Y_MAX, abs=2e-3)
                assert b[1] == pytest.approx(-Y_MAX, abs=2e-3)


def test_land_area_does_not_depend_on_the_central_meridian() -> None:
    rings = load_land(LAND_110M)

    def area(central_meridian: float) -> float:
        total = 0.0
        for shape in project_rings(rings, central_meridian, tolerance=0.0):
            total += abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(shape)))
        return total / 2.0

    areas = [area(cm) for cm in (150.0, 0.0, 114.06, 120.0, -30.0, 180.0)]
    assert max(areas) == pytest.approx(min(areas), rel=1e-4)


def test_readme_and_licence_travel_with_the_data() -> None:
    readme = (MAP_DIR / "README.md").read_text(encoding="utf-8")
    assert "world-atlas" in readme
    assert "2.0.2" in readme
    assert "Natural Earth" in readme
    assert "tools/build_map.py" in readme
    licence = (MAP_DIR / "LICENSE-world-atlas.txt").read_text(encoding="utf-8")
    assert "Copyright 2013-2019 Michael Bostock" in licence
    assert "Permission to use, copy, modify, and/or distribute" in licence
