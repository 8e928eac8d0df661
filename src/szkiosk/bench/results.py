"""What the benchmarks measure into, and the budgets they are read against (no Qt here)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

FRAME_MS = 1000.0 / 60.0
#: Frame budget per size: the p95 target of the issue (60 fps at 1080p, 30 fps at 4K).
BUDGET_MS = {"1080p": 1000.0 / 60.0, "4K": 1000.0 / 30.0}
SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160)}


@dataclass
class Settings:
    """How much to measure (``--quick`` shrinks everything)."""

    startup_runs: int = 5
    frames_cap: int = 48
    transition_frames: int = 27
    sizes: tuple[str, ...] = ("1080p", "4K")
    idle_seconds: float = 3.0
    idle_panels: tuple[str, ...] = ("title", "innovation-figures", "sister-cities")
    soak: tuple[int, ...] = (100, 1000, 10000)
    scale_panels: int = 500
    #: Frame times only for these panel ids (and the transitions into them); empty = all.
    panels: tuple[str, ...] = ()

    @classmethod
    def quick(cls) -> Settings:
        return cls(startup_runs=1, frames_cap=4, transition_frames=3, sizes=("1080p",), idle_seconds=0.5,
                   idle_panels=("title",), soak=(10, 50, 100), scale_panels=50)


@dataclass
class FrameStats:
    """Frame intervals of one animated sequence."""

    name: str
    size: str
    frames: list[float] = field(default_factory=list)
    #: Frames that repainted something (the rest changed nothing on screen).
    painted: int = 0

    def pct(self, q: float) -> float:
        data = sorted(self.frames)
        if not data:
            return 0.0
        k = min(len(data) - 1, max(0, math.ceil(q * len(data)) - 1))
        return data[k]

    @property
    def p50(self) -> float:
        return self.pct(0.50)

    @property
    def p95(self) -> float:
        return self.pct(0.95)

    @property
    def max(self) -> float:
        return max(self.frames, default=0.0)

    @property
    def dropped(self) -> int:
        """Frames over the size's budget (each would miss at least one refresh at that rate)."""
        return sum(1 for f in self.frames if f > BUDGET_MS[self.size])


@dataclass
class Results:
    """Everything measured, for the table."""

    settings: Settings
    startup: dict[str, list[float]] = field(default_factory=dict)
    frames: list[FrameStats] = field(default_factory=list)
    baseline: dict[str, FrameStats] = field(default_factory=dict)
    idle: list[tuple[str, float, float, list[str]]] = field(default_factory=list)
    memory: list[tuple[int, float, int, int]] = field(default_factory=list)
    memory_start: tuple[float, int, int] | None = None
    #: PSS (MB) at each memory point: ``pss_start`` with ``memory_start``, ``pss[i]`` with ``memory[i]``
    #: (None where /proc/self/smaps_rollup is unavailable).
    pss_start: float | None = None
    pss: list[float | None] = field(default_factory=list)
    #: (RSS, PSS) in MB with the first panel shown and at rest, before the lap.
    memory_first: tuple[float, float | None] | None = None
    scale: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    platform: str = ""
    #: :func:`szkiosk.bench.report.machine_info` of the machine measured on.
    machine: dict[str, object] = field(default_factory=dict)


def pss_mb() -> float | None:
    """Proportional set size of this process (MB) from /proc/self/smaps_rollup; None where unavailable.

    PSS counts each shared page (Qt's libraries, fonts) divided by the processes sharing it,
    so it is closer than RSS to what one more process costs the machine.
    """
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def kind_of(stats: FrameStats) -> str:
    """``"transition"`` for a sequence between two panels (``a → b``), else ``"build"``."""
    return "transition" if "→" in stats.name else "build"


def progress(text: str) -> None:
    """One progress line on stderr (stdout keeps the table)."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)
