#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite offscreen. Extra arguments go to pytest.
# Fails when a test fails and when no test ran (pytest exit code 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY || true
lint_dirs=""
for d in src tests tools benchmarks; do [ -d "$d" ] && lint_dirs="$lint_dirs $d"; done
.venv/bin/ruff check $lint_dirs
.venv/bin/szkiosk validate content
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" = 5 ]; then
  echo "szkiosk tests: no tests were collected; that is a failure" >&2
  exit 1
fi
exit "$code"
