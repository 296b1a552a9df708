"""The hot reads written as SQL run as statements prepared once per connection (mentoring/rawsql.py):
what they read does not change, a page's query count does not depend on what the connection ran
before, the captured SQL still says what was read, and a table changed under a kept plan (a
migration while a connection lives) or a statement prepared behind the helper's back costs a
read nothing outside a transaction."""

import uuid

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext

from mentoring import rawsql
from mentoring.models import User
from tests.builders import make_user

pytestmark = pytest.mark.postgres


def _people_sql() -> str:
    """A read no connection has prepared yet (its own text)."""
    return (
        f"SELECT id, email, name FROM mentoring_user WHERE id IN (%s, %s) ORDER BY id"
        f" -- {uuid.uuid4().hex}\n"
    )


def _read(sql, first, second):
    with CaptureQueriesContext(connection) as queries:
        found = rawsql.rows(User, sql, [first.pk, second.pk])
    return [(u.pk, u.email, u.name) for u in found], [q["sql"] for q in queries]


@pytest.mark.django_db
def test_a_prepared_read_reads_what_the_plain_one_reads_in_one_query_each_time():
    ada, bo = make_user("ada@example.org", name="Ada"), make_user("bo@example.org", name="Bo")
    sql = _people_sql()
    plain = [(u.pk, u.email, u.name) for u in User.objects.raw(sql, [ada.pk, bo.pk])]

    first, first_sql = _read(sql, ada, bo)
    again, again_sql = _read(sql, ada, bo)

    assert (
        first
        == again
        == plain
        == [(ada.pk, "ada@example.org", "Ada"), (bo.pk, "bo@example.org", "Bo")]
    )
    assert len(first_sql) == len(again_sql) == 1
    assert first_sql[0].startswith("PREPARE ") and "; EXECUTE " in first_sql[0]
    assert again_sql[0].startswith("EXECUTE ")
    assert "FROM mentoring_user WHERE id IN ($1, $2)" in again_sql[0]  # the SQL, as a comment


@pytest.mark.django_db
def test_a_percent_sign_in_the_sql_stays_a_percent_sign():
    make_user("percent@example.org", name="Per Cent")
    sql = "SELECT id, name FROM mentoring_user WHERE email LIKE %s AND name LIKE 'Per%%'"
    for _ in range(2):
        found = rawsql.rows(User, sql, ["percent@%"])
        assert [u.name for u in found] == ["Per Cent"]


@pytest.mark.django_db
def test_without_prepared_statements_the_read_is_plain(settings):
    ada, bo = make_user(), make_user()
    settings.PREPARED_STATEMENTS = False
    found, sql = _read(_people_sql(), ada, bo)
    assert [pk for pk, *_ in found] == [ada.pk, bo.pk]
    assert sql[0].startswith("SELECT ")


@pytest.mark.django_db(transaction=True)
def test_a_table_changed_under_a_kept_plan_is_read_again():
    person = make_user("kept@example.org")
    sql = "SELECT * FROM mentoring_user WHERE id = %s"
    assert [u.email for u in rawsql.rows(User, sql, [person.pk])] == ["kept@example.org"]
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE mentoring_user ADD COLUMN rawsql_probe integer")
    try:
        # PostgreSQL: "cached plan must not change result type"; the helper prepares it anew.
        found = rawsql.rows(User, sql, [person.pk])
        assert [(u.email, u.rawsql_probe) for u in found] == [("kept@example.org", None)]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE mentoring_user DROP COLUMN rawsql_probe")


@pytest.mark.django_db(transaction=True)
def test_a_statement_prepared_before_the_helper_knew_is_used():
    person = make_user("behind@example.org")
    sql = "SELECT id, email FROM mentoring_user WHERE id = %s"
    name, statement, _ = rawsql._statement(sql)
    connection.close()
    with connection.cursor() as cursor:  # a new session, where it is prepared first by hand
        cursor.execute(f"PREPARE {name} AS {statement}")
    with CaptureQueriesContext(connection) as queries:
        assert [u.email for u in rawsql.rows(User, sql, [person.pk])] == ["behind@example.org"]
    assert [q["sql"].split()[0] for q in queries] == ["EXECUTE"]


@pytest.mark.django_db(transaction=True)
def test_a_read_that_failed_leaves_the_next_one_working():
    person = make_user("failed@example.org")
    sql = "SELECT id, email FROM mentoring_user WHERE id = %s"
    with pytest.raises(DataError):  # PREPARE takes, EXECUTE fails: not an integer
        rawsql.rows(User, sql, ["not a number"])
    assert [u.email for u in rawsql.rows(User, sql, [person.pk])] == ["failed@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_new_database_connection_prepares_again():
    person = make_user("fresh@example.org")
    sql = "SELECT id, email FROM mentoring_user WHERE email = %s"
    assert len(rawsql.rows(User, sql, [person.email])) == 1
    connection.close()
    with CaptureQueriesContext(connection) as queries:
        assert len(rawsql.rows(User, sql, [person.email])) == 1
    assert queries[0]["sql"].startswith("PREPARE ")
