#!/usr/bin/env bash
# Set up szkiosk on a Debian/Ubuntu machine: system libraries Qt needs (when root or with
# sudo), a virtual environment in .venv, and the package with its test tools.
# Usage: scripts/setup.sh [--test]    (idempotent: installs only what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# Libraries the PySide6 wheels load: offscreen rendering needs the first line; a real
# window (X11 / Xvfb) needs the xcb ones; tests that check PDFs use poppler-utils.
apt_packages="libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0"
[ "$want_test" = 1 ] && apt_packages="$apt_packages poppler-utils"

missing=""
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $apt_packages; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
fi
python_cmd="${PYTHON:-python3}"
if ! "$python_cmd" -c "import venv, ensurepip" >/dev/null 2>&1; then
  missing="$missing python3-venv"
fi
if [ -n "$missing" ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "szkiosk setup: please install these Debian packages as root:$missing" >&2
      echo "  (continuing; Qt may fail to start without them)" >&2
      sudo="skip"
    fi
  fi
  if [ "$sudo" != "skip" ]; then
    echo "szkiosk setup: installing system packages:$missing"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "szkiosk setup: creating .venv"
  "$python_cmd" -m venv .venv
fi
stamp=".venv/.szkiosk-installed-$want_test"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "szkiosk setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  extra=""
  [ "$want_test" = 1 ] && extra="[test]"
  .venv/bin/python -m pip install -q -c constraints.txt -e ".$extra"
  touch "$stamp"
fi
# byte-compile the app's own modules (an editable install leaves them as source; where
# PYTHONDONTWRITEBYTECODE is set, every start would compile them again: ~0.1 s)
.venv/bin/python -m compileall -q src >/dev/null || true
