"""Content scale: loading and validating a generated deck of hundreds of panels."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from szkiosk.bench.results import Results, Settings, progress


def make_big_deck(source: Path, folder: Path, panels: int) -> Path:
    """A deck of ``panels`` panels: the source deck's panels repeated with fresh ids."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir() and entry.name != "panels":
            shutil.copytree(entry, folder / entry.name, dirs_exist_ok=True)
    deck = yaml.safe_load((source / "deck.yaml").read_text(encoding="utf-8"))
    files = [source / p for p in deck["panels"]]
    texts = [f.read_text(encoding="utf-8") for f in files]
    (folder / "panels").mkdir(exist_ok=True)
    listed = []
    for i in range(panels):
        k = i % len(files)
        data = yaml.safe_load(texts[k])
        base_id = data.get("id", files[k].stem)
        text = texts[k].replace(f"id: {base_id}", f"id: {base_id}-{i:03d}", 1)
        name = f"panels/{i:03d}-{files[k].name}"
        (folder / name).write_text(text, encoding="utf-8")
        listed.append(name)
    deck["panels"] = listed
    deck.get("kiosk", {}).pop("attract_panels", None)
    (folder / "deck.yaml").write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def bench_scale(source: Path, settings: Settings, results: Results) -> None:
    """load_deck + validation (legibility) of a generated deck: in process and as ``szkiosk validate``."""
    from szkiosk.content import load_deck
    from szkiosk.content.legibility import check_legibility

    with tempfile.TemporaryDirectory(prefix="szkiosk-bench-") as tmp:
        folder = make_big_deck(source, Path(tmp) / "deck", settings.scale_panels)
        t0 = time.perf_counter()
        loaded = load_deck(folder)
        t1 = time.perf_counter()
        problems, _ = check_legibility(loaded)
        t2 = time.perf_counter()
        results.scale = {"panels": len(loaded.panels), "errors": len(loaded.errors) + len(problems),
                         "load_ms": (t1 - t0) * 1000, "validate_ms": (t2 - t1) * 1000}
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "szkiosk", "--log-level", "error", "--log-file", "none",
                        "validate", str(folder)], env=env, capture_output=True, timeout=120, check=False)
        results.scale["cli_ms"] = (time.perf_counter() - t0) * 1000
    progress(f"content scale: {results.scale}")
