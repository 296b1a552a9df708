"""The program admin's members list: who is in the program, searchable, filterable, exportable."""

import codecs
import csv
import io

import pytest
from django.urls import reverse

from programs.invitations import invite_member
from programs.models import Membership
from tests.builders import add_member, make_dyad, make_user


def members_url(world, **params):
    url = reverse("programs:members", args=[world.program.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content)  # the rows are read as they stream
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_admin_sees_every_membership_with_profile_and_mentor_load(client, world):
    Membership.objects.filter(program=world.program, user=world.mentor, role="mentor").update(
        capacity=3
    )
    world.mentee.department = "General Pediatrics"
    world.mentee.save()
    client.force_login(world.admin)

    response = client.get(members_url(world))

    assert response.status_code == 200
    page = response.content.decode()
    for person in (world.admin, world.mentor, world.mentee, world.other_mentor):
        assert person.email in page
    assert "Maria Mentor" in page
    assert "General Pediatrics" in page
    assert "grant writing" in page  # the mentor's expertise
    assert "1 / 3" in page  # one open primary mentee of three
    assert "mentee@b.example" not in page  # program B's people stay out


def test_admin_sees_a_full_mentor_marked(client, world):
    Membership.objects.filter(program=world.program, user=world.mentor, role="mentor").update(
        capacity=1
    )
    client.force_login(world.admin)

    response = client.get(members_url(world))

    assert "1 / 1" in response.content.decode()
    assert ">full<" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("Maria", "mentor@a.example", "mentee@a.example"),  # name
        ("other.mentee@", "other.mentee@a.example", "mentor@a.example"),  # e-mail
        ("Neonatology", "mentee@a.example", "mentor@a.example"),  # department
        ("grant", "mentor@a.example", "other.mentor@a.example"),  # expertise and interests
    ],
)
def test_admin_searches_members(client, world, query, found, not_found):
    world.mentee.department = "Neonatology"
    world.mentee.save()
    client.force_login(world.admin)

    page = client.get(members_url(world, q=query)).content.decode()

    assert found in page
    assert f">{not_found}<" not in page


def test_admin_search_with_no_match_says_what_to_do(client, world):
    client.force_login(world.admin)

    response = client.get(members_url(world, q="nobody-like-this"))

    assert "Nobody matches this search" in response.content.decode()
    assert 'value="nobody-like-this"' in response.content.decode()  # the search box keeps it


def test_admin_filters_members_by_role(client, world):
    client.force_login(world.admin)

    page = client.get(members_url(world, role="mentor")).content.decode()

    assert ">mentor@a.example<" in page
    assert ">other.mentor@a.example<" in page
    assert ">mentee@a.example<" not in page
    assert ">admin@a.example<" not in page


def test_admin_sees_pending_invitations(client, world):
    invite_member(program=world.program, by=world.admin, email="soon@a.example", role="mentee")
    client.force_login(world.admin)

    page = client.get(members_url(world)).content.decode()

    assert "Pending invitations" in page
    assert "soon@a.example" in page


def test_admin_downloads_members_as_csv(client, world):
    Membership.objects.filter(program=world.program, user=world.mentor, role="mentor").update(
        capacity=2
    )
    client.force_login(world.admin)

    response = client.get(reverse("programs:members_csv", args=[world.program.slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    by_email = {(row["email"], row["role"]): row for row in rows}
    assert by_email[("mentor@a.example", "mentor")]["capacity"] == "2"
    assert by_email[("mentor@a.example", "mentor")]["load"] == "1"
    assert by_email[("mentor@a.example", "mentor")]["name"] == "Maria Mentor"
    assert by_email[("mentee@a.example", "mentee")]["load"] == ""
    assert len(rows) == world.program.memberships.count()


def test_admin_csv_follows_the_filters_and_defuses_formulas(client, world):
    world.mentor.department = "=HYPERLINK(evil)"
    world.mentor.save()
    client.force_login(world.admin)

    response = client.get(
        reverse("programs:members_csv", args=[world.program.slug]) + "?role=mentor"
    )

    rows = csv_rows(response)
    assert {row["role"] for row in rows} == {"mentor"}
    mentor_row = next(row for row in rows if row["email"] == "mentor@a.example")
    assert mentor_row["department"] == "'=HYPERLINK(evil)"


@pytest.mark.parametrize("name", ["programs:members", "programs:members_csv"])
def test_admin_of_another_program_cannot_see_members(client, world, name):
    client.force_login(world.outsider_admin)

    response = client.get(reverse(name, args=[world.program.slug]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["mentor", "mentee", "outsider"])
def test_non_admin_cannot_see_members(client, world, role):
    client.force_login(getattr(world, role))

    response = client.get(members_url(world))

    assert response.status_code in (403, 404)


def test_members_page_costs_the_same_queries_with_many_members(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.admin)
    with django_assert_max_num_queries(99) as small:
        client.get(members_url(world))
    for index in range(15):
        mentor = make_user(f"load.mentor{index}@a.example")
        add_member(world.program, mentor, "mentor", capacity=2)
        make_dyad(world.program, mentor=mentor, by=world.admin)
        invite_member(
            program=world.program, by=world.admin, email=f"inv{index}@a.example", role="mentee"
        )

    # session, user, program, is-admin, count, page of members, pending invitations, navigation
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(members_url(world))

    assert "load.mentor14@a.example" in response.content.decode()


def test_members_csv_costs_the_same_queries_with_many_members(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.admin)
    url = reverse("programs:members_csv", args=[world.program.slug])
    with django_assert_max_num_queries(99) as small:
        csv_rows(client.get(url))
    for _index in range(10):
        make_dyad(world.program, by=world.admin)

    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = csv_rows(client.get(url))

    assert len(rows) == world.program.memberships.count()
