"""An ended pairing asks for no more feedback; what was given stays readable."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from feedback.models import FeedbackRequest
from feedback.reminders import feedback_cycles_closing, feedback_due_soon, feedback_requested
from feedback.services import open_fit_check
from programs.services.dyads import end_dyad
from tests.feedback.helpers import make_cycle, request_of, submit


def _asked(world, now) -> list[FeedbackRequest]:
    sweeps = (feedback_requested, feedback_due_soon, feedback_cycles_closing)
    # A sweep names its recipient by a plain row (mentoring.reminders.Person), not a User.
    return [o.target for sweep in sweeps for o in sweep(now) if o.recipient.pk == world.mentee.pk]


def test_mentee_re_paired_for_poor_fit_is_no_longer_asked_about_the_old_mentor(client, world):
    cycle = make_cycle(world)
    open_fit_check(dyad=world.dyad)
    fit_check = FeedbackRequest.objects.get(dyad=world.dyad, kind="fit_check", author_role="mentee")
    submit(request_of(cycle, world.dyad, "mentor"))
    end_dyad(dyad=world.dyad, by=world.admin, reason="poor_fit")

    client.force_login(world.mentee)
    assert f"Give feedback to {world.mentor}" not in client.get(reverse("home")).text
    assert f"Is {world.mentor} a good fit?" not in client.get(reverse("home")).text
    mine = client.get(reverse("feedback:mine"))
    assert list(mine.context["open_requests"]) == []
    for moment in (timezone.now(), timezone.now() + timedelta(days=13, hours=10)):
        assert _asked(world, moment) == []
    assert client.get(fit_check.get_absolute_url()).status_code == 200

    client.force_login(world.mentor)
    answered = request_of(cycle, world.dyad, "mentor")
    assert answered.submitted_at is not None
    assert client.get(answered.get_absolute_url()).status_code == 200


def test_an_open_dyad_is_still_asked(world):
    make_cycle(world)
    assert _asked(world, timezone.now())
