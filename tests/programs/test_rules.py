"""The dyad and mentor-request predicates: who may do what, in which state (programs/rules.py)."""

import pytest
from django.core.exceptions import ValidationError

from programs import rules
from programs.models import Dyad
from programs.services.agreements import acknowledge_agreement
from programs.services.dyads import decline_proposed_dyad, end_dyad, pause_dyad
from programs.services.pairing import re_pair_mentee
from programs.services.requests import accept_mentor_request, decline_mentor_request
from tests.programs.helpers import open_request, proposed_dyad


def test_an_admin_pauses_an_active_dyad_and_nobody_else(world):
    assert rules.can_pause(world.admin, world.dyad)
    for person in (world.mentor, world.mentee, world.outsider_admin):
        assert not rules.can_pause(person, world.dyad)
    assert not rules.can_resume(world.admin, world.dyad)
    assert not rules.can_approve(world.admin, world.dyad)


def test_a_paused_dyad_resumes(world):
    pause_dyad(dyad=world.dyad, by=world.admin)
    world.dyad.refresh_from_db()
    assert rules.can_resume(world.admin, world.dyad)
    assert not rules.can_pause(world.admin, world.dyad)
    assert rules.dyad_actions(world.admin, world.dyad, admin=True) == {
        "resume",
        "end",
        "re_pair",
        "set_cadence",
        "edit_agreement",
        "set_supervisor_conflict",
    }


def test_a_proposed_dyad_is_approved_or_declined(world):
    dyad = proposed_dyad(world)
    assert rules.can_approve(world.admin, dyad)
    assert rules.can_decline(world.admin, dyad)
    assert not rules.can_pause(world.admin, dyad)
    assert not rules.can_decline(world.admin, world.dyad)
    with pytest.raises(ValidationError, match="Only a proposed dyad can be declined"):
        decline_proposed_dyad(dyad=world.dyad, by=world.admin)


def test_an_ended_dyad_offers_no_change(world):
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    world.dyad.refresh_from_db()
    assert rules.dyad_actions(world.admin, world.dyad, admin=True) == set()
    assert rules.dyad_actions(world.mentee, world.dyad, admin=False) == set()
    with pytest.raises(ValidationError, match="already ended; pair the mentee anew"):
        re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=world.other_mentor)


def test_the_pair_edits_and_acknowledges_their_agreement(world):
    dyad = Dyad.objects.select_related("agreement").get(pk=world.dyad.pk)
    mentee = rules.dyad_actions(world.mentee, dyad, admin=False)
    assert mentee == {"edit_agreement", "acknowledge_agreement", "request_re_pair"}
    acknowledge_agreement(agreement=dyad.agreement, by=world.mentee)
    dyad = Dyad.objects.select_related("agreement").get(pk=world.dyad.pk)
    assert not rules.can_acknowledge_agreement(world.mentee, dyad)
    assert rules.can_acknowledge_agreement(world.mentor, dyad)
    assert not rules.can_acknowledge_agreement(world.admin, dyad)  # admins edit, never acknowledge
    assert rules.can_edit_agreement(world.admin, dyad)
    assert not rules.can_edit_agreement(world.other_mentee, dyad)


def test_the_admin_question_is_asked_of_the_database_when_not_given(world):
    assert rules.can_end(world.admin, world.dyad)
    assert not rules.can_end(world.outsider_admin, world.dyad)
    assert not rules.can_end(world.admin, world.dyad, admin=False)


def test_a_pending_request_is_answered_by_the_mentor_or_declined_by_an_admin(world):
    mentor_request = open_request(world)
    assert rules.request_actions(world.mentor, mentor_request, admin=False) == {
        "accept",
        "decline",
    }
    assert rules.request_actions(world.admin, mentor_request, admin=True) == {"decline"}
    assert rules.request_actions(world.mentee, mentor_request, admin=False) == {"withdraw"}
    assert rules.request_actions(world.other_mentee, mentor_request, admin=False) == set()


def test_a_mentee_whose_request_was_declined_may_ask_another_mentor(world):
    mentor_request = open_request(world)
    decline_mentor_request(mentor_request=mentor_request, by=world.mentor, reason="Full")
    mentor_request.refresh_from_db()
    assert rules.request_actions(world.mentee, mentor_request, admin=False) == {"ask_another"}
    assert rules.request_actions(world.mentor, mentor_request, admin=False) == set()
    with pytest.raises(ValidationError, match="already been answered: declined"):
        accept_mentor_request(mentor_request=mentor_request, by=world.mentor)


def test_an_accepted_request_leaves_nothing_to_do(world):
    mentor_request = open_request(world)
    accept_mentor_request(mentor_request=mentor_request, by=world.mentor)
    mentor_request.refresh_from_db()
    assert rules.request_actions(world.mentee, mentor_request, admin=False) == set()
