"""Greedy placement of map labels beside their markers (pure Python, screen units).

Each label is tried at a few positions around its anchor (right, left, above, below, then
the diagonals); it takes the first that stays inside the frame and touches neither an
obstacle (markers, clusters, the hub) nor a label placed before it. Labels are placed in
the order given, so the caller puts the important ones first; a label with no free spot is
left out rather than drawn over something (a forced label, e.g. the selected city, takes
the spot that covers least).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """Right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """Bottom edge."""
        return self.y + self.h

    def overlap(self, other: Box) -> float:
        """Area shared with ``other``."""
        w = min(self.right, other.right) - max(self.x, other.x)
        h = min(self.bottom, other.bottom) - max(self.y, other.y)
        return w * h if w > 0 and h > 0 else 0.0

    def inside(self, frame: Box) -> bool:
        """True when the box lies within ``frame``."""
        return self.x >= frame.x and self.y >= frame.y and self.right <= frame.right and self.bottom <= frame.bottom

    def grown(self, d: float) -> Box:
        """The box with ``d`` added on every side."""
        return Box(self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d)


@dataclass(frozen=True)
class LabelRequest:
    """A label of ``w`` x ``h`` for a marker of radius ``r`` at ``(x, y)``."""

    x: float
    y: float
    w: float
    h: float
    r: float = 0.0
    forced: bool = False


def candidates(req: LabelRequest, gap: float) -> list[Box]:
    """Where a label may go, best first: right, left, above, below, then the four diagonals."""
    x, y, w, h, d = req.x, req.y, req.w, req.h, req.r + gap
    return [
        Box(x + d, y - h / 2, w, h),
        Box(x - d - w, y - h / 2, w, h),
        Box(x - w / 2, y - d - h, w, h),
        Box(x - w / 2, y + d, w, h),
        Box(x + d * 0.7, y - d * 0.7 - h, w, h),
        Box(x + d * 0.7, y + d * 0.7, w, h),
        Box(x - d * 0.7 - w, y - d * 0.7 - h, w, h),
        Box(x - d * 0.7 - w, y + d * 0.7, w, h),
    ]


def place_labels(requests: Sequence[LabelRequest], obstacles: Sequence[Box], frame: Box, *,
                 gap: float = 6.0, air: float = 4.0) -> list[Box | None]:
    """A box for each request (None where no spot is free), in the order given.

    ``air`` is the least space kept between a label and anything else.
    """
    taken: list[Box] = []
    out: list[Box | None] = []
    for req in requests:
        own = Box(req.x - req.r, req.y - req.r, 2 * req.r, 2 * req.r)
        blockers = [o for o in obstacles if o != own]
        choice: Box | None = None
        fallback: tuple[float, Box] | None = None
        for box in candidates(req, gap):
            if not box.inside(frame):
                continue
            padded = box.grown(air)
            cover = sum(padded.overlap(o) for o in blockers) + sum(padded.overlap(t) for t in taken)
            if cover == 0:
                choice = box
                break
            if fallback is None or cover < fallback[0]:
                fallback = (cover, box)
        if choice is None and req.forced and fallback is not None:
            choice = fallback[1]
        if choice is not None:
            taken.append(choice)
        out.append(choice)
    return out
