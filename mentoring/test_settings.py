"""Settings for the test suite: the real PostgreSQL and Redis when they answer, else the embedded default.

`make test` leaves DATABASE_URL and REDIS_URL unset; this module points them at the local servers when
they accept a connection, and tests/conftest.py skips (or, with REQUIRE_SERVICES=1, fails) the tests
that need a server that is missing.
"""

import os
import socket


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


POSTGRES_AVAILABLE = "DATABASE_URL" in os.environ or _answers("127.0.0.1", 5432)
REDIS_AVAILABLE = "REDIS_URL" in os.environ or _answers("127.0.0.1", 6379)
if POSTGRES_AVAILABLE:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentoring")
if REDIS_AVAILABLE:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("DEBUG", "true")
POSTGRES_AVAILABLE = os.environ.get("DATABASE_URL", "").startswith("postgres")

from mentoring.settings import *  # noqa: E402, F403
from mentoring.settings import CACHES, CONTENT_SECURITY_POLICY  # noqa: E402, F401

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# xdist workers share one Redis: each keeps its own cache keys (rate limits, sessions).
# The database name tells apart test runs of different checkouts on one machine.
_database = os.environ.get("DATABASE_URL", "sqlite").rsplit("/", 1)[-1]
CACHES["default"]["KEY_PREFIX"] = (
    f"test-{_database}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
CACHES["fallback"]["KEY_PREFIX"] = CACHES["default"]["KEY_PREFIX"]
# The tests' calendar and webhook servers listen on loopback (tests/test_outbound.py turns it off).
OUTBOUND_ALLOW_LOOPBACK = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
