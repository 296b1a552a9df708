"""Rooms a newcomer can read (issue 22): no module of the app over 600 lines and no function over
60, outside what is exempt (tests, migrations, benchmarks, demo seeding). A module or a function
that grows past its limit is cut into named parts before it lands; this test lists the offenders."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MODULE_LINES = 600
FUNCTION_LINES = 60
# Not the app's rooms: the tests, the schema's history, the benchmarks, and the demo data's seeding
# (long lists of example rows, read as data).
EXEMPT_DIRS = {"tests", "migrations", "benchmarks", "node_modules", ".venv", "var", "static"}
EXEMPT_FILES = {"demo.py", "seed_demo.py"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if EXEMPT_DIRS & set(relative.parts) or relative.name in EXEMPT_FILES:
            continue
        if relative.parts[0].startswith("."):
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_no_module_is_longer_than_a_newcomer_reads_at_once():
    long = {
        str(relative): len(text.splitlines())
        for relative, text in _modules()
        if len(text.splitlines()) > MODULE_LINES
    }
    assert long == {}, f"modules over {MODULE_LINES} lines: cut them by subject"


def test_no_function_is_longer_than_one_screen():
    long = {}
    for relative, text in _modules():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long[f"{relative}:{node.lineno} {node.name}"] = lines
    assert long == {}, f"functions over {FUNCTION_LINES} lines: cut them into named steps"


def test_the_limits_see_the_code():
    """The walk reads the app's own modules (a wrong root would make the two tests above pass on
    nothing)."""
    names = {str(relative) for relative, _ in _modules()}
    assert {"mentoring/settings.py", "reports/trends.py", "meetings/views.py"} <= names
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
