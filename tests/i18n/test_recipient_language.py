"""Everything a person receives is in their language, not in the language of whoever caused it:
notice e-mails (their .ics too), notices planned for them, the calendar feed their calendar app
reads, dates in all of them."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy
from icalendar import Calendar

from meetings import services
from mentoring import moments
from mentoring.languages import later
from mentoring.models import Notification
from mentoring.notices.planning import Occasion, plan
from tests.i18n.catalogs import install
from tests.meetings.builders import propose


def _day(value, language: str) -> str:
    with translation.override(language):
        return moments.day_text(value)


def test_a_french_mentee_gets_a_french_invitation_and_the_english_mentor_an_english_one(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.mentee.language = "fr"
    world.mentee.save()
    meeting = propose(world.dyad)
    # The English mentor accepts, in an English request.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    to_mentor = next(m for m in mailoutbox if m.to == [world.mentor.email])
    to_mentee = next(m for m in mailoutbox if m.to == [world.mentee.email])
    meeting.refresh_from_db()
    starts = moments.local(meeting.starts_at, world.mentee.zone)
    french, english = _day(starts, "fr"), _day(starts, "en")
    assert french != english  # day and month names differ in every month
    assert french in to_mentee.body and english not in to_mentee.body
    assert english in to_mentor.body and french not in to_mentor.body
    assert translation.get_language() == "en"  # the sender's language is left as it was


def test_a_notice_planned_by_someone_english_is_stored_in_the_recipients_language(world):
    world.mentor.language = "es"
    world.mentor.save()
    with translation.override("en"):
        # "January" is in Django's own Spanish catalog: "enero".
        plan(
            kind="paired",
            due=[
                Occasion(recipient=world.mentor, title=later(gettext_lazy("January"), {})),
                Occasion(recipient=world.mentee, title=later(gettext_lazy("January"), {})),
            ],
        )
    titles = dict(Notification.objects.values_list("recipient_id", "title"))
    assert titles == {world.mentor.pk: "enero", world.mentee.pk: "January"}


def test_a_lazy_title_keeps_its_values_and_translates_only_the_sentence(settings, tmp_path):
    install(settings, tmp_path, {"fr": {"Meeting with %(partner)s": "Rencontre avec %(partner)s"}})
    title = later(gettext_lazy("Meeting with %(partner)s"), {"partner": "<Ana & Bo>"})
    with translation.override("fr"):
        assert str(title) == "Rencontre avec <Ana & Bo>"
    with translation.override("en"):
        assert str(title) == "Meeting with <Ana & Bo>"


def test_the_calendar_feed_is_in_its_owners_language_whatever_the_calendar_app_asks(
    client, world, settings, tmp_path
):
    install(settings, tmp_path, {"fr": {"Mentoring meetings": "Rencontres de mentorat"}})
    world.mentee.language = "fr"
    world.mentee.save()
    token = services.regenerate_calendar_feed(user=world.mentee)
    response = client.get(reverse("meetings:feed", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Rencontres de mentorat"
    world.mentee.language = ""
    world.mentee.save()
    response = client.get(reverse("meetings:feed", args=[token]), HTTP_ACCEPT_LANGUAGE="fr")
    assert str(Calendar.from_ical(response.content)["X-WR-CALNAME"]) == "Mentoring meetings"


def test_the_weekly_digest_title_counts_in_the_recipients_language(settings, tmp_path):
    one, more = (
        "Your week in mentoring: %(count)s notice",
        "Your week in mentoring: %(count)s notices",
    )
    install(
        settings,
        tmp_path,
        {"fr": {(one, more): ["Votre semaine : %(count)s avis", "Votre semaine : %(count)s avis"]}},
    )
    titles = {n: later(ngettext_lazy(one, more, n), {"count": n}) for n in (1, 3)}
    with translation.override("fr"):
        assert [str(titles[1]), str(titles[3])] == [
            "Votre semaine : 1 avis",
            "Votre semaine : 3 avis",
        ]
    with translation.override("en"):
        assert [str(titles[1]), str(titles[3])] == [
            "Your week in mentoring: 1 notice",
            "Your week in mentoring: 3 notices",
        ]


def test_an_invitation_to_someone_with_an_account_is_in_their_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from programs.invitations import invite_member

    world.outsider.language = "fr"  # has an account (program B), chose French
    world.outsider.save()
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        invite_member(
            program=world.program, by=world.admin, email=world.outsider.email, role="mentee"
        )
        invite_member(program=world.program, by=world.admin, email="new@a.example", role="mentee")
    to_member = next(m for m in mailoutbox if m.to == [world.outsider.email])
    to_newcomer = next(m for m in mailoutbox if m.to == ["new@a.example"])
    # The committed catalogs: the sentence and the role, both in the recipient's language.
    assert "Admin vous invite à rejoindre Program A en tant que mentoré(e)." in to_member.body
    # No account: the inviting admin's language.
    assert "Admin le ha invitado a Program A como mentorado/a." in to_newcomer.body
