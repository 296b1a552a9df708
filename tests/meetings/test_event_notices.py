"""Nothing happens silently (issue 23): times proposed, a time accepted, a material sent for review
and a material reviewed each tell the other side of the dyad, in their zone, with a link to where
they act, and nobody else; a double click tells nothing twice; the person's e-mail choice holds."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.models import Material
from mentoring import moments, registry
from mentoring.addresses import address
from mentoring.models import Notification
from mentoring.notices.preferences import set_preferences
from tests.meetings.builders import pdf_upload, propose

AUCKLAND = ZoneInfo("Pacific/Auckland")
# 23:30 in UTC is already the next day (12:30 NZDT) in Auckland.
NOW = datetime(2026, 12, 8, 23, 30, tzinfo=UTC)
STARTS = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)  # Fri 11 Dec 2026, 12:00 NZDT
EVENT_KINDS = ("meeting_proposed", "material_sent", "material_reviewed", "meeting_update")


def told(kind: str) -> list[tuple[str, str]]:
    """(recipient's e-mail, link) of every notice of the kind, in order."""
    rows = Notification.objects.filter(kind=kind).order_by("id")
    return list(rows.values_list("recipient__email", "url"))


def in_auckland(user):
    user.time_zone = "Pacific/Auckland"
    user.save(update_fields=["time_zone"])
    return user


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _propose(world, *, by=None, starts=STARTS, **kw):
    return propose(world.dyad, by=by or world.mentee, starts_at=starts, confirm_overlap=True, **kw)


def _send(meeting, world, title="Specific aims", review_by=None):
    return services.attach_material(
        meeting=meeting,
        by=world.mentee,
        title=title,
        upload=pdf_upload(),
        review_by=review_by,
        max_bytes=10_000_000,
    )


def test_mentee_proposes_times_and_only_the_mentor_is_told_in_their_zone(world, frozen):
    in_auckland(world.mentor)
    meeting = _propose(world)
    [notice] = Notification.objects.filter(kind="meeting_proposed")
    assert (notice.recipient, notice.url) == (world.mentor, meeting.get_absolute_url())
    assert "Fri 11 Dec 2026, 12:00 NZDT" in notice.title
    assert moments.moment_text(STARTS, AUCKLAND) in notice.body
    assert "Sam Mentee" in notice.title


def test_mentor_proposes_times_and_only_the_mentee_is_told(world, frozen):
    meeting = _propose(world, by=world.mentor)
    assert told("meeting_proposed") == [(world.mentee.email, meeting.get_absolute_url())]


def test_double_click_on_propose_tells_once_and_a_new_proposal_tells_again(world, frozen):
    first = _propose(world)
    assert _propose(world) == first  # the same times again: the same proposal
    assert len(told("meeting_proposed")) == 1
    second = _propose(world, starts=STARTS + timedelta(days=1))
    assert second != first
    assert told("meeting_proposed") == [
        (world.mentor.email, first.get_absolute_url()),
        (world.mentor.email, second.get_absolute_url()),
    ]


def test_accepted_time_is_told_to_the_proposer_by_the_calendar_invitation_only(world, frozen):
    in_auckland(world.mentee)
    meeting = _propose(world)
    services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)  # double click
    to_mentee = Notification.objects.get(kind="meeting_update", recipient=world.mentee)
    assert to_mentee.url == meeting.get_absolute_url()
    assert "Fri 11 Dec 2026, 12:00 NZDT" in to_mentee.title
    # The mentor's own copy is their calendar invitation; no second notice of acceptance.
    assert sorted(e for e, _ in told("meeting_update")) == sorted(
        [world.mentor.email, world.mentee.email]
    )
    assert told("meeting_proposed") == [(world.mentor.email, meeting.get_absolute_url())]


def test_material_sent_tells_only_the_mentor_with_the_review_page(world, frozen):
    in_auckland(world.mentor)
    meeting = _propose(world)
    material = _send(meeting, world, review_by=date(2026, 12, 10))
    [notice] = Notification.objects.filter(kind="material_sent")
    assert notice.recipient == world.mentor
    assert notice.url == address("meetings:material_review", material.pk)
    assert "Specific aims" in notice.title
    assert "Thu 10 Dec 2026" in notice.body  # review by, as the date was chosen


def test_double_click_on_send_tells_once_and_another_material_tells_again(world, frozen):
    meeting = _propose(world)
    first = _send(meeting, world)
    assert _send(meeting, world) == first
    assert Material.objects.count() == 1
    _send(meeting, world, title="Biosketch")
    assert [e for e, _ in told("material_sent")] == [world.mentor.email] * 2


def test_material_reviewed_tells_only_the_mentee_in_their_zone(world, frozen):
    in_auckland(world.mentee)
    meeting = _propose(world)
    material = _send(meeting, world)
    services.review_material(material=material, by=world.mentor, comment="Tighten aim 2.")
    services.review_material(material=material, by=world.mentor, comment="Tighten aim 2.")
    assert told("material_reviewed") == [
        (world.mentee.email, f"{meeting.get_absolute_url()}#materials")
    ]
    notice = Notification.objects.get(kind="material_reviewed")
    assert "Wed 9 Dec 2026" in notice.body  # reviewed on: already the 9th in Auckland
    assert "Maria Mentor" in notice.title
    services.review_material(material=material, by=world.mentor, comment="And aim 3.")
    assert len(told("material_reviewed")) == 2  # a new comment is told again


def test_no_event_reaches_the_admin_the_other_dyad_or_another_program(world, frozen):
    meeting = _propose(world)
    material = _send(meeting, world)
    services.review_material(material=material, by=world.mentor, comment="Good.")
    services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    strangers = [
        world.admin,
        world.other_mentor,
        world.other_mentee,
        world.outsider_admin,
        world.outsider,
    ]
    told_anyone = Notification.objects.filter(kind__in=EVENT_KINDS)
    assert not told_anyone.filter(recipient__in=strangers).exists()
    assert set(told_anyone.values_list("recipient", flat=True)) == {
        world.mentor.pk,
        world.mentee.pk,
    }


@pytest.mark.parametrize(("choice", "channel"), [("off", "in_app"), ("digest", "digest")])
def test_mentor_who_chose_no_single_emails_is_told_in_app_or_in_the_digest(
    world, mailoutbox, django_capture_on_commit_callbacks, choice, channel
):
    set_preferences(
        user=world.mentor, choices={"meeting_proposed": choice, "material_sent": choice}
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _propose(world)
    with django_capture_on_commit_callbacks(execute=True):
        _send(meeting, world)
    for kind in ("meeting_proposed", "material_sent"):
        assert Notification.objects.get(kind=kind).channel == channel
    assert [m for m in mailoutbox if m.to == [world.mentor.email]] == []


def test_mentee_who_chose_each_gets_the_review_by_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _propose(world)
    material = _send(meeting, world)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_material(material=material, by=world.mentor, comment="<b>Fine</b>")
    [mail] = [m for m in mailoutbox if m.to == [world.mentee.email]]
    assert "reviewed" in mail.subject
    assert Notification.objects.get(kind="material_reviewed").channel == "email"


def test_each_side_is_offered_the_event_notices_it_can_receive(client, world):
    url = reverse("notifications:preferences")
    pages = {}
    for person in (world.mentee, world.mentor, world.admin):
        client.force_login(person)
        pages[person] = client.get(url).content.decode()
    offered = {
        "meeting_proposed": {world.mentee, world.mentor},
        "material_sent": {world.mentor},
        "material_reviewed": {world.mentee},
        "progress_report_submitted": {world.mentor},
        "progress_report_reviewed": {world.mentee},
    }
    for kind, people in offered.items():
        assert registry.kind(kind).always_emailed is False, kind
        for person, page in pages.items():
            assert (f'name="{kind}"' in page) == (person in people), (kind, person)
