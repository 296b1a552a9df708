"""Who may do what to a meeting: one predicate per action, written once.

Services enforce them: `require(...)` (403) for who may act, and a `ValidationError` with the reason
a `*_refusal` function gives when the meeting's state forbids it. Pages show a control only when
the predicate allows it: `meeting_actions` hands the meeting page the set of what the viewer may do.
Every predicate reads only the meeting and its dyad (no query), so a page may ask as often as it likes.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ActionItem, AgendaItem, Meeting
from programs.models import Dyad


def _ended() -> str:
    return _("This pairing has ended. Its meetings are kept as a record and can no longer change.")


def takes_part(user, dyad: Dyad) -> bool:
    """The mentor or the mentee of the dyad (not an admin who only oversees it)."""
    return dyad.role_of(user) is not None


def is_mentee(user, dyad: Dyad) -> bool:
    return user.pk == dyad.mentee_id


def is_mentor(user, dyad: Dyad) -> bool:
    return user.pk == dyad.mentor_id


# What the state of a dyad or meeting refuses, and why: "" when nothing stands in the way.


def planning_refusal(dyad: Dyad) -> str:
    """Meetings are planned in an active pairing only."""
    if dyad.status == Dyad.Status.ENDED:
        return _ended()
    if dyad.status != Dyad.Status.ACTIVE:
        return _("This pairing is %(status)s: meetings can be planned once it is active.") % {
            "status": dyad.get_status_display().lower()
        }
    return ""


def record_refusal(meeting: Meeting) -> str:
    """A cancelled meeting, or one of an ended pairing, is a record: nothing in it changes."""
    if meeting.status == Meeting.Status.CANCELLED:
        return _(
            "This meeting was cancelled, so it can no longer be changed. Propose a new meeting instead."
        )
    if meeting.dyad.status == Dyad.Status.ENDED:
        return _ended()
    return ""


def change_refusal(meeting: Meeting) -> str:
    """Only a scheduled meeting can be moved."""
    refusal = record_refusal(meeting)
    if refusal or meeting.status == Meeting.Status.SCHEDULED:
        return refusal
    return _("Only a scheduled meeting can be moved; this one is %(status)s.") % {
        "status": meeting.get_status_display().lower()
    }


def cancel_refusal(meeting: Meeting) -> str:
    """A proposed or scheduled meeting of a pairing that has not ended can be called off."""
    if not meeting.is_open:
        return _("This meeting is already %(status)s; it cannot be cancelled.") % {
            "status": meeting.get_status_display().lower()
        }
    if not meeting.dyad.is_open:
        return _ended()
    return ""


def accept_refusal(meeting: Meeting) -> str:
    """One of the proposed times can be accepted while the meeting waits for one."""
    refusal = record_refusal(meeting) or planning_refusal(meeting.dyad)
    if refusal or meeting.status == Meeting.Status.REQUESTED:
        return refusal
    return _("This meeting is already %(status)s.") % {
        "status": meeting.get_status_display().lower()
    }


def mark_refusal(meeting: Meeting, *, now=None) -> str:
    """Held or missed is said of a scheduled meeting once it has started (and may be corrected)."""
    refusal = record_refusal(meeting)
    if refusal:
        return refusal
    if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.HELD, Meeting.Status.MISSED):
        return _("Only a scheduled meeting can be marked held or missed.")
    if meeting.starts_at > (now or timezone.now()):
        return _("This meeting has not started yet; mark it once it has taken place.")
    return ""


def action_item_refusal(dyad: Dyad) -> str:
    if dyad.status == Dyad.Status.ENDED:
        return _("This pairing has ended; its action items are kept as a record.")
    return ""


# The predicates: who, and whether the state allows it.


def can_propose(user, dyad: Dyad) -> bool:
    return takes_part(user, dyad) and not planning_refusal(dyad)


def may_accept(user, meeting: Meeting) -> bool:
    """Who answers proposed times: the side that did not propose them."""
    return takes_part(user, meeting.dyad) and user.pk != meeting.requested_by_id


def can_accept(user, meeting: Meeting) -> bool:
    return may_accept(user, meeting) and not accept_refusal(meeting)


def can_change(user, meeting: Meeting) -> bool:
    return takes_part(user, meeting.dyad) and not change_refusal(meeting)


def can_cancel(user, meeting: Meeting) -> bool:
    return takes_part(user, meeting.dyad) and not cancel_refusal(meeting)


def can_mark(user, meeting: Meeting, *, now=None) -> bool:
    return takes_part(user, meeting.dyad) and not mark_refusal(meeting, now=now)


def can_edit_agenda(user, meeting: Meeting) -> bool:
    """Both sides add topics; the mentee sets it, the mentor may add too."""
    return takes_part(user, meeting.dyad) and not record_refusal(meeting)


def may_remove_agenda_item(user, item: AgendaItem) -> bool:
    """Whoever added an item may take it off again."""
    return item.added_by_id == user.pk


def can_remove_agenda_item(user, item: AgendaItem) -> bool:
    return may_remove_agenda_item(user, item) and not record_refusal(item.meeting)


def can_mark_agenda_ready(user, meeting: Meeting) -> bool:
    """The mentee says when the agenda is complete."""
    return is_mentee(user, meeting.dyad) and not record_refusal(meeting)


def can_add_material(user, meeting: Meeting) -> bool:
    """The mentee sends materials to the mentor."""
    return is_mentee(user, meeting.dyad) and not record_refusal(meeting)


def can_review_material(user, meeting: Meeting) -> bool:
    """The mentor reviews what the mentee sent."""
    return is_mentor(user, meeting.dyad) and not record_refusal(meeting)


def can_edit_notes(user, meeting: Meeting) -> bool:
    return takes_part(user, meeting.dyad) and not record_refusal(meeting)


def can_write_private_note(user, meeting: Meeting) -> bool:
    """Each participant's own notes, also on a record: they are nobody else's business."""
    return takes_part(user, meeting.dyad)


def can_add_action_item(user, meeting: Meeting) -> bool:
    return takes_part(user, meeting.dyad) and not record_refusal(meeting)


def can_tick_action_item(user, item: ActionItem) -> bool:
    dyad = item.meeting.dyad
    return takes_part(user, dyad) and not action_item_refusal(dyad)


def meeting_actions(user, meeting: Meeting, *, now=None) -> set[str]:
    """What the viewer may do on the meeting page, for the template to test with `in`.

    "mark" asks whether a started meeting took place, so it is offered while the outcome is
    awaited; a marked meeting can still be corrected through the service."""
    checks = {
        "accept": can_accept(user, meeting),
        "change": can_change(user, meeting),
        "cancel": can_cancel(user, meeting),
        "mark": can_mark(user, meeting, now=now) and meeting.awaits_outcome(now),
        "edit_agenda": can_edit_agenda(user, meeting),
        "mark_agenda_ready": can_mark_agenda_ready(user, meeting),
        "add_material": can_add_material(user, meeting),
        "review_material": can_review_material(user, meeting),
        "edit_notes": can_edit_notes(user, meeting),
        "write_private_note": can_write_private_note(user, meeting),
        "add_action_item": can_add_action_item(user, meeting),
        "tick_action_item": takes_part(user, meeting.dyad)
        and not action_item_refusal(meeting.dyad),
    }
    return {action for action, allowed in checks.items() if allowed}
