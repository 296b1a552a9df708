"""Every page each demo role reaches, rendered in the pseudo-language (tests/i18n/pseudo.py): any
visible text that is neither pseudo-translated nor data fails, with its page and text; the same for
the e-mails the sweeps send and the .ics of an invitation.

What is data and not text is decided in one place, tests/i18n/pseudo.py: what people typed (the
database's free-text fields), addresses, numbers, and what the page itself marks as not text
(`lang="…"` on a language named in itself, `translate="no"` on the IANA time-zone names).
Texts are reported normalised (numbers as N, pseudo-translated parts as ⟦…⟧), by page kind.
"""

import io
from datetime import UTC, datetime

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
ROLES = ["admin@example.com", "mentor@example.com", "mentee@example.com"]
# Pages a person reaches before signing in.
ANONYMOUS = ["account_login", "account_reset_password", "account_signup"]


def _kind(url: str) -> str:
    return KIND.sub("/N", url.split("?")[0])


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
    _compare(found)


def _compare(found: set[tuple[str, str]]) -> None:
    assert not found, "text not marked for translation (page kind, text):\n" + "\n".join(
        f"  {kind}: {text!r}" for kind, text in sorted(found)
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
    _compare(found)


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
        # One translated sentence with a link (or a name in <strong>) inside it is one text.
        ('<p>⟦Śéé ýöûŕ <a href="/n">ñöţîfîçáţîöñš</a> föŕ <strong>Maria Mentor</strong>⟧</p>', []),
        ('<p>See your <a href="/n">⟦ñöţîçéš⟧</a></p>', ["See your ⟦ñöţîçéš⟧"]),
        # A link written out, as a plain-text e-mail does.
        ("<p>⟦Öpéñ îţ:⟧ http://127.0.0.1:8000/meetings/4/</p>", []),
        # What the page says is not text: a language named in itself, IANA zone identifiers.
        ('<select><option lang="es" value="es">Español</option></select>', []),
        ('<select translate="no"><option value="Japan">Japan</option></select>', []),
        ('<select><option value="Japan">Japan</option></select>', ["Japan"]),
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
