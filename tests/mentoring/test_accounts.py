"""Accounts: invitation-only sign-up, login limits, the admin site's login, profile and time zone."""

import zoneinfo

from allauth.account.models import EmailAddress
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mentoring.middleware import UserTimezoneMiddleware
from mentoring.models import User
from tests.builders import PASSWORD, make_user


def test_visitor_cannot_sign_up_without_an_invitation(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "closed" in response.text.lower()
    client.post(
        reverse("account_signup"),
        {"email": "stranger@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_person_signs_in_with_email_and_password(client, db):
    make_user("sam@example.org")
    response = client.post(
        reverse("account_login"), {"login": "sam@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_repeated_failed_logins_lock_the_account_for_a_while(client, db):
    make_user("sam@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "sam@example.org", "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": "sam@example.org", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "too many" in response.text.lower()
    assert "_auth_user_id" not in client.session


def test_admin_site_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_non_staff_user_cannot_use_the_admin_site(client, db):
    client.force_login(make_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Site administration" not in response.text


def test_new_email_address_needs_verification(client, db, mailoutbox):
    user = make_user("sam@example.org")
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "sam.new@example.org"})
    address = EmailAddress.objects.get(email="sam.new@example.org")
    assert not address.verified
    assert any("sam.new@example.org" in m.to for m in mailoutbox)


def test_password_reset_sends_a_link(client, db, mailoutbox):
    make_user("sam@example.org")
    client.post(reverse("account_reset_password"), {"email": "sam@example.org"})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_short_password_is_refused(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = make_user()
    try:
        validate_password("short-pass1", user)
    except ValidationError as error:
        assert "at least 12" in " ".join(error.messages)
    else:
        raise AssertionError("an 11-character password was accepted")


def test_person_edits_their_profile(client, db):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "name": "Dr. Sam Example",
            "title": "Assistant Professor",
            "department": "Pediatrics",
            "career_stage": "junior_faculty",
            "expertise": "asthma",
            "interests": "grant writing",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.time_zone) == ("Dr. Sam Example", "Europe/Berlin")


def test_profile_with_an_unknown_time_zone_keeps_the_input(client, db):
    client.force_login(make_user())
    response = client.post(reverse("profile"), {"name": "Kept Name", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Kept Name" in response.text
    assert "is not a time zone we know" in response.text


def test_pages_render_in_the_persons_time_zone(db):
    user = make_user(time_zone="America/Chicago")
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == zoneinfo.ZoneInfo("America/Chicago")


def test_superuser_opens_the_admin_site_for_programs_and_dyads(client, world):
    superuser = User.objects.create_superuser("root@example.org", PASSWORD)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    for model in ("program", "membership", "dyad", "invitation", "auditentry"):
        assert client.get(f"/admin/programs/{model}/").status_code == 200, model
    assert client.get(f"/admin/programs/dyad/{world.dyad.pk}/change/").status_code == 200


def test_login_page_offers_the_password_reset_once(client, db):
    page = client.get(reverse("account_login")).text
    assert page.count("Forgot your password?") == 1
    assert 'name="login"' in page
    assert 'name="password"' in page
