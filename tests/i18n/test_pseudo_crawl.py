"""Every page each demo role reaches, rendered in the pseudo-language (tests/i18n/pseudo.py): any
visible text that is neither pseudo-translated nor data fails, with its page and text; the same for
the e-mails the sweeps send and the .ics of an invitation.

What is data and not text is decided in one place, tests/i18n/pseudo.py: what people typed (the
database's free-text fields), addresses, numbers, and what the page itself marks as not text
(`lang="…"` on a language named in itself, `translate="no"` on the IANA time-zone names).
Texts are reported normalised (numbers as N, pseudo-translated parts as ⟦…⟧), by page kind.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting
from mentoring import registry
from mentoring.models import User
from mentoring.notices.delivery import deliver_chunk
from mentoring.reminders import sweep, sweep_all
from programs.invitations import invite_member
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
TYPED_REASON = "Clinic overrun"  # what a person types when they move or cancel a meeting
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
    """The e-mails of every notice kind, sent to recipients who chose the
    pseudo-language: what the sweeps find due on the demo over two weeks, what the actions tell,
    a meeting scheduled, moved and cancelled (each with its .ics), and an invitation. Subject,
    text, HTML and the .ics SUMMARY/DESCRIPTION, by kind."""
    with time_machine.travel(SEEDED_AT, tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        activate_pseudo(settings, tmp_path / "pseudo")
        User.objects.update(language=PSEUDO)
        _an_answered_request()
        _a_milestone_due_soon()
        _a_cycle_closing_soon()
        _a_calendar_failing()
        data = sorted([*typed_data(), TYPED_REASON], key=len, reverse=True)
        sweep_all(send=deliver)
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
        # Moved, then cancelled: the two other invitations, with their .ics.
        meeting.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            services.change_meeting(
                meeting=meeting,
                by=answers,
                starts_at=meeting.starts_at + timedelta(hours=1),
                ends_at=meeting.ends_at + timedelta(hours=1),
                location=meeting.location,
                video_url=meeting.video_url,
                reason=TYPED_REASON,
                confirm_overlap=True,
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel_meeting(meeting=meeting, by=answers, reason=TYPED_REASON)
        # An invitation to someone without an account: in the inviting admin's language.
        admin = User.objects.get(email="admin@example.com")
        with translation.override(PSEUDO), django_capture_on_commit_callbacks(execute=True):
            invite_member(
                program=meeting.dyad.program, by=admin, email="new@example.org", role="mentee"
            )
        with django_capture_on_commit_callbacks(execute=True):
            _actions_told_again()
        with django_capture_on_commit_callbacks(execute=True):
            _an_account_erased()
    _the_next_two_weeks(deliver)
    assert len(mailoutbox) > 5, "the sweeps sent almost nothing: is the demo seeded?"
    assert any(_ics_texts(m) for m in mailoutbox), "no invitation with its .ics was checked"
    found: set[tuple[str, str]] = set()
    seen = {m.extra_headers.get("X-Mentoring-Notice", "").split(":")[0] for m in mailoutbox}
    unchecked = {kind.name for kind in registry.kinds()} - seen
    assert not unchecked, f"notice kinds whose e-mail this test does not produce: {unchecked}"
    assert any(m.to == ["new@example.org"] for m in mailoutbox), "no invitation was checked"
    for message in mailoutbox:
        notice = message.extra_headers.get("X-Mentoring-Notice", "invitation")
        kind = "e-mail:" + notice.split(":")[0]
        html = message.alternatives[0][0]
        texts = [message.subject, *message.body.splitlines()]
        for text in [*texts, *_ics_texts(message)]:
            found.update((kind, normalized(t)) for t in unmarked(f"<p>{escape(text)}</p>", data))
        found.update((kind, normalized(t)) for t in unmarked(html, data))
    _compare(found)


def _an_answered_request() -> None:
    """The demo has no mentor request: one, answered, written before what is typed is read."""
    from programs.models import Dyad, MentorRequest

    dyad = Dyad.objects.filter(status=Dyad.Status.ACTIVE).first()
    MentorRequest.objects.create(
        program=dyad.program,
        mentee=dyad.mentee,
        mentor=dyad.mentor,
        note="Could we work on my K23 aims?",
        status=MentorRequest.Status.DECLINED,
        response_note="No time this term.",
        responded_at=SEEDED_AT,
        responded_by=dyad.mentor,
    )


def _a_milestone_due_soon() -> None:
    """The demo's accepted milestones are all overdue or months away: one of the later ones is
    brought to five days after the seeding."""
    from goals.models import Milestone

    later = Milestone.objects.filter(
        status=Milestone.Status.ACCEPTED, due_date__gt=SEEDED_AT.date() + timedelta(days=14)
    ).order_by("due_date", "pk")[:1]
    Milestone.objects.filter(pk__in=later).update(due_date=SEEDED_AT.date() + timedelta(days=5))


def _a_cycle_closing_soon() -> None:
    """An open feedback cycle due in two days and closing in six: its "due soon" reminders, then
    its "last chance" ones, fall in the two weeks."""
    from feedback.models import FeedbackCycle

    today = SEEDED_AT.date()
    cycle = FeedbackCycle.objects.filter(opens__lte=today, closes__gte=today).first()
    FeedbackCycle.objects.filter(pk=cycle.pk).update(
        due=today + timedelta(days=2), closes=today + timedelta(days=6)
    )


def _a_calendar_failing() -> None:
    """The demo mentor's calendar, read in an English worker, fails and keeps failing for two
    days: its owner is told (calendar_failing), with what went wrong in their language."""
    from calendars.models import Connection
    from calendars.services import refresh

    connection = Connection.objects.select_related("user").get(user__email="mentor@example.com")
    connection.is_sample = False  # a published address, entered empty: it cannot be read
    with translation.override("en"):
        assert refresh(connection, now=SEEDED_AT) is False
    Connection.objects.filter(pk=connection.pk).update(failing_since=SEEDED_AT - timedelta(days=2))


def _an_account_erased() -> None:
    """A member of the demo (not one of the three whose pages are crawled) erases their account:
    the admins are told; their pairings keep "Former member" as their name."""
    from mentoring.privacy import delete_account
    from programs.demo import DEMO_PASSWORD
    from programs.models import Membership

    others = Membership.objects.filter(role__in=[Membership.Role.MENTOR, Membership.Role.MENTEE])
    member = others.exclude(user__email__in=ROLES).select_related("user").first().user
    delete_account(user=member, password=DEMO_PASSWORD)


def _actions_told_again() -> None:
    """What actions tell the people concerned, told again about the demo's rows (the same tell_*
    functions the services call), for the kinds the sweeps alone do not send."""
    from api import crypto
    from api.models import WebhookEndpoint
    from api.reminders import tell_admins_endpoint_disabled
    from feedback.models import FeedbackRequest
    from feedback.services import send_feedback_reminder
    from goals import events as goal_events
    from goals.models import ProgressReport
    from meetings import events as meeting_events
    from meetings.models import Material
    from programs import pairing_notices as pairing
    from programs.models import Dyad, Membership, MentorRequest
    from programs.services.members import deactivate_member, update_member
    from programs.services.profiles import remind_profile
    from programs.services.requests import request_re_pair

    dyad = Dyad.objects.filter(status=Dyad.Status.ACTIVE).select_related("program").first()
    ended = Dyad.objects.filter(status=Dyad.Status.ENDED).exclude(ended_at=None).first()
    pairing.tell_paired([dyad])
    pairing.tell_approved([dyad])
    pairing.tell_supplemental(dyad)
    pairing.tell_not_approved(ended)
    pairing.tell_re_paired(ended, dyad)
    request = MentorRequest.objects.select_related("program", "mentee", "mentor").get()
    pairing.tell_mentor_requested(request)
    pairing.tell_request_accepted(request, dyad)
    pairing.tell_request_declined(request)
    proposed = Meeting.objects.filter(proposals__isnull=False).first()
    meeting_events.tell_proposed(proposed, by=proposed.requested_by)
    material = Material.objects.exclude(reviewed_at=None).select_related("meeting__dyad").first()
    meeting_events.tell_material_sent(material, meeting=material.meeting)
    meeting_events.tell_material_reviewed(material, meeting=material.meeting)
    report = ProgressReport.objects.exclude(reviewed_at=None).first()
    goal_events.tell_submitted(report)
    goal_events.tell_reviewed(report)
    admin = Membership.objects.filter(program=dyad.program, role="admin").first().user
    remind_profile(program=dyad.program, by=admin, people=[dyad.mentee])
    # A member's roles kept and capacity changed; another deactivated, their partner told.
    mentor = dyad.mentor
    held = set(
        Membership.objects.filter(program=dyad.program, user=mentor).values_list("role", flat=True)
    )
    update_member(
        program=dyad.program, person=mentor, by=admin, roles=held, capacity=9, supervisor=None
    )
    leaving = (
        Dyad.objects.filter(program=dyad.program, status=Dyad.Status.ACTIVE)
        .exclude(mentee__in=[dyad.mentee, admin])
        .select_related("mentee")
        .first()
        .mentee
    )
    deactivate_member(program=dyad.program, person=leaving, by=admin)
    request_re_pair(dyad=dyad, by=dyad.mentee, reason=TYPED_REASON)
    endpoint = WebhookEndpoint.objects.create(
        program=dyad.program,
        url="https://hooks.example.org/mentoring",
        events=["dyad.ended"],
        secret_encrypted=crypto.encrypt("whsec_dGVzdA=="),
        created_by=admin,
        disabled_at=SEEDED_AT,
    )
    tell_admins_endpoint_disabled(endpoint)
    owed = FeedbackRequest.objects.filter(
        submitted_at=None, cycle__program=dyad.program, cycle__closes__gte=SEEDED_AT.date()
    ).first()
    send_feedback_reminder(feedback_request=owed, by=admin)


def deliver(ids) -> int:
    return len(deliver_chunk(list(ids)).outcomes)


def _the_next_two_weeks(send) -> None:
    """Every sweep every four hours for two weeks after the seeding (day-level reminders, the
    weekly digests of the next Monday), and the hour before each meeting of those weeks."""
    end = SEEDED_AT + timedelta(days=14)
    for hours in range(4, 14 * 24, 4):
        with time_machine.travel(SEEDED_AT + timedelta(hours=hours), tick=False):
            sweep_all(send=send)
    starts = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=SEEDED_AT, starts_at__lt=end
    ).values_list("starts_at", flat=True)
    for moment in sorted(set(starts)):
        with time_machine.travel(moment - timedelta(minutes=30), tick=False):
            sweep("meeting_soon", send=send)


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
        ("<p>⟦Éxpîŕéš ⟦Ŵéđ⟧ 9 ⟦Ðéç⟧ 2026, 10:00 UTC. Îĝñöŕé îţ.⟧</p>", []),  # a date inside
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
