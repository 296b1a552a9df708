"""Files in an S3-compatible bucket (a real S3 HTTP server on loopback, tests/object_store.py):
the environment picks the storage, uploads land in the bucket and nowhere on disk, downloads keep
their access checks and headers, data exports go the same way, and the move command copies a
single host's disk into the bucket, verified and resumable."""

import hashlib
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings.models import Material
from mentoring.object_storage import FILESYSTEM, PRESIGNED_SECONDS, S3, default_storage_from
from tests.builders import download_my_data
from tests.meetings.builders import PDF, pdf_upload, schedule
from tests.object_store import new_bucket, s3_server, use_keys


@pytest.fixture(scope="module")
def s3_endpoint():
    use_keys()
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint, settings):
    store = new_bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": store.storage_setting}
    return store


def test_the_environment_chooses_the_storage():
    assert default_storage_from({}) == FILESYSTEM
    assert default_storage_from({"STORAGE_URL": "file:"}) == FILESYSTEM
    url = default_storage_from(
        {"STORAGE_URL": "s3://uploads/mentoring?endpoint_url=http://minio:9000&region=eu-west-1"}
    )
    assert url["BACKEND"] == S3
    expected = {
        "bucket_name": "uploads",
        "location": "mentoring",
        "endpoint_url": "http://minio:9000",
        "region_name": "eu-west-1",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_expire": PRESIGNED_SECONDS,
    }
    assert {k: url["OPTIONS"][k] for k in expected} == expected
    assert PRESIGNED_SECONDS <= 60
    aws = default_storage_from({"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_REGION_NAME": "eu-west-1"})
    assert aws["OPTIONS"]["bucket_name"] == "b"
    assert "endpoint_url" not in aws["OPTIONS"]  # AWS itself
    with pytest.raises(ValueError, match="STORAGE_URL"):
        default_storage_from({"STORAGE_URL": "ftp://example"})


def test_an_upload_lands_in_the_bucket_and_downloads_with_its_checks(client, world, bucket):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    response = client.post(
        reverse("meetings:material_add", args=[meeting.pk]),
        {"title": "Aims", "upload": pdf_upload()},
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert bucket.objects() == {material.file.name: len(PDF)}
    assert bucket.read(material.file.name) == PDF

    url = reverse("meetings:material_download", args=[material.pk])
    client.force_login(world.mentor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="aims.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF

    client.force_login(world.other_mentee)  # another dyad of the program
    assert client.get(url).status_code == 404
    client.force_login(world.outsider)  # another program
    assert client.get(url).status_code == 404

    bucket.client().delete_object(Bucket=bucket.bucket, Key=material.file.name)
    client.force_login(world.mentor)
    assert client.get(url).status_code == 404  # gone from the bucket: not found, not a 500


def test_the_data_export_is_built_into_the_bucket_and_only_its_owner_downloads_it(
    client, world, bucket
):
    client.force_login(world.mentee)
    body = download_my_data(client)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "README.txt" in archive.namelist()
    (key,) = bucket.objects()
    assert key.startswith("exports/") and bucket.read(key) == body

    client.force_login(world.mentor)  # the mentor's download is the mentor's own, not hers
    assert client.get(reverse("my_data_zip")).status_code == 302  # none yet: back to the page
    download_my_data(client)
    assert len(bucket.objects()) == 2

    client.force_login(world.mentee)  # a fresh export replaces her older one in the bucket
    download_my_data(client)
    assert len(bucket.objects()) == 2 and key not in bucket.objects()


def _disk(tmp_path):
    root = tmp_path / "uploads"
    files = {
        "materials/2026/01/aaa": PDF,
        "materials/2026/02/bbb": b"%PDF-1.4 second" * 1000,
        "conversations/2026/03/ccc": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50,
    }
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root, files


def test_the_move_command_copies_the_disk_verified_and_resumes(tmp_path, bucket, db):
    root, files = _disk(tmp_path)
    # An earlier run was interrupted: one file copied whole, one cut short.
    client = bucket.client()
    client.put_object(Bucket=bucket.bucket, Key="materials/2026/01/aaa", Body=PDF)
    client.put_object(Bucket=bucket.bucket, Key="materials/2026/02/bbb", Body=b"%PDF-1.4 sec")

    out = io.StringIO()
    call_command("move_files_to_storage", source=str(root), stdout=out)
    assert "2 copied, 1 already there and verified, 0 failed." in out.getvalue()
    assert bucket.objects() == {name: len(content) for name, content in files.items()}
    for name, content in files.items():
        assert hashlib.sha256(bucket.read(name)).digest() == hashlib.sha256(content).digest()
    assert all((root / name).exists() for name in files)  # the disk copy stays until removed

    out = io.StringIO()
    call_command("move_files_to_storage", source=str(root), stdout=out)
    assert "0 copied, 3 already there and verified, 0 failed." in out.getvalue()


def test_the_move_command_refuses_when_the_storage_is_the_disk(tmp_path, db):
    root, _files = _disk(tmp_path)
    with pytest.raises(CommandError, match="STORAGE_URL"):
        call_command("move_files_to_storage", source=str(root), stdout=io.StringIO())


def test_prepare_storage_creates_a_missing_bucket_and_checks_it(s3_endpoint, settings):
    from tests.object_store import ObjectStore

    store = ObjectStore(endpoint=s3_endpoint, bucket="made-by-prepare-storage")
    settings.STORAGES = {**settings.STORAGES, "default": store.storage_setting}
    out = io.StringIO()
    call_command("prepare_storage", stdout=out)
    assert "created bucket made-by-prepare-storage" in out.getvalue()
    assert store.objects() == {}  # its probe is gone again
    out = io.StringIO()
    call_command("prepare_storage", stdout=out)  # again: the bucket is there, nothing to create
    assert "created" not in out.getvalue() and "file storage ready" in out.getvalue()
