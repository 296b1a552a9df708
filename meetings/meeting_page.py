"""The reads of one meeting's page and of the pages of its parts (an agenda item, a material, an
action item): the objects fetched from URL ids, scoped through mentoring.access, and what the
meeting page shows below the meeting, each a fixed number of queries."""

from django.db.models import (
    QuerySet,
)

from goals.models import ProgressReport
from meetings import rules
from meetings.models import ActionItem, AgendaItem, Material, Meeting, PrivateNote
from mentoring import rawsql
from mentoring.models import User

MEETING_RELATIONS = (
    "dyad__mentor",
    "dyad__mentee",
    "dyad__program",
    "requested_by",
    "notes_updated_by",
    "cancelled_by",
    "marked_by",
)


def meeting_for_page() -> QuerySet[Meeting]:
    """The meeting with the people and program its page names."""
    return Meeting.objects.select_related(*MEETING_RELATIONS)


# What the meeting page reads of a meeting, its dyad and the dyad's two people (issue 21): the
# people it names besides those two (who proposed, cancelled, marked, last edited the notes) are
# nearly always the same two, so they are not joined but found by `_name_people`.
MEETING_PAGE_FIELDS = (
    "dyad",
    "status",
    "starts_at",
    "ends_at",
    "location",
    "video_url",
    "note",
    "requested_by_id",
    "created_at",
    "change_reason",
    "cancelled_at",
    "cancelled_by_id",
    "cancel_reason",
    "marked_by_id",
    "agenda_ready_at",
    "notes",
    "notes_updated_at",
    "notes_updated_by_id",
    "dyad__program_id",
    "dyad__mentor",
    "dyad__mentee",
    "dyad__focus_area",
    "dyad__status",
    "dyad__mentor__name",
    "dyad__mentor__email",
    "dyad__mentee__name",
    "dyad__mentee__email",
)
# A person as a page names them (User.__str__).
PERSON_FIELDS = ("name", "email")


def meeting_for_detail() -> QuerySet[Meeting]:
    """The meeting as its page shows it: what the page reads of it, its dyad and the dyad's two
    people, in one query with two joins (`meeting_page` names everyone else)."""
    return Meeting.objects.select_related("dyad__mentor", "dyad__mentee").only(*MEETING_PAGE_FIELDS)


# The meeting page's reads below the meeting, written once as SQL (mentoring/rawsql.py): the page
# is opened all day, and compiling them through the ORM cost several times running them. Each
# reads what the page shows, in the order the models are ordered.
_PAGE_AGENDA_SQL = """
SELECT a.id, a.meeting_id, a.topic, a.help_needed, a.details, a.added_by_id, a.goal_id,
       a.progress_report_id, a.created_at, g.id AS goal__id, g.title AS goal__title,
       r.submitted_at AS report_at
  FROM meetings_agendaitem a
  LEFT JOIN goals_goal g ON g.id = a.goal_id
  LEFT JOIN goals_progressreport r ON r.id = a.progress_report_id
 WHERE a.meeting_id = %s
 ORDER BY a.created_at, a.id
"""
_PAGE_MATERIALS_SQL = """
SELECT id, meeting_id, title, file, original_name, size, link, review_by, created_at,
       reviewed_at, review_comment
  FROM meetings_material WHERE meeting_id = %s ORDER BY created_at, id
"""
_PAGE_ACTION_ITEMS_SQL = """
SELECT i.id, i.meeting_id, i.description, i.owner_id, i.due_on, i.done_at
  FROM meetings_actionitem i JOIN meetings_meeting m ON m.id = i.meeting_id
 WHERE m.dyad_id = %s AND (i.meeting_id = %s OR (i.done_at IS NULL AND {earlier} < %s))
 ORDER BY i.done_at, i.due_on, i.id
"""
# Only the author's own note: PrivateNote's rule (visible_to) is its author.
_PAGE_PRIVATE_NOTE_SQL = """
SELECT id, meeting_id, author_id, text FROM meetings_privatenote
 WHERE meeting_id = %s AND author_id = %s
 LIMIT 1
"""


def _page_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in the order it was written, with the title and day of what it links to."""
    agenda = rawsql.rows(AgendaItem, _PAGE_AGENDA_SQL, [meeting.pk])
    for item in agenda:
        item.meeting = meeting
        rawsql.attach(item, "goal", ("id", "title"))
        # The report's day only: the column, not the report, so its time is converted as a field.
        if item.progress_report_id is not None:
            item.progress_report = ProgressReport.from_db(
                item._state.db,
                ["id", "submitted_at"],
                [item.progress_report_id, rawsql.aware(item.report_at)],
            )
    return agenda


def _page_materials(meeting: Meeting) -> list[Material]:
    """The materials, in the order they were sent."""
    materials = rawsql.rows(Material, _PAGE_MATERIALS_SQL, [meeting.pk])
    for material in materials:
        material.meeting = meeting
    return materials


def _page_action_items(meeting: Meeting) -> list[ActionItem]:
    """Action items of this meeting, and the open ones of the dyad's earlier meetings (the next
    agenda shows them automatically until they are done): one join to their meeting."""
    earlier, when = (
        ("m.starts_at", meeting.starts_at)
        if meeting.starts_at is not None
        else ("m.created_at", meeting.created_at)
    )
    items = list(
        rawsql.rows(
            ActionItem,
            _PAGE_ACTION_ITEMS_SQL.format(earlier=earlier),
            [meeting.dyad_id, meeting.pk, rawsql.moment(when)],
        )
    )
    for item in items:
        if item.meeting_id == meeting.pk:
            item.meeting = meeting
    return items


def _page_private_note(meeting: Meeting, user) -> PrivateNote | None:
    """The viewer's own private note (nobody else's, by the model's rule)."""
    return next(iter(rawsql.rows(PrivateNote, _PAGE_PRIVATE_NOTE_SQL, [meeting.pk, user.pk])), None)


def meeting_page(meeting: Meeting, user) -> dict:
    """Everything the meeting page shows besides the meeting itself, for the viewer: four lean
    queries at most (proposals only while times are proposed, the private note only for the two
    people of the dyad), and one more only when someone outside the pair is named."""
    actions = rules.meeting_actions(user, meeting)
    # 1: proposed times
    proposals = list(meeting.proposals.all()) if meeting.status == Meeting.Status.REQUESTED else []
    agenda = _page_agenda(meeting)  # 2
    materials = _page_materials(meeting)  # 3
    items = _page_action_items(meeting)  # 4
    # 5: for the two people of the dyad
    private_note = None
    if "write_private_note" in actions:
        private_note = _page_private_note(meeting, user)
    _name_people(meeting, agenda, items)
    role = meeting.dyad.role_of(user)
    for item in agenda:
        item.removable = rules.can_remove_agenda_item(user, item)
    partner = meeting.dyad.partner_of(user) if role else None
    return {
        "proposals": proposals,
        "agenda_items": agenda,
        "materials": materials,
        "action_items": [i for i in items if i.meeting_id == meeting.pk],
        "carried_items": [i for i in items if i.meeting_id != meeting.pk],
        "private_note": private_note,
        "role": role,
        # What the viewer may do here: the page shows a control only for an action in this set.
        "actions": actions,
        "can_tick_action_items": "tick_action_item" in actions,
        "partner": partner,
        # Who is to pick one of the proposed times, when the viewer proposed them.
        "waiting_for": partner
        if meeting.is_requested and user.pk == meeting.requested_by_id
        else None,
    }


def _name_people(meeting: Meeting, agenda: list[AgendaItem], items: list[ActionItem]) -> None:
    """Set the people the page names (who proposed, cancelled, marked, edited the notes; who
    added each agenda item; whose each action item is) from the dyad's two, already loaded; anyone
    else (an admin, a former pairing's mentor) in one query, and none when there is no one else."""
    dyad = meeting.dyad
    people = {dyad.mentor_id: dyad.mentor, dyad.mentee_id: dyad.mentee}
    wanted = [
        (meeting, "requested_by"),
        (meeting, "cancelled_by"),
        (meeting, "marked_by"),
        (meeting, "notes_updated_by"),
        *((item, "added_by") for item in agenda),
        *((item, "owner") for item in items),
    ]
    others = {getattr(row, f"{name}_id") for row, name in wanted} - set(people) - {None}
    if others:
        people.update(
            (person.pk, person)
            for person in User.objects.filter(pk__in=others).only(*PERSON_FIELDS)
        )
    for row, name in wanted:
        person_id = getattr(row, f"{name}_id")
        if person_id is not None:
            setattr(row, name, people[person_id])


def agenda_item_for_page() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related("meeting__dyad")


def material_for_page() -> QuerySet[Material]:
    return Material.objects.select_related(
        "meeting__dyad__mentor", "meeting__dyad__mentee", "meeting__dyad__program", "uploaded_by"
    )


def action_item_for_page() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related("meeting__dyad", "owner")
