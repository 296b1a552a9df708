"""The meetings app's notices: their kinds, sweeps (each with its interval and why), and e-mails.

Registered with the core at start-up (mentoring/registry.py); each sweep is a function of `now` that
yields what is due, in each recipient's zone.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy

from meetings.emails import meeting_update_message
from meetings.models import Material, Meeting
from meetings.selectors import overdue_dyads
from mentoring import registry
from mentoring.languages import joined, later
from mentoring.notices.planning import Occasion, Ref
from mentoring.reminders import (
    DAY_LEVEL,
    DAY_STARTS,
    HOUR,
    LOOKBACK_DAYS,
    ZONE_SLACK,
    day,
    in_their_day,
    local_now,
    person_fields,
    person_of,
    url_for,
    url_of,
    when,
)

AGENDA_DAYS = getattr(settings, "REMINDER_AGENDA_DAYS", 2)  # agenda not ready this close: remind
REVIEW_SOON_DAYS = getattr(settings, "REMINDER_REVIEW_SOON_DAYS", 2)

MEETING_UPDATE = registry.action_notice_kind(
    "meeting_update",
    gettext_lazy("Meeting scheduled, moved or cancelled"),
    roles=("mentor", "mentee"),
    every=5 * 60,
    why=(
        "Sent after the action's commit; the sweep only catches what a broker outage held back: "
        "once it is back, a calendar invitation is at most 5 minutes late."
    ),
    render=meeting_update_message,
)


# Events told to the other side of the dyad (issue 23: nothing happens silently). Each is a notice
# *about* what someone did, so it follows the recipient's choice (each, digest, in-app); the
# calendar invitation above stays the message itself. meetings/events.py plans them.
MEETING_PROPOSED = registry.event_notice_kind(
    "meeting_proposed",
    gettext_lazy("Meeting times proposed to you"),
    roles=("mentor", "mentee"),
)
MATERIAL_SENT = registry.event_notice_kind(
    "material_sent",
    gettext_lazy("Material sent to you for review"),
    roles=("mentor",),
)
MATERIAL_REVIEWED = registry.event_notice_kind(
    "material_reviewed",
    gettext_lazy("Your material reviewed"),
    roles=("mentee",),
)


# What the meeting sweeps read, as plain rows (values()): thousands due at once build no models.
MEETING_ROW = (
    "pk",
    "starts_at",
    "location",
    "video_url",
    "dyad__program_id",
    *person_fields("dyad__mentor"),
    *person_fields("dyad__mentee"),
)


def _scheduled_rows(now: datetime, until: datetime, **filters):
    return Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=until, **filters
    ).values(*MEETING_ROW)


def _both_sides(row: dict):
    mentor, mentee = person_of(row, "dyad__mentor"), person_of(row, "dyad__mentee")
    return ((mentor, mentee), (mentee, mentor))


@registry.notice_kind(
    "meeting_tomorrow",
    gettext_lazy("Meeting tomorrow"),
    roles=("mentor", "mentee"),
    every=15 * 60,
    why="Due from 08:00 the day before in the recipient's zone; a quarter-hour late is still tomorrow.",
)
def meetings_tomorrow(now: datetime) -> Iterator[Occasion]:
    """Both sides of a meeting that starts tomorrow in *their* zone, from 08:00 their time today."""
    # Tomorrow, in any zone on earth, ends within 50 hours of now (UTC+14 at 23:59).
    for row in _scheduled_rows(now, now + timedelta(hours=50)):
        starts_at = row["starts_at"]
        for person, partner in _both_sides(row):
            here = local_now(person, now)
            if here.time() < DAY_STARTS:
                continue
            if starts_at.astimezone(person.zone).date() != here.date() + timedelta(1):
                continue
            yield Occasion(
                recipient=person,
                target=Ref(Meeting, row["pk"]),
                occasion=starts_at.isoformat(),
                title=later(
                    gettext_lazy("Meeting tomorrow with %(partner)s: %(when)s"),
                    {"partner": partner, "when": when(starts_at, person)},
                ),
                body=_meeting_details(row),
                url=url_for("meetings:detail", row["pk"]),
                program_id=row["dyad__program_id"],
            )


@registry.notice_kind(
    "meeting_soon",
    gettext_lazy("Meeting in one hour"),
    roles=("mentor", "mentee"),
    every=5 * 60,
    why="'In one hour' has a one-hour window: every 5 minutes, it arrives 55-60 minutes before.",
)
def meetings_soon(now: datetime) -> Iterator[Occasion]:
    """Both sides of a meeting that starts within the hour."""
    for row in _scheduled_rows(now, now + timedelta(hours=1)):
        starts_at = row["starts_at"]
        for person, partner in _both_sides(row):
            yield Occasion(
                recipient=person,
                target=Ref(Meeting, row["pk"]),
                occasion=starts_at.isoformat(),
                title=later(
                    gettext_lazy("Meeting with %(partner)s within the hour: %(when)s"),
                    {"partner": partner, "when": when(starts_at, person)},
                ),
                body=_meeting_details(row),
                url=url_for("meetings:detail", row["pk"]),
                program_id=row["dyad__program_id"],
            )


def _meeting_details(row: dict) -> str:
    lines = []
    if row["location"]:
        lines.append(later(gettext_lazy("Place: %(place)s"), {"place": row["location"]}))
    if row["video_url"]:
        lines.append(later(gettext_lazy("Video: %(url)s"), {"url": row["video_url"]}))
    return joined("\n", lines)


@registry.notice_kind(
    "agenda_not_ready",
    gettext_lazy("Agenda not ready"),
    roles=("mentee",),
    every=HOUR,
    why=DAY_LEVEL,
)
def agendas_not_ready(now: datetime) -> Iterator[Occasion]:
    """The mentee, when a meeting is AGENDA_DAYS away or closer and the agenda isn't marked ready."""
    due = _scheduled_rows(now, now + timedelta(days=AGENDA_DAYS), agenda_ready_at=None)
    for row in due:
        mentee, mentor = person_of(row, "dyad__mentee"), person_of(row, "dyad__mentor")
        if not in_their_day(mentee, now):
            continue
        yield Occasion(
            recipient=mentee,
            target=Ref(Meeting, row["pk"]),
            occasion=row["starts_at"].isoformat(),
            title=later(
                gettext_lazy("Set the agenda for your meeting with %(mentor)s"), {"mentor": mentor}
            ),
            body=later(
                gettext_lazy(
                    "Your meeting is on %(when)s. Add what you want to "
                    "discuss and the help you need, then mark the agenda ready."
                ),
                {"when": when(row["starts_at"], mentee)},
            ),
            url=url_for("meetings:detail", row["pk"]),
            program_id=row["dyad__program_id"],
        )


@registry.notice_kind(
    "material_review_due",
    gettext_lazy("Material waiting for review"),
    roles=("mentor",),
    every=HOUR,
    why=DAY_LEVEL,
)
def materials_to_review(now: datetime) -> Iterator[Occasion]:
    """The mentor, when a material's review-by date is REVIEW_SOON_DAYS away or closer, not reviewed."""
    today = now.date()
    due = Material.objects.filter(
        reviewed_at=None,
        review_by__gte=today - ZONE_SLACK,
        review_by__lte=today + timedelta(days=REVIEW_SOON_DAYS) + ZONE_SLACK,
        meeting__dyad__status__in=["active", "paused"],
    ).values(
        "pk",
        "title",
        "review_by",
        "meeting_id",
        "meeting__dyad__program_id",
        *person_fields("meeting__dyad__mentor"),
        *person_fields("meeting__dyad__mentee"),
    )
    for material in due:
        mentor = person_of(material, "meeting__dyad__mentor")
        review_by = material["review_by"]
        here = local_now(mentor, now)
        if here.time() < DAY_STARTS:
            continue
        if not here.date() <= review_by <= here.date() + timedelta(REVIEW_SOON_DAYS):
            continue
        mentee = person_of(material, "meeting__dyad__mentee")
        yield Occasion(
            recipient=mentor,
            target=Ref(Material, material["pk"]),
            occasion=review_by.isoformat(),
            title=later(
                gettext_lazy("%(mentee)s asks for a review of “%(title)s”"),
                {"mentee": mentee, "title": material["title"]},
            ),
            body=later(gettext_lazy("Please review by %(day)s."), {"day": day(review_by)}),
            url=url_for("meetings:detail", material["meeting_id"]),
            program_id=material["meeting__dyad__program_id"],
        )


@registry.notice_kind(
    "meeting_unmarked",
    gettext_lazy("Meeting not marked held or missed"),
    roles=("mentor", "mentee"),
    every=15 * 60,
    why="The person who scheduled it should mark it soon after it ends, while they remember.",
)
def meetings_unmarked(now: datetime) -> Iterator[Occasion]:
    """Whoever scheduled a meeting that has ended and is not yet marked held or missed."""
    due = (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=now - timedelta(days=LOOKBACK_DAYS),
            starts_at__lt=now,
        )
        .filter(Q(ends_at__lte=now) | Q(ends_at=None))
        .values(*MEETING_ROW, *person_fields("requested_by"))
    )
    for row in due:
        person = person_of(row, "requested_by")
        # Dyad.partner_of, read from the row.
        partner_path = "dyad__mentee" if person.pk == row["dyad__mentor__id"] else "dyad__mentor"
        yield Occasion(
            recipient=person,
            target=Ref(Meeting, row["pk"]),
            occasion=row["starts_at"].isoformat(),
            title=later(
                gettext_lazy("Was your meeting with %(partner)s held? Mark it held or missed"),
                {"partner": person_of(row, partner_path)},
            ),
            body=later(
                gettext_lazy("The meeting was on %(when)s."),
                {"when": when(row["starts_at"], person)},
            ),
            url=url_for("meetings:detail", row["pk"]),
            program_id=row["dyad__program_id"],
        )


@registry.notice_kind(
    "dyad_overdue",
    gettext_lazy("Meeting overdue"),
    roles=("mentor", "mentee"),
    every=HOUR,
    why=DAY_LEVEL,
)
def dyads_overdue(now: datetime) -> Iterator[Occasion]:
    """Both sides of an active dyad overdue against its cadence; once per overdue spell."""
    for dyad in overdue_dyads(now=now):
        cadence = dyad.cadence
        due_on = cadence.due_by  # a day of the program's zone, the same for both
        for person, partner in ((dyad.mentor, dyad.mentee), (dyad.mentee, dyad.mentor)):
            if not in_their_day(person, now):
                continue
            last = cadence.last_held_at
            last = (
                [
                    later(
                        gettext_lazy("You last met on %(day)s."),
                        {"day": day(last.astimezone(person.zone).date())},
                    )
                ]
                if last
                else []
            )
            yield Occasion(
                recipient=person,
                target=dyad,
                occasion=due_on.isoformat(),
                title=later(
                    gettext_lazy("Time to meet %(partner)s: your next meeting was due by %(day)s"),
                    {"partner": partner, "day": day(due_on)},
                ),
                body=joined(" ", [*last, gettext_lazy("Propose a time for your next meeting.")]),
                url=url_of(dyad),
                program_id=dyad.program_id,
            )


@registry.admin_digest_section(order=10)
def overdue_section(program_ids: list[int], now: datetime) -> dict[int, list[str]]:
    """The admins' digest: the dyads overdue for a meeting, by the one rule the program page uses."""
    lines: dict[int, list[str]] = {pk: [] for pk in program_ids}
    late: dict[int, list] = {pk: [] for pk in program_ids}
    for dyad in overdue_dyads(now=now, program_ids=program_ids):
        late[dyad.program_id].append(dyad)
    for pk, dyads in late.items():
        lines[pk].append(
            later(gettext_lazy("Dyads overdue for a meeting: %(count)d"), {"count": len(dyads)})
        )
        lines[pk] += [
            joined(
                "",
                [
                    "- ",
                    later(
                        gettext_lazy("%(dyad)s: due by %(day)s"),
                        {"dyad": d, "day": day(d.cadence.due_by)},
                    ),
                ],
            )
            for d in dyads
        ]
    return lines
