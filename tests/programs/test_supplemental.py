"""The program admin adds a supplemental mentor for a focus area beside the primary one."""

import datetime as dt

import pytest
from django.urls import reverse

from programs.models import Dyad
from tests.programs.helpers import new_mentor

pytestmark = pytest.mark.django_db


def _url(w):
    return reverse("programs:add_supplemental", args=[w.program.slug])


def test_admin_adds_a_supplemental_mentor_with_focus_and_planned_end(client, world):
    client.force_login(world.admin)
    response = client.post(
        _url(world),
        {
            "mentee": world.mentee.pk,
            "mentor": world.other_mentor.pk,
            "focus_area": "biostatistics",
            "ends_on": "2030-06-30",
        },
    )
    dyad = Dyad.objects.get(mentee=world.mentee, kind=Dyad.Kind.SUPPLEMENTAL)
    assert response.status_code == 302
    assert dyad.focus_area == "biostatistics"
    assert dyad.ends_on == dt.date(2030, 6, 30)
    world.dyad.refresh_from_db()
    assert world.dyad.status == Dyad.Status.ACTIVE  # the primary dyad goes on


def test_a_supplemental_mentor_does_not_need_an_open_place(client, world):
    full = new_mentor(world, capacity=0, name="Full Mentor")
    client.force_login(world.admin)
    client.post(
        _url(world), {"mentee": world.mentee.pk, "mentor": full.pk, "focus_area": "writing"}
    )
    assert Dyad.objects.filter(mentor=full, kind="supplemental").exists()


def test_admin_must_name_the_focus_area(client, world):
    client.force_login(world.admin)
    response = client.post(
        _url(world), {"mentee": world.mentee.pk, "mentor": world.other_mentor.pk, "focus_area": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["focus_area"]


def test_admin_cannot_add_the_primary_mentor_again_as_supplemental(client, world):
    client.force_login(world.admin)
    response = client.post(
        _url(world), {"mentee": world.mentee.pk, "mentor": world.mentor.pk, "focus_area": "stats"}
    )
    assert "are already paired in this program" in response.content.decode()
