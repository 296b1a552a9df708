"""The pair's mentoring agreement: either side edits it, both acknowledge each version."""

import pytest
from django.urls import reverse

from programs.models import Agreement

pytestmark = pytest.mark.django_db


def _edit(w):
    return reverse("programs:agreement_edit", args=[w.dyad.pk])


def _ack(w):
    return reverse("programs:agreement_ack", args=[w.dyad.pk])


def _agreement(w) -> Agreement:
    return Agreement.objects.get(dyad=w.dyad)


def test_mentee_and_mentor_acknowledge_the_agreement(client, world):
    for person in (world.mentee, world.mentor):
        client.force_login(person)
        page = client.get(world.dyad.get_absolute_url()).content.decode()
        assert "You have not acknowledged this version" in page
        response = client.post(_ack(world))
        assert response["Location"].endswith("#agreement")
    assert _agreement(world).is_acknowledged
    page = client.get(world.dyad.get_absolute_url()).content.decode()
    assert "I acknowledge this agreement" not in page


def test_editing_the_agreement_asks_both_to_acknowledge_again(client, world):
    for person in (world.mentee, world.mentor):
        client.force_login(person)
        client.post(_ack(world))
    client.force_login(world.mentee)
    response = client.post(
        _edit(world),
        {
            "text": "We meet and we talk.",
            "meeting_frequency": "every two weeks",
            "communication": "e-mail",
            "confidentiality": "",
        },
    )
    agreement = _agreement(world)
    assert response.status_code == 302
    assert agreement.meeting_frequency == "every two weeks"
    assert agreement.updated_by == world.mentee
    assert agreement.mentor_acknowledged_at is None and agreement.mentee_acknowledged_at is None


def test_mentee_must_say_how_often_they_meet(client, world):
    client.force_login(world.mentee)
    response = client.post(_edit(world), {"text": "Our own words", "meeting_frequency": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["meeting_frequency"]
    assert response.context["form"]["text"].value() == "Our own words"


def test_admin_cannot_acknowledge_for_the_pair(client, world):
    client.force_login(world.admin)
    assert client.post(_ack(world)).status_code == 403
    assert "I acknowledge" not in client.get(world.dyad.get_absolute_url()).content.decode()


def test_nobody_edits_the_agreement_of_an_ended_dyad(client, world):
    client.force_login(world.admin)
    client.post(reverse("programs:dyad_end", args=[world.dyad.pk]), {"reason": "goals_met"})
    client.force_login(world.mentee)
    response = client.post(_edit(world), {"text": "Changed", "meeting_frequency": "weekly"})
    assert "can no longer change" in response.content.decode()
    assert _agreement(world).text != "Changed"
    assert "Edit the agreement" not in client.get(world.dyad.get_absolute_url()).content.decode()


def test_admin_edits_the_agreement_and_the_audit_log_says_so(client, world):
    client.force_login(world.admin)
    client.post(_edit(world), {"text": "Program wording", "meeting_frequency": "monthly"})
    from programs.models import AuditEntry

    entry = AuditEntry.objects.get(action="agreement.update")
    assert entry.actor == world.admin
    assert entry.after["meeting_frequency"] == "monthly"
    assert entry.before["meeting_frequency"] != "monthly"
