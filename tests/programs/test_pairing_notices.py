"""Nothing about a pairing happens silently: each event tells exactly the people it concerns, in
their own zone, with a link to the page where they act; nobody else hears of it."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import registry
from mentoring.models import Notification
from programs.models import AuditEntry, Dyad, MentorRequest
from programs.reminders import (
    MENTOR_REQUEST_ANSWERED,
    MENTOR_REQUESTED,
    PAIRED,
    PAIRING_APPROVED,
    PAIRING_NOT_APPROVED,
    RE_PAIR_REQUESTED,
    RE_PAIRED,
    SUPPLEMENTAL_ADDED,
)
from programs.services.dyads import approve_dyad, decline_proposed_dyad
from programs.services.pairing import add_supplemental_mentor, pair_mentee, re_pair_mentee
from programs.services.requests import (
    accept_mentor_request,
    decline_mentor_request,
    request_mentor,
    withdraw_mentor_request,
)
from tests.programs.helpers import new_mentee, new_mentor, proposed_dyad

pytestmark = pytest.mark.django_db

# 20:00 UTC on Monday 7 December is 09:00 on Tuesday 8 December in Auckland (NZDT, UTC+13).
EVENING = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


def told(kind: str) -> dict:
    """{recipient: url} of every notice of this kind."""
    return dict(Notification.objects.filter(kind=kind).values_list("recipient", "url"))


def notice(kind: str, person) -> Notification:
    return Notification.objects.get(kind=kind, recipient=person)


def _requests_need_approval(w):
    w.program.requests_need_approval = True
    w.program.save(update_fields=["requests_need_approval"])


def _ask(w, mentee=None):
    return request_mentor(
        program=w.program, mentee=mentee or new_mentee(w), mentor=w.mentor, note="Please?"
    )


def test_every_new_kind_follows_the_persons_choice_and_names_its_roles():
    for name in (
        PAIRED,
        RE_PAIR_REQUESTED,
        MENTOR_REQUESTED,
        MENTOR_REQUEST_ANSWERED,
        PAIRING_APPROVED,
        PAIRING_NOT_APPROVED,
        RE_PAIRED,
        SUPPLEMENTAL_ADDED,
    ):
        spec = registry.kind(name)
        assert spec.always_emailed is False, name
        assert spec.roles and spec.roles <= {"admin", "mentor", "mentee"}, name


def test_mentee_asks_and_only_the_mentor_is_told_in_their_zone(world):
    world.mentor.time_zone = "Pacific/Auckland"
    world.mentor.save(update_fields=["time_zone"])
    with time_machine.travel(EVENING, tick=False):
        mentor_request = _ask(world)
    url = reverse("programs:request", args=[mentor_request.pk])
    assert told(MENTOR_REQUESTED) == {world.mentor.pk: url}  # no admin: no approval needed
    assert "Tue 8 Dec 2026, 09:00 NZDT" in notice(MENTOR_REQUESTED, world.mentor).body


def test_mentee_asks_and_the_admins_hear_when_the_program_approves_pairings(world):
    _requests_need_approval(world)
    with time_machine.travel(EVENING, tick=False):
        mentor_request = _ask(world)
    assert told(MENTOR_REQUESTED) == {
        world.mentor.pk: reverse("programs:request", args=[mentor_request.pk]),
        world.admin.pk: reverse("programs:requests", args=[world.program.slug]),
    }  # not program B's admin, nor anyone of the other dyad
    assert "Mon 7 Dec 2026, 20:00 UTC" in notice(MENTOR_REQUESTED, world.admin).body


def test_asking_again_after_withdrawing_tells_the_mentor_again_but_a_double_submit_does_not(
    world,
):
    mentee = new_mentee(world)
    first = _ask(world, mentee)
    with pytest.raises(ValidationError):
        _ask(world, mentee)  # the double submit
    assert Notification.objects.filter(kind=MENTOR_REQUESTED).count() == 1
    withdraw_mentor_request(mentor_request=first, by=mentee)
    _ask(world, mentee)
    assert Notification.objects.filter(kind=MENTOR_REQUESTED, recipient=world.mentor).count() == 2


def test_mentor_accepts_and_the_mentee_is_told_with_a_link_to_the_dyad(world):
    mentee = new_mentee(world)
    mentor_request = _ask(world, mentee)
    dyad = accept_mentor_request(mentor_request=mentor_request, by=world.mentor)
    assert dyad.status == Dyad.Status.ACTIVE
    assert told(MENTOR_REQUEST_ANSWERED) == {mentee.pk: dyad.get_absolute_url()}


def test_mentor_accepts_then_the_admin_approves_and_both_are_told_once(world):
    _requests_need_approval(world)
    mentee = new_mentee(world, time_zone="Pacific/Auckland")
    mentor_request = _ask(world, mentee)
    with time_machine.travel(EVENING, tick=False):
        dyad = accept_mentor_request(mentor_request=mentor_request, by=world.mentor)
    assert told(MENTOR_REQUEST_ANSWERED) == {
        mentee.pk: dyad.get_absolute_url(),
        world.admin.pk: reverse("programs:requests", args=[world.program.slug]),
    }
    assert "Accepted Tue 8 Dec 2026, 09:00 NZDT" in notice(MENTOR_REQUEST_ANSWERED, mentee).body

    approve_dyad(dyad=dyad, by=world.admin)
    approve_dyad(dyad=dyad, by=world.admin)  # a double click
    assert told(PAIRING_APPROVED) == {
        mentee.pk: dyad.get_absolute_url(),
        world.mentor.pk: dyad.get_absolute_url(),
    }


def test_approving_an_active_dyad_tells_no_one(world):
    approve_dyad(dyad=world.dyad, by=world.admin)
    assert told(PAIRING_APPROVED) == {}


def test_mentor_declines_and_the_mentee_reads_why_and_where_to_choose_again(world):
    mentee = new_mentee(world)
    mentor_request = _ask(world, mentee)
    decline_mentor_request(
        mentor_request=mentor_request, by=world.mentor, reason="Full <b>year</b>"
    )
    assert told(MENTOR_REQUEST_ANSWERED) == {
        mentee.pk: reverse("programs:mentors", args=[world.program.slug])
    }
    got = notice(MENTOR_REQUEST_ANSWERED, mentee)
    assert "Maria Mentor declined your request" in got.title
    assert "Full <b>year</b>" in got.body  # stored as typed; escaped where shown


def test_admin_declines_for_the_program_and_only_the_mentee_is_told(world):
    mentee = new_mentee(world)
    mentor_request = _ask(world, mentee)
    decline_mentor_request(mentor_request=mentor_request, by=world.admin, reason="Not this term.")
    assert set(told(MENTOR_REQUEST_ANSWERED)) == {mentee.pk}
    assert "the program declined" in notice(MENTOR_REQUEST_ANSWERED, mentee).title


def test_admin_pairs_one_mentee_and_both_are_told(world):
    mentee, mentor = new_mentee(world), new_mentor(world)
    dyad = pair_mentee(program=world.program, mentor=mentor, mentee=mentee, by=world.admin)
    url = dyad.get_absolute_url()
    assert told(PAIRED) == {mentee.pk: url, mentor.pk: url}


def test_admin_declines_a_proposed_dyad_and_both_are_told(world):
    dyad = proposed_dyad(world)
    decline_proposed_dyad(dyad=dyad, by=world.admin, note="Same division.")
    assert told(PAIRING_NOT_APPROVED) == {
        dyad.mentee_id: reverse("programs:mentors", args=[world.program.slug]),
        dyad.mentor_id: dyad.get_absolute_url(),
    }
    assert "Same division." in notice(PAIRING_NOT_APPROVED, dyad.mentee).body


def test_admin_re_pairs_and_the_old_mentor_the_mentee_and_the_new_mentor_are_told(world):
    world.mentor.time_zone = "Pacific/Auckland"
    world.mentor.save(update_fields=["time_zone"])
    new = new_mentor(world)
    with time_machine.travel(EVENING, tick=False):
        new_dyad = re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=new)
    assert told(RE_PAIRED) == {
        world.mentor.pk: world.dyad.get_absolute_url(),
        world.mentee.pk: new_dyad.get_absolute_url(),
        new.pk: new_dyad.get_absolute_url(),
    }  # not the other dyad, nor program B's admin
    assert "ended Tue 8 Dec 2026, 09:00 NZDT" in notice(RE_PAIRED, world.mentor).body


def test_admin_adds_a_supplemental_mentor_and_the_mentee_and_that_mentor_are_told(world):
    dyad = add_supplemental_mentor(
        program=world.program,
        mentor=world.other_mentor,
        mentee=world.mentee,
        by=world.admin,
        focus_area="statistics",
        ends_on=date(2027, 6, 30),
    )
    url = dyad.get_absolute_url()
    assert told(SUPPLEMENTAL_ADDED) == {world.mentee.pk: url, world.other_mentor.pk: url}
    assert "statistics until Wed 30 Jun 2027" in notice(SUPPLEMENTAL_ADDED, world.mentee).body


# --- Approve all -------------------------------------------------------------------------------


def _approve_all(w):
    return reverse("programs:approve_all", args=[w.program.slug])


def test_admin_approves_all_waiting_pairings_after_a_confirmation_and_everyone_is_told(
    client, world
):
    first, second = proposed_dyad(world), proposed_dyad(world)
    client.force_login(world.admin)
    listing = client.get(reverse("programs:requests", args=[world.program.slug])).content.decode()
    assert _approve_all(world) in listing
    assert _approve_all(world) in client.get(world.program.get_absolute_url()).content.decode()
    page = client.get(_approve_all(world))
    assert page.status_code == 200
    assert Dyad.objects.filter(status=Dyad.Status.PROPOSED).count() == 2  # a GET changes nothing
    assert "Approve these 2" in page.content.decode()

    response = client.post(_approve_all(world), {"dyad": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(
        Dyad.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {Dyad.Status.ACTIVE}
    assert AuditEntry.objects.filter(action="dyad.approve").count() == 2
    assert told(PAIRING_APPROVED) == {
        first.mentee_id: first.get_absolute_url(),
        first.mentor_id: first.get_absolute_url(),
        second.mentee_id: second.get_absolute_url(),
        second.mentor_id: second.get_absolute_url(),
    }


def test_approve_all_approves_only_what_was_listed_and_waits_still(client, world):
    listed, later = proposed_dyad(world), proposed_dyad(world)
    decline_proposed_dyad(dyad=listed, by=world.admin)  # declined meanwhile, in another tab
    client.force_login(world.admin)
    client.post(_approve_all(world), {"dyad": [listed.pk, world.other_dyad.pk]})
    assert Dyad.objects.get(pk=later.pk).status == Dyad.Status.PROPOSED
    assert Dyad.objects.get(pk=listed.pk).status == Dyad.Status.ENDED
    assert told(PAIRING_APPROVED) == {}


def test_approve_all_takes_junk_ids_without_harm(client, world):
    waiting = proposed_dyad(world)
    client.force_login(world.admin)
    junk = ["x", "-1", str(2**63), "9" * 30, str(waiting.pk)]
    assert client.post(_approve_all(world), {"dyad": junk}).status_code == 302
    assert Dyad.objects.get(pk=waiting.pk).status == Dyad.Status.ACTIVE


def test_approve_all_leaves_another_programs_pairings_alone(client, world):
    from tests.builders import make_dyad

    theirs = make_dyad(world.program_b, by=world.outsider_admin, status=Dyad.Status.PROPOSED)
    client.force_login(world.admin)
    client.post(_approve_all(world), {"dyad": [theirs.pk]})
    assert Dyad.objects.get(pk=theirs.pk).status == Dyad.Status.PROPOSED


@pytest.mark.parametrize("who", ["outsider_admin", "mentor", "mentee"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_approve_all_is_the_programs_admins_only(client, world, who, method):
    dyad = proposed_dyad(world)
    client.force_login(getattr(world, who))
    response = getattr(client, method)(_approve_all(world), {"dyad": [dyad.pk]})
    assert response.status_code in (403, 404)
    assert Dyad.objects.get(pk=dyad.pk).status == Dyad.Status.PROPOSED
    assert not Notification.objects.filter(kind=PAIRING_APPROVED).exists()


def test_nobody_outside_the_event_hears_of_any_of_it(world):
    _requests_need_approval(world)
    mentee = new_mentee(world)
    dyad = accept_mentor_request(mentor_request=_ask(world, mentee), by=world.mentor)
    approve_dyad(dyad=dyad, by=world.admin)
    re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=new_mentor(world))
    strangers = [world.other_mentor, world.other_mentee, world.outsider_admin, world.outsider]
    assert not Notification.objects.filter(recipient__in=strangers).exists()
    assert MentorRequest.objects.get(mentee=mentee).status == MentorRequest.Status.ACCEPTED
