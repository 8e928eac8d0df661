#!/usr/bin/env bash
# Set up (if needed) and show the bundled deck full screen. Extra arguments go to
# `szkiosk run`, e.g. scripts/run.sh --windowed, scripts/run.sh --kiosk, scripts/run.sh DECK.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/szkiosk run "$@"
