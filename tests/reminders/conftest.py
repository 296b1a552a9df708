"""Helpers for the reminder tests: meetings scheduled through the meetings app's own services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentoring.models import Notification
from mentoring.notices.planning import Occasion, plan_notifications


def schedule_meeting(dyad, starts_at: datetime, minutes: int = 60):
    """The mentee proposes one time, the mentor accepts it: a scheduled meeting."""
    from meetings.services import accept_proposal, propose_meeting

    meeting = propose_meeting(
        dyad=dyad,
        by=dyad.mentee,
        times=[(starts_at, starts_at + timedelta(minutes=minutes))],
        confirm_overlap=True,
    )
    return accept_proposal(proposal=meeting.proposals.get(), by=dyad.mentor, confirm_overlap=True)


def notice_for(user, *, program=None, title="Test notice", key=None, target=None) -> Notification:
    """One planned (not yet delivered) notice, the way a sweep plans it."""
    occasion = Occasion(
        recipient=user,
        title=title,
        target=target,
        occasion=key or title,
        url="/",
        program_id=program.pk if program else None,
    )
    plan_notifications(kind="dyad_overdue", due=[occasion])
    return Notification.objects.get(dedupe_key=occasion.dedupe_key("dyad_overdue"))


def notices(mailbox) -> list[str]:
    """The dedupe keys of the reminder e-mails in a mailbox (other mail, e.g. invites, ignored)."""
    return [
        m.extra_headers["X-Mentoring-Notice"]
        for m in mailbox
        if "X-Mentoring-Notice" in m.extra_headers
    ]


@pytest.fixture
def notice(world):
    return notice_for(world.mentee, program=world.program)


def failed_notice_for(user, *, program, title="Failed notice") -> Notification:
    """A notice the mail server refused for good."""
    from django.utils import timezone

    notice = notice_for(user, program=program, title=title)
    Notification.objects.filter(pk=notice.pk).update(
        failed_at=timezone.now(), attempts=1, last_error="SMTPRecipientsRefused: 550 no such user"
    )
    notice.refresh_from_db()
    return notice


UTC = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")


def at(*args, tz=UTC) -> datetime:
    return datetime(*args, tzinfo=tz)


def sent_to(mailbox) -> list[tuple[str, str]]:
    """(recipient, subject) of each reminder e-mail, sorted."""
    return sorted(
        (m.to[0], m.subject.removeprefix("[Mentoring] "))
        for m in mailbox
        if "X-Mentoring-Notice" in m.extra_headers
    )


def run(name: str, when: datetime):
    """Run one sweep at `when` (tasks run eagerly: what it finds is mailed at once)."""
    import time_machine

    from mentoring.reminders import sweep

    with time_machine.travel(when, tick=False):
        return sweep(name)


def in_zone(user, zone: str):
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    return user
