"""The layering contracts of pyproject.toml hold, and they do catch an import across the layers;
and the core's modules import each other in one direction only, counting every import."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "mentoring",
    "programs",
    "meetings",
    "goals",
    "feedback",
    "reports",
    "conversations",
    "calendars",
    "api",
    "benchmarks",
)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path):
    """A copy of the project's packages and contracts, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_its_layers(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("mentoring/notices_extra.py", "from meetings.models import Meeting", "The core"),
        ("programs/extra.py", "import feedback.models", "programs (people, dyads)"),
        ("goals/extra.py", "from feedback.models import FeedbackRequest", "goals imports"),
        ("meetings/extra.py", "from feedback import services", "Apps in layers"),
        ("feedback/extra.py", "from reports import selectors", "Apps in layers"),
    ],
)
def test_an_import_across_the_layers_breaks_the_lint(tree, module, bad_import, contract):
    (tree / module).write_text(f"{bad_import}  # deliberately wrong\n")
    result = _lint(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


@pytest.mark.parametrize(
    ("module", "late_import", "contract"),
    [
        # A function-level import closes a circle as surely as one at the top.
        (
            "mentoring/registry.py",
            "from mentoring.models import Notification",
            "No circle in the core",
        ),
        (
            "mentoring/notices/planning.py",
            "from mentoring.notices import tasks",
            "Notices in one order",
        ),
        (
            "mentoring/notices/delivery.py",
            "from mentoring.notices import dispatch",
            "Notices in one order",
        ),
    ],
)
def test_an_import_against_the_core_order_breaks_the_lint(tree, module, late_import, contract):
    with (tree / module).open("a") as file:
        file.write(f"\n\ndef _later():\n    {late_import}  # deliberately wrong\n")
    result = _lint(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


# --- No circle in the core -----------------------------------------------------------------------


def _modules(package: str, root: Path) -> dict[str, tuple[Path, bool]]:
    """Every module of `package` (migrations aside: Django loads them): name -> (file, is a
    package's __init__)."""
    modules = {}
    for path in (root / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_init = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_init else parts)] = (path, is_init)
    return modules


def _names(node: ast.Import | ast.ImportFrom, importer: str, is_init: bool, known) -> set[str]:
    """The modules one import statement names: `from a import b` names a.b when that is a module,
    else a."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:  # relative: from the importer's package, one package up per further dot
        package = importer.split(".") if is_init else importer.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    return {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names}


def import_graph(package: str = "mentoring", root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports, counting every import statement of the file:
    at the top, inside a function or under TYPE_CHECKING alike."""
    modules = _modules(package, root)
    graph: dict[str, set[str]] = {}
    for name, (path, is_init) in modules.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                imported |= _names(node, name, is_init, modules)
        graph[name] = {module for module in imported if module in modules} - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as [a, b, ..., a], or [] when there is none (depth-first search)."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state and (cycle := visit(imported)):
                return cycle
        path.pop()
        state[module] = "done"
        return []

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_the_core_imports_in_one_direction_counting_every_import():
    cycle = find_cycle(import_graph("mentoring"))
    assert not cycle, "mentoring/ imports in a circle: " + " -> ".join(cycle)


def test_the_cycle_finder_sees_function_level_and_type_checking_imports(tmp_path):
    package = tmp_path / "core"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from core import b\n")
    (package / "b.py").write_text("def later():\n    from core.c import thing\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from . import a\n"
    )
    assert find_cycle(import_graph("core", tmp_path)) == ["core.a", "core.b", "core.c", "core.a"]
    (package / "c.py").write_text("thing = 1\n")
    assert find_cycle(import_graph("core", tmp_path)) == []
