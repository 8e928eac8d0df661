"""Where the files that ship with szkiosk are: the bundled deck and the app's own data (maps).

Curators keep them at the top of the repository, in ``content/`` and ``assets/``. A wheel has
no repository around it, so its build copies both folders into the package, as
``szkiosk/_bundled/content`` and ``szkiosk/_bundled/assets`` (pyproject.toml,
``[tool.hatch.build.targets.wheel.force-include]``). An editable install or a checkout on
``sys.path`` has no such copy and uses the repository's folders. Either way the package is
found with :mod:`importlib.resources`, so nothing here depends on where a file sits relative
to this one.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

#: The folder inside the installed package that holds the copies (wheel builds only).
PACKAGED = "_bundled"


def _package_dir() -> Path:
    """The installed ``szkiosk`` package folder (a real folder: Qt and the map loader open files by path)."""
    root = files("szkiosk")
    if not isinstance(root, Path):  # a zipped install: there is no file path to hand to Qt
        raise RuntimeError(f"szkiosk must be installed as files on disk, not inside {root!r}")
    return root


@cache
def data_dir(name: str) -> Path:
    """``content`` or ``assets``: the wheel's packaged copy, else the repository's folder.

    When neither exists the packaged path is returned, so the error a caller reports
    (``file not found: .../deck.yaml``) names where an installed copy should have had it.
    """
    package = _package_dir()
    packaged = package / PACKAGED / name
    if packaged.is_dir():
        return packaged
    checkout = package.parent.parent / name  # src/szkiosk -> the repository's top
    if checkout.is_dir():
        return checkout
    return packaged


def bundled_deck() -> Path:
    """The deck that ships with szkiosk (the folder holding its ``deck.yaml``)."""
    return data_dir("content")


def asset(relative: str) -> Path:
    """One of szkiosk's own data files, e.g. ``asset("map/land-50m.json")``."""
    return data_dir("assets") / relative
