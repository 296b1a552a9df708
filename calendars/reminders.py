"""The calendars app's notice kind and its scheduled job (mentoring/registry.py)."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy

from calendars.models import Connection
from mentoring import registry
from mentoring.languages import later
from mentoring.notices.planning import Occasion
from mentoring.reminders import HOUR

FAILING_FOR = timedelta(days=1)

# A write (busy times stored, meetings written), so a job, not a sweep: every 15 minutes it hands
# each connection not read for that long its own refresh task.
registry.scheduled_job(
    "refresh-calendars",
    task="calendars.tasks.refresh_due_calendars",
    every=15 * 60,
    why="Busy times a quarter-hour old are fresh enough to propose times on; each refresh is one request per calendar.",
)


@registry.notice_kind(
    "calendar_failing",
    gettext_lazy("A connected calendar cannot be read"),
    every=HOUR,
    why="A day of failures is told once; an hour later is soon enough.",
)
def calendars_failing(now: datetime) -> Iterator[Occasion]:
    """The owner of a calendar that has failed for a day, once per run of failures (the run's
    start is the occasion: a calendar that recovers and fails again is told again)."""
    failing = Connection.objects.filter(
        failing_since__lte=now - FAILING_FOR, failing_since__gte=now - timedelta(days=14)
    ).select_related("user")
    for connection in failing:
        yield Occasion(
            recipient=connection.user,
            target=connection,
            occasion=connection.failing_since.isoformat(),
            title=later(
                gettext_lazy("Your calendar at %(host)s could not be read for a day"),
                {"host": connection.shown_address},
            ),
            body=later(
                gettext_lazy(
                    "The last attempt said: %(error)s Meetings can still be proposed, with the busy "
                    "times last read. Check the address or password, or disconnect the calendar."
                ),
                {"error": connection.last_error},
            ),
            url=reverse("calendars:mine"),
        )
