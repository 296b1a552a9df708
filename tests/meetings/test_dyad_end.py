from meetings.models import Meeting
from meetings.services import cancel_future_meetings
from programs.services.dyads import end_dyad
from tests.meetings.builders import held, propose, schedule


def test_ending_a_dyad_cancels_its_upcoming_meetings_and_keeps_the_past(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    past = held(world.dyad, days_ago=5)
    upcoming = schedule(world.dyad)
    proposal = propose(world.dyad, by=world.mentor, confirm_overlap=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        end_dyad(dyad=world.dyad, by=world.admin, reason="goals_met")
        # Cancelled in the transaction that ends the dyad; only the e-mails wait for the commit.
        assert Meeting.objects.get(pk=upcoming.pk).status == "cancelled"
        assert mailoutbox == []
    assert callbacks, "the cancellation e-mails are handed over after commit"
    statuses = dict(Meeting.objects.values_list("pk", "status"))
    assert statuses == {past.pk: "held", upcoming.pk: "cancelled", proposal.pk: "cancelled"}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.mentor.email, world.mentee.email])


def test_an_open_dyad_keeps_its_meetings(world):
    schedule(world.dyad)
    assert cancel_future_meetings(dyad=world.dyad, reason="Not ended") == 0


def test_a_meeting_cancelled_by_ending_the_dyad_names_who_ended_it(client, world):
    upcoming = schedule(world.dyad)
    end_dyad(dyad=world.dyad, by=world.admin, reason="goals_met")
    assert Meeting.objects.get(pk=upcoming.pk).cancelled_by == world.admin
    client.force_login(world.mentee)
    page = client.get(upcoming.get_absolute_url()).text
    assert f"Cancelled by {world.admin}" in page
    assert "someone" not in page


def test_a_cancellation_nobody_is_named_for_says_cancelled(client, world):
    upcoming = schedule(world.dyad)
    Meeting.objects.filter(pk=upcoming.pk).update(
        status="cancelled", cancelled_at=upcoming.starts_at, cancel_reason="Clash"
    )
    client.force_login(world.mentee)
    page = client.get(upcoming.get_absolute_url()).text
    assert "Cancelled on" in page
    assert "someone" not in page
