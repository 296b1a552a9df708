"""The program admin ends a dyad with a reason; its history stays readable."""

import pytest
from django.urls import reverse

from programs.models import AuditEntry, Dyad

pytestmark = pytest.mark.django_db


def _url(w):
    return reverse("programs:dyad_end", args=[w.dyad.pk])


def test_admin_reads_what_stays_before_ending_a_dyad(client, world):
    client.force_login(world.admin)
    html = client.get(_url(world)).content.decode()
    assert "Ending a dyad deletes nothing" in html
    assert "meetings, notes, action items and feedback stay" in html
    assert "goals and their progress stay Sam Mentee" in html


def test_admin_ends_a_dyad_with_a_reason(client, world):
    client.force_login(world.admin)
    response = client.post(_url(world), {"reason": "goals_met"})
    world.dyad.refresh_from_db()
    assert response.status_code == 302
    assert world.dyad.status == Dyad.Status.ENDED
    assert world.dyad.get_end_reason_display() == "Goals met"
    entry = AuditEntry.objects.get(action="dyad.end")
    assert entry.actor == world.admin
    assert entry.before["status"] == "active" and entry.after["status"] == "ended"


def test_admin_cannot_end_for_other_without_saying_why(client, world):
    client.force_login(world.admin)
    response = client.post(_url(world), {"reason": "other", "note": "  "})
    world.dyad.refresh_from_db()
    assert response.status_code == 200
    assert "Say in a few words why the dyad ends." in response.content.decode()
    assert response.context["form"]["reason"].value() == "other"
    assert world.dyad.status == Dyad.Status.ACTIVE


def test_admin_ends_for_other_with_a_note(client, world):
    client.force_login(world.admin)
    client.post(_url(world), {"reason": "other", "note": "Mentor on sabbatical"})
    world.dyad.refresh_from_db()
    assert world.dyad.end_note == "Mentor on sabbatical"


def test_mentor_and_mentee_still_read_their_ended_dyad(client, world):
    client.force_login(world.admin)
    client.post(_url(world), {"reason": "poor_fit"})
    for person in (world.mentor, world.mentee):
        client.force_login(person)
        response = client.get(world.dyad.get_absolute_url())
        assert response.status_code == 200
        assert "This dyad has ended" in response.content.decode()
        assert "Poor fit" in response.content.decode()


def test_admin_opening_the_end_page_of_an_ended_dyad_is_sent_back(client, world):
    client.force_login(world.admin)
    client.post(_url(world), {"reason": "goals_met"})
    response = client.get(_url(world))
    assert response.status_code == 302
    assert response["Location"] == world.dyad.get_absolute_url()
