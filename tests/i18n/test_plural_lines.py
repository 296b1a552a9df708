"""A number and its words agree in every language: each count on a line is its own plural entry
(ngettext), so French reads "1 actif" beside "2 actifs", not one form for every number. The
expected text is the catalog's (a msgid the lead has yet to translate gives its English)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import npgettext, pgettext

from programs.models import Dyad
from programs.services.dyads import end_dyad
from tests.reminders.conftest import notice_for

pytestmark = pytest.mark.django_db

COUNTED = "dyads counted"
BADGE = "hidden after the number in a badge"


def _dyad_counts(active: int, proposed: int, paused: int, ended: int) -> str:
    def part(word: str, n: int) -> str:
        return npgettext(COUNTED, f"%(counter)s {word}", f"%(counter)s {word}", n) % {"counter": n}

    return pgettext(
        "dyads counted: the parts of one line", "%(active)s, %(proposed)s, %(paused)s, %(ended)s."
    ) % {
        "active": part("active", active),
        "proposed": part("proposed", proposed),
        "paused": part("paused", paused),
        "ended": part("ended", ended),
    }


def _in(language: str, text) -> str:
    with translation.override(language):
        return text()


def test_the_program_pages_dyad_counts_agree_with_each_number_in_french(client, world):
    world.admin.language = "fr"
    world.admin.save(update_fields=["language"])
    client.force_login(world.admin)
    url = reverse("programs:detail", args=[world.program.slug])
    two = client.get(url).content.decode()
    end_dyad(dyad=world.other_dyad, by=world.admin, reason=Dyad.EndReason.POOR_FIT)
    one = client.get(url).content.decode()

    assert _in("en", lambda: _dyad_counts(2, 0, 0, 0)) == "2 active, 0 proposed, 0 paused, 0 ended."
    assert _in("en", lambda: _dyad_counts(1, 0, 0, 1)) == "1 active, 0 proposed, 0 paused, 1 ended."
    assert _in("fr", lambda: _dyad_counts(2, 0, 0, 0)) in two
    assert _in("fr", lambda: _dyad_counts(1, 0, 0, 1)) in one


def test_the_navigations_unread_badge_agrees_with_its_number_in_french(client, world):
    world.mentee.language = "fr"
    world.mentee.save(update_fields=["language"])
    client.force_login(world.mentee)

    def unread(n: int) -> str:
        word = _in("fr", lambda: npgettext(BADGE, "unread", "unread", n))
        return f'>{n}<span class="visually-hidden"> {word}</span>'

    notice_for(world.mentee, program=world.program, title="One")
    assert unread(1) in client.get(reverse("home")).content.decode()
    notice_for(world.mentee, program=world.program, title="Two")
    assert unread(2) in client.get(reverse("home")).content.decode()


def test_a_later_plural_whose_number_is_named_by_its_key_is_made_text():
    from django.utils.translation import ngettext_lazy

    from mentoring.languages import later

    line = ngettext_lazy("%(count)d pairing ended.", "%(count)d pairings ended.", "count")
    assert str(later(line, {"count": 1})) == "1 pairing ended."
    assert str(later(line, {"count": 3})) == "3 pairings ended."
