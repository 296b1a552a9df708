from django.urls import reverse

from goals import services
from goals.models import Opportunity


def test_mentor_records_an_opportunity_the_mentee_sees(client, world):
    client.force_login(world.mentor)
    response = client.post(
        reverse("goals:opportunity_create", args=[world.program.pk, world.mentee.pk]),
        {
            "kind": "coauthorship",
            "title": "Co-author the review article",
            "description": "",
            "offered_on": "2026-01-10",
            "outcome": "open",
            "outcome_note": "",
        },
    )
    assert response.status_code == 302
    client.force_login(world.mentee)
    plan = client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk]))
    assert "Co-author the review article" in plan.content.decode()


def test_admin_sees_counts_not_the_list(client, world):
    services.record_opportunity(
        program=world.program, mentee=world.mentee, by=world.mentor, kind="talk", title="Secret"
    )
    services.record_opportunity(
        program=world.program,
        mentee=world.mentee,
        by=world.mentor,
        kind="nomination",
        title="Award",
        outcome=Opportunity.Outcome.SUCCEEDED,
    )
    client.force_login(world.admin)
    plan = client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk]))
    assert "Secret" not in plan.content.decode()
    assert "2 opportunities recorded, 1 taken up" in plan.content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "Program A: 2 recorded, 1 taken up or successful" in home


def test_mentor_of_another_dyad_cannot_record_an_opportunity(client, world):
    client.force_login(world.other_mentor)
    url = reverse("goals:opportunity_create", args=[world.program.pk, world.mentee.pk])
    assert client.get(url).status_code == 404
