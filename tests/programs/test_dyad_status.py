"""Pause, resume, approve and the per-dyad meeting cadence, each written to the audit log."""

import pytest
from django.urls import reverse

from programs.models import AuditEntry, Dyad
from tests.programs.helpers import proposed_dyad

pytestmark = pytest.mark.django_db


def _post(client, name, dyad, data=None):
    return client.post(reverse(f"programs:{name}", args=[dyad.pk]), data or {})


def test_admin_pauses_and_resumes_a_dyad(client, world):
    client.force_login(world.admin)
    _post(client, "dyad_pause", world.dyad)
    world.dyad.refresh_from_db()
    assert world.dyad.status == Dyad.Status.PAUSED
    response = _post(client, "dyad_resume", world.dyad)
    world.dyad.refresh_from_db()
    assert world.dyad.status == Dyad.Status.ACTIVE
    assert response["Location"] == world.dyad.get_absolute_url()
    assert list(
        AuditEntry.objects.filter(target_id=world.dyad.pk, action__startswith="dyad.p").values_list(
            "action", flat=True
        )
    ) == ["dyad.pause"]
    assert AuditEntry.objects.filter(action="dyad.resume", actor=world.admin).exists()


def test_admin_ending_a_dyad_cannot_then_pause_it(client, world):
    client.force_login(world.admin)
    client.post(reverse("programs:dyad_end", args=[world.dyad.pk]), {"reason": "goals_met"})
    response = _post(client, "dyad_pause", world.dyad)
    world.dyad.refresh_from_db()
    assert world.dyad.status == Dyad.Status.ENDED
    response = client.get(response["Location"])
    assert "This dyad is Ended; it cannot be changed that way." in response.content.decode()


def test_admin_approves_a_proposed_dyad(client, world):
    dyad = proposed_dyad(world)
    client.force_login(world.admin)
    _post(
        client,
        "dyad_approve",
        dyad,
        {"next": reverse("programs:requests", args=[world.program.slug])},
    )
    dyad.refresh_from_db()
    assert dyad.status == Dyad.Status.ACTIVE
    assert dyad.started_on is not None
    assert AuditEntry.objects.filter(action="dyad.approve", target_id=dyad.pk).exists()


def test_a_foreign_next_address_is_ignored(client, world):
    client.force_login(world.admin)
    response = _post(client, "dyad_pause", world.dyad, {"next": "https://evil.example/"})
    assert response["Location"] == world.dyad.get_absolute_url()


def test_mentor_cannot_pause_their_own_dyad(client, world):
    client.force_login(world.mentor)
    assert _post(client, "dyad_pause", world.dyad).status_code == 403


def test_admin_overrides_the_meeting_cadence_of_one_dyad(client, world):
    client.force_login(world.admin)
    url = reverse("programs:dyad_cadence", args=[world.dyad.pk])
    client.post(url, {"cadence_days": "14"})
    world.dyad.refresh_from_db()
    assert world.dyad.effective_cadence_days == 14
    client.post(url, {"cadence_days": ""})
    world.dyad.refresh_from_db()
    assert world.dyad.effective_cadence_days == world.program.default_cadence_days
    assert AuditEntry.objects.filter(action="dyad.cadence").count() == 2


def test_admin_cannot_set_a_cadence_of_zero_days(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("programs:dyad_cadence", args=[world.dyad.pk]), {"cadence_days": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cadence_days"]
