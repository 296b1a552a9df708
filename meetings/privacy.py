"""The meetings app's part of a person's data export: their meetings with agendas, shared notes,
their own private notes (never the partner's), action items, and the materials they uploaded."""

from meetings.models import ActionItem, AgendaItem, Material, Meeting, PrivateNote
from mentoring import registry
from mentoring.privacy import as_data

MEETING_FIELDS = [
    "dyad",
    "status",
    "starts_at",
    "ends_at",
    "location",
    "video_url",
    "note",
    "change_reason",
    "cancel_reason",
    "notes",
]
MATERIAL_FIELDS = [
    "meeting_id",
    "title",
    "original_name",
    "link",
    "review_by",
    "uploaded_by",
    "reviewed_at",
    "review_comment",
]


def _meetings_of(user):
    return (
        Meeting.objects.of_participant(user)
        .select_related("dyad__mentor", "dyad__mentee", "dyad__program")
        .order_by("starts_at", "created_at")
    )


def _what_meetings_hold(user, meetings, materials: list[Material]) -> dict:
    """The agendas, the user's own private notes, the action items and the materials."""
    agenda = AgendaItem.objects.filter(meeting__in=meetings).select_related("added_by")
    actions = ActionItem.objects.filter(meeting__in=meetings).select_related("owner")
    return {
        "agenda_items": [
            as_data(a, ["meeting_id", "topic", "help_needed", "details", "added_by"])
            for a in agenda
        ],
        "my_private_notes": [
            as_data(n, ["meeting_id", "text", "updated_at"])
            for n in PrivateNote.objects.filter(author=user, meeting__in=meetings)
        ],
        "action_items": [
            as_data(a, ["meeting_id", "description", "owner", "due_on", "done_at"]) for a in actions
        ],
        "materials": [as_data(m, MATERIAL_FIELDS) for m in materials],
    }


@registry.personal_data("meetings")
def meetings_data(user) -> registry.PersonalData:
    meetings = _meetings_of(user)
    materials = list(
        Material.objects.filter(meeting__in=meetings).select_related("uploaded_by", "reviewed_by")
    )
    return registry.PersonalData(
        data={
            "meetings": [{**as_data(m, MEETING_FIELDS), "id": m.pk} for m in meetings],
            **_what_meetings_hold(user, meetings, materials),
        },
        files=[
            (f"{m.pk}-{m.original_name or 'material'}", m.file)
            for m in materials
            if m.file and m.uploaded_by_id == user.pk
        ],
    )
