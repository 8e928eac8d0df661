#!/usr/bin/env bash
# Set up (if needed) and show the bundled deck full screen. Extra arguments go to
# `szkiosk run`, e.g. scripts/run.sh --windowed, or scripts/run.sh --kiosk.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/szkiosk run content "$@"
