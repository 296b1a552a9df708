from django.urls import reverse

from meetings import services
from meetings.models import PrivateNote
from tests.meetings.builders import held


def test_mentor_writes_shared_notes_and_mentee_sees_who_edited(client, world):
    meeting = held(world.dyad)
    client.force_login(world.mentor)
    response = client.post(
        reverse("meetings:notes", args=[meeting.pk]), {"text": "Aim 2 too broad", "version": "0"}
    )
    assert response.status_code == 302
    client.force_login(world.mentee)
    page = client.get(meeting.get_absolute_url())
    assert "Aim 2 too broad" in page.text
    assert "Last edited by Maria Mentor" in page.text


def test_a_stale_save_is_refused_and_shows_both_texts(client, world):
    meeting = held(world.dyad)
    url = reverse("meetings:notes", args=[meeting.pk])
    client.force_login(world.mentee)
    assert 'name="version" value="0"' in client.get(url).text
    # The mentor saves first, from the same version.
    services.save_shared_notes(meeting=meeting, by=world.mentor, text="Mentor's version", version=0)
    response = client.post(url, {"text": "Mentee's version", "version": "0"})
    assert response.status_code == 200
    assert "saved these notes" in response.text
    assert "Mentor&#x27;s version" in response.text
    assert "Mentee&#x27;s version" in response.text
    assert 'name="version" value="1"' in response.text
    meeting.refresh_from_db()
    assert meeting.notes == "Mentor's version"
    # Combining both and saving again against the version shown succeeds.
    response = client.post(url, {"text": "Both versions", "version": "1"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.notes_version) == ("Both versions", 2)


def test_private_notes_are_read_by_their_author_only(client, world):
    meeting = held(world.dyad)
    client.force_login(world.mentee)
    client.post(reverse("meetings:private_note", args=[meeting.pk]), {"text": "Felt rushed today"})
    assert PrivateNote.objects.get().author == world.mentee
    assert "Felt rushed today" in client.get(meeting.get_absolute_url()).text
    for reader in (world.mentor, world.admin):
        client.force_login(reader)
        assert "Felt rushed today" not in client.get(meeting.get_absolute_url()).text
    client.force_login(world.mentor)
    own_page = client.get(reverse("meetings:private_note", args=[meeting.pk]))
    assert "Felt rushed today" not in own_page.text
    assert not PrivateNote.objects.visible_to(world.admin).exists()
    assert not PrivateNote.objects.visible_to(world.mentor).exists()


def test_program_admin_cannot_open_the_private_notes_page(client, world):
    meeting = held(world.dyad)
    services.save_private_note(meeting=meeting, by=world.mentor, text="Secret")
    client.force_login(world.admin)
    response = client.get(reverse("meetings:private_note", args=[meeting.pk]))
    assert response.status_code == 403
