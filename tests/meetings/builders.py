"""Meetings built the way people make them: proposed by one side, accepted by the other."""

from datetime import datetime, timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from programs.models import Dyad

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def at(days: float = 1, hour: int | None = None) -> datetime:
    moment = timezone.now() + timedelta(days=days)
    if hour is not None:
        moment = moment.replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment


def propose(
    dyad: Dyad, *, by=None, starts_at: datetime | None = None, minutes: int = 60, **kw
) -> Meeting:
    starts_at = starts_at or at(3, hour=15)
    return services.propose_meeting(
        dyad=dyad,
        by=by or dyad.mentee,
        times=[(starts_at, starts_at + timedelta(minutes=minutes))],
        **kw,
    )


def schedule(dyad: Dyad, *, starts_at: datetime | None = None, minutes: int = 60, **kw) -> Meeting:
    """The mentee proposes one time, the mentor accepts it."""
    meeting = propose(dyad, starts_at=starts_at, minutes=minutes, confirm_overlap=True, **kw)
    return services.accept_proposal(
        proposal=meeting.proposals.get(), by=dyad.mentor, confirm_overlap=True
    )


def started(dyad: Dyad, *, days_ago: float = 1, **kw) -> Meeting:
    """A scheduled meeting whose start has passed: made back then, the way it really happened."""
    starts_at = timezone.now() - timedelta(days=days_ago)
    with time_machine.travel(starts_at - timedelta(days=2), tick=False):
        return schedule(dyad, starts_at=starts_at, **kw)


def held(dyad: Dyad, *, days_ago: float = 1, **kw) -> Meeting:
    meeting = started(dyad, days_ago=days_ago, **kw)
    return services.mark_meeting(meeting=meeting, by=dyad.mentor, outcome=Meeting.Status.HELD)


def pdf_upload(name: str = "aims.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
