"""The one download response of a stored file (an upload, a generated export), whatever storage
holds it (mentoring/object_storage.py). Called only after the view's access check; the bytes are
streamed through the app, so the checks and the headers below hold on every node and every backend
(no public bucket address is ever handed out)."""

from django.http import FileResponse, Http404


def download(stored, *, filename: str, content_type: str) -> FileResponse:
    """A stored file handed back as the download of a file a person sent: always an attachment,
    its type the one checked on upload (never sniffed by the browser), sandboxed if opened, and
    never kept by a shared cache. A file gone from storage is a 404, not a 500."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
