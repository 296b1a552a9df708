"""A person's data export as a file in the file storage (mentoring/object_storage.py): asked for on
the "My data" page, built by a worker (build_data_export), handed out by any web node from the
bucket through the shared download response. Only the latest export of a person is kept."""

import tempfile

from celery import shared_task
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from mentoring.models import DataExport, User, data_export_path
from mentoring.privacy import write_export_zip


def request_export(*, user: User) -> DataExport:
    """The person asks for their data: a worker builds the ZIP after commit (build_export). One
    still being built is not asked for twice."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time
        export = DataExport.objects.filter(user=user, finished_at=None).first()
        if export is None:
            export = DataExport.objects.create(user=user)
        build_data_export.delay_on_commit(export.pk)
    return export


def build_export(export_id: int) -> bool:
    """Build the export into the file storage (any node then hands it out), then drop the person's
    older ones. Idempotent: an export already built, or gone, is left alone; two workers building
    the same one keep one file."""
    export = (
        DataExport.objects.filter(pk=export_id, finished_at=None).select_related("user").first()
    )
    if export is None:
        return False
    storage = export.file.storage
    with tempfile.TemporaryFile() as spool:
        write_export_zip(export.user, spool)
        spool.seek(0)
        name = storage.save(data_export_path(export, "export.zip"), File(spool))
    finished = DataExport.objects.filter(pk=export_id, finished_at=None).update(
        file=name, finished_at=timezone.now()
    )
    if not finished:  # another worker finished it meanwhile
        storage.delete(name)
        return False
    for old in DataExport.objects.filter(user_id=export.user_id).exclude(pk=export_id):
        delete_export(old)
    return True


def delete_export(export: DataExport) -> None:
    if export.file:
        export.file.storage.delete(export.file.name)
    export.delete()


def latest_export(user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-pk").first()


@shared_task(name="mentoring.tasks.build_data_export", acks_late=True, reject_on_worker_lost=True)
def build_data_export(export_id: int) -> bool:
    """A person's data export, built into the file storage (build_export)."""
    return build_export(export_id)
