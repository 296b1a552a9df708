from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings.selectors import dyad_cadence, overdue_dyads
from tests.meetings.builders import held, schedule


def test_next_meeting_is_due_a_cadence_after_the_last_held_one(world):
    meeting = held(world.dyad, days_ago=10)
    cadence = dyad_cadence(world.dyad)
    assert cadence.last_held_at == meeting.starts_at
    # A day of the program's zone: the day it was held there, plus the cadence.
    held_on = timezone.localdate(meeting.starts_at, world.program.zone)
    assert cadence.due_by == held_on + timedelta(days=30)
    assert not cadence.overdue


def test_dyad_past_its_cadence_with_nothing_scheduled_is_overdue_for_both_and_the_admin(
    client, world
):
    world.dyad.cadence_days = 14
    world.dyad.save()
    held(world.dyad, days_ago=20)
    assert dyad_cadence(world.dyad).overdue
    assert overdue_dyads(program_ids=[world.program.pk]) == [world.dyad]
    for person in (world.mentor, world.mentee):
        client.force_login(person)
        assert "Overdue" in client.get("/").text
    client.force_login(world.admin)
    home = client.get("/").text
    # Home leads to them; the program's attention list lists them (its overview counts them).
    attention = reverse("feedback:attention", args=[world.program.slug])
    assert f'href="{attention}#overdue-heading"' in home
    assert f"{world.dyad.mentor} → {world.dyad.mentee}" in client.get(attention).text


def test_a_scheduled_meeting_clears_overdue(world):
    held(world.dyad, days_ago=40)
    assert world.dyad in overdue_dyads(program_ids=[world.program.pk])
    schedule(world.dyad)
    assert world.dyad not in overdue_dyads(program_ids=[world.program.pk])


def test_a_new_dyad_is_due_a_cadence_after_it_started(world):
    later = timezone.now() + timedelta(days=31)
    with time_machine.travel(later, tick=False):
        assert set(overdue_dyads(program_ids=[world.program.pk], now=later)) == {
            world.dyad,
            world.other_dyad,
        }
    assert overdue_dyads(program_ids=[world.program.pk]) == []


def test_paused_dyads_are_not_overdue(world):
    from programs.services.dyads import pause_dyad

    pause_dyad(dyad=world.dyad, by=world.admin)
    later = timezone.now() + timedelta(days=60)
    assert world.dyad not in overdue_dyads(program_ids=[world.program.pk], now=later)


def test_both_and_the_admin_see_next_meeting_due_on_the_dyad_meetings_page(client, world):
    from django.urls import reverse

    held(world.dyad, days_ago=40)
    for person in (world.mentor, world.mentee, world.admin):
        client.force_login(person)
        page = client.get(reverse("meetings:dyad", args=[world.dyad.pk]))
        assert "Next meeting due by" in page.text
        assert "Overdue" in page.text
    dyad_page = client.get(world.dyad.get_absolute_url())
    assert reverse("meetings:dyad", args=[world.dyad.pk]) in dyad_page.text
