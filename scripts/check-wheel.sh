#!/usr/bin/env bash
# Prove the wheel works away from the repository: build the sdist and the wheel (from that
# sdist, as `python -m build` does), install the wheel with its dependencies (pinned by
# constraints.txt) into a fresh venv outside the checkout, then from another folder, offscreen
# and with no DECK argument, run `szkiosk validate` and `szkiosk shot --panel sister-cities`.
# The deck and the map must come from inside the installed package, and the PNG must not be
# blank. tests/test_packaging.py does the same under pytest.
# Usage: scripts/check-wheel.sh [WORKDIR]   (default: a temporary folder, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/setup.sh --test >/dev/null

if [ -n "${1:-}" ]; then
  work=$(mkdir -p "$1" && cd "$1" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/szkiosk-wheel.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
case "$work/" in "$root"/*) echo "check-wheel: WORKDIR must be outside the checkout" >&2; exit 2 ;; esac

echo "check-wheel: building sdist and wheel into $work/dist"
if ! .venv/bin/python -m build --outdir "$work/dist" . >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  exit 1
fi
wheel=$(ls "$work"/dist/szkiosk-*.whl)
echo "check-wheel: $(basename "$wheel"), data files it carries:"
.venv/bin/python - "$wheel" <<'EOF'
import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
data = [n for n in names if not n.endswith(".py") and ".dist-info/" not in n]
for name in data:
    print("   ", name)
print(f"    ({len(names)} files in all)")
need = ["szkiosk/_bundled/content/deck.yaml", "szkiosk/_bundled/content/data/partners.yaml",
        "szkiosk/_bundled/assets/map/land-50m.json", "szkiosk/_bundled/assets/map/LICENSE-world-atlas.txt",
        "szkiosk/catalogue.yaml", "szkiosk/zh_words.txt", "szkiosk/py.typed"]
missing = [n for n in need if n not in names]
sys.exit(f"check-wheel: the wheel lacks {missing}" if missing else 0)
EOF

echo "check-wheel: installing it with its dependencies into a fresh venv ($work/venv)"
.venv/bin/python -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check -c constraints.txt "$wheel"

mkdir -p "$work/elsewhere"
cd "$work/elsewhere"  # no content/ or assets/ here: everything must come from the wheel
export QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY SZKIOSK_DECK PYTHONPATH || true
site=$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
"$work/venv/bin/python" - "$site" <<'EOF'
import sys

from szkiosk.resources import asset, bundled_deck

site = sys.argv[1]
for path in (bundled_deck() / "deck.yaml", asset("map/land-50m.json")):
    print(f"check-wheel: {path}")
    if not path.is_file() or not str(path).startswith(site):
        sys.exit(f"check-wheel: {path} is not a file inside the installed package ({site})")
EOF
echo "check-wheel: szkiosk validate"
"$work/venv/bin/szkiosk" --log-file none validate
echo "check-wheel: szkiosk shot --panel sister-cities"
"$work/venv/bin/szkiosk" --log-file none shot --panel sister-cities --out "$work/shots"
"$work/venv/bin/python" - "$work/shots" <<'EOF'
import sys
from pathlib import Path

from PySide6.QtGui import QImage

pngs = sorted(Path(sys.argv[1]).rglob("*.png"))
if not pngs:
    sys.exit("check-wheel: szkiosk shot wrote no PNG")
for png in pngs:
    image = QImage(str(png))
    w, h = image.width(), image.height()
    colours = {image.pixel(x, y) for x in range(0, w, max(1, w // 80)) for y in range(0, h, max(1, h // 45))}
    print(f"check-wheel: {png.name}: {w}x{h}, {len(colours)} colours sampled")
    if image.isNull() or len(colours) <= 8:
        sys.exit(f"check-wheel: {png} is blank")
EOF
echo "check-wheel: OK"
