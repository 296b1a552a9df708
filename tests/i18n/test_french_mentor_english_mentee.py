"""Issue 27's "done when": a French mentor receives a French reminder e-mail and French .ics
while the English mentee receives English ones, through the real path: the meeting scheduled and
cancelled through the meetings services (invitations delivered after the commit), the reminder
sent by the beat's sweep task (mentoring.tasks.sweep), run in an English worker.

The French words are the project's catalog's (locale/fr): the test asks the catalog what each
message is in French and finds that in the mail, so it needs those messages translated; until they
are, it fails on the first assertion that French differs from English.
"""

from datetime import timedelta

import time_machine
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar

from meetings.services import accept_proposal, cancel_meeting, propose_meeting
from mentoring import moments
from mentoring.notices.tasks import sweep
from tests.reminders.conftest import at

REMINDER = "Meeting tomorrow with %(partner)s: %(when)s"
SUMMARY = "Mentoring: %(mentor)s / %(mentee)s"
CANCELLED = "Cancelled: %(reason)s"
GREETING = "Hello %(name)s,"
WORDS = [REMINDER, SUMMARY, CANCELLED, GREETING]


def _in(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return gettext(msgid) % values if values else gettext(msgid)


def _ics(message) -> dict[str, str]:
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return {name: str(event.get(name, "")) for name in ("SUMMARY", "DESCRIPTION")}


def test_the_french_mentor_reads_french_and_the_english_mentee_english(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    for msgid in WORDS:
        assert _in("fr", msgid) != _in("en", msgid), f"not translated in locale/fr: {msgid!r}"
    world.mentor.language = "fr"
    world.mentor.save()
    world.mentee.language = "en"
    world.mentee.save()
    mentor, mentee = world.mentor, world.mentee
    starts = at(2027, 1, 15, 14)

    # The mentee proposes, the mentor accepts: both get the invitation with its .ics.
    with time_machine.travel(at(2027, 1, 10, 12), tick=False), translation.override("en"):
        with django_capture_on_commit_callbacks(execute=True):
            meeting = propose_meeting(
                dyad=world.dyad, by=mentee, times=[(starts, starts + timedelta(hours=1))]
            )
        with django_capture_on_commit_callbacks(execute=True):
            accept_proposal(proposal=meeting.proposals.get(), by=mentor)
    names = {"mentor": mentor, "mentee": mentee}
    invitations = {m.to[0]: m for m in mailoutbox if _has_ics(m)}
    assert _ics(invitations[mentor.email])["SUMMARY"] == _in("fr", SUMMARY, **names)
    assert _ics(invitations[mentee.email])["SUMMARY"] == _in("en", SUMMARY, **names)
    assert _in("fr", GREETING, name=mentor.get_short_name()) in invitations[mentor.email].body
    assert _in("en", GREETING, name=mentee.get_short_name()) in invitations[mentee.email].body

    # The day before, the beat's sweep task, in an English worker, sends the reminders.
    mailoutbox.clear()
    with time_machine.travel(at(2027, 1, 14, 9), tick=False), translation.override("en"):
        assert sweep("meeting_tomorrow")["planned"] == 2
    reminders = {m.to[0]: m for m in mailoutbox}
    with translation.override("fr"):
        french_when = moments.moment_text(starts, mentor.zone)
    with translation.override("en"):
        english_when = moments.moment_text(starts, mentee.zone)
    assert french_when != english_when
    french = _in("fr", REMINDER, partner=mentee, when=french_when)
    english = _in("en", REMINDER, partner=mentor, when=english_when)
    assert french in reminders[mentor.email].subject
    assert english in reminders[mentee.email].subject
    assert _in("fr", GREETING, name=mentor.get_short_name()) in reminders[mentor.email].body
    assert _in("en", GREETING, name=mentee.get_short_name()) in reminders[mentee.email].body
    assert english_when not in reminders[mentor.email].body + reminders[mentor.email].subject

    # The mentee cancels: the .ics DESCRIPTION says so in each one's language.
    mailoutbox.clear()
    meeting.refresh_from_db()
    with (
        time_machine.travel(at(2027, 1, 14, 10), tick=False),
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        cancel_meeting(meeting=meeting, by=mentee, reason="Clinic overrun")
    cancellations = {m.to[0]: m for m in mailoutbox if _has_ics(m)}
    assert _ics(cancellations[mentor.email])["DESCRIPTION"] == _in(
        "fr", CANCELLED, reason="Clinic overrun"
    )
    assert _ics(cancellations[mentee.email])["DESCRIPTION"] == _in(
        "en", CANCELLED, reason="Clinic overrun"
    )


def _has_ics(message) -> bool:
    return any(p.get_content_type() == "text/calendar" for p in message.message().walk())
