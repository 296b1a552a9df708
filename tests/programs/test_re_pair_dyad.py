"""The program admin re-pairs a mentee: the old dyad ends, the new starts, both or neither."""

import pytest
from django.urls import reverse

from programs.models import Dyad
from tests.programs.helpers import new_mentor

pytestmark = pytest.mark.django_db


def _url(w):
    return reverse("programs:dyad_re_pair", args=[w.dyad.pk])


def test_admin_re_pairs_a_mentee_with_a_new_mentor(client, world):
    new = new_mentor(world, name="Nora Newmentor")
    client.force_login(world.admin)
    response = client.post(_url(world), {"new_mentor": new.pk, "reason": "poor_fit"})
    world.dyad.refresh_from_db()
    current = Dyad.objects.get(mentee=world.mentee, status=Dyad.Status.ACTIVE)
    assert response.status_code == 302
    assert response["Location"] == current.get_absolute_url()
    assert current.mentor == new and current.replaces == world.dyad
    assert world.dyad.status == Dyad.Status.ENDED
    assert world.dyad.end_reason == Dyad.EndReason.POOR_FIT


def test_the_re_pair_form_proposes_poor_fit_and_leaves_out_the_current_mentor(client, world):
    client.force_login(world.admin)
    form = client.get(_url(world)).context["form"]
    assert form["reason"].value() == "poor_fit"
    mentor_ids = [value for value, _ in form.fields["new_mentor"].choices]
    assert world.other_mentor.pk in mentor_ids
    assert world.mentor.pk not in mentor_ids


def test_admin_cannot_re_pair_to_a_full_mentor_and_the_old_dyad_stays(client, world):
    full = new_mentor(world, capacity=0, name="Full Mentor")
    client.force_login(world.admin)
    response = client.post(_url(world), {"new_mentor": full.pk, "reason": "other", "note": "Why"})
    world.dyad.refresh_from_db()
    assert response.status_code == 200
    assert "Full Mentor is at capacity" in response.content.decode()
    assert response.context["form"]["note"].value() == "Why"
    assert world.dyad.status == Dyad.Status.ACTIVE  # one transaction: nothing ended


def test_old_and_new_dyads_link_to_each_other(client, world):
    client.force_login(world.admin)
    client.post(_url(world), {"new_mentor": world.other_mentor.pk, "reason": "poor_fit"})
    new = Dyad.objects.get(mentee=world.mentee, status=Dyad.Status.ACTIVE)
    client.force_login(world.mentee)
    old_page = client.get(world.dyad.get_absolute_url()).content.decode()
    assert f'href="{new.get_absolute_url()}"' in old_page
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert f'href="{world.dyad.get_absolute_url()}"' in new_page


def test_old_mentor_still_reads_the_ended_dyad_but_not_the_new_one(client, world):
    client.force_login(world.admin)
    client.post(_url(world), {"new_mentor": world.other_mentor.pk, "reason": "poor_fit"})
    new = Dyad.objects.get(mentee=world.mentee, status=Dyad.Status.ACTIVE)
    client.force_login(world.mentor)
    assert client.get(world.dyad.get_absolute_url()).status_code == 200
    assert client.get(new.get_absolute_url()).status_code == 404


def test_admin_is_warned_when_the_new_mentor_is_the_supervisor(client, world):
    data = {"new_mentor": world.other_mentor.pk, "reason": "poor_fit", "mentor_is_supervisor": "on"}
    client.force_login(world.admin)
    response = client.post(_url(world), data)
    assert "roles blur" in response.content.decode()
    world.dyad.refresh_from_db()
    assert world.dyad.status == Dyad.Status.ACTIVE
    client.post(_url(world), {**data, "confirm": "1"})
    assert Dyad.objects.get(mentee=world.mentee, status="active").mentor_is_supervisor
