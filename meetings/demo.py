"""Demo meetings for the people of programs/demo.py, and a realistic history for the load program.

Rows are written directly (not through the services): the history lies in the past, which the
services rightly refuse, and seeding must not send e-mail. Idempotent: a dyad that already has
meetings is left alone.
"""

import random
import zoneinfo
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Material, Meeting, PrivateNote, ProposedTime
from programs.models import Dyad, Program

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def _at(days: int, hour: int, zone_name: str) -> datetime:
    """`days` from today at `hour` o'clock in the given zone."""
    zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    day = timezone.localdate(timezone=zone) + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=zone)


def _meeting(dyad: Dyad, *, days: int, hour: int = 15, minutes: int = 60, status: str, **fields):
    starts = _at(days, hour, dyad.mentor.time_zone)
    now = timezone.now()
    fields.setdefault("requested_by", dyad.mentee)
    meeting = Meeting.objects.create(
        dyad=dyad,
        status=status,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        created_at=min(now, starts) - timedelta(days=7),
        scheduled_at=min(now, starts) - timedelta(days=6),
        **fields,
    )
    if status in (Meeting.Status.HELD, Meeting.Status.MISSED):
        meeting.marked_at, meeting.marked_by = starts + timedelta(hours=2), dyad.mentor
        meeting.save(update_fields=["marked_at", "marked_by"])
    return meeting


def _file_material(meeting: Meeting, *, title: str, name: str, days_before: int, **fields):
    material = Material(
        meeting=meeting,
        title=title,
        original_name=name,
        content_type="application/pdf",
        size=len(DEMO_PDF),
        uploaded_by=meeting.dyad.mentee,
        created_at=meeting.starts_at - timedelta(days=days_before),
        review_by=(meeting.starts_at - timedelta(days=1)).date(),
        **fields,
    )
    material.file.save(name, ContentFile(DEMO_PDF), save=False)
    material.save()
    return material


def _find(program: Program, mentor, mentee, **filters) -> Dyad | None:
    return (
        program.dyads.filter(mentor=mentor, mentee=mentee, **filters)
        .select_related("mentor", "mentee")
        .order_by("created_at")
        .first()
    )


def _seed_main(dyad: Dyad) -> None:
    """The mentee's story: a held meeting with notes, actions and a reviewed draft; one ahead."""
    mentor, mentee = dyad.mentor, dyad.mentee
    past = _meeting(
        dyad,
        days=-21,
        status=Meeting.Status.HELD,
        location="Dr. Mentor's office, room 4B",
        agenda_ready_at=_at(-23, 9, mentee.time_zone),
        notes=(
            "K23 specific aims: aim 2 is too broad; narrow it to the asthma registry cohort.\n"
            "Career: talk to Dr. Chen about the health-services research core.\n"
            "Next time: review the revised aims page and the timeline to submission."
        ),
        notes_version=2,
        notes_updated_by=mentor,
        notes_updated_at=_at(-21, 17, mentor.time_zone),
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=past,
                topic="K23 specific aims, draft 1",
                help_needed=AgendaItem.Help.REVIEW,
                details="Is aim 2 feasible in two years?",
                added_by=mentee,
            ),
            AgendaItem(
                meeting=past,
                topic="Should I join the QI committee?",
                help_needed=AgendaItem.Help.DECISION,
                added_by=mentee,
            ),
        ]
    )
    reviewed_at = past.starts_at - timedelta(days=1)
    material = _file_material(
        past,
        title="K23 specific aims, draft 1",
        name="k23-aims-draft1.pdf",
        days_before=5,
        reviewed_at=reviewed_at,
        reviewed_by=mentor,
        review_comment="Aim 1 is strong. Aim 2 tries to do too much: pick the registry cohort.",
    )
    Material.objects.filter(pk=material.pk).update(turnaround=reviewed_at - material.created_at)
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=past,
                description="Revise aim 2 around the registry cohort",
                owner=mentee,
                due_on=(past.starts_at + timedelta(days=14)).date(),
                done_at=past.starts_at + timedelta(days=12),
                done_by=mentee,
                created_by=mentor,
            ),
            ActionItem(
                meeting=past,
                description="E-mail Dr. Chen about the health-services research core",
                owner=mentee,
                due_on=(past.starts_at + timedelta(days=28)).date(),
                created_by=mentor,
            ),
            ActionItem(
                meeting=past,
                description="Introduce Sam to the department's grant-writing group",
                owner=mentor,
                due_on=(past.starts_at + timedelta(days=10)).date(),
                created_by=mentor,
            ),
        ]
    )
    PrivateNote.objects.create(
        meeting=past,
        author=mentor,
        text="Sam seems stretched by clinical load; ask about protected time next meeting.",
    )
    upcoming = _meeting(
        dyad,
        days=5,
        status=Meeting.Status.SCHEDULED,
        video_url="https://video.example.org/mentor-sam",
        agenda_ready_at=timezone.now() - timedelta(hours=3),
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=upcoming,
                topic="Revised K23 aims page",
                help_needed=AgendaItem.Help.REVIEW,
                details="Aim 2 now uses the registry cohort only.",
                added_by=mentee,
            ),
            AgendaItem(
                meeting=upcoming,
                topic="Protected research time for next year",
                help_needed=AgendaItem.Help.ADVICE,
                added_by=mentee,
            ),
            AgendaItem(
                meeting=upcoming,
                topic="Invitation to co-author the registry methods paper",
                help_needed=AgendaItem.Help.OTHER,
                added_by=mentor,
            ),
        ]
    )
    _file_material(
        upcoming,
        title="K23 specific aims, draft 2",
        name="k23-aims-draft2.pdf",
        days_before=7,
    )


def _seed_simple(dyad: Dyad, *, held_days: int, upcoming_days: int | None, topic: str) -> None:
    """A held meeting with notes and an action item, and optionally one scheduled ahead."""
    past = _meeting(
        dyad,
        days=-held_days,
        status=Meeting.Status.HELD,
        notes=f"Talked about {topic}. Agreed next steps below.",
        notes_version=1,
        notes_updated_by=dyad.mentor,
        notes_updated_at=_at(-held_days, 17, dyad.mentor.time_zone),
    )
    AgendaItem.objects.create(
        meeting=past,
        topic=topic.capitalize(),
        help_needed=AgendaItem.Help.ADVICE,
        added_by=dyad.mentee,
    )
    ActionItem.objects.create(
        meeting=past,
        description=f"Write a one-page plan on {topic}",
        owner=dyad.mentee,
        due_on=(past.starts_at + timedelta(days=21)).date(),
        created_by=dyad.mentor,
    )
    if upcoming_days is not None:
        upcoming = _meeting(dyad, days=upcoming_days, hour=11, status=Meeting.Status.SCHEDULED)
        AgendaItem.objects.create(
            meeting=upcoming,
            topic=f"Follow-up on {topic}",
            help_needed=AgendaItem.Help.ADVICE,
            added_by=dyad.mentee,
        )


@transaction.atomic
def seed(world) -> None:
    a, b = world.program_a, world.program_b
    u = world.__getitem__
    stories = []

    main = _find(a, u("mentor"), u("mentee"))
    if main is not None and not main.meetings.exists():
        stories.append(lambda: _seed_main(main))

    director = _find(a, u("mentor2"), u("mentee2"))
    if director is not None and not director.meetings.exists():

        def director_story():
            _seed_simple(director, held_days=35, upcoming_days=None, topic="the QI project charter")
            # Overdue (last met 35 days ago, cadence 30) and trying: mentee2 offered two times.
            proposal = Meeting.objects.create(
                dyad=director,
                requested_by=director.mentee,
                note="Could we talk about my QI poster?",
            )
            ProposedTime.objects.bulk_create(
                [
                    ProposedTime(
                        meeting=proposal,
                        starts_at=_at(days, 10, director.mentee.time_zone),
                        ends_at=_at(days, 11, director.mentee.time_zone),
                    )
                    for days in (4, 6)
                ]
            )

        stories.append(director_story)

    grants = _find(a, u("mentor"), u("mentee2"), kind=Dyad.Kind.SUPPLEMENTAL)
    if grants is not None and not grants.meetings.exists():
        stories.append(
            lambda: _seed_simple(grants, held_days=14, upcoming_days=10, topic="an R03 budget")
        )

    ended = _find(a, u("mentor"), u("mentee3"), status=Dyad.Status.ENDED)
    if ended is not None and not ended.meetings.exists():
        # History of an ended pairing stays: one held, one missed meeting.
        def ended_story():
            _seed_simple(ended, held_days=80, upcoming_days=None, topic="fellowship research")
            _meeting(ended, days=-50, status=Meeting.Status.MISSED)

        stories.append(ended_story)

    re_paired = _find(a, u("mentor2"), u("mentee3"))
    if re_paired is not None and not re_paired.meetings.exists():
        stories.append(
            lambda: _seed_simple(
                re_paired, held_days=12, upcoming_days=3, topic="a leadership course"
            )
        )

    residency = _find(b, u("mentor3"), u("mentee4"))
    if residency is not None and not residency.meetings.exists():

        def residency_story():
            _seed_simple(residency, held_days=40, upcoming_days=None, topic="a trial protocol")
            # Started yesterday and not marked yet: it asks to be marked held or missed.
            _meeting(residency, days=-1, hour=16, status=Meeting.Status.SCHEDULED)

        stories.append(residency_story)

    for story in stories:
        story()


TOPICS = [
    ("Specific aims page", AgendaItem.Help.REVIEW),
    ("Which committee to join", AgendaItem.Help.DECISION),
    ("Promotion dossier", AgendaItem.Help.ADVICE),
    ("Meeting the biostatistics core", AgendaItem.Help.INTRODUCTION),
    ("Teaching load next term", AgendaItem.Help.ADVICE),
]


@transaction.atomic
def seed_load(program: Program) -> None:
    """Six months of meetings for every active dyad of the load program, in a few bulk inserts."""
    if Meeting.objects.filter(dyad__program=program).exists():
        return
    rng = random.Random(program.pk)
    now = timezone.now()
    dyads = list(
        program.dyads.filter(status=Dyad.Status.ACTIVE).only("pk", "mentor_id", "mentee_id")
    )
    meetings: list[Meeting] = []
    for dyad in dyads:
        last = now - timedelta(days=rng.randint(3, 45), hours=rng.randint(0, 8))
        for n in range(6):
            starts = last - timedelta(days=30 * n)
            missed = rng.random() < 0.1
            meetings.append(
                Meeting(
                    dyad_id=dyad.pk,
                    status=Meeting.Status.MISSED if missed else Meeting.Status.HELD,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=60),
                    requested_by_id=dyad.mentee_id,
                    created_at=starts - timedelta(days=10),
                    scheduled_at=starts - timedelta(days=9),
                    marked_at=starts + timedelta(hours=2),
                    marked_by_id=dyad.mentor_id,
                    agenda_ready_at=starts - timedelta(days=1),
                    notes="" if missed else "Discussed progress and next steps.",
                    notes_version=0 if missed else 1,
                    notes_updated_at=None if missed else starts + timedelta(hours=1),
                    notes_updated_by_id=None if missed else dyad.mentor_id,
                )
            )
        if rng.random() < 0.7:
            starts = now + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 8))
            meetings.append(
                Meeting(
                    dyad_id=dyad.pk,
                    status=Meeting.Status.SCHEDULED,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=60),
                    requested_by_id=dyad.mentee_id,
                    created_at=now - timedelta(days=2),
                    scheduled_at=now - timedelta(days=1),
                    agenda_ready_at=now if rng.random() < 0.5 else None,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=1000)
    owners = {d.pk: (d.mentor_id, d.mentee_id) for d in dyads}
    agenda, actions = [], []
    for meeting in meetings:
        mentor_id, mentee_id = owners[meeting.dyad_id]
        topic, help_needed = TOPICS[rng.randrange(len(TOPICS))]
        agenda.append(
            AgendaItem(meeting=meeting, topic=topic, help_needed=help_needed, added_by_id=mentee_id)
        )
        if meeting.status == Meeting.Status.HELD:
            due = meeting.starts_at + timedelta(days=21)
            done = due < now and rng.random() < 0.8
            actions.append(
                ActionItem(
                    meeting=meeting,
                    description=f"Follow up on: {topic.lower()}",
                    owner_id=rng.choice((mentor_id, mentee_id)),
                    due_on=due.date(),
                    done_at=due - timedelta(days=2) if done else None,
                    done_by_id=mentee_id if done else None,
                    created_by_id=mentor_id,
                )
            )
    AgendaItem.objects.bulk_create(agenda, batch_size=2000)
    ActionItem.objects.bulk_create(actions, batch_size=2000)
