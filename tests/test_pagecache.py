"""Pages kept while the database is unchanged (mentoring/pagecache.py): a second look at a page in
the same state is answered without running the view, and nothing a person sees is ever older than
the last committed write, whoever made it.

These tests commit (transaction=True): inside a test's open transaction pages are never kept, as in
a request that has written and not yet committed.
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from mentoring import pagecache
from mentoring.models import User
from programs.models import Program
from tests.routes import named_views

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


# A kept answer asks for the person and the database's state (the session comes from the cache).
KEPT = 3


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)


def _kept(client, url):
    """The page as kept (asked again until it is: a write in between, a Celery task's say,
    rightly renders it again)."""
    for _ in range(20):
        response, queries = _get(client, url)
        if queries <= KEPT:
            return response
    raise AssertionError(f"{url} was never answered from a kept page")


def test_a_second_look_is_answered_without_running_the_view(world):
    client = _signed_in(world.mentee)
    first, first_queries = _get(client, "/")
    assert first_queries > KEPT  # the home panels' queries
    second = _kept(client, "/")
    without_tokens = TOKEN.sub("", first.content.decode())
    assert TOKEN.sub("", second.content.decode()) == without_tokens
    assert "Welcome, Sam" in second.content.decode()


@pytest.mark.parametrize("how", ["save", "bulk update", "raw SQL"])
def test_a_committed_write_from_anywhere_shows_at_once(world, how):
    client = _signed_in(world.mentee)
    _get(client, "/")
    _kept(client, "/")
    if how == "save":
        world.mentee.name = "Zora Mentee"
        world.mentee.save(update_fields=["name"])
    elif how == "bulk update":  # no signal fires: nothing to forget to invalidate
        User.objects.filter(pk=world.mentee.pk).update(name="Zora Mentee")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {User._meta.db_table} SET name = %s WHERE id = %s",
                ["Zora Mentee", world.mentee.pk],
            )
    response, _ = _get(client, "/")
    assert "Welcome, Zora" in response.content.decode()


def test_each_person_gets_their_own_page(world):
    mentee, mentor = _signed_in(world.mentee), _signed_in(world.mentor)
    _get(mentee, "/")
    _kept(mentee, "/")
    response, _ = _get(mentor, "/")
    assert "Welcome, Maria" in response.content.decode()
    assert "Welcome, Sam" not in response.content.decode()


def test_an_admin_of_another_program_still_gets_404_after_the_page_was_kept(world):
    admin = _signed_in(world.admin)
    _get(admin, f"/programs/{world.program.slug}/")
    _kept(admin, f"/programs/{world.program.slug}/")
    outsider = _signed_in(world.outsider_admin)
    assert outsider.get(f"/programs/{world.program.slug}/").status_code == 404


def test_a_kept_page_carries_a_fresh_working_csrf_token(world):
    client = _signed_in(world.mentee, enforce_csrf_checks=True)
    first, _ = _get(client, "/")
    second = _kept(client, "/")
    tokens = TOKEN.findall(first.content.decode()), TOKEN.findall(second.content.decode())
    assert tokens[0] and tokens[1]
    assert tokens[0][0] != tokens[1][0]  # masked anew for each response
    assert pagecache._placeholder() not in second.content.decode()
    # The kept page's token signs the person out: it is a real token of this session.
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1][0]})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out: to the sign-in page


def test_text_that_looks_like_a_token_is_left_as_typed(world):
    look_alike = "A1" * 32  # 64 letters and digits, like a masked CSRF token
    User.objects.filter(pk=world.mentee.pk).update(name=look_alike)
    client = _signed_in(world.mentee)
    _get(client, "/")
    response = _kept(client, "/")
    assert f"Welcome, {look_alike}" in response.content.decode()


def test_waiting_messages_are_shown_not_a_kept_page(world):
    client = _signed_in(world.mentee)
    _get(client, "/")
    _kept(client, "/")  # without messages
    # A message waiting for the next page, as a form's redirect leaves it (in the messages cookie).
    storage = CookieStorage(HttpRequest())
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.SUCCESS, "Saved!")])
    response, _ = _get(client, "/")
    assert "Saved!" in response.content.decode()
    # ... and the page kept before is still what comes once the message was shown.
    response = _kept(client, "/")
    assert "Saved!" not in response.content.decode()


def test_a_new_minute_renders_again(world, monkeypatch):
    client = _signed_in(world.mentee)
    _get(client, "/")
    _kept(client, "/")
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now + 60)
    _, later = _get(client, "/")
    assert later > KEPT


def test_a_write_still_open_elsewhere_is_shown_once_it_commits(world):
    """Another session (a worker, an admin's request) has written and not yet committed: pages
    read meanwhile are kept without its write, and its commit renders them again."""
    import psycopg2

    client = _signed_in(world.mentee)
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"UPDATE {User._meta.db_table} SET name = %s WHERE id = %s",
                ["Zora Mentee", world.mentee.pk],
            )
        _get(client, "/")
        response = _kept(client, "/")
        assert "Welcome, Sam" in response.content.decode()
        other.commit()
    finally:
        other.close()
    response, _ = _get(client, "/")
    assert "Welcome, Zora" in response.content.decode()


def test_every_models_table_moves_the_counter():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [pagecache.TRIGGER],
        )
        watched = {row[0] for row in cursor.fetchall()}
    tables = set(pagecache.watched_tables())
    assert {"mentoring_user", "meetings_meeting", "django_session"} <= tables
    assert tables <= watched


def test_own_uncommitted_writes_are_never_kept_or_read(world):
    assert pagecache.database_state() is not None
    with transaction.atomic():
        Program.objects.filter(pk=world.program.pk).update(name="Renamed")
        assert pagecache.database_state() is None
        with transaction.atomic():  # savepoints too
            assert pagecache.database_state() is None


def test_a_cache_that_is_down_renders_the_page(world):
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    from django.conf import settings

    with override_settings(CACHES={**settings.CACHES, "pages": down}):
        client = _signed_in(world.mentee)
        _get(client, "/")
        second, queries = _get(client, "/")
    assert "Welcome, Sam" in second.content.decode()
    assert queries > KEPT  # rendered each time


def _kept_views() -> set[str]:
    return {name for name, view in named_views().items() if getattr(view, "keeps_pages", False)}


def test_every_kept_page_still_refuses_people_outside_it(world):
    from tests.feedback.helpers import make_cycle
    from tests.meetings.builders import schedule

    meeting = schedule(world.dyad)
    cycle = make_cycle(world)
    a = world.program.slug
    plan = f"/goals/plan/{world.program.pk}/{world.mentee.pk}/"
    # (view, URL, someone who sees it, someone of another dyad or program: 404, or 403 to a
    # member of the program who is not its admin)
    cases = [
        ("home", "/", world.mentee, None),
        ("programs:detail", f"/programs/{a}/", world.admin, world.outsider_admin),
        ("programs:members", f"/programs/{a}/members/", world.admin, world.outsider_admin),
        ("programs:audit", f"/programs/{a}/audit/", world.admin, world.outsider_admin),
        ("programs:requests", f"/programs/{a}/requests/", world.admin, world.outsider_admin),
        ("programs:notices", f"/programs/{a}/notices/", world.admin, world.outsider_admin),
        ("programs:security", f"/programs/{a}/security/", world.admin, world.outsider_admin),
        ("feedback:program", f"/feedback/programs/{a}/", world.admin, world.outsider_admin),
        ("feedback:attention", f"/feedback/programs/{a}/attention/", world.admin, world.mentor),
        ("feedback:mentors", f"/feedback/programs/{a}/mentors/", world.admin, world.mentee),
        ("feedback:cycle", f"/feedback/cycles/{cycle.pk}/", world.admin, world.outsider_admin),
        ("meetings:detail", f"/meetings/{meeting.pk}/", world.mentee, world.other_mentee),
        ("goals:plan", plan, world.mentor, world.other_mentor),
        ("reports:department", "/reports/", world.admin, world.mentee),
        ("reports:trends", f"/reports/programs/{a}/trends/", world.admin, world.outsider_admin),
        ("reports:mentor_load", f"/reports/programs/{a}/mentor-load/", world.admin, world.mentor),
        ("reports:annual", f"/reports/programs/{a}/annual/", world.admin, world.outsider_admin),
        ("reports:list", f"/reports/programs/{a}/lists/upcoming/", world.admin, world.mentee),
    ]
    assert {name for name, *_ in cases} == _kept_views()
    for name, url, insider, outsider in cases:
        client = _signed_in(insider)
        _get(client, url)
        _kept(client, url)
        if outsider is not None:
            assert _signed_in(outsider).get(url).status_code in (403, 404), name


@pytest.mark.parametrize("held", [None, "a page", ({}, "not compressed"), ({}, b"not zlib"), 7])
def test_whatever_the_cache_holds_that_is_not_a_kept_page_renders_the_page(held):
    assert pagecache._unpacked(held) == (None, {})
