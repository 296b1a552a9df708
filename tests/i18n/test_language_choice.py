"""Choosing a language: the browser's Accept-Language for someone who has not chosen, the switcher
(no JavaScript: a form posting to /language/), and a signed-in person's saved choice winning."""

from django.conf import settings
from django.urls import reverse

from mentoring.models import User


def test_the_languages_are_english_spanish_and_french_each_named_in_itself():
    assert settings.LANGUAGES == [("en", "English"), ("es", "Español"), ("fr", "Français")]
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")


def test_someone_who_has_not_chosen_gets_their_browsers_language(client, db):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de-DE")
    assert response["Content-Language"] == "en"  # a language we lack: the site's


def test_the_sign_in_page_has_a_switcher_that_works_without_javascript(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert 'action="/language/"' in page
    assert '<label class="visually-hidden" for="language-signin">' in page
    assert '<option value="es" lang="es">Español</option>' in page
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "es"  # the choice beats the browser
    # Django's own catalog proves the page is rendered in Spanish: a form error of its own.
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert "Este campo es requerido." in response.content.decode()


def test_the_switcher_refuses_a_language_we_lack_and_a_foreign_next(client, db):
    response = client.post(
        reverse("set_language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_a_signed_in_persons_switch_is_saved_and_wins_over_the_browser(client, world):
    client.force_login(world.mentee)
    page = client.get("/").content.decode()
    assert 'for="language-nav"' in page  # the switcher in the navigation
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    world.mentee.refresh_from_db()
    assert world.mentee.language == "fr"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)  # another browser, say
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "fr"
    assert '<option value="fr" lang="fr" selected>' in response.content.decode()


def test_the_profile_form_sets_and_clears_the_preference(client, world):
    client.force_login(world.mentor)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="language"' in page
    assert '<option value="" selected>My browser&#x27;s language</option>' in page
    form = {"name": "Maria Mentor", "title": "", "time_zone": "UTC", "language": "es"}
    assert client.post(reverse("profile"), form).status_code == 302
    assert User.objects.get(pk=world.mentor.pk).language == "es"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "es"
    form["language"] = ""  # follow the browser again
    assert client.post(reverse("profile"), form).status_code == 302
    assert User.objects.get(pk=world.mentor.pk).language == ""
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "fr"
    # A language we lack is refused with the form's message, nothing saved.
    form["language"] = "de"
    response = client.post(reverse("profile"), form)
    assert response.status_code == 200
    assert User.objects.get(pk=world.mentor.pk).language == ""
