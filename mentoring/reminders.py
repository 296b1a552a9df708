"""What the sweeps of every app share, the sweep runner, and the core's own kind: the weekly digest.

A sweep is one function of `now`, registered with its kind in its app's `reminders.py`
(mentoring/registry.py). It reads with one indexed query (a second, bounded one where it must know a
mentor) and yields `Occasion`s; mentoring/notices/ turns them into rows once and delivers each
once. The window of each query is bounded by dates, so its cost follows what is due, not the
size of the tables. Day-level notices go out from 08:00 in the recipient's zone, never in their night.
"""

import functools
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, ngettext_lazy

from mentoring import moments, registry
from mentoring.languages import later
from mentoring.models import Notification, User, shown_name, zone_of
from mentoring.notices.planning import Occasion, SweepResult, sweep_kind
from mentoring.notices.tasks import enqueue

DAY_STARTS = time(8, 0)  # day-level notices wait for the recipient's morning
LOOKBACK_DAYS = 14  # overdue things are reminded of once, within this window after they fell due
# Every zone's "today" lies within a day either side of UTC's: queries on dates widen by that.
ZONE_SLACK = timedelta(days=1)
HOUR = 60 * 60
# The interval of every day-level sweep, and why.
DAY_LEVEL = "Day-level, due from 08:00 local time: hourly reaches every zone within its hour."


def local_now(user: User, now: datetime) -> datetime:
    return now.astimezone(user.zone)


def in_their_day(user: User, now: datetime) -> bool:
    return local_now(user, now).time() >= DAY_STARTS


def when(moment: datetime, user: User) -> str:
    """A moment as the recipient reads it: 'Mon 9 Mar 2026, 09:00 EDT' (mentoring.moments, which
    makes each text once per moment, zone and language: a sweep of thousands reuses a few hundred).
    tests/reminders/test_sweep_text.py holds it to moment_text in every zone.

    Lazy: made text in the language active when the notice is (its recipient's, in planning)."""
    return _lazy_moment(moment, user.zone)


def day(value: date) -> str:
    """A day as the recipient reads it ('Mon 9 Mar 2026'), lazy like `when`."""
    return _lazy_day(value)


_lazy_moment = lazy(moments.moment_text, str)
_lazy_day = lazy(moments.day_text, str)


def url_of(obj, fallback: str = "home") -> str:
    try:
        return obj.get_absolute_url() if obj is not None else reverse(fallback)
    except (NoReverseMatch, AttributeError):
        return reverse(fallback)


@dataclass(frozen=True, slots=True)
class Person:
    """A recipient as a sweep reads them with values() (no model instance): enough to address,
    name and place them. Planning needs only `pk`; titles use `str()` and `zone` as a User's."""

    pk: int
    name: str
    email: str
    time_zone: str
    language: str = ""  # their chosen one; empty: the site's (mentoring.languages)

    def __str__(self) -> str:
        return shown_name(self.name) or self.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_of(self.time_zone)


PERSON = ("id", "name", "email", "time_zone", "language")


def person_fields(path: str) -> list[str]:
    """The values() names of the person at `path` (e.g. "dyad__mentor")."""
    return [f"{path}__{name}" for name in PERSON]


def person_of(row: dict, path: str) -> Person:
    return Person(*(row[f"{path}__{name}"] for name in PERSON))


_ID_MARK = 9_876_543_210


@functools.lru_cache(maxsize=256)
def _url_pattern(name: str, prefix: str) -> str:
    return reverse(name, args=[_ID_MARK]).replace(str(_ID_MARK), "{}")


def url_for(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is an id: reversed once per name,
    then a string format per row (a sweep links thousands of notices to one kind of page)."""
    return _url_pattern(name, get_script_prefix()).format(pk)


# --- weekly digests --------------------------------------------------------------------------


def last_week(user: User, now: datetime) -> tuple[datetime, datetime] | None:
    """The Monday-to-Monday week before this one in the person's zone: its digest is due from their
    Monday 08:00 until the week ends (none between Monday 00:00 and 08:00)."""
    here = local_now(user, now)
    monday = datetime.combine(here.date() - timedelta(days=here.weekday()), time(), here.tzinfo)
    if here < monday + timedelta(hours=DAY_STARTS.hour):
        return None
    start = datetime.combine(monday.date() - timedelta(days=7), time(), here.tzinfo)
    return start, monday


@registry.notice_kind(
    "digest",
    gettext_lazy("Weekly digest of your notices"),
    every=HOUR,
    why="Weekly digests go out from Monday 08:00 in each recipient's zone: hourly finds every zone.",
    is_digest=True,
    order=100,  # last: it collects what the other sweeps just put into digests
)
def personal_digests(now: datetime) -> Iterator[Occasion]:
    """Each person's notices they chose to get weekly, collected into one e-mail per week."""
    collected = defaultdict(list)
    notices = (
        Notification.objects.filter(
            channel=Notification.Channel.DIGEST, sent_at__gte=now - timedelta(days=16)
        )
        .select_related("recipient")
        .order_by("sent_at")
    )
    for notice in notices:
        collected[notice.recipient].append(notice)
    for person, items in collected.items():
        week = last_week(person, now)
        if week is None:
            continue
        start, end = week
        items = [n for n in items if start <= n.sent_at < end]
        if not items:
            continue
        lines = [f"- {n.title}" + (f" ({_absolute(n.url)})" if n.url else "") for n in items]
        yield Occasion(
            recipient=person,
            occasion=start.date().isoformat(),
            title=later(
                ngettext_lazy(
                    "Your week in mentoring: %(count)s notice",
                    "Your week in mentoring: %(count)s notices",
                    len(items),
                ),
                {"count": len(items)},
            ),
            body="\n".join(lines),
            url=reverse("notifications:list"),
        )


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


# --- running sweeps ---------------------------------------------------------------------------


def sweep(
    name: str, *, now: datetime | None = None, send: Callable[[Iterable[int]], int] = enqueue
) -> SweepResult:
    """Run one kind's sweep by name: plan what is due, then hand every deliverable notice to `send`
    (by default to the broker, as beat's sweep task does). A kind that actions plan has nothing to
    find: its sweep hands out what is still undelivered."""
    return sweep_kind(name, now=now or timezone.now(), send=send)


def sweep_all(
    *, now: datetime | None = None, send: Callable[[Iterable[int]], int] = enqueue
) -> list[SweepResult]:
    """Every sweep once, in the registry's order (the management command and the benchmark)."""
    now = now or timezone.now()
    return [sweep(kind.name, now=now, send=send) for kind in registry.kinds()]
