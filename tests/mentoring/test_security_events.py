"""Security events (OWASP ASVS 16.3): each kind recorded with who, when and from where; the table
append-only; read by superusers (the /admin/ site) and by a program's admins for its members."""

import codecs
import csv
import io
import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse

from mentoring.models import AppendOnlyError, SecurityEvent
from mentoring.security import record_security_event
from programs.invitations import accept_invitation, invite_member
from programs.models import Membership
from tests.builders import PASSWORD, add_member, make_user
from tests.mentoring.test_second_factor import totp_code

Kind = SecurityEvent.Kind


def events(kind: str):
    return SecurityEvent.objects.filter(kind=kind)


def sign_in(client, email: str, password: str = PASSWORD, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


# --- Each kind -----------------------------------------------------------------------------------


def test_sign_in_is_recorded_with_address_and_browser(client, world):
    sign_in(client, world.mentee.email, HTTP_USER_AGENT="Firefox 140", REMOTE_ADDR="192.0.2.7")
    event = events(Kind.SIGNED_IN).get()
    assert event.user == world.mentee
    assert event.ip_address == "192.0.2.7"
    assert event.user_agent == "Firefox 140"
    assert event.actor is None  # the person themselves


def test_failed_sign_in_is_recorded_for_the_account_and_for_an_unknown_address(client, world):
    sign_in(client, world.mentee.email, "wrong-password")
    sign_in(client, "nobody@example.org", "wrong-password")
    known, unknown = events(Kind.SIGN_IN_FAILED).order_by("id")
    assert (known.user, known.identifier) == (world.mentee, world.mentee.email)
    assert (unknown.user, unknown.identifier) == (None, "nobody@example.org")
    assert not events(Kind.SIGNED_IN).exists()


def test_lock_out_is_recorded_when_the_failed_sign_in_limit_is_hit(client, world):
    for _ in range(5):  # ACCOUNT_RATE_LIMITS login_failed: 5 per 5 minutes per address typed
        sign_in(client, world.mentee.email, "wrong-password")
    assert not events(Kind.LOCKED_OUT).exists()
    response = sign_in(client, world.mentee.email)
    assert "too many" in response.text.lower()
    assert events(Kind.LOCKED_OUT).get().user == world.mentee
    assert events(Kind.SIGN_IN_FAILED).count() == 5


def test_password_change_is_recorded(client, world):
    sign_in(client, world.mentee.email)
    new = "another-long-password-77"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert events(Kind.PASSWORD_CHANGED).get().user == world.mentee


def test_password_reset_is_recorded(client, world):
    client.post(reverse("account_reset_password"), {"email": world.mentee.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form = client.get(link[1], follow=True)
    new = "another-long-password-77"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert events(Kind.PASSWORD_RESET).get().user == world.mentee


def test_second_factor_added_refused_reset_and_removed_are_recorded(
    client, world, django_capture_on_commit_callbacks
):
    sign_in(client, world.mentee.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    added = set(events(Kind.SECOND_FACTOR_ADDED).values_list("detail", flat=True))
    assert added == {"TOTP Authenticator", "Recovery codes"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    assert events(Kind.RECOVERY_CODES_RESET).get().user == world.mentee

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    assert (
        events(Kind.SECOND_FACTOR_REMOVED).filter(detail="TOTP Authenticator").get().user
        == world.mentee
    )

    TOTP.activate(world.mentee, generate_totp_secret())
    client.post(reverse("account_logout"))
    sign_in(client, world.mentee.email)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert events(Kind.SECOND_FACTOR_FAILED).get().user == world.mentee


def test_joining_a_program_and_losing_a_role_are_recorded_with_who_did_it(client, world):
    person = make_user("new.person@a.example")
    invitation = invite_member(
        program=world.program, by=world.admin, email=person.email, role="mentor"
    )
    accept_invitation(invitation=invitation, user=person)
    joined = events(Kind.ROLE_CHANGED).filter(user=person).get()
    assert joined.program == world.program
    assert joined.detail == "joined as mentor in program-a"

    superuser = make_user("root@example.org", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    membership = Membership.objects.get(user=person, program=world.program)
    client.post(
        reverse("admin:programs_membership_delete", args=[membership.pk]),
        {"post": "yes"},
        REMOTE_ADDR="198.51.100.4",
    )
    left = events(Kind.ROLE_CHANGED).filter(user=person).latest("id")
    assert left.detail == "no longer mentor in program-a"
    assert (left.actor, left.ip_address) == (superuser, "198.51.100.4")


def test_superuser_rights_given_are_recorded(world):
    world.mentor.is_superuser = True
    world.mentor.save()
    changes = events(Kind.ROLE_CHANGED).filter(user=world.mentor, program=None)
    assert changes.get().detail == "superuser: False → True"
    world.mentor.save(update_fields=["last_login"])  # every sign-in: nothing to record
    world.mentor.save()  # nothing changed
    assert changes.count() == 1


@pytest.mark.parametrize("kind", [Kind.EXPORT_DOWNLOADED, Kind.ACCOUNT_DELETED, Kind.SSO_LINKED])
def test_other_apps_record_their_events_through_the_one_function(world, rf, kind):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.user = world.mentee
    event = record_security_event(kind=kind, user=world.mentee, request=request)
    assert (event.kind, event.user, event.ip_address) == (kind, world.mentee, "203.0.113.9")
    with pytest.raises(ValueError):
        record_security_event(kind="made_up", user=world.mentee)


# --- The address -------------------------------------------------------------------------------


def test_forwarded_address_is_ignored_unless_a_proxy_is_trusted(client, world, settings):
    sign_in(client, world.mentee.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert events(Kind.SIGNED_IN).get().ip_address == "10.0.0.2"

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # our own proxy appends the client it saw
    client.post(reverse("account_logout"))
    sign_in(
        client,
        world.mentee.email,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.50",
    )
    assert events(Kind.SIGNED_IN).latest("id").ip_address == "192.0.2.50"


# --- Append-only -------------------------------------------------------------------------------


def test_the_application_cannot_change_or_remove_an_event(world):
    event = record_security_event(kind=Kind.SIGNED_IN, user=world.mentee)
    event.detail = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_from_anyone(world):
    event = record_security_event(kind=Kind.SIGNED_IN, user=world.mentee)
    for statement in (
        "UPDATE mentoring_securityevent SET detail = 'x' WHERE id = %s",
        "DELETE FROM mentoring_securityevent WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert SecurityEvent.objects.filter(pk=event.pk, detail="").exists()


def test_deleting_a_person_leaves_their_events(world):
    person = make_user("short.lived@a.example")
    record_security_event(kind=Kind.SIGNED_IN, user=person)
    person_id = person.pk
    person.emailaddress_set.all().delete()
    person.delete()
    assert SecurityEvent.objects.filter(user_id=person_id).count() == 1


# --- Who reads them ----------------------------------------------------------------------------


def test_superuser_reads_events_in_the_admin_site_and_cannot_change_them(client, world):
    superuser = make_user("root@example.org", is_superuser=True, is_staff=True)
    event = record_security_event(kind=Kind.SIGNED_IN, user=world.mentee)
    client.force_login(superuser)
    assert client.get(reverse("admin:mentoring_securityevent_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:mentoring_securityevent_change", args=[event.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:mentoring_securityevent_add")).status_code == 403
    assert (
        client.get(reverse("admin:mentoring_securityevent_delete", args=[event.pk])).status_code
        == 403
    )


def test_program_admin_sees_the_events_of_the_programs_members_only(client, world):
    record_security_event(kind=Kind.SIGNED_IN, user=world.mentee, detail="mentee of A")
    record_security_event(kind=Kind.SIGNED_IN, user=world.outsider, detail="mentee of B")
    both = make_user("both@example.org")
    add_member(world.program_b, both, "mentor")
    add_member(world.program, both, "mentee")
    record_security_event(
        kind=Kind.ROLE_CHANGED, user=both, program=world.program_b, detail="a change in B"
    )
    client.force_login(world.admin)
    page = client.get(reverse("programs:security", args=[world.program.slug])).text
    assert "mentee of A" in page
    assert "mentee of B" not in page
    assert "a change in B" not in page  # the person is in A too, but that event is B's
    assert "joined as mentee in program-a" in page


def test_program_page_links_to_its_security_events(client, world):
    client.force_login(world.admin)
    page = client.get(world.program.get_absolute_url()).text
    assert reverse("programs:security", args=[world.program.slug]) in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider_admin", 404), ("outsider", 404), ("mentee", 403), ("mentor", 403)],
)
def test_others_cannot_read_a_programs_security_events(client, world, who, status):
    client.force_login(getattr(world, who))
    for name in ("programs:security", "programs:security_csv"):
        assert client.get(reverse(name, args=[world.program.slug])).status_code == status


def test_security_events_csv_is_filtered_and_keeps_formulas_out(client, world):
    record_security_event(
        kind=Kind.SIGN_IN_FAILED, user=world.mentee, identifier="=HYPERLINK(1)", detail="@cmd"
    )
    record_security_event(kind=Kind.SIGNED_IN, user=world.mentee)
    client.force_login(world.admin)
    url = reverse("programs:security_csv", args=[world.program.slug])
    response = client.get(url, {"kind": Kind.SIGN_IN_FAILED})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["when", "event", "account"]
    assert len(rows) == 2
    assert rows[1][1:6] == ["sign_in_failed", world.mentee.email, "", "", "'=HYPERLINK(1)"]
    assert rows[1][7] == "'@cmd"


def test_junk_filter_shows_every_event(client, world):
    client.force_login(world.admin)
    url = reverse("programs:security", args=[world.program.slug])
    assert client.get(url, {"kind": "nonsense", "page": "x"}).status_code == 200


def test_recovery_codes_helper_is_allauths(world):
    # The browser tests sign in with these; guard that the helper still makes usable codes.
    codes = RecoveryCodes.activate(world.mentee).generate_codes()
    assert len(codes) == 10
