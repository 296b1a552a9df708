"""What a person does with their calendars, and the refresh that reads them and writes meetings.

A refresh never raises to its caller: a calendar that fails keeps its last busy times, says when
it was last updated, and after a day of failures its owner gets one notice (calendars.reminders).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar

from calendars import busy, dav
from calendars.models import BusyInterval, Connection, WorkingHours, WrittenMeeting
from meetings.calendar import PRODID, meeting_event
from meetings.models import Meeting
from mentoring import outbound
from mentoring.languages import in_language_of

log = logging.getLogger(__name__)
FETCH_TIMEOUT = getattr(settings, "CALENDAR_FETCH_TIMEOUT", 15.0)
FETCH_MAX_BYTES = getattr(settings, "CALENDAR_FETCH_MAX_BYTES", 5 * 1024 * 1024)
FETCH_MAX_REDIRECTS = 3


def _check_address(url: str) -> str:
    url = url.strip()
    try:
        outbound.check_url(url)
    except outbound.Refused as error:
        raise ValidationError(str(error)) from error
    except outbound.Unreachable:
        pass  # the host may be down for now: the refresh says so
    return url


@transaction.atomic
def save_working_hours(*, user, starts, ends, days: str) -> WorkingHours:
    if ends <= starts:
        raise ValidationError(_("The end of your working day must come after its start."))
    if not days:
        raise ValidationError(_("Choose at least one working day."))
    hours, _created = WorkingHours.objects.update_or_create(
        user=user, defaults={"starts": starts, "ends": ends, "days": days}
    )
    return hours


def _refresh_after_commit(connection: Connection) -> None:
    from calendars.tasks import later, refresh_calendar

    later(refresh_calendar, connection.pk)


@transaction.atomic
def connect_published(*, user, address: str) -> Connection:
    """Connect (or replace) the person's published calendar address; it is read after the commit."""
    address = _check_address(address)
    connection, _created = Connection.objects.get_or_create(
        user=user, kind=Connection.Kind.PUBLISHED
    )
    connection.address, connection.is_sample = address, False
    connection.etag = connection.last_modified = connection.last_error = ""
    connection.failing_since = connection.last_success_at = None
    connection.save()
    connection.busy.all().delete()
    _refresh_after_commit(connection)
    return connection


@transaction.atomic
def connect_caldav(*, user, server_url: str, username: str, password: str) -> Connection:
    """Connect a CalDAV account: the server is asked now, so a wrong address or password is said
    on the form; meetings are written into the account's first calendar."""
    server_url = _check_address(server_url)
    try:
        found = dav.list_calendars(url=server_url, username=username.strip(), password=password)
    except dav.CalDAVError as error:
        raise ValidationError(str(error)) from error
    connection, _created = Connection.objects.get_or_create(user=user, kind=Connection.Kind.CALDAV)
    connection.server_url, connection.username = server_url, username.strip()
    connection.password = password
    connection.calendars = [{"url": u, "name": n[:200]} for u, n in found[:50]]
    connection.calendar_url, connection.calendar_name = found[0][0], found[0][1][:200]
    connection.last_error, connection.failing_since = "", None
    connection.save()
    connection.busy.all().delete()
    connection.written.all().delete()
    _refresh_after_commit(connection)
    return connection


@transaction.atomic
def choose_calendar(*, connection: Connection, by, calendar_url: str) -> Connection:
    """The CalDAV calendar that meetings are written into, one of the account's. The meetings
    ahead are written into it by the refresh that follows."""
    if connection.user_id != by.pk or not connection.is_caldav:
        raise ValidationError(_("Only the owner of a CalDAV account can choose its calendar."))
    chosen = next((c for c in connection.calendars if c["url"] == calendar_url), None)
    if chosen is None:
        raise ValidationError(_("Choose one of the calendars of this account."))
    if chosen["url"] != connection.calendar_url:
        connection.calendar_url, connection.calendar_name = chosen["url"], chosen["name"]
        connection.save(update_fields=["calendar_url", "calendar_name"])
        connection.written.all().delete()
        _refresh_after_commit(connection)
    return connection


@transaction.atomic
def disconnect(*, connection: Connection, by) -> None:
    """The busy times, the written-meeting records and the credentials go at once."""
    if connection.user_id != by.pk:
        raise ValidationError(_("Only the owner can disconnect a calendar."))
    connection.delete()  # BusyInterval and WrittenMeeting rows cascade


def _store(connection: Connection, intervals, *, now: datetime) -> None:
    with transaction.atomic():
        BusyInterval.objects.filter(connection=connection).delete()
        BusyInterval.objects.bulk_create(
            BusyInterval(connection=connection, user_id=connection.user_id, starts_at=s, ends_at=e)
            for s, e in intervals
        )
        _succeeded(connection, now=now)


def _succeeded(connection: Connection, *, now: datetime) -> None:
    connection.last_attempt_at = connection.last_success_at = now
    connection.failing_since, connection.last_error = None, ""
    connection.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_attempt_at",
            "last_success_at",
            "failing_since",
            "last_error",
        ]
    )


def _failed(connection: Connection, message: str, *, now: datetime) -> None:
    connection.last_attempt_at = now
    connection.failing_since = connection.failing_since or now
    connection.last_error = message[:300]
    connection.save(update_fields=["last_attempt_at", "failing_since", "last_error"])


def _refresh_published(connection: Connection, *, now: datetime) -> None:
    headers = {}
    if connection.etag:
        headers["If-None-Match"] = connection.etag
    if connection.last_modified:
        headers["If-Modified-Since"] = connection.last_modified
    address = connection.address
    if not address:
        raise busy.NotACalendar(_("Enter the calendar address again."))
    try:
        answer = outbound.request(
            "GET",
            address,
            headers=headers,
            timeout=FETCH_TIMEOUT,
            max_bytes=FETCH_MAX_BYTES,
            max_redirects=FETCH_MAX_REDIRECTS,
        )
    except outbound.OutboundError as error:
        raise busy.NotACalendar(str(error)) from error
    if answer.status == 304:
        _succeeded(connection, now=now)
        return
    if answer.status != 200:
        raise busy.NotACalendar(
            _("The calendar's server answered with error %(status)s.") % {"status": answer.status}
        )
    intervals = busy.parse(answer.body, zone=connection.user.zone, now=now)
    connection.etag = answer.headers.get("etag", "")[:300]
    connection.last_modified = answer.headers.get("last-modified", "")[:100]
    _store(connection, intervals, now=now)


def _refresh_caldav(connection: Connection, *, now: datetime) -> None:
    calendar = _caldav_calendar(connection)
    data = dav.freebusy(calendar, start=now, end=now + busy.HORIZON)
    try:
        intervals = busy.parse(data, zone=connection.user.zone, now=now)
    except busy.NotACalendar as error:
        raise dav.CalDAVError(_("The server's free/busy answer could not be read.")) from error
    _store(connection, intervals, now=now)
    write_pending_meetings(connection=connection)


def _caldav_calendar(connection: Connection):
    password = connection.password
    if not password:
        raise dav.CalDAVError(_("Enter the app password again."))
    return dav.calendar_of(
        url=connection.server_url,
        username=connection.username,
        password=password,
        calendar_url=connection.calendar_url,
    )


def refresh(connection: Connection, *, now: datetime | None = None) -> bool:
    """Read the calendar's busy times (and, for CalDAV, write meetings held back). True if it
    worked; on failure the connection keeps its busy times and records what went wrong."""
    now = now or timezone.now()
    if connection.is_sample:
        return True  # demo data: nothing to read
    # What went wrong is kept for the owner to read (their page, the calendar_failing notice):
    # written in their language, whoever runs the refresh.
    with in_language_of(connection.user):
        try:
            if connection.is_caldav:
                _refresh_caldav(connection, now=now)
            else:
                _refresh_published(connection, now=now)
        except (busy.NotACalendar, dav.CalDAVError) as error:
            _failed(connection, str(error), now=now)
            return False
        except Exception:  # a library's surprise: logged for us, a plain message for the owner
            log.exception("calendar %s could not be refreshed", connection.pk)
            _failed(connection, _("The calendar could not be read."), now=now)
            return False
    return True


# --- meetings written into CalDAV calendars ---------------------------------------------------


def meeting_ics(meeting: Meeting) -> bytes:
    """The meeting as the CalDAV calendar stores it: the same UID and SEQUENCE as the invitation
    e-mailed (meetings.calendar), so a calendar that also imports the e-mail merges the two. No
    ORGANIZER/ATTENDEE: a server that does scheduling would otherwise e-mail invitations again."""
    event = meeting_event(meeting)
    for name in ("ORGANIZER", "ATTENDEE"):
        event.pop(name, None)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _meetings_to_write(connection: Connection):
    """The person's meetings whose current version this calendar does not hold yet: scheduled
    ones, and cancellations of meetings it holds."""
    written = {w.meeting_id: w for w in connection.written.all()}
    user_id = connection.user_id
    candidates = (
        (
            Meeting.objects.filter(dyad__mentor_id=user_id)
            | Meeting.objects.filter(dyad__mentee_id=user_id)
        )
        .filter(
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED],
            starts_at__gte=timezone.now() - timedelta(days=1),
        )
        .select_related("dyad__mentor", "dyad__mentee", "requested_by")
    )
    for meeting in candidates:
        done = written.get(meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED and done is None:
            continue  # never in this calendar: nothing to take out
        if done and (done.sequence, done.status) == (meeting.sequence, meeting.status):
            continue
        yield meeting


def write_pending_meetings(*, connection: Connection, only: int | None = None) -> int:
    """Write into the CalDAV calendar each meeting version it does not hold (or just `only`)."""
    calendar = _caldav_calendar(connection)
    count = 0
    for meeting in _meetings_to_write(connection):
        if only is not None and meeting.pk != only:
            continue
        with in_language_of(connection.user):  # the calendar's owner reads it
            ics = meeting_ics(meeting)
        dav.put_event(calendar, ics, uid=f"{meeting.uid}@mentoring")
        WrittenMeeting.objects.update_or_create(
            connection=connection,
            meeting=meeting,
            defaults={
                "sequence": meeting.sequence,
                "status": meeting.status,
                "written_at": timezone.now(),
            },
        )
        count += 1
    return count


def write_meeting(meeting_id: int) -> None:
    """Both participants' CalDAV calendars get this meeting's current version. A calendar that
    fails is marked so; its next refresh writes it."""
    meeting = Meeting.objects.select_related("dyad").filter(pk=meeting_id).first()
    if meeting is None:
        return
    people = [meeting.dyad.mentor_id, meeting.dyad.mentee_id]
    for connection in Connection.objects.filter(
        user_id__in=people, kind=Connection.Kind.CALDAV
    ).select_related("user"):
        with in_language_of(connection.user):  # a failure is kept for the owner to read
            try:
                write_pending_meetings(connection=connection, only=meeting_id)
            except dav.CalDAVError as error:
                _failed(connection, str(error), now=timezone.now())
            except Exception:
                log.exception(
                    "meeting %s could not be written to calendar %s", meeting_id, connection.pk
                )
                _failed(connection, _("The meeting could not be written."), now=timezone.now())
