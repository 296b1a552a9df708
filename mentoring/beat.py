"""One beat schedules at a time, by design: `LockedScheduler` sends tasks only while it holds the beat
lock (CELERY_BEAT_SCHEDULER).

Two beats at once (`docker compose up --scale beat=2`, a restart that overlaps the old process, a
second `make run`) used to open one schedule file together, and one could crash on start with
`UnpicklingError: pickle data was truncated` while both sent every sweep. Now the second one is a
standby: it opens no schedule file and sends nothing, says "another beat is running", and tries the
lock again every few seconds; when the first one dies, its lock goes with it and the standby takes
over from the schedule file the first one left (when they share it).

The lock ends with the process that holds it, so a beat killed with SIGKILL never leaves it behind:
- PostgreSQL: a session advisory lock, held on a connection of the scheduler's own. Beats in
  different containers or on different hosts share the database, not a file. It needs a direct
  connection (a transaction-pooling PgBouncer would hand the session to someone else).
- SQLite, the embedded default (one machine): an exclusive `flock` on `<schedule file>.lock`.
"""

import contextlib
import fcntl
from pathlib import Path
from typing import IO

from celery.beat import PersistentScheduler, Scheduler
from celery.utils.log import get_logger

logger = get_logger(__name__)

# The lock's name among this database's advisory locks: any fixed 64-bit number, used nowhere else.
ADVISORY_LOCK_KEY = 7_340_586_512_011_203
# How often a standby tries the lock: how long the schedule may go unsent after the holder dies.
STANDBY_INTERVAL = 5.0


class FileLock:
    """An exclusive flock on a file: for beats that share a machine (the embedded default)."""

    def __init__(self, path: Path):
        self.path = path
        self._file: IO | None = None

    def __str__(self) -> str:
        return f"flock {self.path}"

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.path.open("a")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            return False
        self._file = file
        return True

    def held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a connection of its own: for beats anywhere."""

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self._connection = None

    def __str__(self) -> str:
        return f"PostgreSQL advisory lock {ADVISORY_LOCK_KEY}"

    def acquire(self) -> bool:
        from django.db import DatabaseError, connections

        # Not Django's per-thread connection: nothing else may close it while the lock is held.
        connection = connections.create_connection(self.alias)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                (acquired,) = cursor.fetchone()
        except DatabaseError as error:
            logger.warning("beat: cannot reach the database for the beat lock: %s", error)
            acquired = False
        if not acquired:
            connection.close()
            return False
        self._connection = connection
        return True

    def held(self) -> bool:
        """The session is alive, so its lock is: a database restart ends both."""
        from django.db import DatabaseError

        if self._connection is None:
            return False
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            self.release()
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            # Ending the session releases the lock; a broken connection has lost it already.
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


def beat_lock(schedule_filename: str) -> FileLock | AdvisoryLock:
    import django
    from django.apps import apps
    from django.db import connections

    if not apps.ready:
        django.setup()
    if connections["default"].vendor == "postgresql":
        return AdvisoryLock()
    return FileLock(Path(f"{schedule_filename}.lock"))


class LockedScheduler(Scheduler):
    """Celery's file-backed scheduler, open and sending only while this beat holds the beat lock;
    without it, a standby that tries the lock again every STANDBY_INTERVAL seconds.

    It holds a `PersistentScheduler` rather than being one: the scheduler is created (its schedule
    file opened) when the lock is taken, and closed with its public `close()` (synced, file closed,
    broker connection released) when the lock is lost, so nothing here reaches into Celery's
    private state. Beat's loop asks this object for `tick()`, `should_sync()` and `close()`."""

    def __init__(self, *args, schedule_filename: str | None = None, **kwargs):
        self.schedule_filename = schedule_filename
        self._lock: FileLock | AdvisoryLock | None = None
        self._holder: PersistentScheduler | None = None
        super().__init__(*args, **kwargs)

    def setup_schedule(self) -> None:
        self._lock = beat_lock(self.schedule_filename)
        if self._lock.acquire():
            logger.info("beat: holding the beat lock (%s): this beat schedules", self._lock)
            self._open()
        else:
            self._stand_by()

    def tick(self, *args, **kwargs) -> float:
        if self._holder is None:  # a standby
            if not self._lock.acquire():
                return min(STANDBY_INTERVAL, self.max_interval)
            logger.warning(
                "beat: took over the beat lock (%s): this beat schedules now", self._lock
            )
            self._open()
        elif not self._lock.held():
            logger.error(
                "beat: lost the beat lock (%s): sending nothing until it is back", self._lock
            )
            self._close_schedule()
            self._stand_by()
            return 0
        return self._holder.tick(*args, **kwargs)

    @property
    def schedule(self) -> dict:
        return self._holder.schedule if self._holder is not None else self.data

    def sync(self) -> None:
        if self._holder is not None:
            self._holder.sync()

    def close(self) -> None:
        try:
            self._close_schedule()
            super().close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def _open(self) -> None:
        """Open the schedule file the previous holder left (when they share it) and send from it."""
        self._holder = PersistentScheduler(
            app=self.app,
            schedule_filename=self.schedule_filename,
            max_interval=self.max_interval,
            sync_every_tasks=self.sync_every_tasks,
        )

    def _stand_by(self) -> None:
        logger.warning(
            "beat: another beat is running (it holds the %s): this one sends nothing and takes "
            "over when it stops",
            self._lock,
        )

    def _close_schedule(self) -> None:
        holder, self._holder = self._holder, None
        if holder is not None:
            holder.close()

    @property
    def info(self) -> str:
        return f"    . db -> {self.schedule_filename}\n    . lock -> {self._lock}"
