"""Smoke test of ``szkiosk bench --quick``: it runs and prints its table, and ``--json`` writes the
same figures machine-readable (never a timing assertion)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from szkiosk.bench.report import JSON_SCHEMA

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One ``bench --quick`` run with every output: (the process, its folder)."""
    tmp = tmp_path_factory.mktemp("bench")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(tmp / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "szkiosk", "--log-level", "error", "--log-file", "none", "bench", "--quick",
         "--markdown", str(tmp / "perf.md"), "--chart", str(tmp / "frames.png"), "--json", str(tmp / "perf.json"),
         str(ROOT / "content")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done, tmp


def test_bench_quick_prints_the_table(quick) -> None:
    done, tmp = quick
    for heading in ("## Summary", "## Start-up to first painted panel", "## Frame times", "## Idle cost",
                    "## Memory over panel changes", "## Content scale"):
        assert heading in done.stdout
    assert "| bare PySide6 window |" in done.stdout
    assert "baseline: bare empty scene" in done.stdout
    assert "| changes | RSS MB | PSS MB |" in done.stdout
    assert "[bench]" in done.stderr  # progress goes to stderr
    assert (tmp / "perf.md").read_text(encoding="utf-8") == done.stdout.rstrip("\n") + "\n"
    assert (tmp / "frames.png").stat().st_size > 1000


def rows(markdown: str, header: str) -> list[list[str]]:
    """The body rows of the Markdown table whose header row starts with ``header``."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    out = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        out.append([cell.strip() for cell in line.strip("|").split("|")])
    return out


def test_bench_json_has_every_figure_of_the_table(quick) -> None:
    done, tmp = quick
    data = json.loads((tmp / "perf.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, JSON_SCHEMA)
    md = done.stdout

    # frame sequences: every row of the table, same numbers, with size and kind
    table = rows(md, "| sequence | size |")
    baseline = [s for s in data["frames"]["baseline"]]
    sequences = data["frames"]["sequences"]
    assert len(table) == len(baseline) + len(sequences) and sequences
    shown = {(r[0].strip("*").removeprefix("baseline: "), r[1]): r for r in table}
    for seq in baseline + sequences:
        row = shown[(seq["name"], seq["size"])]
        assert row[2] == f"{seq['frames']} ({seq['painted']})"
        assert row[3:] == [f"{seq['p50_ms']:.1f}", f"{seq['p95_ms']:.1f}", f"{seq['max_ms']:.1f}", str(seq["dropped"])]
        assert seq["kind"] == ("transition" if "→" in seq["name"] else "build")
        assert isinstance(seq["frames"], int) and isinstance(seq["dropped"], int)
    assert {s["kind"] for s in sequences} == {"build", "transition"}
    assert {s["size"] for s in sequences} == {"1080p"}

    # start-up: medians, minimums and ratios
    start = data["startup"]
    assert set(start["median_ms"]) == {"bare", "start_frame", "live"}
    for key, runs in start["runs_ms"].items():
        assert start["median_ms"][key] == statistics.median(runs) and start["min_ms"][key] == min(runs)
    startup = rows(md, "| process | min ms |")
    assert startup[0][1:] == [f"{start['min_ms']['bare']:.0f}", f"{start['median_ms']['bare']:.0f}"]
    assert startup[1][1:] == [f"{start['min_ms']['start_frame']:.0f}", f"{start['median_ms']['start_frame']:.0f}"]
    assert startup[2][1:] == [f"{start['ratio_min']['start_frame']:.2f}", f"{start['ratio_median']['start_frame']:.2f}"]
    assert startup[3][1:] == [f"{start['min_ms']['live']:.0f}", f"{start['median_ms']['live']:.0f}"]
    assert startup[4][1:] == [f"{start['ratio_min']['live']:.2f}", f"{start['ratio_median']['live']:.2f}"]
    content = start["content_import_ms"]  # measured in its own fresh interpreters, interleaved
    assert content["median"] == statistics.median(content["runs"]) and 0 < content["min"] < start["min_ms"]["live"]
    assert startup[5][1:] == [f"{content['min']:.0f}", f"{content['median']:.0f}"]
    summary = {r[0]: r for r in rows(md, "| benchmark | measured |")}
    live = next(v for k, v in summary.items() if k.startswith("start-up to the live first panel"))
    assert live[1] == f"{start['ratio_median']['live']:.2f}" and live[2] == f"<= {start['target_ratio']['live']}"

    # idle CPU
    idle = rows(md, "| panel | CPU % |")
    assert [[r[0], r[1], r[2]] for r in idle] == [
        [i["panel"], f"{i['cpu_percent']:.2f}", f"{i['seconds']:.1f}"] for i in data["idle"]]

    # memory: RSS and PSS at every point
    memory = rows(md, "| changes | RSS MB |")
    points = data["memory"]["points"]
    assert len(memory) == len(points)
    for row, point in zip(memory, points, strict=True):
        pss = "n/a" if point["pss_mb"] is None else f"{point['pss_mb']:.1f}"
        assert row[1:] == [f"{point['rss_mb']:.1f}", pss, str(point["qobjects"]), str(point["items"])]
    if Path("/proc/self/smaps_rollup").exists():
        assert all(isinstance(p["pss_mb"], float) and p["pss_mb"] > 0 for p in points)
    first = data["memory"]["first_panel"]  # the first panel alone, before the lap
    assert f"the first panel alone: RSS {first['rss_mb']:.1f} MB" in md and first["rss_mb"] > 0

    # content scale and the machine
    scale = rows(md, "| step | ms |")
    assert scale[0][1] == f"{data['scale']['load_ms']:.0f}" and scale[1][1] == f"{data['scale']['validate_ms']:.0f}"
    assert scale[2][1] == f"{data['scale']['cli_ms']:.0f}"
    assert f"{data['machine']['cores']} cores" in md and data["qt_platform"] == "offscreen"


def test_the_json_schema_refuses_a_wrong_document(quick) -> None:
    """The schema can fail: a missing key or a wrong type is refused."""
    _, tmp = quick
    data = json.loads((tmp / "perf.json").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(data))
    broken["frames"]["sequences"][0]["dropped"] = "none"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, JSON_SCHEMA)
    del data["startup"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, JSON_SCHEMA)
