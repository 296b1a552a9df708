"""The meeting predicates: who may do what, in which state (meetings/rules.py)."""

import pytest
from django.core.exceptions import ValidationError

from meetings import rules, services
from meetings.models import Meeting
from programs.models import Dyad
from programs.services.dyads import end_dyad, pause_dyad
from tests.meetings.builders import held, propose, schedule, started


def test_the_other_side_accepts_proposed_times(world):
    meeting = propose(world.dyad, by=world.mentee)
    assert rules.can_accept(world.mentor, meeting)
    assert not rules.can_accept(world.mentee, meeting)  # the one who proposed waits
    assert not rules.can_accept(world.admin, meeting)  # an admin oversees, takes no part
    assert not rules.can_accept(world.other_mentee, meeting)


def test_nobody_accepts_times_of_a_scheduled_meeting(world):
    meeting = schedule(world.dyad)
    assert not rules.can_accept(world.mentor, meeting)
    assert not rules.can_accept(world.mentee, meeting)


def test_both_sides_change_and_cancel_a_scheduled_meeting(world):
    meeting = schedule(world.dyad)
    for person in (world.mentor, world.mentee):
        assert rules.can_change(person, meeting)
        assert rules.can_cancel(person, meeting)
    for person in (world.admin, world.other_mentor):
        assert not rules.can_change(person, meeting)
        assert not rules.can_cancel(person, meeting)


def test_proposed_times_are_cancelled_not_changed(world):
    meeting = propose(world.dyad)
    assert rules.can_cancel(world.mentor, meeting)
    assert not rules.can_change(world.mentor, meeting)


def test_a_cancelled_meeting_is_a_record(world):
    meeting = schedule(world.dyad)
    services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Away")
    meeting.refresh_from_db()
    assert rules.meeting_actions(world.mentee, meeting) == {
        "write_private_note",
        "tick_action_item",
    }
    assert not rules.can_edit_notes(world.mentor, meeting)
    assert not rules.can_review_material(world.mentor, meeting)


def test_a_held_meeting_cannot_be_cancelled(world):
    meeting = held(world.dyad)
    assert not rules.can_cancel(world.mentee, meeting)
    with pytest.raises(ValidationError, match="already held; it cannot be cancelled"):
        services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Oops")


def test_a_started_meeting_asks_to_be_marked(world):
    meeting = started(world.dyad)
    assert "mark" in rules.meeting_actions(world.mentor, meeting)
    assert "mark" in rules.meeting_actions(world.mentee, meeting)
    assert "mark" not in rules.meeting_actions(world.admin, meeting)


def test_a_future_meeting_is_not_marked(world):
    meeting = schedule(world.dyad)
    assert not rules.can_mark(world.mentor, meeting)
    assert "mark" not in rules.meeting_actions(world.mentor, meeting)


def test_a_marked_meeting_can_be_corrected_but_is_not_asked_about_again(world):
    meeting = held(world.dyad)
    assert rules.can_mark(world.mentee, meeting)
    assert "mark" not in rules.meeting_actions(world.mentee, meeting)


def test_the_mentee_sets_the_agenda_and_sends_materials(world):
    meeting = schedule(world.dyad)
    mentee, mentor = (
        rules.meeting_actions(world.mentee, meeting),
        rules.meeting_actions(world.mentor, meeting),
    )
    assert {"edit_agenda", "mark_agenda_ready", "add_material"} <= mentee
    assert "review_material" not in mentee
    assert "edit_agenda" in mentor and "review_material" in mentor
    assert not {"mark_agenda_ready", "add_material"} & mentor


def test_only_who_added_an_agenda_item_removes_it(world):
    meeting = schedule(world.dyad)
    item = services.add_agenda_item(meeting=meeting, by=world.mentee, topic="Aims page")
    assert rules.can_remove_agenda_item(world.mentee, item)
    assert not rules.can_remove_agenda_item(world.mentor, item)


def test_an_admin_sees_a_meeting_and_may_do_nothing_to_it(world):
    meeting = schedule(world.dyad)
    assert rules.meeting_actions(world.admin, meeting) == set()


def test_meetings_are_planned_in_an_active_pairing_only(world):
    assert rules.can_propose(world.mentee, world.dyad)
    assert not rules.can_propose(world.admin, world.dyad)
    pause_dyad(dyad=world.dyad, by=world.admin)
    world.dyad.refresh_from_db()
    assert not rules.can_propose(world.mentee, world.dyad)
    assert rules.planning_refusal(world.dyad) == (
        "This pairing is paused: meetings can be planned once it is active."
    )


def test_an_ended_pairing_keeps_its_meetings_as_a_record(world):
    meeting = started(world.dyad)
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    meeting = Meeting.objects.select_related("dyad").get(pk=meeting.pk)
    assert rules.meeting_actions(world.mentee, meeting) == {"write_private_note"}
    with pytest.raises(ValidationError, match="This pairing has ended"):
        services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Ended anyway")
