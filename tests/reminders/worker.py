"""A real Celery worker in a subprocess, on its own Redis database and queue, for the reliability
tests. It uses the same PostgreSQL test database as the test (which must therefore be
`django_db(transaction=True)`) and writes each e-mail it sends as an .eml file the test counts."""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from mentoring.celery import app

REDIS_DB = 13  # nothing else in the project uses it: the cache takes the broker's number + 1


def _broker_url() -> str:
    """The Redis server the suite uses (REDIS_URL), on a database of its own."""
    base = (os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0").rstrip("/")
    head, _, db = base.rpartition("/")
    return f"{head if db.isdigit() else base}/{REDIS_DB}"


BROKER_URL = _broker_url()
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"  # nothing listens there: "Redis is down"
CELERY = Path(sys.executable).with_name("celery")


def _reset_connections() -> None:
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's process-wide pools are keyed by connection: start from none


@contextmanager
def broker(url: str, queue: str):
    """This process publishes to `url`/`queue` instead of running tasks eagerly."""
    keys = ("broker_url", "task_always_eager", "task_default_queue", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=url,
        task_always_eager=False,
        task_default_queue=queue,
        # Fail fast when nothing listens: the test for "Redis is down" should take a second.
        broker_transport_options={"max_retries": 1, "interval_start": 0, "interval_step": 0.1},
    )
    _reset_connections()
    try:
        yield
    finally:
        _reset_connections()
        app.conf.update(saved)


def database_url() -> str:
    """The test database this test runs in (pytest-django's, per xdist worker), for the worker."""
    from urllib.parse import quote

    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    user = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        user += ":" + quote(settings["PASSWORD"])
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


class Worker:
    """`celery worker` with the solo pool: one process, so SIGKILL kills every part of it."""

    def __init__(self, *, var_dir: Path, queue: str, env: dict | None = None):
        self.var_dir, self.queue = var_dir, queue
        log = var_dir / f"worker-{uuid.uuid4().hex[:6]}.log"
        environment = {
            k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "DJANGO_SETTINGS_MODULE")
        }
        root = Path(__file__).resolve().parents[2]
        environment.update(
            # The project's settings, with a mail backend that can pause (NOTIFICATION_TEST_PAUSE).
            DJANGO_SETTINGS_MODULE="tests.reminders.worker_settings",
            # This checkout's code, whichever one the virtualenv was installed from.
            PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
            DATABASE_URL=database_url(),
            REDIS_URL=BROKER_URL,
            VAR_DIR=str(var_dir),
            CONN_MAX_AGE="0",
            **(env or {}),
        )
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "mentoring",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                f"{queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=root,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, nothing written after this instant."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if not self.log.closed:
            self.log.close()


def purge(queue: str) -> None:
    """Empty this test's queue (and only it: another xdist worker may be using its own)."""
    import redis

    client = redis.Redis.from_url(BROKER_URL)
    client.delete(queue, f"_kombu.binding.{queue}")
    client.close()


def mails(var_dir: Path) -> Counter:
    """How many .eml files the workers wrote per notice (by the X-Mentoring-Notice header)."""
    counts = Counter()
    for path in (var_dir / "mail").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        if message["X-Mentoring-Notice"]:
            # A long header is folded over lines; a key holds no spaces, so unfold by removing them.
            counts["".join(message["X-Mentoring-Notice"].split())] += 1
    return counts


def wait_for(condition, *, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
