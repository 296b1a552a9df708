"""Every page carries the texts its script writes (#page-strings, JSON) in the person's language,
each straight from the catalog: the counter, the slot picker's "Option N: …", a table's name."""

import json
import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

TOO_MANY = "%(count)s of %(limit)s characters: %(over)s too many, shorten it before saving."


def _strings(html: str) -> dict:
    found = re.search(r'<script id="page-strings" type="application/json">(.*?)</script>', html)
    assert found, "the page carries no #page-strings"
    return json.loads(found.group(1))


def test_a_french_person_gets_the_scripts_texts_from_the_french_catalog(client, world):
    world.mentee.language = "fr"
    world.mentee.save(update_fields=["language"])
    client.force_login(world.mentee)
    shown = _strings(client.get(reverse("home")).content.decode())
    with translation.override("fr"):
        assert shown == {
            "chars": gettext("%(count)s of %(limit)s characters"),
            "option": gettext("Option %(n)s: %(time)s"),
            "table": pgettext("name of a table that has no caption", "Table"),
            "too_many_one": ngettext(TOO_MANY, TOO_MANY, 1),
            "too_many_other": ngettext(TOO_MANY, TOO_MANY, 2),
        }


def test_the_sign_in_page_has_them_too_in_the_browsers_language(client, db):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    with translation.override("es"):
        assert _strings(html)["chars"] == gettext("%(count)s of %(limit)s characters")


def test_the_kept_switcher_and_script_texts_follow_a_change_of_catalogs(
    client, world, settings, tmp_path
):
    """They are built once per language and kept; new catalogs (a deployment's, a test's) are read
    again, as Django reads its own again."""
    from tests.i18n.catalogs import install

    world.mentee.language = "fr"
    world.mentee.save(update_fields=["language"])
    client.force_login(world.mentee)
    before = client.get(reverse("home")).content.decode()
    assert "Langue de la page" not in before
    install(
        settings,
        tmp_path,
        {"fr": {"Change language": "Langue de la page", "Option %(n)s: %(time)s": "Choix %(n)s"}},
    )
    after = client.get(reverse("home")).content.decode()
    assert ">Langue de la page</button>" in after
    assert _strings(after)["option"] == "Choix %(n)s"
