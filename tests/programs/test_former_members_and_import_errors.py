"""Two faults of issue 23: a deleted account ("Former member", former-member-…@deleted.invalid)
was on "Profiles to complete" (and counted in "Remind all") and a mailto link on the partner's
home; and the supervisor import's errors were shown twice."""

import pytest
from django.urls import reverse

from mentoring.privacy import delete_account
from tests.builders import PASSWORD
from tests.programs.helpers import new_mentee

pytestmark = pytest.mark.django_db


def test_a_deleted_account_is_not_a_profile_to_complete(client, world):
    waiting = new_mentee(world, name="Still Here")
    delete_account(user=world.mentee, password=PASSWORD)
    client.force_login(world.admin)

    page = client.get(reverse("programs:profile_status", args=[world.program.slug]))

    html = page.content.decode()
    assert "deleted.invalid" not in html
    assert "Former member" not in html
    assert str(waiting) in html
    assert world.mentee.pk not in [person.pk for person in page.context["people"]]


def test_remind_all_leaves_deleted_accounts_out(client, world):
    delete_account(user=world.mentee, password=PASSWORD)
    client.force_login(world.admin)
    url = reverse("programs:profile_status", args=[world.program.slug])

    html = client.get(url).content.decode()

    # The world's mentor and the other pair have no profile either: three, not four.
    assert "Remind all 3 of them" in html


def test_the_partner_of_a_deleted_account_gets_no_mailto(client, world):
    delete_account(user=world.mentee, password=PASSWORD)
    client.force_login(world.mentor)

    html = client.get(reverse("home")).content.decode()

    assert "deleted.invalid" not in html
    assert "Former member" in html  # the dyad and its history stay


def test_supervisor_import_errors_are_shown_once(client, world):
    client.force_login(world.admin)

    response = client.post(
        reverse("programs:supervisors_import", args=[world.program.slug]),
        {"text": "nobody@nowhere.example,mentor@a.example"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("nobody@nowhere.example") == 2  # the textarea keeps it, the error names it
