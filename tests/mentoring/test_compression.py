"""BREACH: pages are compressed, except those that print a secret (mentoring/compression.py)."""

from django.urls import reverse

from mentoring.compression import SECRET_PAGES
from tests.routes import named_views


def test_an_ordinary_page_is_compressed(client, world):
    client.force_login(world.mentee)
    for url in ("/", reverse("goals:plan", args=[world.program.pk, world.mentee.pk])):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip", url


def test_the_calendar_feed_address_is_never_compressed(client, world):
    client.force_login(world.mentee)
    client.post(reverse("meetings:calendar_regenerate"))
    response = client.get(reverse("meetings:calendar"), HTTP_ACCEPT_ENCODING="gzip")
    text = response.content.decode()
    assert "/meetings/feed/" in text  # the secret address is on the page...
    assert "Content-Encoding" not in response  # ...which therefore travels uncompressed
    assert len(response.content) > 200  # long enough that GZip would have compressed it


def test_the_admin_site_and_second_factor_pages_are_never_compressed(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    response = client.get("/admin/programs/invitation/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert {"mfa_activate_totp", "mfa_view_recovery_codes", "account_reset_password_from_key"} < (
        SECRET_PAGES
    )
    for name in SECRET_PAGES:  # every name is a real view: a typo would leave a page compressed
        assert name in _view_names(), name


def _view_names() -> set[str]:
    return set(named_views())
