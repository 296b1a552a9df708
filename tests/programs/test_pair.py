"""The program admin pairs a mentee with a mentor, seeing load and shared interests."""

import pytest
from django.urls import reverse

from programs.models import Dyad
from tests.builders import add_dyads
from tests.programs.helpers import count_queries, new_mentee, new_mentor

pytestmark = pytest.mark.django_db


def _pair_url(w):
    return reverse("programs:pair", args=[w.program.slug])


def test_admin_pairs_an_unpaired_mentee(client, world):
    mentee = new_mentee(world, name="Nia New")
    client.force_login(world.admin)
    response = client.post(_pair_url(world), {"mentee": mentee.pk, "mentor": world.mentor.pk})
    dyad = Dyad.objects.get(mentee=mentee)
    assert response.status_code == 302
    assert response["Location"] == dyad.get_absolute_url()
    assert dyad.status == Dyad.Status.ACTIVE
    assert dyad.formed == Dyad.Formed.ASSIGNED
    assert dyad.mentor == world.mentor


def test_admin_sees_unpaired_mentees_first_and_each_mentors_open_places(client, world):
    new_mentee(world, name="Aaron Unpaired")
    new_mentor(world, capacity=2, name="Cap Mentor")
    client.force_login(world.admin)
    html = client.get(_pair_url(world)).content.decode()
    assert html.index("Aaron Unpaired") < html.index("Sam Mentee")
    assert "has a primary mentor" in html
    chosen = client.get(_pair_url(world), {"mentee": new_mentee(world).pk}).content.decode()
    assert "Cap Mentor" in chosen and "2 of 2 places left" in chosen
    assert "no limit on mentees" in chosen  # Maria Mentor


def test_admin_sees_topics_a_mentor_shares_with_the_chosen_mentee(client, world):
    mentee = new_mentee(world, name="Nia New", interests="Grant writing; statistics")
    client.force_login(world.admin)
    response = client.get(_pair_url(world), {"mentee": mentee.pk})
    assert "Suggested mentors for Nia New, best match first" in response.content.decode()
    maria = next(m for m in response.context["suggested"] if m.mentor == world.mentor)
    assert "1 shared interest: grant writing" in maria.reasons


def test_admin_cannot_pair_a_mentee_who_already_has_a_primary_mentor(client, world):
    client.force_login(world.admin)
    response = client.post(
        _pair_url(world),
        {"mentee": world.mentee.pk, "mentor": world.other_mentor.pk, "cadence_days": "21"},
    )
    assert response.status_code == 200
    assert "already has a primary mentor (Maria Mentor)" in response.content.decode()
    form = response.context["form"]
    assert form["cadence_days"].value() == "21"  # what the admin typed stays
    assert Dyad.objects.filter(mentee=world.mentee).count() == 1


def test_admin_cannot_pair_with_a_mentor_at_capacity(client, world):
    full = new_mentor(world, capacity=1, name="Full Mentor")
    client.force_login(world.admin)
    client.post(_pair_url(world), {"mentee": new_mentee(world).pk, "mentor": full.pk})
    response = client.post(_pair_url(world), {"mentee": new_mentee(world).pk, "mentor": full.pk})
    assert response.status_code == 200
    assert "Full Mentor is at capacity (1 of 1 mentees)." in response.content.decode()


def test_admin_cannot_pair_someone_who_is_not_a_mentee(client, world):
    client.force_login(world.admin)
    response = client.post(
        _pair_url(world), {"mentee": world.other_mentor.pk, "mentor": world.mentor.pk}
    )
    assert response.status_code == 200
    assert "is not a mentee in Program A" in response.content.decode()


def test_admin_cannot_pair_a_person_from_another_program(client, world):
    client.force_login(world.admin)
    response = client.post(
        _pair_url(world), {"mentee": world.outsider.pk, "mentor": world.mentor.pk}
    )
    assert response.status_code == 200
    assert "Choose a member of this program." in response.content.decode()
    assert not Dyad.objects.filter(mentee=world.outsider, program=world.program).exists()


def test_admin_is_warned_before_pairing_a_mentee_with_their_supervisor(client, world):
    mentee = new_mentee(world)
    data = {"mentee": mentee.pk, "mentor": world.mentor.pk, "mentor_is_supervisor": "on"}
    client.force_login(world.admin)
    response = client.post(_pair_url(world), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "roles blur" in html
    assert 'name="confirm" value="1"' in html
    assert not Dyad.objects.filter(mentee=mentee).exists()

    response = client.post(_pair_url(world), {**data, "confirm": "1"})
    dyad = Dyad.objects.get(mentee=mentee)
    assert response.status_code == 302
    assert dyad.mentor_is_supervisor


def test_admin_goes_back_from_the_supervisor_warning_with_the_input_kept(client, world):
    mentee = new_mentee(world)
    client.force_login(world.admin)
    response = client.post(
        _pair_url(world),
        {"mentee": mentee.pk, "mentor": world.mentor.pk, "mentor_is_supervisor": "on", "edit": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"]["mentee"].value() == str(mentee.pk)
    assert not Dyad.objects.filter(mentee=mentee).exists()


def test_pair_page_costs_the_same_queries_for_10_or_50_dyads(client, world):
    client.force_login(world.admin)
    url = _pair_url(world)
    add_dyads(world.program, 10)
    small = count_queries(client, url, {"mentee": world.mentee.pk})
    add_dyads(world.program, 40)
    # session, user, program, admin check, the chosen mentee, the searched mentees, the mentors
    # (with load and profile), their dyads, the open primary dyad, the navigation, the badge.
    assert count_queries(client, url, {"mentee": world.mentee.pk}) == small <= 12
