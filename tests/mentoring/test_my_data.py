"""Download my data, delete my account: the person's own data, never anyone else's private or
confidential text; a deleted account cannot sign in and its partners keep the history."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from feedback.models import ConfidentialNote, FeedbackRequest, FeedbackResponse
from meetings.models import Meeting
from meetings.services import save_private_note
from mentoring.models import Notification, SecurityEvent, User
from programs.models import Dyad
from tests.builders import download_my_data

CANARIES = {
    "mentor_private_note": "CANARY-mentor-private-7f3a",
    "mentor_draft_feedback": "CANARY-mentor-draft-91bc",
    "mentor_confidential": "CANARY-mentor-confidential-44de",
    "other_mentee_private": "CANARY-other-mentee-private-0a1b",
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return {u.email: u for u in User.objects.all()}


def _plant_canaries(demo):
    mentee, mentor = demo["mentee@example.com"], demo["mentor@example.com"]
    meeting = Meeting.objects.of_participant(mentee).filter(dyad__mentor=mentor).first()
    save_private_note(meeting=meeting, by=mentor, text=CANARIES["mentor_private_note"])
    about_mentee = (
        FeedbackRequest.objects.filter(author=mentor, subject=mentee, submitted_at=None).first()
        or FeedbackRequest.objects.filter(author=mentor, subject=mentee).first()
    )
    response = FeedbackResponse.objects.create(
        request=about_mentee,
        version=FeedbackResponse.objects.filter(request=about_mentee).count() + 1,
        status=FeedbackResponse.Status.DRAFT,
        strengths=CANARIES["mentor_draft_feedback"],
    )
    ConfidentialNote.objects.create(response=response, text=CANARIES["mentor_confidential"])
    other = demo["mentee2@example.com"]
    other_meeting = Meeting.objects.of_participant(other).first()
    save_private_note(meeting=other_meeting, by=other, text=CANARIES["other_mentee_private"])
    return meeting


def _export(client, user) -> dict[str, str]:
    client.force_login(user)
    with zipfile.ZipFile(io.BytesIO(download_my_data(client))) as archive:
        return {name: archive.read(name).decode(errors="replace") for name in archive.namelist()}


def test_the_export_holds_my_data_and_nobody_elses_private_or_confidential_text(client, demo):
    mentee = demo["mentee@example.com"]
    meeting = _plant_canaries(demo)
    save_private_note(meeting=meeting, by=mentee, text="My own note: ask about the K23.")
    files = _export(client, mentee)
    assert {"README.txt", "profile.json", "programs.json", "meetings.json", "goals.json"} <= set(
        files
    )
    everything = "\n".join(files.values())
    for where, canary in CANARIES.items():
        assert canary not in everything, f"{where} leaked into mentee@'s export"
    profile = json.loads(files["profile.json"])["profile"]
    assert profile["email"] == "mentee@example.com"
    meetings = json.loads(files["meetings.json"])
    assert "My own note: ask about the K23." in [n["text"] for n in meetings["my_private_notes"]]
    assert meetings["meetings"], "their meetings are in it"
    goals = json.loads(files["goals.json"])
    assert goals["goals"] and goals["milestones"]
    assert json.loads(files["programs.json"])["dyads"]
    feedback = json.loads(files["feedback.json"])
    assert all(r["about"] == str(mentee) for r in feedback["received"])
    assert SecurityEvent.objects.filter(kind="export_downloaded", user_id=mentee.pk).count() == 1


def test_the_mentor_exports_their_own_private_note_and_confidential_note(client, demo):
    _plant_canaries(demo)
    files = _export(client, demo["mentor@example.com"])
    everything = "\n".join(files.values())
    assert CANARIES["mentor_private_note"] in everything
    assert CANARIES["mentor_confidential"] in everything
    assert CANARIES["other_mentee_private"] not in everything


def test_the_data_page_answers_only_to_a_signed_in_person(client, demo):
    assert client.get(reverse("my_data_zip")).status_code == 302  # to the sign-in page
    client.force_login(demo["mentee@example.com"])
    page = client.get(reverse("my_data"))
    assert page.status_code == 200
    assert "Delete my account" in page.content.decode()


def test_a_wrong_password_deletes_nothing(client, demo):
    mentee = demo["mentee@example.com"]
    client.force_login(mentee)
    response = client.post(reverse("delete_account"), {"password": "not-it", "confirm": "on"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.is_active and mentee.email == "mentee@example.com"
    assert not SecurityEvent.objects.filter(kind="account_deleted").exists()


def test_a_deleted_account_cannot_sign_in_and_partners_keep_the_history(client, demo):
    mentee, mentor = demo["mentee@example.com"], demo["mentor@example.com"]
    dyad = Dyad.objects.get(mentee=mentee, mentor=mentor, status=Dyad.Status.ACTIVE)
    meetings_before = Meeting.objects.filter(dyad=dyad).count()
    client.force_login(mentee)
    response = client.post(
        reverse("delete_account"), {"password": "mentoring-demo", "confirm": "on"}
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.name, mentee.is_active, mentee.has_usable_password()) == (
        "Former member",
        False,
        False,
    )
    assert "mentee@example.com" not in mentee.email
    assert "_auth_user_id" not in client.session
    signed_in = client.post(
        reverse("account_login"), {"login": "mentee@example.com", "password": "mentoring-demo"}
    )
    assert "_auth_user_id" not in client.session and signed_in.status_code == 200
    # The partner's pages still show the pairing and its meetings.
    client.force_login(mentor)
    page = client.get(dyad.get_absolute_url())
    assert page.status_code == 200
    assert "Former member" in page.content.decode()
    assert Meeting.objects.filter(dyad=dyad).count() == meetings_before
    # The program's admin hears of it.
    told = Notification.objects.filter(kind="member_left", recipient=demo["admin@example.com"])
    assert told.count() == 1
    assert SecurityEvent.objects.filter(kind="account_deleted", user_id=mentee.pk).count() == 1
