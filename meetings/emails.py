"""E-mail to both sides when a meeting is scheduled, changed or cancelled, with the .ics attached.

meetings.services plans one Notification per side (kind meeting_update) in the transaction that
changes the meeting; mentoring.notices delivers it once and calls `meeting_update_message`.
"""

from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives

from meetings.calendar import meeting_ics
from meetings.models import Meeting
from mentoring.emails import absolute, build_email

KINDS = ("scheduled", "changed", "cancelled")


def _ics_part(meeting: Meeting) -> MIMEText:
    part = MIMEText(meeting_ics(meeting).decode(), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if meeting.is_cancelled else "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def meeting_message(*, meeting: Meeting, kind: str, recipient) -> EmailMultiAlternatives:
    """One side's message about the meeting, in their own zone, with the .ics attached."""
    if kind not in KINDS:
        raise ValueError(kind)
    zone = recipient.zone
    context = {
        "meeting": meeting,
        "recipient": recipient,
        "partner": meeting.dyad.partner_of(recipient),
        "starts_at": meeting.starts_at.astimezone(zone),
        "ends_at": meeting.ends_at.astimezone(zone),
        "zone": zone.key,
        "url": absolute(meeting.get_absolute_url()),
    }
    return build_email(
        to=recipient.email,
        template=f"emails/meeting-{kind}",
        context=context,
        zone=zone,
        attachments=[_ics_part(meeting)],
    )


def meeting_update_message(notification) -> EmailMultiAlternatives | None:
    """The renderer of the kind meeting_update (registered in meetings/reminders.py).

    None for a message about an older version: when two changes follow quickly and the first one's
    notice is delivered after the second committed, only the newest version (its own notice) goes
    out, so a calendar never receives a stale invitation after a newer one.
    """
    meeting = (
        Meeting.objects.select_related(
            "dyad__mentor", "dyad__mentee", "requested_by", "cancelled_by"
        )
        .filter(pk=notification.target_id)
        .first()
    )
    details = notification.details
    if meeting is None or meeting.sequence != details.get("sequence") or meeting.starts_at is None:
        return None
    return meeting_message(
        meeting=meeting, kind=details["update"], recipient=notification.recipient
    )
