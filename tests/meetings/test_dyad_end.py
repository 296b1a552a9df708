from meetings.models import Meeting
from meetings.services import cancel_future_meetings
from programs.services import end_dyad
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
