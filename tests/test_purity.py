"""The pure layers never import Qt (checked in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PURE = ["szkiosk.content", "szkiosk.deck", "szkiosk.geo"]
QT = ("PySide6", "shiboken6", "pyqtgraph")


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_no_qt(module: str) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {QT!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in Qt: {out.stdout.strip()}"


def test_pure_sources_have_no_qt_import_lines() -> None:
    from pathlib import Path

    import szkiosk

    root = Path(szkiosk.__file__).parent
    files = [root / "deck.py", *(root / "content").rglob("*.py"), *(root / "geo").rglob("*.py")]
    offenders = [
        f"{f.name}:{n}" for f in files for n, line in enumerate(f.read_text().splitlines(), 1)
        if line.lstrip().startswith(("import ", "from ")) and any(q in line for q in QT)
    ]
    assert offenders == []


def test_every_content_type_has_a_panel_class_loaded_on_demand() -> None:
    code = (
        "import sys\n"
        "import szkiosk.ui.stage\n"
        "from szkiosk.content import PANEL_MODELS\n"
        "from szkiosk.panels import REGISTRY\n"
        "early = sorted(m for m in sys.modules if m.startswith('szkiosk.panels.') and m != 'szkiosk.panels.base')\n"
        "missing = sorted(t for t in PANEL_MODELS if REGISTRY.get(t) is None)\n"
        "print(early, missing)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[] []", out.stdout
