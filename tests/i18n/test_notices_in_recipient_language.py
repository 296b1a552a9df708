"""Notices and digests are written in their recipient's language, whoever's request or worker
planned them: a sweep running in English writes a French mentor's reminder in French (its date
too), and one program's weekly digest reads French to its French admin, English to the other.

The translations come from a small test catalog (tests/i18n/catalogs.py), so these tests do not
wait for locale/fr to be translated; month and day names come from Django's own French catalog."""

import time_machine
from django.utils import translation

from meetings.selectors import overdue_dyads
from meetings.services import accept_proposal, propose_meeting
from mentoring import moments
from mentoring.models import Notification
from programs.models import Membership
from tests.builders import make_dyad, make_user
from tests.i18n.catalogs import install
from tests.reminders.conftest import at, run

FRENCH = {
    "Meeting tomorrow with %(partner)s: %(when)s": "Rencontre demain avec %(partner)s : %(when)s",
    "Place: %(place)s": "Lieu : %(place)s",
    "%(program)s: the week in review": "%(program)s : la semaine en bref",
    "Dyads overdue for a meeting: %(count)d": "Binômes en retard de rencontre : %(count)d",
    "%(dyad)s: due by %(day)s": "%(dyad)s : prévue au plus tard le %(day)s",
    "No feedback cycle is open.": "Aucun cycle de rétroaction n'est ouvert.",
    "Mentees waiting for a mentor: %(n)d": "Mentorés en attente d'un mentor : %(n)d",
}


def _scheduled(dyad, starts_at):
    meeting = propose_meeting(
        dyad=dyad,
        by=dyad.mentee,
        times=[(starts_at, starts_at.replace(hour=starts_at.hour + 1))],
        location="Room 4",
        confirm_overlap=True,
    )
    return accept_proposal(proposal=meeting.proposals.get(), by=dyad.mentor, confirm_overlap=True)


def test_a_sweep_writes_each_reminder_in_its_recipients_language(
    world, settings, tmp_path, mailoutbox
):
    install(settings, tmp_path, {"fr": FRENCH})
    world.mentor.language = "fr"
    world.mentor.save()
    starts = at(2027, 1, 15, 14)
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        _scheduled(world.dyad, starts)
    with translation.override("en"):  # the worker's language
        assert run("meeting_tomorrow", at(2027, 1, 14, 9)).planned == 2
    notices = Notification.objects.filter(kind="meeting_tomorrow")
    to_mentor = notices.get(recipient=world.mentor)
    to_mentee = notices.get(recipient=world.mentee)
    with translation.override("fr"):
        french_day = moments.moment_text(starts, world.mentor.zone)
    with translation.override("en"):
        english_day = moments.moment_text(starts, world.mentee.zone)
    assert french_day != english_day  # "ven. 15 janv. 2027" against "Fri 15 Jan 2027"
    assert to_mentor.title == f"Rencontre demain avec Sam Mentee : {french_day}"
    assert to_mentor.body == "Lieu : Room 4"
    assert to_mentee.title == f"Meeting tomorrow with Maria Mentor: {english_day}"
    assert to_mentee.body == "Place: Room 4"
    # The e-mail says what the notice says.
    [mail] = [m for m in mailoutbox if m.to == [world.mentor.email] and "Rencontre" in m.subject]
    assert french_day in mail.subject and "Lieu : Room 4" in mail.body


def test_one_programs_digest_is_french_for_its_french_admin_and_english_for_the_other(
    world, settings, tmp_path, mailoutbox
):
    install(settings, tmp_path, {"fr": FRENCH})
    french_admin = make_user("admin.fr@a.example", name="Amélie Admin")
    french_admin.language = "fr"
    french_admin.save()
    Membership.objects.create(program=world.program, user=french_admin, role="admin")
    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        dyad = make_dyad(world.program, by=world.admin, cadence_days=14)
    with translation.override("en"):
        run("admin_digest", at(2027, 2, 1, 9))  # a Monday morning
    digests = Notification.objects.filter(kind="admin_digest", program=world.program)
    french = digests.get(recipient=french_admin)
    english = digests.get(recipient=world.admin)
    assert french.title == "Program A : la semaine en bref"
    assert english.title == "Program A: the week in review"
    assert "Binômes en retard de rencontre : " in french.body
    assert f"- {dyad} : prévue au plus tard le " in french.body
    assert "Aucun cycle de rétroaction n'est ouvert." in french.body
    assert "Mentorés en attente d'un mentor : 0" in french.body
    assert "Dyads overdue for a meeting" not in french.body
    assert "Dyads overdue for a meeting: " in english.body
    assert f"- {dyad}: due by " in english.body
    assert "No feedback cycle is open." in english.body
    assert "Binômes" not in english.body
    # The day the dyad was due, in each admin's words.
    [late] = [d for d in overdue_dyads(now=at(2027, 2, 1, 9)) if d.pk == dyad.pk]
    with translation.override("fr"):
        french_day = moments.day_text(late.cadence.due_by)
    with translation.override("en"):
        english_day = moments.day_text(late.cadence.due_by)
    assert french_day in french.body and english_day in english.body
    assert english_day not in french.body


def test_the_reason_the_app_gives_for_cancelling_is_in_each_readers_language(
    world, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    from programs.services.dyads import end_dyad

    french = "La paire de mentorat a pris fin."
    install(settings, tmp_path, {"fr": {"The pairing ended.": french}})
    world.mentor.language = "fr"
    world.mentor.save()
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        meeting = _scheduled(world.dyad, at(2027, 1, 15, 14))
        mailoutbox.clear()
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            end_dyad(dyad=world.dyad, by=world.admin, reason="poor_fit")
    to_mentor = next(m for m in mailoutbox if m.to == [world.mentor.email])
    to_mentee = next(m for m in mailoutbox if m.to == [world.mentee.email])
    assert french in to_mentor.body and "The pairing ended." not in to_mentor.body
    assert "The pairing ended." in to_mentee.body and french not in to_mentee.body
    assert french in _description(to_mentor) and "The pairing ended." in _description(to_mentee)
    meeting.refresh_from_db()
    with translation.override("fr"):
        assert meeting.shown_cancel_reason == french


def _description(message) -> str:
    from icalendar import Calendar

    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return str(event.get("DESCRIPTION", ""))


def test_an_erased_account_is_a_former_member_in_each_readers_language(world, settings, tmp_path):
    from mentoring.privacy import delete_account
    from tests.builders import PASSWORD

    install(settings, tmp_path, {"fr": {"Former member": "Ancien membre"}})
    with translation.override("es"):  # whoever erased it, whatever language they read
        delete_account(user=world.other_mentor, password=PASSWORD)
    world.other_mentor.refresh_from_db()
    with translation.override("fr"):
        assert str(world.other_mentor) == "Ancien membre"
        assert str(world.other_dyad).startswith("Ancien membre → ")
    with translation.override("en"):
        assert str(world.other_mentor) == "Former member"
