"""Check that this node reaches the file storage (mentoring/object_storage.py), creating the bucket
first when it does not exist yet (a fresh MinIO in docker-compose; a production bucket is made by
its operator and only checked here). Writes, reads back and deletes one small object: a node that
cannot do that fails here, at start, rather than on a person's first upload.

    python manage.py prepare_storage
"""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the bucket if missing, then check that files can be written and read back."

    def handle(self, *args, **options):
        storage = storages["default"]
        if not isinstance(storage, FileSystemStorage):
            self._ensure_bucket(storage)
        name = f"healthcheck/{uuid.uuid4().hex}"
        probe = b"mentoring storage check"
        try:
            saved = storage.save(name, ContentFile(probe))
            with storage.open(saved, "rb") as handle:
                read = handle.read()
            storage.delete(saved)
        except Exception as error:
            raise CommandError(f"the file storage is not usable: {error}") from error
        if read != probe:
            raise CommandError("the file storage gave back other bytes than it was given")
        self.stdout.write(f"file storage ready: {type(storage).__name__}")

    def _ensure_bucket(self, storage) -> None:
        from botocore.exceptions import ClientError

        bucket = storage.bucket
        try:
            storage.connection.meta.client.head_bucket(Bucket=bucket.name)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise CommandError(f"cannot reach bucket {bucket.name}: {error}") from error
            bucket.create()
            self.stdout.write(f"created bucket {bucket.name}")
