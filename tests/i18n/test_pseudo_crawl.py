"""Every page each demo role reaches, rendered in the pseudo-language (tests/i18n/pseudo.py): any
visible text that is neither pseudo-translated nor data fails, with its page and text.

Strings are being marked as this lands: what is unmarked today is listed, (page kind, text), in
tests/i18n/unmarked_today.txt, so that only a NEW unmarked text fails. Texts are kept normalised
(numbers as N, pseudo-translated parts as ⟦…⟧) and the demo is seeded at a fixed moment, so that
the list does not depend on the day it runs. Shrink it after marking with
`I18N_RECORD=1 pytest tests/i18n/test_pseudo_crawl.py -k every_page` (it rewrites the file and
lists what went; review the diff). The list is meant to reach empty.
"""

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting
from mentoring.models import User
from mentoring.notices.delivery import deliver_chunk
from mentoring.reminders import sweep_all
from tests.i18n.pseudo import (
    PSEUDO,
    activate_pseudo,
    normalized,
    pseudo,
    typed_data,
    unmarked,
)
from tests.page_kinds import KIND, pages_by_kind

SEEDED_AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday morning
ALLOWED = Path(__file__).with_name("unmarked_today.txt")
ROLES = ["admin@example.com", "mentor@example.com", "mentee@example.com"]
# Pages a person reaches before signing in.
ANONYMOUS = ["account_login", "account_reset_password", "account_signup"]


def _kind(url: str) -> str:
    return KIND.sub("/N", url.split("?")[0])


def _read_allowed() -> set[tuple[str, str]]:
    pairs = set()
    for line in ALLOWED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, _, text = line.partition("\t")
            pairs.add((kind, text))
    return pairs


def _write_allowed(pairs: set[tuple[str, str]]) -> None:
    head = (
        "# Visible texts not marked for translation yet, by page kind (tab-separated).\n"
        "# Written by I18N_RECORD=1 pytest tests/i18n/test_pseudo_crawl.py; it only shrinks.\n"
    )
    body = "".join(f"{kind}\t{text}\n" for kind, text in sorted(pairs))
    ALLOWED.write_text(head + body, encoding="utf-8")


def _pages(client: Client) -> dict[str, bytes]:
    pages = pages_by_kind(client)
    assert len(pages) > 10, "the crawl reached almost nothing: is the demo seeded?"
    return pages


def test_every_page_in_the_pseudo_language_shows_only_marked_text_or_data(db, settings, tmp_path):
    with time_machine.travel(SEEDED_AT, tick=True):
        _crawl_in_pseudo(settings, tmp_path)


def _crawl_in_pseudo(settings, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    activate_pseudo(settings, tmp_path / "pseudo")
    data = typed_data()
    found: set[tuple[str, str]] = set()
    anonymous = Client(HTTP_ACCEPT_LANGUAGE=PSEUDO)
    for name in ANONYMOUS:
        response = anonymous.get(reverse(name))
        assert response.status_code == 200
        found.update(
            (_kind(reverse(name)), normalized(t)) for t in unmarked(response.content.decode(), data)
        )
    for email in ROLES:
        client = Client(HTTP_ACCEPT_LANGUAGE=PSEUDO)
        client.force_login(User.objects.get(email=email))
        home = client.get("/")
        assert home["Content-Language"] == PSEUDO
        assert "⟦" in home.content.decode()  # the machinery works: something is translated
        for url, html in _pages(client).items():
            found.update((_kind(url), normalized(t)) for t in unmarked(html.decode(), data))
    _compare(found, kinds=lambda kind: not kind.startswith("e-mail:"))


def _compare(found: set[tuple[str, str]], *, kinds) -> None:
    """Fail on what is unmarked and not listed; with I18N_RECORD=1, first rewrite this test's
    lines of the list (`kinds` says which are its own)."""
    allowed = _read_allowed()
    mine = {pair for pair in allowed if kinds(pair[0])}
    if os.environ.get("I18N_RECORD") == "1":
        _write_allowed((allowed - mine) | found)
        gone = sorted(mine - found)
        print(f"recorded {len(found)} unmarked texts; {len(gone)} marked since:", *gone)
        allowed = _read_allowed()
    new = sorted(found - allowed)
    assert not new, "text not marked for translation (page kind, text):\n" + "\n".join(
        f"  {kind}: {text!r}" for kind, text in new
    )


def test_every_e_mail_a_sweep_sends_and_its_ics_in_the_pseudo_language(
    db, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    """The reminders every sweep finds due on the demo, sent to recipients who chose the
    pseudo-language: subject, text, HTML and any .ics SUMMARY/DESCRIPTION, by notice kind."""
    with time_machine.travel(SEEDED_AT, tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        activate_pseudo(settings, tmp_path / "pseudo")
        User.objects.update(language=PSEUDO)
        data = typed_data()
        sweep_all(send=lambda ids: len(deliver_chunk(list(ids)).outcomes))
        # A meeting scheduled: both sides' invitations, with the .ics.
        meeting = (
            Meeting.objects.filter(status=Meeting.Status.REQUESTED, proposals__isnull=False)
            .select_related("dyad")
            .first()
        )
        answers = (
            meeting.dyad.mentee
            if meeting.requested_by_id == meeting.dyad.mentor_id
            else (meeting.dyad.mentor)
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.accept_proposal(proposal=meeting.proposals.first(), by=answers)
    assert len(mailoutbox) > 5, "the sweeps sent almost nothing: is the demo seeded?"
    assert any(_ics_texts(m) for m in mailoutbox), "no invitation with its .ics was checked"
    found: set[tuple[str, str]] = set()
    for message in mailoutbox:
        kind = "e-mail:" + message.extra_headers["X-Mentoring-Notice"].split(":")[0]
        html = message.alternatives[0][0]
        texts = [message.subject, *message.body.splitlines()]
        for text in [*texts, *_ics_texts(message)]:
            found.update((kind, normalized(t)) for t in unmarked(f"<p>{escape(text)}</p>", data))
        found.update((kind, normalized(t)) for t in unmarked(html, data))
    _compare(found, kinds=lambda kind: kind.startswith("e-mail:"))


def _ics_texts(message) -> list[str]:
    texts = []
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            for event in Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT"):
                texts += [str(event.get(name, "")) for name in ("SUMMARY", "DESCRIPTION")]
    return texts


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>⟦Ḿééţîñĝš⟧</p>", []),
        ("<p>Meetings</p>", ["Meetings"]),
        (
            "<p>⟦Ḿééţîñĝ ŵîţĥ Maria Mentor⟧ on 6 ⟦Ðéç⟧ 2026, 15:00 CET</p>",
            ["⟦Ḿééţîñĝ ŵîţĥ Maria Mentor⟧ on 6 ⟦Ðéç⟧ 2026, 15:00 CET"],
        ),
        ("<p>⟦Ḿééţîñĝ⟧ 6 ⟦Ðéç⟧ 2026, 15:00 CET</p>", []),
        ("<h2>Grant writing circle</h2><p>Maria Mentor</p>", []),
        ("<p>Meeting with Maria Mentor</p>", ["Meeting with Maria Mentor"]),
        ('<button aria-label="Close">×</button>', ["Close"]),
        ('<input type="submit" value="Save">', ["Save"]),
        ("<script>var unmarked = 'text';</script><p lang=\"es\">Español</p>", []),
        ("<p>Grant writing circle and a long note that was cut…</p>", []),
        (
            "<p>Grant writing circle and a long note that was cut… plus words</p>",
            ["Grant writing circle and a long note that was cut… plus words"],
        ),
    ],
)
def test_the_detector_tells_marked_and_typed_from_unmarked(html, expected):
    data = [
        "Grant writing circle and a long note that was cut short by the page",
        "Grant writing circle",
        "Maria Mentor",
    ]
    assert unmarked(html, data) == expected


def test_the_pseudo_language_keeps_placeholders_tags_and_entities():
    assert pseudo("Meetings") == "⟦Ḿééţîñĝš⟧"
    assert pseudo('Hello %(name)s, {count} new <a href="%(url)s">notices</a> &amp; more') == (
        '⟦Ĥéļļö %(name)s, {count} ñéŵ <a href="%(url)s">ñöţîçéš</a> &amp; ḿöŕé⟧'
    )
    assert pseudo("%(count)d%% done, %s left") == "⟦%(count)d%% đöñé, %s ļéfţ⟧"
    assert pseudo("") == ""


def test_the_pseudo_catalog_translates_ours_djangos_and_allauths(settings, tmp_path):
    from django.utils import translation
    from django.utils.translation import gettext, ngettext

    activate_pseudo(settings, tmp_path)
    with translation.override(PSEUDO):
        assert gettext("Change language") == "⟦Çĥáñĝé ļáñĝûáĝé⟧"  # ours
        assert gettext("This field is required.") == "⟦Ţĥîš fîéļđ îš ŕéqûîŕéđ.⟧"  # Django's
        assert ngettext("%(num)d day", "%(num)d days", 2).startswith("⟦")
