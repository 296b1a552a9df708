"""One beat at a time, by design (mentoring.beat.LockedScheduler): a second beat neither crashes nor
sends, and takes over when the first one dies. Real `celery beat` processes.

Before the lock, two beats sharing var/celerybeat-schedule both sent every entry, and one of them
crashed on start about one run in two (`UnpicklingError: pickle data was truncated`).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.deploy.processes import kill_group, stop_group

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
SENDS = "Sending due task every-second"


class Beat:
    def __init__(self, name: str, *, var_dir: Path, database_url: str, log_dir: Path):
        self.name, self.log = name, log_dir / f"beat-{name}.log"
        dropped = {"REDIS_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        # No REDIS_URL: each beat publishes to the file-system broker in its VAR_DIR, which no
        # worker reads, so the suite's Redis sees none of it.
        env.update(
            DJANGO_SETTINGS_MODULE="mentoring.settings",
            DATABASE_URL=database_url,
            VAR_DIR=str(var_dir),
            CONN_MAX_AGE="0",
            # This checkout's code, whichever one the virtualenv was installed from.
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        command = [str(CELERY), "-A", "tests.deploy.beat_app", "beat", "--loglevel=INFO"]
        command.append("--max-interval=1")  # a standby tries the lock every second
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def sends(self) -> int:
        return self.text().count(SENDS)

    def wait_for(self, what: str, *, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if what in self.text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"beat {self.name} never logged {what!r}:\n{self.text()}")

    def kill(self) -> None:
        kill_group(self.process)

    def stop(self) -> None:
        stop_group(self.process, grace=10)


def wait_for_one_sender(beats: list[Beat], timeout: float = 20) -> tuple[Beat, Beat]:
    """(the beat that sends, the standby), once one sends and the other has said it stands by."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for holder, standby in (beats, beats[::-1]):
            if holder.sends() and "another beat is running" in standby.text():
                return holder, standby
        time.sleep(0.1)
    pytest.fail("\n\n".join(f"beat {beat.name}:\n{beat.text()}" for beat in beats))


def two_beats_send_from_one_at_a_time(var_dirs: tuple[Path, Path], database_url: str, logs: Path):
    # Started together, as `docker compose up --scale beat=2` or two `make run` would.
    beats = [
        Beat(name, var_dir=var_dir, database_url=database_url, log_dir=logs)
        for name, var_dir in zip(("one", "two"), var_dirs, strict=True)
    ]
    try:
        holder, standby = wait_for_one_sender(beats)
        sent = holder.sends()
        time.sleep(3)
        assert standby.process.poll() is None, standby.text()  # it did not crash
        assert standby.sends() == 0, standby.text()
        assert holder.sends() > sent  # the holder goes on
        holder.kill()  # no clean-up: the lock must go with the process
        standby.wait_for("took over the beat lock", timeout=10)
        standby.wait_for(SENDS, timeout=5)
        assert standby.process.poll() is None
        for beat in beats:
            assert "Traceback" not in beat.text(), beat.text()
    finally:
        for beat in beats:
            beat.stop()


def test_two_beats_on_one_schedule_file_send_from_one_at_a_time(tmp_path):
    """The embedded default: one machine, one var/ folder, SQLite: the lock is a flock."""
    var = tmp_path / "var"
    database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    two_beats_send_from_one_at_a_time((var, var), database_url, tmp_path)


@pytest.mark.postgres
def test_two_beats_in_separate_containers_send_from_one_at_a_time(tmp_path, db):
    """As in docker compose: each beat its own file system, the database shared: an advisory lock."""
    from tests.reminders.worker import database_url

    two_beats_send_from_one_at_a_time(
        (tmp_path / "one", tmp_path / "two"), database_url(), tmp_path
    )


@pytest.mark.postgres
def test_a_beat_whose_lock_session_ends_stops_sending_until_it_holds_the_lock_again(tmp_path, db):
    """A database restart ends the session that held the advisory lock: the beat notices before
    its next send, stands by, and schedules again once it holds a new lock."""
    from django.db import connection

    from tests.reminders.worker import database_url

    beat = Beat("only", var_dir=tmp_path / "var", database_url=database_url(), log_dir=tmp_path)
    try:
        beat.wait_for(SENDS)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            assert cursor.fetchall() == [(True,)]
        beat.wait_for("lost the beat lock", timeout=5)
        sent = beat.sends()
        beat.wait_for("took over the beat lock", timeout=10)
        deadline = time.monotonic() + 5
        while beat.sends() == sent and time.monotonic() < deadline:
            time.sleep(0.1)
        assert beat.sends() > sent, beat.text()
        assert beat.process.poll() is None
    finally:
        beat.stop()
