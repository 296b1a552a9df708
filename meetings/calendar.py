"""iCalendar (RFC 5545) for meetings: the invitation attached to e-mails and the personal feed.

Times are written with a TZID in the organiser's zone (the person who proposed the meeting), with
its VTIMEZONE, so that a calendar shows the right local time on both sides of a DST change.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting

PRODID = "-//Mentoring//Meetings//EN"


def _address(user, *, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(str(user))
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    return address


def meeting_event(meeting: Meeting, *, stamp: datetime | None = None) -> Event:
    """One VEVENT. Needs meeting.dyad.mentor/mentee and meeting.requested_by loaded."""
    dyad = meeting.dyad
    organiser = meeting.requested_by
    zone = organiser.zone
    event = Event()
    event.add("uid", f"{meeting.uid}@mentoring")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    names = {"mentor": dyad.mentor, "mentee": dyad.mentee, "focus": dyad.focus_area}
    if dyad.focus_area:
        summary = _("Mentoring: %(mentor)s / %(mentee)s (%(focus)s)") % names
    else:
        summary = _("Mentoring: %(mentor)s / %(mentee)s") % names
    event.add("summary", summary)
    if meeting.location or meeting.video_url:
        event.add("location", meeting.location or meeting.video_url)
    description = [line for line in (meeting.note, meeting.video_url) if line]
    if meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason:
        description.append(_("Cancelled: %(reason)s") % {"reason": meeting.shown_cancel_reason})
    if description:
        event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("organizer", _address(organiser))
    event.add("attendee", _address(dyad.mentor, role="REQ-PARTICIPANT"), encode=0)
    event.add("attendee", _address(dyad.mentee, role="REQ-PARTICIPANT"), encode=0)
    return event


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def meeting_ics(meeting: Meeting) -> bytes:
    """The invitation: METHOD:REQUEST for a scheduled meeting, METHOD:CANCEL once cancelled."""
    cal = _calendar("CANCEL" if meeting.is_cancelled else "REQUEST")
    cal.add_component(meeting_event(meeting))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscription feed: every meeting with a time, cancelled ones marked so calendars drop them."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        if meeting.starts_at is not None:
            cal.add_component(meeting_event(meeting, stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
