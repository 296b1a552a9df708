import os
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings

from mentoring.models import User
from programs.models import Dyad, Program
from tests.builders import add_member, make_admin, make_dyad, make_program, make_user

# Real servers on loopback for the calendar tests (tests/calendars and the browser test).
from tests.calendars.servers import ics_server, radicale_server  # noqa: F401

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing(marker: str) -> str | None:
    if marker == "postgres" and not settings.POSTGRES_AVAILABLE:
        return "PostgreSQL is not answering on 127.0.0.1:5432"
    if marker == "redis" and not settings.REDIS_AVAILABLE:
        return "Redis is not answering on 127.0.0.1:6379"
    if marker == "browser" and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing(marker)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth keeps rate-limit counters in the cache: every test starts with none. On Redis, other
    # test processes share the database, so only this process's keys (its KEY_PREFIX) go.
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]

    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_language():
    """A request in another language (Accept-Language, a person's choice) leaves it active in the
    test's thread, as LocaleMiddleware does in a server's: the next test starts in the site's."""
    yield
    from django.utils import translation

    translation.deactivate()


@dataclass
class World:
    """Program A: admin, mentor, mentee and their dyad; other_mentor and other_mentee in another
    dyad. Program B: its own admin (outsider_admin) and an outsider mentee."""

    program: Program
    admin: User
    mentor: User
    mentee: User
    dyad: Dyad
    other_mentor: User
    other_mentee: User
    other_dyad: Dyad
    program_b: Program
    outsider_admin: User
    outsider: User


@pytest.fixture
def world(db) -> World:
    program = make_program("Program A", slug="program-a")
    admin = make_admin(program, email="admin@a.example")
    mentor = make_user("mentor@a.example", name="Maria Mentor", expertise="grant writing")
    mentee = make_user("mentee@a.example", name="Sam Mentee", interests="grant writing")
    dyad = make_dyad(program, mentor=mentor, mentee=mentee, by=admin)
    other_mentor = make_user("other.mentor@a.example")
    other_mentee = make_user("other.mentee@a.example")
    other_dyad = make_dyad(program, mentor=other_mentor, mentee=other_mentee, by=admin)
    program_b = make_program("Program B", slug="program-b")
    outsider_admin = make_admin(program_b, email="admin@b.example")
    outsider = make_user("mentee@b.example")
    add_member(program_b, outsider, "mentee")
    return World(
        program,
        admin,
        mentor,
        mentee,
        dyad,
        other_mentor,
        other_mentee,
        other_dyad,
        program_b,
        outsider_admin,
        outsider,
    )
