"""The core reads in pieces: no module of mentoring/ over 600 lines and no function over 60 (the
migrations aside, which Django writes). A failure lists every offender."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "mentoring"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(path for path in CORE.rglob("*.py") if "migrations" not in path.parts)


def test_no_module_of_the_core_is_over_600_lines():
    long = {
        str(path.relative_to(CORE.parent)): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, long


def test_no_function_of_the_core_is_over_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(CORE.parent)}:{node.lineno} {node.name}"] = lines
    assert not long, long
