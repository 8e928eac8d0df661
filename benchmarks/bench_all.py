"""Every benchmark of ``szkiosk bench`` as a plain script (same code, same table).

Usage: .venv/bin/python benchmarks/bench_all.py [--quick] [--markdown docs/PERFORMANCE.md]
Frame times per panel, idle CPU, memory over 100/1,000/10,000 panel changes and a 500-panel
deck, each against a bare baseline measured in the same run; see src/szkiosk/bench/.
"""

from __future__ import annotations

import sys

from szkiosk.cli import main

if __name__ == "__main__":
    sys.exit(main(["--log-level", "error", "--log-file", "none", "bench", *sys.argv[1:]]))
