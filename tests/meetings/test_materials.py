import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Material
from tests.meetings.builders import PDF, pdf_upload, schedule


def _office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


def _upload(client, meeting, upload, **extra):
    return client.post(
        reverse("meetings:material_add", args=[meeting.pk]),
        {"title": extra.pop("title", "Aims draft"), "upload": upload, **extra},
    )


def test_mentee_uploads_a_pdf_and_mentor_downloads_it_as_an_attachment(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    review_by = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = _upload(client, meeting, pdf_upload(), review_by=review_by)
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.content_type, material.original_name) == ("application/pdf", "aims.pdf")
    assert "aims" not in material.file.name  # stored under a random name

    client.force_login(world.mentor)
    response = client.get(reverse("meetings:material_download", args=[material.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_docx_is_recognised_from_its_contents(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    _upload(client, meeting, SimpleUploadedFile("cv.docx", _office("word")))
    assert Material.objects.get().content_type.endswith("wordprocessingml.document")


def test_a_disguised_file_is_refused_and_the_title_kept(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    response = _upload(
        client,
        meeting,
        SimpleUploadedFile("aims.pdf", b"MZ\x90\x00 this is a program"),
        title="Keep me",
    )
    assert response.status_code == 200
    assert "whatever its name says" in response.text
    assert "Keep me" in response.text
    assert not Material.objects.exists()


def test_a_pdf_named_docx_is_refused(world):
    meeting = schedule(world.dyad)
    with pytest.raises(ValidationError, match="do not match its name"):
        services.attach_material(
            meeting=meeting,
            by=world.mentee,
            title="x",
            upload=pdf_upload("cv.docx"),
            max_bytes=10**6,
        )


def test_a_zip_that_is_not_an_office_file_is_refused(world):
    meeting = schedule(world.dyad)
    with pytest.raises(ValidationError, match="not a PDF"):
        services.attach_material(
            meeting=meeting,
            by=world.mentee,
            title="x",
            upload=SimpleUploadedFile("a.docx", _office("other")[:0] + b"PK\x03\x04junk"),
            max_bytes=10**6,
        )


def test_an_oversized_file_is_refused(client, world, settings):
    settings.MATERIAL_MAX_UPLOAD_BYTES = 100
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    response = _upload(client, meeting, pdf_upload(content=PDF + b" " * 200))
    assert "the limit is" in response.text
    assert not Material.objects.exists()


def test_mentee_shares_a_link_instead_of_a_file(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    response = client.post(
        reverse("meetings:material_add", args=[meeting.pk]),
        {"title": "Shared draft", "link": "https://docs.example.org/aims"},
    )
    assert response.status_code == 302
    assert Material.objects.get().link == "https://docs.example.org/aims"


def test_mentor_marks_a_material_reviewed_and_turnaround_is_recorded(client, world):
    meeting = schedule(world.dyad)
    material = services.attach_material(
        meeting=meeting, by=world.mentee, title="Aims", upload=pdf_upload(), max_bytes=10**6
    )
    client.force_login(world.mentor)
    response = client.post(
        reverse("meetings:material_review", args=[material.pk]), {"comment": "Tighten aim 2"}
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.reviewed_by == world.mentor
    assert material.turnaround == material.reviewed_at - material.created_at
    client.force_login(world.mentee)
    page = client.get(meeting.get_absolute_url())
    assert "Tighten aim 2" in page.text
    assert "Reviewed" in page.text


def test_mentee_cannot_review_their_own_material(client, world):
    meeting = schedule(world.dyad)
    material = services.attach_material(
        meeting=meeting, by=world.mentee, title="Aims", upload=pdf_upload(), max_bytes=10**6
    )
    client.force_login(world.mentee)
    assert (
        client.post(reverse("meetings:material_review", args=[material.pk]), {}).status_code == 403
    )


def test_program_admin_downloads_but_outsiders_cannot(client, world):
    meeting = schedule(world.dyad)
    material = services.attach_material(
        meeting=meeting, by=world.mentee, title="Aims", upload=pdf_upload(), max_bytes=10**6
    )
    url = reverse("meetings:material_download", args=[material.pk])
    client.force_login(world.admin)
    assert client.get(url).status_code == 200
    for outsider in (world.other_mentor, world.outsider, world.outsider_admin):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
