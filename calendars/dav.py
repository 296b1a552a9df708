"""CalDAV through the guarded helper (mentoring/outbound.py): every request the `caldav` library
makes to a server a person typed goes through `outbound.request`, so the same rules hold as for a
published address (http(s) only, public addresses checked after DNS, time-out, size cap). No
redirect is followed: the user name and password must not travel to another host, so people give
the full CalDAV address (README, "Connecting a CalDAV account")."""

from __future__ import annotations

import base64
from datetime import datetime
from urllib.parse import quote

import caldav
from caldav.davclient import DAVResponse
from django.utils.translation import gettext as _

try:  # the library's own case-insensitive headers, whichever HTTP client it was built on
    from niquests.structures import CaseInsensitiveDict
except ImportError:  # pragma: no cover
    from requests.structures import CaseInsensitiveDict

from mentoring import outbound

TIMEOUT = 15.0
MAX_BYTES = 5 * 1024 * 1024


class CalDAVError(Exception):
    """A CalDAV server refused or failed; `str()` is a message for the person."""


class _Answer:
    """What caldav.DAVResponse reads of an HTTP response."""

    def __init__(self, response: outbound.Response):
        self.status_code = response.status
        self.headers = CaseInsensitiveDict(response.headers)
        self.content = response.body
        self.reason = ""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class GuardedClient(caldav.DAVClient):
    def request(self, url, method="GET", body="", headers=None) -> DAVResponse:
        sent = dict(self.headers)
        sent.update(headers or {})
        if not body and "Content-Type" in sent:
            del sent["Content-Type"]
        if self.username is not None:
            pair = f"{self.username}:{self.password or ''}".encode()
            sent["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        data = body.encode() if isinstance(body, str) else (body or None)
        try:
            answer = outbound.request(
                method,
                str(url),
                headers=sent,
                body=data or None,
                timeout=TIMEOUT,
                max_bytes=MAX_BYTES,
            )
        except outbound.OutboundError as error:
            raise CalDAVError(str(error)) from error
        if answer.status == 401:
            raise CalDAVError(_("The server did not accept the user name and password."))
        return DAVResponse(_Answer(answer), self)


def client(*, url: str, username: str, password: str) -> GuardedClient:
    return GuardedClient(url=url, username=username, password=password)


def _calendars(dav: GuardedClient) -> list:
    try:
        return dav.principal().calendars()
    except CalDAVError:
        raise
    except Exception as error:  # the library raises its own errors, and lxml's on garbage
        raise CalDAVError(
            _("The server did not answer as a CalDAV server. Check the address.")
        ) from error


def list_calendars(*, url: str, username: str, password: str) -> list[tuple[str, str]]:
    """(address, name) of the account's calendars, else CalDAVError when there is none."""
    dav = client(url=url, username=username, password=password)
    found = []
    for calendar in _calendars(dav):
        try:
            name = calendar.get_display_name() or ""
        except Exception:
            name = ""
        found.append((str(calendar.url), name or str(calendar.url).rstrip("/").rsplit("/", 1)[-1]))
    if not found:
        raise CalDAVError(_("This account has no calendar. Create one in your calendar app first."))
    return found


def calendar_of(*, url: str, username: str, password: str, calendar_url: str):
    try:
        return client(url=url, username=username, password=password).calendar(url=calendar_url)
    except Exception as error:  # the library's own, on an address it cannot use
        raise CalDAVError(
            _("The calendar's address cannot be used. Connect the account again.")
        ) from error


def freebusy(calendar, *, start: datetime, end: datetime) -> bytes:
    """The calendar's free-busy answer (RFC 4791 free-busy-query) as iCalendar data."""
    try:
        answer = calendar.freebusy_request(start, end)
        return answer.data.encode() if isinstance(answer.data, str) else answer.data
    except CalDAVError:
        raise
    except Exception as error:
        raise CalDAVError(_("The server did not answer the free/busy query.")) from error


def put_event(calendar, ics: bytes, *, uid: str) -> None:
    """Create or replace the event of this UID at <calendar>/<uid>.ics (a second write of a
    version changes nothing). A plain PUT: the library's save() would raise SEQUENCE on every
    write, and it must stay the invitation's."""
    url = calendar.url.join(quote(f"{uid}.ics"))
    try:
        answer = calendar.client.put(
            str(url), ics.decode(), {"Content-Type": "text/calendar; charset=utf-8"}
        )
        if answer.status not in (200, 201, 204):
            raise CalDAVError(
                _("The server did not accept the meeting (error %(status)s).")
                % {"status": answer.status}
            )
    except CalDAVError:
        raise
    except Exception as error:
        raise CalDAVError(_("The server did not accept the meeting.")) from error
