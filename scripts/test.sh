#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite offscreen. Extra arguments go to pytest.
# Fails when a test fails, when no test ran (pytest exit code 5), and when the layout audit
# finds anything in the bundled deck or an example deck (every panel, language, size and text
# scale; skip it while iterating with SZKIOSK_SKIP_AUDIT=1).
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
audit=0
if [ "${SZKIOSK_SKIP_AUDIT:-0}" != 1 ]; then
  for deck in content examples/*/; do
    .venv/bin/szkiosk audit "$deck" || audit=1
  done
fi
if [ "$code" != 0 ]; then
  exit "$code"
fi
exit "$audit"
