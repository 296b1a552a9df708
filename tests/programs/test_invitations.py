"""Inviting one person, and accepting an invitation: as a newcomer, or with an existing account."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from mentoring.models import User
from programs.invitations import hash_token, invite_member
from programs.models import AuditEntry, Invitation, Membership
from tests.builders import PASSWORD

NEW_PASSWORD = "quiet-harbour-lantern-93"


def invite_url(world):
    return reverse("programs:invite", args=[world.program.slug])


def link_in(message) -> str:
    """The path of the invitation link in an e-mail (the text body and the HTML body agree)."""
    text_link = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
    html = message.alternatives[0][0]
    assert f'href="{text_link}"' in html
    return re.sub(r"^https?://[^/]+", "", text_link)


def accept_url(invitation) -> str:
    return reverse("programs:accept_invitation", args=[invitation.token])


def test_admin_invites_a_newcomer_who_follows_the_emailed_link_and_joins(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(world),
            {"email": "Newcomer@A.example ", "name": "Nina Newcomer", "role": "mentee"},
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:members", args=[world.program.slug])
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["newcomer@a.example"]
    assert "Program A" in message.subject
    assert "Nina Newcomer" in message.body
    link = link_in(message)

    client.logout()
    form_page = client.get(link)
    assert form_page.status_code == 200
    assert "newcomer@a.example" in form_page.content.decode()
    assert 'value="Nina Newcomer"' in form_page.content.decode()  # the name the admin gave

    response = client.post(
        link, {"name": "Nina Newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="newcomer@a.example")
    assert user.name == "Nina Newcomer"
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.filter(
        user=user, email="newcomer@a.example", verified=True, primary=True
    ).exists()
    assert Membership.objects.filter(program=world.program, user=user, role="mentee").exists()
    # First sign-in: the profile comes first (programs/onboarding.py), once.
    first = client.get(reverse("home"))
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("programs:profile"))
    saved = client.post(reverse("programs:profile"), {"department": "Pediatrics", "next": "/"})
    assert saved.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.context["user"] == user  # signed in
    assert "Program A" in home.content.decode()


def test_invitation_stores_only_a_hash_of_the_token(world, settings):
    settings.INVITATION_VALID_DAYS = 5
    invitation = invite_member(
        program=world.program, by=world.admin, email="x@a.example", role="mentee"
    )

    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.token_hash == hash_token(invitation.token)
    assert invitation.token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert stored.expires_at - stored.created_at == timedelta(days=5)


def test_admin_invitation_is_written_to_the_audit_log(client, world):
    client.force_login(world.admin)
    client.post(invite_url(world), {"email": "x@a.example", "name": "", "role": "mentor"})

    entry = AuditEntry.objects.get(action="invitation.create")
    assert entry.program == world.program
    assert entry.actor == world.admin
    assert "x@a.example" in entry.summary
    assert entry.after["role"] == "mentor"


def test_admin_invites_a_mentor_with_a_capacity_that_the_membership_gets(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            invite_url(world),
            {"email": "cap@a.example", "name": "Cap", "role": "mentor", "capacity": 2},
        )
    client.logout()

    client.post(
        link_in(mailoutbox[0]),
        {"name": "Cap", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    membership = Membership.objects.get(program=world.program, user__email="cap@a.example")
    assert membership.role == "mentor"
    assert membership.capacity == 2


def test_admin_cannot_give_a_mentee_a_capacity(client, world):
    client.force_login(world.admin)

    response = client.post(
        invite_url(world),
        {"email": "m@a.example", "name": "Kept Name", "role": "mentee", "capacity": 2},
    )

    assert response.status_code == 200
    assert "Only mentors have a capacity" in response.content.decode()
    assert 'value="Kept Name"' in response.content.decode()
    assert not Invitation.objects.filter(email="m@a.example").exists()


def test_admin_invalid_invitation_re_renders_with_input_kept(client, world):
    client.force_login(world.admin)

    response = client.post(
        invite_url(world), {"email": "not-an-address", "name": "Typed Name", "role": "mentee"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="not-an-address"' in page
    assert 'value="Typed Name"' in page
    assert "valid email address" in page
    assert not Invitation.objects.exists()


def test_admin_inviting_a_member_in_the_same_role_gets_a_clear_message(client, world, mailoutbox):
    client.force_login(world.admin)

    response = client.post(
        invite_url(world), {"email": "MENTOR@a.example", "name": "", "role": "mentor"}
    )

    assert response.status_code == 200
    assert "mentor@a.example is already a mentor in Program A" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_admin_reinviting_withdraws_the_older_link(client, world):
    first = invite_member(program=world.program, by=world.admin, email="x@a.example", role="mentee")
    second = invite_member(
        program=world.program, by=world.admin, email="x@a.example", role="mentee"
    )

    old = client.get(accept_url(first))
    new = client.get(accept_url(second))

    assert old.status_code == 410
    assert "A newer invitation replaced this one" in old.content.decode()
    assert new.status_code == 200
    assert AuditEntry.objects.filter(action="invitation.revoke").count() == 1


@pytest.mark.parametrize("role", ["mentor", "mentee", "outsider"])
def test_non_admin_cannot_invite(client, world, role):
    client.force_login(getattr(world, role))

    response = client.post(
        invite_url(world), {"email": "x@a.example", "name": "", "role": "mentee"}
    )

    assert response.status_code in (403, 404)
    assert not Invitation.objects.exists()


def test_admin_of_another_program_cannot_invite(client, world):
    client.force_login(world.outsider_admin)

    response = client.post(invite_url(world), {"email": "x@a.example", "name": "", "role": "admin"})

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_newcomer_weak_password_is_refused_with_input_kept(client, world):
    invitation = invite_member(
        program=world.program, by=world.admin, email="nina@a.example", role="mentee"
    )

    for password, reason in [
        ("short-pw1", "too short"),
        ("password1234", "too common"),
        ("nina@a.example1", "too similar"),
    ]:
        response = client.post(
            accept_url(invitation),
            {"name": "Nina Typed", "password1": password, "password2": password},
        )
        assert response.status_code == 200
        assert reason in response.content.decode()
        assert 'value="Nina Typed"' in response.content.decode()
    mismatch = client.post(
        accept_url(invitation),
        {"name": "Nina Typed", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert "The two passwords differ" in mismatch.content.decode()
    assert not User.objects.filter(email="nina@a.example").exists()


def test_newcomer_with_an_expired_link_sees_what_to_do(client, world):
    invitation = invite_member(
        program=world.program, by=world.admin, email="late@a.example", role="mentee"
    )

    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        response = client.get(accept_url(invitation))
        post = client.post(
            accept_url(invitation),
            {"name": "Late", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert world.admin.email in response.content.decode()  # whom to ask
    assert post.status_code == 410
    assert not User.objects.filter(email="late@a.example").exists()


def test_newcomer_reusing_a_link_sees_it_was_used(client, world):
    invitation = invite_member(
        program=world.program, by=world.admin, email="once@a.example", role="mentee"
    )
    client.post(
        accept_url(invitation),
        {"name": "Once", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    client.logout()

    again = client.get(accept_url(invitation))

    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert reverse("account_login") in again.content.decode()  # the way forward


def test_unknown_link_shows_a_clear_page(client, db):
    response = client.get(reverse("programs:accept_invitation", args=["no-such-token"]))

    assert response.status_code == 410
    assert "This invitation link does not work" in response.content.decode()


def test_existing_user_of_another_program_signs_in_then_accepts_with_one_click(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_member(
            program=world.program, by=world.admin, email=world.outsider.email, role="mentor"
        )
    link = link_in(mailoutbox[0])
    assert "You already have an account" in mailoutbox[0].body

    anonymous = client.get(link)
    assert "Sign in to accept" in anonymous.content.decode()
    response = client.post(
        reverse("account_login") + f"?next={link}",
        {"login": world.outsider.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == link

    page = client.get(link)
    assert page.status_code == 200
    assert "Join as mentor" in page.content.decode()
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert Membership.objects.filter(
        program=world.program, user=world.outsider, role="mentor"
    ).exists()
    assert Membership.objects.filter(
        program=world.program_b, user=world.outsider, role="mentee"
    ).exists()  # the other program's role stays
    assert AuditEntry.objects.filter(
        program=world.program, action="membership.create", actor=world.outsider
    ).exists()
    assert client.get(link).status_code == 410  # used


def test_member_takes_on_a_second_role_in_the_same_program(client, world):
    invitation = invite_member(
        program=world.program, by=world.admin, email=world.mentee.email, role="mentor"
    )
    client.force_login(world.mentee)

    client.post(accept_url(invitation))

    assert set(
        Membership.objects.filter(program=world.program, user=world.mentee).values_list(
            "role", flat=True
        )
    ) == {"mentee", "mentor"}


def test_someone_signed_in_as_another_address_cannot_accept(client, world):
    invitation = invite_member(
        program=world.program, by=world.admin, email="someone.else@a.example", role="mentee"
    )
    client.force_login(world.mentor)

    page = client.get(accept_url(invitation))
    post = client.post(accept_url(invitation))

    assert page.status_code == 403
    assert "someone.else@a.example" in page.content.decode()
    assert "Sign out" in page.content.decode()
    assert post.status_code == 403
    assert not Invitation.objects.get(pk=invitation.pk).accepted_at


def test_existing_account_cannot_be_taken_over_by_an_anonymous_sign_up(client, world):
    invitation = invite_member(
        program=world.program, by=world.admin, email=world.outsider.email, role="mentee"
    )

    response = client.post(
        accept_url(invitation),
        {"name": "Mallory", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Sign in to accept" in response.content.decode()
    world.outsider.refresh_from_db()
    assert world.outsider.check_password(PASSWORD)
    assert not Membership.objects.filter(program=world.program, user=world.outsider).exists()


def test_invite_form_marks_capacity_as_for_mentors_only_with_or_without_javascript(client, world):
    client.force_login(world.admin)
    page = client.get(invite_url(world)).text
    # The script shows the field only while "Mentor" is chosen; without it the help text says so.
    wrapper = re.search(r"<div[^>]*data-shown-for-role=\"mentor\"[^>]*>", page)
    assert wrapper, "the capacity field is wrapped for the role toggle"
    assert 'name="capacity"' in page[wrapper.end() :]
    assert "Only for mentors" in page
