"""Copy the files a single host kept on its disk (MEDIA_ROOT: uploaded materials, message
attachments, data exports) into the configured file storage (an S3-compatible bucket, see
mentoring/object_storage.py), under the same names, so that the rows pointing at them keep working.

Resumable: a file already in the bucket with the same size and checksum is left alone, so running
the command again after an interruption copies only what is missing or damaged. Every copy is read
back and verified by size and SHA-256 before it counts. The disk copy is never deleted here: remove
MEDIA_ROOT yourself once a run reports nothing left to copy.

    python manage.py move_files_to_storage [--source /path/to/uploads]
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

CHUNK = 1 << 20


def _digest(handle) -> tuple[int, str]:
    size, digest = 0, hashlib.sha256()
    while chunk := handle.read(CHUNK):
        size += len(chunk)
        digest.update(chunk)
    return size, digest.hexdigest()


def _stored(storage, name: str) -> tuple[int, str] | None:
    """(size, checksum) of `name` in `storage`, or None when it is not there."""
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as handle:
            return _digest(handle)
    except FileNotFoundError:
        return None


class Command(BaseCommand):
    help = "Copy files from MEDIA_ROOT into the configured file storage, verified; resumable."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(settings.MEDIA_ROOT), help="default MEDIA_ROOT")

    def handle(self, *args, source: str, **options):
        root = Path(source)
        target = storages["default"]
        if isinstance(target, FileSystemStorage):
            raise CommandError(
                "The file storage is the local disk: set STORAGE_URL (or AWS_STORAGE_BUCKET_NAME) "
                "to the bucket first."
            )
        if not root.is_dir():
            raise CommandError(f"{root} is not a directory: nothing to copy.")
        copied = present = failed = 0
        for folder, _dirs, files in os.walk(root):
            for filename in sorted(files):
                path = Path(folder) / filename
                name = path.relative_to(root).as_posix()
                with path.open("rb") as handle:
                    wanted = _digest(handle)
                if _stored(target, name) == wanted:
                    present += 1
                    continue
                if target.exists(name):  # damaged or partial: replaced, under the same name
                    target.delete(name)
                with path.open("rb") as handle:
                    saved = target.save(name, File(handle, name=name))
                if saved != name or _stored(target, name) != wanted:
                    failed += 1
                    self.stderr.write(f"not verified: {name} (size and checksum differ)")
                    continue
                copied += 1
                self.stdout.write(f"copied {name} ({wanted[0]} bytes)")
        self.stdout.write(
            f"{copied} copied, {present} already there and verified, {failed} failed."
        )
        if failed:
            raise CommandError(f"{failed} files were not verified: run the command again.")
