#!/usr/bin/env bash
# Set up szkiosk on a Debian/Ubuntu machine: system libraries Qt needs (when root or with
# sudo), a virtual environment in .venv, and the package with its test tools.
# Usage: scripts/setup.sh [--test]    (idempotent: installs only what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# Libraries the PySide6 wheels load: offscreen rendering needs the first line; a real
# window (X11 / Xvfb) needs the xcb ones.
apt_packages="libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0"
# Tests check PDFs with poppler-utils and run the kiosk under a real X server and window
# manager (tests/booth/test_window_guard.py: Xvfb, openbox, xdotool, xwininfo/xprop/xmessage).
# The fleet tests (tests/fleet) start a real Mosquitto broker and real git repositories; openssh-client
# gives ssh-keygen, which signs and verifies the test commits; openssl makes the certificates of
# the broker's TLS listener (tests/fleet/test_tls.py).
[ "$want_test" = 1 ] && apt_packages="$apt_packages poppler-utils xvfb openbox xdotool x11-utils mosquitto git openssh-client openssl"

# The lowest Python szkiosk claims is pyproject.toml's requires-python (one place to change it).
min_python=$(sed -n 's/^requires-python *= *">=\([0-9][0-9.]*\)".*/\1/p' pyproject.toml)
new_enough() {  # is interpreter $1 at least $min_python?
  "$1" -c "import sys; sys.exit(sys.version_info[:2] < tuple(int(p) for p in '$min_python'.split('.')))" \
    >/dev/null 2>&1
}
# $PYTHON if set; else python3, or a newer python3.X beside an older python3 (Ubuntu 22.04).
python_cmd="${PYTHON:-}"
if [ -z "$python_cmd" ]; then
  for candidate in python3 python3.14 python3.13 python3.12 "python$min_python"; do
    if command -v "$candidate" >/dev/null 2>&1 && new_enough "$candidate"; then python_cmd=$candidate; break; fi
  done
fi
if [ -z "$python_cmd" ] || ! new_enough "$python_cmd"; then
  echo "szkiosk setup: needs Python $min_python or newer; ${python_cmd:-python3} is" \
    "$("${python_cmd:-python3}" -V 2>&1 || echo missing)." >&2
  echo "  Install one (e.g. apt-get install python$min_python python$min_python-venv) and run" \
    "again, or name it: PYTHON=python$min_python bash $0" >&2
  exit 1
fi
python_version=$("$python_cmd" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

missing=""
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $apt_packages; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
fi
if ! "$python_cmd" -c "import venv, ensurepip" >/dev/null 2>&1; then
  missing="$missing python$python_version-venv"
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

if [ -x .venv/bin/python ] && ! new_enough .venv/bin/python; then
  echo "szkiosk setup: .venv has Python $(.venv/bin/python -V 2>&1 | cut -d' ' -f2), older than" \
    "$min_python: making it again"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  echo "szkiosk setup: creating .venv with $python_cmd (Python $python_version)"
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
