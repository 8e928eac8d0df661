"""The shape of the house: pure layers import no Qt, imports run one way, nothing imports in a
circle (between modules or between packages).

Layers, lowest first (a module may import its own package and anything in a lower layer):

    pure       szkiosk, content, deck, geo, fleet, logs, and the other plain-Python modules
    kit        the Qt drawing kit
    charts     pyqtgraph and QPainter charts
    panels     one class per panel type
    show       stage, window, overlays, start-up
    booth | talk | authoring | bench    (siblings: none imports another)
    cli        the command line

Every import counts, also one inside a function: a lazy import still ties two modules together.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

import szkiosk

SRC = Path(szkiosk.__file__).resolve().parent
PURE = ["szkiosk.content", "szkiosk.deck", "szkiosk.geo", "szkiosk.fleet", "szkiosk.fleet.topics"]
QT = ("PySide6", "shiboken6", "pyqtgraph")

#: Package (second name component) -> layer. Modules directly under szkiosk are pure unless listed.
LAYERS: dict[str, int] = {
    "kit": 1, "charts": 2, "panels": 3, "show": 4,
    "booth": 5, "talk": 5, "authoring": 5, "bench": 5,
    "cli": 6, "__main__": 7,
}


def module_name(path: Path, root: Path = SRC) -> str:
    """``.../szkiosk/show/stage.py`` -> ``szkiosk.show.stage``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, names: Iterable[str], known: set[str]) -> list[str]:
    """Modules an ``from module import names`` really loads (a name may be a submodule)."""
    found = [module] if module in known else []
    found += [f"{module}.{n}" for n in names if f"{module}.{n}" in known]
    if not found:  # a name inside a module we know by a prefix
        parts = module.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts:
            found.append(".".join(parts))
    return found


def import_graph(root: Path = SRC) -> dict[str, set[str]]:
    """Module -> the szkiosk modules it imports anywhere in its source (top level or lazily)."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    known = set(files)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        deps: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    deps.update(_resolve(alias.name, (), known))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                if module.split(".")[0] == root.name:
                    deps.update(_resolve(module, (a.name for a in node.names), known))
        deps.discard(name)
        graph[name] = deps
    return graph


def package_of(module: str) -> str:
    """``szkiosk.show.stage`` -> ``show``; a top-level module is its own package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "szkiosk"


def layer_of(module: str) -> int:
    """The layer a module sits in (0 = pure)."""
    return LAYERS.get(package_of(module), 0)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of nodes (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep):], dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph folded into packages (``show`` -> ``panels`` ...)."""
    out: dict[str, set[str]] = {}
    for module, deps in graph.items():
        src = package_of(module)
        out.setdefault(src, set()).update(package_of(d) for d in deps if package_of(d) != src)
    return out


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports that go up a layer or sideways between sibling packages."""
    bad = []
    for module, deps in graph.items():
        for dep in deps:
            if package_of(dep) == package_of(module):
                continue
            here, there = layer_of(module), layer_of(dep)
            # pure modules import only pure ones; others only lower layers (siblings count as equal)
            if (here == 0 and there > 0) or (here > 0 and there >= here):
                bad.append(f"{module} -> {dep}")
    return sorted(bad)


# -- the checks ------------------------------------------------------------------------------
def test_no_module_imports_in_a_circle() -> None:
    assert find_cycle(import_graph()) is None


def test_no_package_imports_in_a_circle() -> None:
    assert find_cycle(package_graph(import_graph())) is None


def test_imports_run_one_way() -> None:
    assert upward_imports(import_graph()) == []


def test_every_package_has_a_layer() -> None:
    packages = {package_of(m) for m in import_graph()}
    subpackages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    unlisted = subpackages - set(LAYERS) - {"content", "geo", "fleet"}
    assert unlisted == set(), f"give these packages a layer in LAYERS: {unlisted}"
    assert packages >= {"kit", "charts", "panels", "show", "booth", "talk", "authoring"}


# -- the checks catch what they should (planted in a copy of the tree) ------------------------
def _planted_tree(tmp_path: Path, file: str, line: str) -> Path:
    import shutil

    root = tmp_path / "szkiosk"
    shutil.copytree(SRC, root, ignore=shutil.ignore_patterns("__pycache__"))
    target = root / file
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _planted():\n    {line}\n", encoding="utf-8")
    return root


def test_a_planted_module_cycle_is_found(tmp_path: Path) -> None:
    # deck imports nothing of ours; make content.text import deck and deck import content.text
    root = _planted_tree(tmp_path, "deck.py", "from szkiosk.content.text import Text  # planted")
    text = root / "content" / "text.py"
    text.write_text(text.read_text(encoding="utf-8") + "\n\ndef _back():\n    import szkiosk.deck\n",
                    encoding="utf-8")
    cycle = find_cycle(import_graph(root))
    assert cycle is not None and "szkiosk.deck" in cycle and "szkiosk.content.text" in cycle


def test_a_planted_upward_import_is_found(tmp_path: Path) -> None:
    root = _planted_tree(tmp_path, "kit/items.py", "from szkiosk.show.stage import Stage  # planted")
    graph = import_graph(root)
    assert "szkiosk.kit.items -> szkiosk.show.stage" in upward_imports(graph)
    assert find_cycle(package_graph(graph)) is not None


def test_a_planted_sideways_import_is_found(tmp_path: Path) -> None:
    root = _planted_tree(tmp_path, "talk/shots.py", "import szkiosk.booth.kiosk  # planted")
    assert "szkiosk.talk.shots -> szkiosk.booth.kiosk" in upward_imports(import_graph(root))


# -- purity: the pure layers never load Qt ---------------------------------------------------
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


def test_pure_layer_sources_have_no_qt_import() -> None:
    graph = import_graph()
    pure_files = [SRC.parent / (m.replace(".", "/") + ".py") for m in graph if layer_of(m) == 0]
    pure_files = [p if p.exists() else p.with_suffix("") / "__init__.py" for p in pure_files]
    offenders = [
        f"{f.relative_to(SRC.parent)}:{n}" for f in pure_files
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("import ", "from ")) and any(q in line for q in QT)
    ]
    assert offenders == []


def test_panel_modules_load_on_first_use() -> None:
    code = (
        "import sys\n"
        "import szkiosk.show.stage\n"
        "early = sorted(m for m in sys.modules if m.startswith('szkiosk.panels.')\n"
        "               and m not in ('szkiosk.panels.base', 'szkiosk.panels.registry'))\n"
        "print(early)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]", out.stdout
