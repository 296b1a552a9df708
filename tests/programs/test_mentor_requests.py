"""Chosen, not only assigned: a mentee asks a mentor, the mentor answers, the program oversees."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs.models import AuditEntry, Dyad, MentorRequest
from programs.services.requests import accept_mentor_request, request_mentor
from tests.builders import add_dyads
from tests.programs.helpers import count_queries, new_mentee, new_mentor

pytestmark = pytest.mark.django_db


def _mentors(w):
    return reverse("programs:mentors", args=[w.program.slug])


def _ask(client, w, mentor, note="Could you help me with grant writing?"):
    return client.post(
        reverse("programs:request_mentor", args=[w.program.slug, mentor.pk]), {"note": note}
    )


def test_mentee_browses_mentors_in_suggestion_order_with_the_reasons(client, world):
    mentee = new_mentee(world, interests="grant writing, statistics")
    new_mentor(world, capacity=2, name="Stat Mentor", expertise="Statistics")
    new_mentor(world, name="Nora Nomatch", expertise="surgery")
    client.force_login(mentee)
    response = client.get(_mentors(world))
    html = response.content.decode()
    names = [m.mentor.name for m in response.context["matches"]]
    assert names.index("Stat Mentor") < names.index("Nora Nomatch")
    assert "1 shared interest: statistics; 2 of 2 places left" in html
    assert "1 shared interest: grant writing" in html
    assert "Ask Stat to mentor me" in html


def test_mentee_asks_a_mentor_with_a_note_and_the_mentor_sees_it_at_home(client, world):
    mentee = new_mentee(world, name="Nia New")
    client.force_login(mentee)
    response = _ask(client, world, world.mentor)
    mentor_request = MentorRequest.objects.get(mentee=mentee)
    assert response["Location"] == reverse("programs:request", args=[mentor_request.pk])
    assert mentor_request.note == "Could you help me with grant writing?"
    client.force_login(world.mentor)
    home = client.get(reverse("home")).content.decode()
    assert "Nia New (Program A)" in home
    assert reverse("programs:request", args=[mentor_request.pk]) in home


def test_mentor_accepts_and_the_dyad_starts_at_once(client, world):
    mentee = new_mentee(world)
    mentor_request = request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    client.force_login(world.mentor)
    response = client.post(
        reverse("programs:request", args=[mentor_request.pk]), {"decision": "accept"}
    )
    dyad = Dyad.objects.get(mentee=mentee)
    mentor_request.refresh_from_db()
    assert response["Location"] == dyad.get_absolute_url()
    assert (dyad.status, dyad.formed) == (Dyad.Status.ACTIVE, Dyad.Formed.CHOSEN)
    assert mentor_request.status == MentorRequest.Status.ACCEPTED
    assert mentor_request.dyad == dyad


def test_accepted_request_waits_for_the_admin_when_the_program_wants_approval(client, world):
    world.program.requests_need_approval = True
    world.program.save()
    mentee = new_mentee(world)
    mentor_request = request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    client.force_login(world.mentor)
    client.post(reverse("programs:request", args=[mentor_request.pk]), {"decision": "accept"})
    dyad = Dyad.objects.get(mentee=mentee)
    assert dyad.status == Dyad.Status.PROPOSED

    client.force_login(world.admin)
    page = client.get(reverse("programs:requests", args=[world.program.slug]))
    assert list(page.context["proposed"]) == [dyad]
    client.post(reverse("programs:dyad_approve", args=[dyad.pk]))
    dyad.refresh_from_db()
    assert dyad.status == Dyad.Status.ACTIVE


def test_admin_does_not_approve_a_proposed_dyad_and_the_mentee_may_choose_again(client, world):
    world.program.requests_need_approval = True
    world.program.save()
    mentee = new_mentee(world)
    mentor_request = request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    dyad = accept_mentor_request(mentor_request=mentor_request, by=world.mentor)
    client.force_login(world.admin)
    client.post(
        reverse("programs:dyad_decline", args=[dyad.pk]), {"note": "Let's try someone nearer"}
    )
    dyad.refresh_from_db()
    assert dyad.status == Dyad.Status.ENDED
    assert dyad.end_note == "Let's try someone nearer"
    request_mentor(program=world.program, mentee=mentee, mentor=world.other_mentor)


def test_mentor_declines_with_a_reason_the_mentee_reads(client, world):
    mentee = new_mentee(world)
    mentor_request = request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    url = reverse("programs:request", args=[mentor_request.pk])
    client.force_login(world.mentor)
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert response.status_code == 200  # a reason is required
    assert response.context["decline_form"].errors["reason"]
    client.post(url, {"decision": "decline", "reason": "I am on leave until spring."})
    client.force_login(mentee)
    page = client.get(url).content.decode()
    assert "Declined" in page and "I am on leave until spring." in page
    assert not AuditEntry.objects.filter(action="request.decline").exists()  # not an admin action


def test_admin_overrides_and_declines_a_pending_request(client, world):
    mentee = new_mentee(world)
    mentor_request = request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    client.force_login(world.admin)
    response = client.post(
        reverse("programs:request", args=[mentor_request.pk]),
        {"decision": "decline", "reason": "We pair first-years with senior faculty."},
    )
    mentor_request.refresh_from_db()
    assert response["Location"] == reverse("programs:requests", args=[world.program.slug])
    assert mentor_request.status == MentorRequest.Status.DECLINED
    entry = AuditEntry.objects.get(action="request.decline")
    assert entry.actor == world.admin and entry.after["status"] == "declined"


def test_admin_cannot_accept_in_the_mentors_place(client, world):
    mentee = new_mentee(world)
    mentor_request = request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    client.force_login(world.admin)
    response = client.post(
        reverse("programs:request", args=[mentor_request.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403


def test_admin_pairing_the_mentee_otherwise_answers_the_pending_request(client, world):
    mentee = new_mentee(world)
    mentor_request = request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    client.force_login(world.admin)
    client.post(
        reverse("programs:pair", args=[world.program.slug]),
        {"mentee": mentee.pk, "mentor": world.other_mentor.pk},
    )
    mentor_request.refresh_from_db()
    assert mentor_request.status == MentorRequest.Status.DECLINED
    assert "The program paired you with" in mentor_request.response_note
    client.force_login(world.mentor)
    response = client.post(
        reverse("programs:request", args=[mentor_request.pk]), {"decision": "accept"}
    )
    assert "already been answered" in response.content.decode()


def test_mentee_withdraws_a_pending_request_and_asks_someone_else(client, world):
    mentee = new_mentee(world)
    client.force_login(mentee)
    _ask(client, world, world.mentor)
    mentor_request = MentorRequest.objects.get(mentee=mentee)
    response = client.post(reverse("programs:request_withdraw", args=[mentor_request.pk]))
    mentor_request.refresh_from_db()
    assert response["Location"] == _mentors(world)
    assert mentor_request.status == MentorRequest.Status.WITHDRAWN
    _ask(client, world, world.other_mentor)
    assert MentorRequest.objects.filter(mentee=mentee, status="pending").count() == 1


def test_mentee_has_one_pending_request_at_a_time(client, world):
    mentee = new_mentee(world)
    client.force_login(mentee)
    _ask(client, world, world.mentor)
    response = _ask(client, world, world.other_mentor, note="Second try")
    assert response.status_code == 200
    assert "You are waiting for an answer from Maria Mentor" in response.content.decode()
    assert response.context["form"]["note"].value() == "Second try"


def test_mentee_with_a_primary_mentor_cannot_ask_another(client, world):
    client.force_login(world.mentee)
    page = client.get(_mentors(world)).content.decode()
    assert "You already have a primary mentor here" in page
    assert "to mentor me</a>" not in page
    response = _ask(client, world, world.other_mentor)
    assert (
        "You already have a primary mentor in this program (Maria Mentor)."
        in response.content.decode()
    )
    assert not MentorRequest.objects.exists()


def test_mentee_cannot_ask_a_mentor_without_open_places(client, world):
    full = new_mentor(world, capacity=0, name="Full Mentor")
    mentee = new_mentee(world)
    client.force_login(mentee)
    assert "Ask Full to mentor me" not in client.get(_mentors(world)).content.decode()
    response = _ask(client, world, full)
    assert "Full Mentor has no open place at the moment" in response.content.decode()


def test_mentee_cannot_ask_someone_who_is_not_a_mentor_of_the_program(client, world):
    mentee = new_mentee(world)
    client.force_login(mentee)
    response = client.get(
        reverse("programs:request_mentor", args=[world.program.slug, world.other_mentee.pk])
    )
    assert response.status_code == 404


def test_a_double_submitted_request_is_refused_not_duplicated(world):
    mentee = new_mentee(world)
    request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)
    with pytest.raises(ValidationError):
        request_mentor(program=world.program, mentee=mentee, mentor=world.mentor)


def test_mentors_page_costs_the_same_queries_for_10_or_50_dyads(client, world):
    mentee = new_mentee(world)
    client.force_login(mentee)
    add_dyads(world.program, 10)
    small = count_queries(client, _mentors(world))
    add_dyads(world.program, 40)
    # session, user, program, mentee check, primary dyad, pending request, mentors with load,
    # the navigation's memberships, the unread-notification badge.
    assert count_queries(client, _mentors(world)) == small <= 11
