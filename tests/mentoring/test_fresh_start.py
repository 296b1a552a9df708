"""A newcomer's first commands on the embedded default: SQLite, file-system broker, no server."""

import os
import subprocess
import sys

from django.conf import settings


def _manage(*args: str, var_dir) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL"}
    }
    env["VAR_DIR"] = str(var_dir)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_migrate_and_seed_demo_work_on_an_empty_var_folder(tmp_path):
    var_dir = tmp_path / "var"  # does not exist yet, as on a fresh clone
    assert _manage("migrate", "--noinput", var_dir=var_dir).returncode == 0
    first = _manage("seed_demo", var_dir=var_dir)
    assert first.returncode == 0, first.stderr
    assert "Demo data ready" in first.stdout
    again = _manage("seed_demo", var_dir=var_dir)
    assert again.returncode == 0, again.stderr
    assert (var_dir / "mentoring.sqlite3").exists()
