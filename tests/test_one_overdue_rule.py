"""One rule of "overdue for a meeting", counted the same by every place that shows it: the program
page, the attention list, the admins' weekly digest and the overdue reminder to both sides."""

import time_machine
from django.urls import reverse

from meetings.services import propose_meeting
from mentoring.models import Notification
from programs.models import Dyad
from tests.builders import make_dyad
from tests.reminders.conftest import at, run

PAIRED = at(2027, 1, 1, 12)
NOW = at(2027, 3, 1, 9)  # a Monday morning: the admins' digest is due


def _pair(world, **kwargs) -> Dyad:
    with time_machine.travel(PAIRED, tick=False):
        return make_dyad(world.program, by=world.admin, cadence_days=30, **kwargs)


def test_program_page_attention_list_digest_and_reminder_agree(client, world):
    # Never met, past its cadence, nothing scheduled or proposed: overdue.
    idle = _pair(world)
    # Never met, past its cadence, but a time is proposed ahead: someone is arranging it.
    arranging = _pair(world)
    with time_machine.travel(at(2027, 2, 25, 12), tick=False):
        propose_meeting(
            dyad=arranging,
            by=arranging.mentee,
            times=[(at(2027, 3, 5, 14), at(2027, 3, 5, 15))],
            confirm_overlap=True,
        )
    # Times proposed that have all passed count for nothing.
    stale = _pair(world)
    with time_machine.travel(at(2027, 1, 20, 12), tick=False):
        propose_meeting(
            dyad=stale,
            by=stale.mentee,
            times=[(at(2027, 1, 25, 14), at(2027, 1, 25, 15))],
            confirm_overlap=True,
        )

    with time_machine.travel(NOW, tick=False):
        client.force_login(world.admin)
        program_page = client.get(reverse("programs:detail", args=[world.program.slug]))
        attention = client.get(reverse("feedback:attention", args=[world.program.slug]))
    on_program_page = {d.pk for d in program_page.context["meetings_overdue"]}
    on_attention_list = {d.pk for d in attention.context["overdue"]}

    run("admin_digest", NOW)
    digest = Notification.objects.get(kind="admin_digest", recipient=world.admin)
    program_dyads = Dyad.objects.filter(program=world.program)
    in_digest = {d.pk for d in program_dyads if f"- {d}: due by" in digest.body}
    count_line = f"Dyads overdue for a meeting: {len(in_digest)}"
    assert count_line in digest.body

    run("dyad_overdue", NOW)
    reminded = set(
        Notification.objects.filter(kind="dyad_overdue").values_list("target_id", flat=True)
    )

    assert idle.pk in on_program_page and stale.pk in on_program_page
    assert arranging.pk not in on_program_page
    assert on_program_page == on_attention_list == in_digest == reminded
    # Both sides of each overdue dyad hear of it.
    assert Notification.objects.filter(kind="dyad_overdue", target_id=idle.pk).count() == 2
    # The page says so, in words.
    assert "Overdue for a meeting (" in attention.content.decode()
