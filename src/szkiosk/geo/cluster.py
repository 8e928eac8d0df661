"""Markers that would overlap, merged into clusters (pure Python, screen units).

A map shows each partner as a small marker; where markers crowd (Europe at world scale) a
visitor can neither read nor tap them. :func:`cluster_points` merges markers whose discs
would come closer than ``gap`` into one cluster drawn as a bigger disc with a count, and
repeats until no two discs (markers or clusters) are that close. Zooming in spreads the
points apart, so the same call at the new scale splits the clusters again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Cluster:
    """Members (indices into the points given) and the disc that stands for them."""

    members: tuple[int, ...]
    x: float
    y: float
    radius: float

    @property
    def single(self) -> bool:
        """True for a lone marker (drawn as itself, not as a count)."""
        return len(self.members) == 1


def bubble_radius(count: int, marker_radius: float, min_radius: float) -> float:
    """Radius of a cluster disc of ``count`` members: a lone marker keeps its own size."""
    if count <= 1:
        return marker_radius
    return min_radius + 2.0 * math.sqrt(count)


def cluster_points(
    points: Sequence[Point],
    gap: float,
    radius: Callable[[int], float],
) -> list[Cluster]:
    """Merge points whose discs would be closer than ``gap`` (edge to edge).

    ``radius(n)`` is the radius of a disc standing for ``n`` points. The two closest
    offending discs merge first (at the mean of their members), until none is too close;
    the result does not depend on the order of the points. Clusters come back in order of
    their first member.
    """
    groups: list[tuple[list[int], float, float]] = [([i], x, y) for i, (x, y) in enumerate(points)]
    while True:
        best: tuple[float, int, int] | None = None
        for a in range(len(groups)):
            ma, xa, ya = groups[a]
            ra = radius(len(ma))
            for b in range(a + 1, len(groups)):
                mb, xb, yb = groups[b]
                overlap = ra + radius(len(mb)) + gap - math.hypot(xa - xb, ya - yb)
                if overlap > 0 and (best is None or overlap > best[0]):
                    best = (overlap, a, b)
        if best is None:
            break
        _, a, b = best
        members = sorted(groups[a][0] + groups[b][0])
        x = sum(points[i][0] for i in members) / len(members)
        y = sum(points[i][1] for i in members) / len(members)
        groups[a] = (members, x, y)
        del groups[b]
    groups.sort(key=lambda g: g[0][0])
    return [Cluster(tuple(m), x, y, radius(len(m))) for m, x, y in groups]
