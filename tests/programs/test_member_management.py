"""A program admin manages members from the members page (issue 23): roles, a mentor's capacity,
the supervisor; deactivation (after a confirmation that says what happens) and reactivation. Each
action is audited and the person is told; outsiders get 404."""

import pytest
from django.urls import reverse

from mentoring.models import Notification
from programs.models import AuditEntry, Dyad, Membership, MentorRequest
from programs.services.members import deactivate_member
from programs.services.requests import request_mentor
from tests.builders import make_dyad
from tests.programs.helpers import count_queries, new_mentee, new_mentor

pytestmark = pytest.mark.django_db


def _url(w, name, person):
    return reverse(f"programs:{name}", args=[w.program.slug, person.pk])


def _roles(w, person) -> set[str]:
    return set(
        Membership.objects.filter(program=w.program, user=person).values_list("role", flat=True)
    )


def _told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_admin_changes_a_mentors_capacity(client, world):
    client.force_login(world.admin)

    response = client.post(
        _url(world, "member_edit", world.mentor), {"roles": ["mentor"], "capacity": "3"}
    )

    assert response.status_code == 302
    assert Membership.objects.get(program=world.program, user=world.mentor).capacity == 3
    entry = AuditEntry.objects.get(action="member.capacity")
    assert (entry.before, entry.after) == ({"capacity": None}, {"capacity": 3})
    assert _told("member_changed") == {world.mentor.pk}
    notice = Notification.objects.get(kind="member_changed")
    assert "at most 3 primary mentees" in notice.body


def test_capacity_below_the_current_mentees_is_a_clear_error(client, world):
    make_dyad(world.program, mentor=world.mentor, by=world.admin, kind=Dyad.Kind.PRIMARY)
    client.force_login(world.admin)

    response = client.post(
        _url(world, "member_edit", world.mentor), {"roles": ["mentor"], "capacity": "1"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "has 2 primary mentees now: the capacity cannot be below 2" in page
    assert Membership.objects.get(program=world.program, user=world.mentor).capacity is None
    assert not AuditEntry.objects.filter(action="member.capacity").exists()
    assert not _told("member_changed")


def test_admin_gives_a_mentee_the_mentor_role_too(client, world):
    client.force_login(world.admin)

    response = client.post(
        _url(world, "member_edit", world.mentee), {"roles": ["mentor", "mentee"], "capacity": "2"}
    )

    assert response.status_code == 302
    assert _roles(world, world.mentee) == {"mentor", "mentee"}
    assert (
        Membership.objects.get(program=world.program, user=world.mentee, role="mentor").capacity
        == 2
    )
    entry = AuditEntry.objects.get(action="member.roles")
    assert (entry.before["roles"], entry.after["roles"]) == (["mentee"], ["mentee", "mentor"])
    assert _told("member_changed") == {world.mentee.pk}


def test_a_role_with_open_dyads_stays(client, world):
    client.force_login(world.admin)

    response = client.post(_url(world, "member_edit", world.mentor), {"roles": ["mentee"]})

    assert response.status_code == 200
    assert "still mentor in 1 open dyad: end or re-pair it first" in response.content.decode()
    assert _roles(world, world.mentor) == {"mentor"}


def test_no_role_left_is_a_form_error(client, world):
    client.force_login(world.admin)

    response = client.post(_url(world, "member_edit", world.mentor), {"capacity": ""})

    assert response.status_code == 200
    assert "Keep at least one role, or deactivate the member." in response.content.decode()


def test_admin_records_a_supervisor_from_the_edit_page(client, world):
    client.force_login(world.admin)

    response = client.post(
        _url(world, "member_edit", world.mentee),
        {"roles": ["mentee"], "supervisor": world.other_mentor.email},
    )

    assert response.status_code == 302
    world.mentee.refresh_from_db()
    assert world.mentee.profile.supervisor == world.other_mentor
    assert AuditEntry.objects.filter(action="profile.supervisor").exists()
    assert "administrative supervisor is" in Notification.objects.get(kind="member_changed").body


def test_the_confirmation_says_which_dyads_end_and_who_is_told(client, world):
    supplemental = make_dyad(
        world.program,
        mentor=world.other_mentor,
        mentee=world.mentee,
        by=world.admin,
        kind=Dyad.Kind.SUPPLEMENTAL,
        focus_area="Statistics",
    )
    client.force_login(world.admin)

    page = client.get(_url(world, "member_deactivate", world.mentee)).content.decode()

    assert f'href="{world.dyad.get_absolute_url()}"' in page
    assert f'href="{supplemental.get_absolute_url()}"' in page
    assert "(Statistics)" in page
    told = page.split("these people are told:")[1].split("</li>")[0]
    for person in (world.mentee, world.mentor, world.other_mentor):
        assert str(person) in told
    assert world.dyad.status == Dyad.Status.ACTIVE  # the page changed nothing
    assert _roles(world, world.mentee) == {"mentee"}


def test_admin_deactivates_a_member_whose_dyads_end_and_both_sides_are_told(client, world):
    second = make_dyad(world.program, mentor=world.mentor, by=world.admin)
    client.force_login(world.admin)

    response = client.post(_url(world, "member_deactivate", world.mentor), {"confirm": "1"})

    assert response.status_code == 302
    assert _roles(world, world.mentor) == set()
    assert Membership.everyone.get(program=world.program, user=world.mentor).deactivated_at
    for dyad in (world.dyad, second):
        dyad.refresh_from_db()
        assert (dyad.status, dyad.end_reason) == (Dyad.Status.ENDED, Dyad.EndReason.MENTOR_LEFT)
    world.other_dyad.refresh_from_db()
    assert world.other_dyad.status == Dyad.Status.ACTIVE
    entry = AuditEntry.objects.get(action="member.deactivate")
    assert sorted(entry.after["dyads_ended"]) == sorted([world.dyad.pk, second.pk])
    assert _told("member_status") == {world.mentor.pk}
    assert _told("pairing_ended_member_left") == {world.mentee.pk, second.mentee_id}
    told = Notification.objects.get(kind="member_status")
    assert "2 open pairings ended" in told.body  # the count in the sentence, not an empty body


def test_a_deactivated_member_is_paired_requested_and_admitted_nowhere(client, world):
    mentee = new_mentee(world)
    mentor = new_mentor(world)
    request_mentor(program=world.program, mentee=mentee, mentor=mentor)
    deactivate_member(program=world.program, person=mentor, by=world.admin)

    assert MentorRequest.objects.get(mentee=mentee).status == MentorRequest.Status.DECLINED
    client.force_login(world.admin)
    pair = client.post(
        reverse("programs:pair", args=[world.program.slug]),
        {"mentee": mentee.pk, "mentor": mentor.pk},
    )
    assert not Dyad.objects.filter(mentor=mentor).exists()
    assert pair.status_code == 200
    directory = client.get(
        reverse("programs:members", args=[world.program.slug]), {"role": "mentor"}
    )
    assert f">{mentor.email}<" not in directory.content.decode()
    client.force_login(mentee)
    mentors = client.get(reverse("programs:mentors", args=[world.program.slug]))
    assert mentor.email not in mentors.content.decode()
    client.force_login(mentor)
    assert client.get(reverse("programs:mentors", args=[world.program.slug])).status_code == 404


def test_a_deactivated_admin_manages_nothing(client, world):
    from tests.builders import make_admin

    second_admin = make_admin(world.program)
    deactivate_member(program=world.program, person=second_admin, by=world.admin)
    client.force_login(second_admin)

    assert client.get(reverse("programs:members", args=[world.program.slug])).status_code == 404


def test_the_last_admin_cannot_be_deactivated_or_lose_the_role(client, world):
    from tests.builders import make_admin

    second_admin = make_admin(world.program)
    client.force_login(second_admin)
    deactivate_member(program=world.program, person=world.admin, by=second_admin)
    client.force_login(second_admin)

    response = client.post(_url(world, "member_edit", second_admin), {"roles": ["mentor"]})

    assert "The program needs an admin" in response.content.decode()
    assert _roles(world, second_admin) == {"admin"}


def test_admin_reactivates_a_member(client, world):
    deactivate_member(program=world.program, person=world.mentee, by=world.admin)
    client.force_login(world.admin)
    members = client.get(reverse("programs:members", args=[world.program.slug])).content.decode()
    assert "Deactivated members" in members
    assert "Reactivate" in members

    response = client.post(_url(world, "member_reactivate", world.mentee))

    assert response.status_code == 302
    assert _roles(world, world.mentee) == {"mentee"}
    assert AuditEntry.objects.filter(action="member.reactivate").exists()
    assert Notification.objects.filter(recipient=world.mentee, kind="member_status").count() == 2
    world.dyad.refresh_from_db()
    assert world.dyad.status == Dyad.Status.ENDED  # ended dyads stay ended


def test_reactivate_is_post_only(client, world):
    deactivate_member(program=world.program, person=world.mentee, by=world.admin)
    client.force_login(world.admin)

    assert client.get(_url(world, "member_reactivate", world.mentee)).status_code == 405
    assert _roles(world, world.mentee) == set()


@pytest.mark.parametrize("outsider", ["outsider_admin", "mentor", "mentee", "outsider"])
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("member_edit", {"roles": ["mentor"], "capacity": "9"}),
        ("member_deactivate", {"confirm": "1"}),
        ("member_reactivate", {}),
    ],
)
def test_outsiders_get_404_on_every_member_action(client, world, outsider, name, data):
    person = world.other_mentor
    if name == "member_reactivate":
        deactivate_member(program=world.program, person=person, by=world.admin)
    client.force_login(getattr(world, outsider))

    assert client.get(_url(world, name, person)).status_code in (404, 405)
    assert client.post(_url(world, name, person), data).status_code == 404

    assert (
        not AuditEntry.objects.filter(action__startswith="member.")
        .exclude(action="member.deactivate", actor=world.admin)
        .exists()
    )
    assert Membership.everyone.get(program=world.program, user=person).capacity is None


def test_an_action_on_someone_outside_the_program_is_404(client, world):
    client.force_login(world.admin)

    assert client.get(_url(world, "member_edit", world.outsider)).status_code == 404
    assert (
        client.post(_url(world, "member_deactivate", world.outsider), {"confirm": "1"}).status_code
        == 404
    )


def test_members_page_queries_stay_few_whatever_the_size(client, world):
    client.force_login(world.admin)
    url = reverse("programs:members", args=[world.program.slug])
    small = count_queries(client, url)
    for _ in range(15):
        make_dyad(world.program, by=world.admin)
    deactivate_member(program=world.program, person=new_mentor(world), by=world.admin)
    deactivate_member(program=world.program, person=new_mentee(world), by=world.admin)

    large = count_queries(client, url)

    assert large == small
    assert large <= 12


def test_raise_their_capacity_leads_to_the_capacity_field(client, world):
    Membership.objects.filter(program=world.program, user=world.mentor).update(capacity=1)
    Membership.objects.filter(program=world.program, user=world.other_mentor).update(capacity=1)
    mentee = new_mentee(world)
    client.force_login(world.admin)

    page = client.get(reverse("programs:pair", args=[world.program.slug]), {"mentee": mentee.pk})

    html = page.content.decode()
    assert (
        f'href="{_url(world, "member_edit", world.mentor)}#id_capacity">Raise their capacity'
        in html
    )
    assert 'href="#excluded-heading">listed below as at capacity' in html
    edit = client.get(_url(world, "member_edit", world.mentor)).content.decode()
    assert 'id="id_capacity"' in edit


def test_a_deactivated_member_invited_again_takes_the_role_up(world):
    from programs.invitations import accept_invitation, invite_member

    deactivate_member(program=world.program, person=world.mentee, by=world.admin)
    invitation = invite_member(
        program=world.program, by=world.admin, email=world.mentee.email, role="mentee"
    )

    accept_invitation(invitation=invitation, user=world.mentee)

    assert _roles(world, world.mentee) == {"mentee"}


def test_the_audit_log_reads_every_member_action(client, world):
    client.force_login(world.admin)
    client.post(_url(world, "member_edit", world.mentor), {"roles": ["mentor", "mentee"]})
    client.post(_url(world, "member_edit", world.mentor), {"roles": ["mentor"], "capacity": "4"})
    client.post(_url(world, "member_deactivate", world.other_mentee), {"confirm": "1"})
    client.post(_url(world, "member_reactivate", world.other_mentee))

    page = client.get(reverse("programs:audit", args=[world.program.slug]))

    html = page.content.decode()
    assert page.status_code == 200
    for summary in (
        "Set the roles of Maria Mentor: mentor, mentee",
        "Set the capacity of Maria Mentor to 4",
        "Deactivated Other Mentee (1 open dyads ended)",
        "Reactivated Other Mentee as mentee",
    ):
        assert summary in html


def test_the_database_keeps_deactivated_members_out_of_open_dyads(world):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    mentor = new_mentor(world)
    deactivate_member(program=world.program, person=mentor, by=world.admin)
    mentee = new_mentee(world)
    with pytest.raises(IntegrityError, match="dyad_members_current"), transaction.atomic():
        Dyad.objects.create(program=world.program, mentor=mentor, mentee=mentee, status="active")
    with pytest.raises(IntegrityError, match="membership_no_open_dyads"), transaction.atomic():
        Membership.objects.filter(program=world.program, user=world.mentee).update(
            deactivated_at=timezone.now()
        )


def test_an_admin_who_gives_up_the_role_lands_on_home(client, world):
    from tests.builders import make_admin

    make_admin(world.program)
    client.force_login(world.admin)

    response = client.post(_url(world, "member_edit", world.admin), {"roles": ["mentor"]})

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _roles(world, world.admin) == {"mentor"}


def test_the_confirmation_names_the_roles_that_end(client, world):
    from tests.builders import add_member

    add_member(world.program, world.mentor, Membership.Role.ADMIN)
    client.force_login(world.admin)

    page = client.get(_url(world, "member_deactivate", world.mentor)).content.decode()

    assert "their roles here end (program admin, mentor)" in page


def test_a_mentee_whose_mentor_is_deactivated_hears_the_request_was_declined(world):
    mentee = new_mentee(world)
    mentor = new_mentor(world)
    request_mentor(program=world.program, mentee=mentee, mentor=mentor)
    deactivate_member(program=world.program, person=mentor, by=world.admin)

    [notice] = Notification.objects.filter(kind="mentor_request_answered", recipient=mentee)
    assert "declined" in notice.title
    assert "no longer active" in notice.body
    assert notice.url.endswith(reverse("programs:mentors", args=[world.program.slug]))
    assert not Notification.objects.filter(kind="mentor_request_answered", recipient=mentor)
