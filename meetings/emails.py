"""E-mail to both sides when a meeting is scheduled, changed or cancelled, with the .ics attached."""

import zoneinfo
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from meetings.calendar import meeting_ics
from meetings.models import Meeting

KINDS = ("scheduled", "changed", "cancelled")


def _site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _ics_part(meeting: Meeting) -> MIMEText:
    part = MIMEText(meeting_ics(meeting).decode(), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if meeting.is_cancelled else "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def email_meeting_update(*, meeting_id: int, kind: str, sequence: int) -> int:
    """Send one message to each of the two, in their own zone. Returns how many were sent.

    A message about an older version is skipped: when two changes follow quickly, the task of the
    first runs after the second committed, and only the newest version (its own task) goes out.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    meeting = (
        Meeting.objects.select_related(
            "dyad__mentor", "dyad__mentee", "requested_by", "cancelled_by"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.sequence != sequence or meeting.starts_at is None:
        return 0
    sent = 0
    for recipient in (meeting.dyad.mentor, meeting.dyad.mentee):
        try:
            zone = zoneinfo.ZoneInfo(recipient.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        with timezone.override(zone):
            context = {
                "meeting": meeting,
                "recipient": recipient,
                "partner": meeting.dyad.partner_of(recipient),
                "starts_at": timezone.localtime(meeting.starts_at),
                "ends_at": timezone.localtime(meeting.ends_at),
                "zone": zone.key,
                "url": _site_url() + meeting.get_absolute_url(),
            }
            subject = render_to_string(f"emails/meeting-{kind}-subject.txt", context)
            text = render_to_string(f"emails/meeting-{kind}-body.txt", context)
            html = render_to_string(f"emails/meeting-{kind}-body.html", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()), body=text, to=[recipient.email]
        )
        message.attach_alternative(html, "text/html")
        message.attach(_ics_part(meeting))
        sent += message.send()
    return sent
