"""Packaging: where szkiosk finds its bundled deck and maps, one Python claim everywhere, and a
built wheel that works away from the repository (the last one is slow: it installs a venv)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from szkiosk import resources
from szkiosk.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: pip's cache as the developer has it; the conftest gives every test a private HOME.
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pip")


def lowest_python() -> tuple[int, int]:
    """The lowest Python that pyproject.toml claims (requires-python = ">=X.Y")."""
    found = re.fullmatch(r">=(\d+)\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert found, "requires-python should read >=X.Y"
    return int(found[1]), int(found[2])


# -- one Python claim ------------------------------------------------------------------------
def test_ruff_targets_the_lowest_python() -> None:
    major, minor = lowest_python()
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py{major}{minor}"


def test_readme_and_constraints_state_the_lowest_python() -> None:
    major, minor = lowest_python()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    claims = set(re.findall(r"Python (\d+\.\d+)\+", readme))
    assert claims == {f"{major}.{minor}"}, claims
    assert f"Python {major}.{minor} or newer" in (ROOT / "constraints.txt").read_text(encoding="utf-8")


def test_this_python_is_within_the_claim() -> None:
    assert sys.version_info[:2] >= lowest_python()


def test_every_pin_is_what_this_python_installed() -> None:
    """setup.sh installs with constraints.txt: every pin resolved on this interpreter."""
    pins = [line.split("==") for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    wrong = []
    for name, wanted in pins:
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "not installed"
        if have != wanted:
            wrong.append(f"{name}: pinned {wanted}, installed {have}")
    assert wrong == []


# -- szkiosk.resources ---------------------------------------------------------------------------
def test_in_a_checkout_the_repository_folders_are_used() -> None:
    assert resources.bundled_deck() == ROOT / "content"
    assert resources.asset("map/land-50m.json") == ROOT / "assets" / "map" / "land-50m.json"
    assert resources.asset("map/land-50m.json").is_file()


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch):
    """An installed-looking szkiosk folder (site-packages/szkiosk) for resources to look in."""
    package = tmp_path / "site-packages" / "szkiosk"
    package.mkdir(parents=True)
    monkeypatch.setattr(resources, "_package_dir", lambda: package)
    resources.data_dir.cache_clear()
    yield package
    resources.data_dir.cache_clear()


def test_an_installed_package_uses_its_packaged_copy(fake_package: Path) -> None:
    (fake_package / "_bundled" / "content").mkdir(parents=True)
    (fake_package / "_bundled" / "assets" / "map").mkdir(parents=True)
    assert resources.bundled_deck() == fake_package / "_bundled" / "content"
    assert resources.asset("map/land-50m.json") == fake_package / "_bundled" / "assets" / "map" / "land-50m.json"


def test_a_missing_copy_is_named_where_it_should_be(fake_package: Path) -> None:
    assert resources.bundled_deck() == fake_package / "_bundled" / "content"


@pytest.mark.parametrize("command", [["run"], ["validate"], ["shot", "--out", "x"], ["export"], ["bench"]])
def test_deck_is_optional_where_the_bundled_deck_makes_sense(command: list[str]) -> None:
    assert build_parser().parse_args(command).deck is None


# -- the wheel, installed away from the repository -----------------------------------------------
def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False, **kwargs)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
def test_the_wheel_carries_the_deck_and_works_from_a_fresh_venv(tmp_path: Path) -> None:
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], cwd=ROOT)
    (wheel,) = dist.glob("szkiosk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {n.removeprefix("szkiosk/_bundled/") for n in names if n.startswith("szkiosk/_bundled/")}
    in_repo = {p.relative_to(ROOT).as_posix() for folder in ("content", "assets")
               for p in (ROOT / folder).rglob("*") if p.is_file()}
    assert bundled == in_repo
    package = ROOT / "src" / "szkiosk"
    in_src = {f"szkiosk/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert in_src - names == set()  # catalogue.yaml, zh_words.txt, py.typed and every module
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "content/", "assets/"))]

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SZKIOSK_DECK", "DISPLAY", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", PIP_CACHE_DIR=PIP_CACHE, PIP_DISABLE_PIP_VERSION_CHECK="1")
    _run([sys.executable, "-m", "venv", str(venv)], env=env)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"),
          str(wheel)], env=env)

    elsewhere.mkdir()
    where = _run([str(venv / "bin" / "python"), "-c",
                  "from szkiosk.resources import asset, bundled_deck; print(bundled_deck()); "
                  "print(asset('map/land-50m.json'))"], cwd=elsewhere, env=env).stdout.split()
    site = _run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                env=env).stdout.strip()
    for path in map(Path, where):
        assert path.exists() and path.is_relative_to(site), path

    szkiosk = str(venv / "bin" / "szkiosk")
    _run([szkiosk, "--log-file", "none", "validate"], cwd=elsewhere, env=env)
    shots = tmp_path / "shots"
    _run([szkiosk, "--log-file", "none", "shot", "--panel", "sister-cities", "--out", str(shots)],
         cwd=elsewhere, env=env)
    (png,) = shots.rglob("*.png")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert (image.width(), image.height()) == (1920, 1080)
    colours = {image.pixel(x, y) for x in range(0, 1920, 24) for y in range(0, 1080, 24)}
    assert len(colours) > 8, f"{png} looks blank"
