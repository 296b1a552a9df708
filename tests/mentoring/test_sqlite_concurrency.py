"""The embedded default (SQLite, no DATABASE_URL): a second writer waits for the first, never fails.

Web, worker and beat share one file. With SQLite's default deferred transactions a request that
reads, then writes (saving a note) while the worker holds a write gets "database is locked" at
once: SQLite refuses to upgrade a read lock or a stale WAL snapshot and skips the busy timeout.
Immediate transactions take the write lock at BEGIN, so the timeout applies and the save waits.

This runs the real settings in a subprocess, as `make run` would load them, on a fresh file.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

SCENARIO = r"""
import json, threading, time
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    cursor.execute("INSERT INTO note VALUES (1, 'first draft')")
    cursor.execute("CREATE TABLE notice (id INTEGER PRIMARY KEY, sent INTEGER)")
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
connection.close()

worker_writing = threading.Event()
result = {}


def worker():  # the Celery worker marking a chunk of notices sent, slowly
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO notice (sent) VALUES (1)")
            worker_writing.set()
            time.sleep(1)
    finally:
        connection.close()


def save_note():  # the web request: read the note, then write it
    worker_writing.wait()
    started = time.monotonic()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT text FROM note WHERE id = 1")
            cursor.fetchone()
            cursor.execute("UPDATE note SET text = 'agreed next steps' WHERE id = 1")
        result["outcome"] = "saved"
    except Exception as error:
        result["outcome"] = f"{type(error).__name__}: {error}"
    finally:
        result["waited"] = time.monotonic() - started
        connection.close()


threads = [threading.Thread(target=worker), threading.Thread(target=save_note)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=30)
with connection.cursor() as cursor:
    cursor.execute("SELECT text FROM note WHERE id = 1")
    result["note"] = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM notice")
    result["notices"] = cursor.fetchone()[0]
result["journal_mode"] = journal_mode
result["options"] = settings.DATABASES["default"]["OPTIONS"]
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> dict:
    """What the scenario saw, run once for the module (it takes a second and a half)."""
    tmp_path = tmp_path_factory.mktemp("var")
    dropped = {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SECRET_KEY", "CONN_MAX_AGE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    result = subprocess.run(
        [sys.executable, "-c", SCENARIO],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "mentoring.settings", "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_note_saved_while_the_worker_writes_waits_and_is_saved(embedded):
    assert embedded["outcome"] == "saved", embedded
    assert embedded["waited"] > 0.5, embedded  # it queued behind the worker's transaction
    assert (embedded["note"], embedded["notices"]) == ("agreed next steps", 1)


def test_the_embedded_default_uses_immediate_transactions_and_wal(embedded):
    assert embedded["options"]["transaction_mode"] == "IMMEDIATE"
    assert embedded["options"]["timeout"] == 20
    assert embedded["journal_mode"] == "wal"
