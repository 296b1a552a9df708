"""Onboarding asks a newcomer's time zone (prefilled from the browser, the program's zone without
JavaScript), asks only a mentor what they can offer as one, and the interests are one set of
fields on one page (User.MATCHING_FIELDS, the matching profile) that the account page links to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import User
from programs.models import Membership, Profile
from tests.builders import add_member, make_user

pytestmark = pytest.mark.django_db


def _newcomer(world, role=Membership.Role.MENTEE, email="newbie@a.example") -> User:
    person = make_user(email, name="Nell Newbie")
    Profile.objects.create(user=person)  # what accepting an invitation leaves: onboarding due
    add_member(world.program, person, role)
    return person


def _onboarding(client, person) -> str:
    client.force_login(person)
    first = client.get(reverse("home"))
    assert first["Location"].startswith(reverse("programs:profile"))
    return client.get(first["Location"]).content.decode()


def test_onboarding_asks_the_zone_starting_from_the_programs_without_javascript(client, world):
    world.program.time_zone = "Europe/Berlin"
    world.program.save(update_fields=["time_zone"])
    page = _onboarding(client, _newcomer(world))

    assert '<select name="time_zone"' in page
    assert "data-browser-zone" in page  # static/js/time-zone.js sets the browser's zone
    assert '<option value="Europe/Berlin" selected>' in page  # the program's, until then
    assert "/static/js/time-zone.js" in page


def test_the_zone_chosen_at_onboarding_is_the_persons(client, world):
    person = _newcomer(world)
    client.force_login(person)
    response = client.post(
        reverse("programs:profile"), {"time_zone": "Pacific/Auckland", "next": "/"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "Pacific/Auckland"
    assert person.profile.is_complete
    # Asked once: afterwards the account page has it, and this page no longer asks.
    assert 'name="time_zone"' not in client.get(reverse("programs:profile")).content.decode()


def test_an_unknown_zone_is_refused_with_a_clear_message_and_the_input_kept(client, world):
    person = _newcomer(world)
    client.force_login(person)
    response = client.post(
        reverse("programs:profile"), {"time_zone": "Mars/Olympus", "department": "Neonatology"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mars/Olympus” is not a time zone we know" in page
    assert 'value="Neonatology"' in page
    person.refresh_from_db()
    assert person.time_zone == "UTC" and not person.profile.is_complete


def test_a_mentee_is_not_asked_what_they_can_offer_as_a_mentor(client, world):
    mentee = _newcomer(world)
    assert "What I can offer as a mentor" not in _onboarding(client, mentee)
    client.post(reverse("programs:profile"), {"offers": "Statistics", "wants": "A first paper"})
    mentee.profile.refresh_from_db()
    assert (mentee.profile.offers, mentee.profile.wants) == ("", "A first paper")

    mentor = _newcomer(world, Membership.Role.MENTOR, email="new.mentor@a.example")
    assert "What I can offer as a mentor" in _onboarding(client, mentor)


def test_the_interests_are_edited_on_one_page_the_account_page_links_to(client, world):
    client.force_login(world.mentee)
    account = client.get(reverse("profile")).content.decode()
    matching = client.get(reverse("programs:profile")).content.decode()

    for name in User.MATCHING_FIELDS:
        assert f'name="{name}"' not in account
    assert reverse("programs:profile") in account
    for name in ("department", "career_stage", "expertise"):
        assert f'name="{name}"' in matching
    assert 'name="other_interests"' in matching  # the program lists none: free text only
    assert set(User.PROFILE_FIELDS) == {*User.ACCOUNT_FIELDS, *User.MATCHING_FIELDS}


def test_the_profile_pages_stay_within_the_page_budget(client, world):
    pages = [
        (_newcomer(world), reverse("programs:profile")),  # onboarding: the zone asked
        (world.mentor, reverse("programs:profile")),
        (world.mentor, reverse("profile")),
        (world.admin, reverse("programs:settings", args=[world.program.slug])),
    ]
    for person, url in pages:
        client.force_login(person)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 12, (url, [q["sql"][:120] for q in queries])
