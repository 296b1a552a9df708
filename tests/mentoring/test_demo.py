"""The demo data of ../shared/CONTRACTS.md, loaded by `make run` and by `seed_demo`."""

import io

from django.core.management import call_command
from django.db import connection

from mentoring.models import User
from programs.models import Dyad, Membership
from programs.selectors import is_program_admin


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.django_table_names(only_existing=True)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _row_counts() == first


def test_demo_accounts_match_the_contract(db):
    call_command("seed_demo", stdout=io.StringIO())
    people = {u.email: u for u in User.objects.all()}
    a = Membership.objects.get(user=people["admin@example.com"]).program
    b = Membership.objects.get(user=people["admin2@example.com"]).program
    assert a.name == "Pediatrics Faculty Mentoring"
    assert b.name == "Residency Research Mentoring"
    assert is_program_admin(people["admin@example.com"], a)
    assert not is_program_admin(people["admin@example.com"], b)

    def open_dyad(mentor, mentee, **extra):
        return Dyad.objects.open().get(
            mentor=people[f"{mentor}@example.com"], mentee=people[f"{mentee}@example.com"], **extra
        )

    assert open_dyad("mentor", "mentee", program=a).status == Dyad.Status.ACTIVE
    assert open_dyad("mentor2", "mentee2", program=a).mentor_is_supervisor
    assert open_dyad("mentor", "mentee2", program=a).focus_area == "grant writing"
    assert open_dyad("mentor2", "mentee3", program=a).replaces.end_reason == Dyad.EndReason.POOR_FIT
    assert open_dyad("mentor3", "mentee4", program=b).status == Dyad.Status.ACTIVE
    assert people["superuser@example.com"].is_superuser
    for user in people.values():
        assert user.check_password("mentoring-demo")
        assert user.emailaddress_set.get().verified


def test_every_demo_account_signs_in(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    for email in User.objects.values_list("email", flat=True):
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": "mentoring-demo"})
        assert response.status_code == 302, email
        assert client.get("/").status_code == 200, email


def test_load_program_has_the_requested_dyads(db):
    call_command("seed_demo", "--dyads", "25", stdout=io.StringIO())
    program = Dyad.objects.filter(program__slug="load-25").first().program
    assert program.dyads.filter(status=Dyad.Status.ACTIVE).count() == 25
    call_command("seed_demo", "--dyads", "25", stdout=io.StringIO())
    assert program.dyads.count() == 25


def test_the_load_program_is_administered_by_load_admin(client, db):
    """CONTRACTS: `seed_demo --dyads N` adds a large program administered by load-admin@example.com
    (same password), so its pages can be measured as an admin."""
    call_command("seed_demo", "--dyads", "5", stdout=io.StringIO())
    call_command("seed_demo", "--dyads", "5", stdout=io.StringIO())  # idempotent
    response = client.post(
        "/accounts/login/", {"login": "load-admin@example.com", "password": "mentoring-demo"}
    )
    assert response.status_code == 302
    page = client.get("/programs/load-5/")
    assert page.status_code == 200
    assert "Load Test Program (5 dyads)" in page.content.decode()
