"""The layering contracts of pyproject.toml hold, and they do catch an import across the layers."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mentoring", "programs", "meetings", "goals", "feedback", "reports", "benchmarks")
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
