"""What an uploaded material really is, read from its bytes: the name and the browser's word are
not trusted. Office documents are zip files; their [Content_Types].xml and folder name tell them apart.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# The shared download response lives in the core, for the data export too.
from mentoring.downloads import download

__all__ = ["check_upload", "content_type_of", "download", "name_matches", "sniff_kind"]

# kind → (content type we serve it with, file name endings that honestly describe it)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "gif": ("image/gif", (".gif",)),
    "webp": ("image/webp", (".webp",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
    ),
}
ALLOWED_ENDINGS = sorted({ending for _, endings in KINDS.values() for ending in endings})

_OFFICE_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def _office_kind(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            kinds = {
                kind
                for folder, kind in _OFFICE_FOLDERS.items()
                if any(n.startswith(folder) for n in names)
            }
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return kinds.pop() if len(kinds) == 1 else None


def sniff_kind(upload: UploadedFile) -> str | None:
    """The kind of file the bytes say this is, or None for anything we do not accept."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def name_matches(kind: str, filename: str) -> bool:
    return PurePath(filename.lower()).suffix in KINDS[kind][1]


def content_type_of(kind: str) -> str:
    return KINDS[kind][0]


def check_upload(upload: UploadedFile, *, max_bytes: int) -> str:
    """The upload's real kind, or a ValidationError a person understands."""
    if upload.size > max_bytes:
        raise ValidationError(
            _(
                "The file is %(size)s; the limit is %(limit)s. Upload a smaller file or share a link."
            )
            % {
                "size": f"{upload.size / 1_048_576:.1f} MB",
                "limit": f"{max_bytes / 1_048_576:.1f} MB",
            }
        )
    kind = sniff_kind(upload)
    if kind is None:
        raise ValidationError(
            _(
                "This file is not a PDF, Word, Excel, PowerPoint or image file, whatever its name says."
            )
        )
    if not name_matches(kind, upload.name or ""):
        raise ValidationError(
            _("The file's contents (%(kind)s) do not match its name. Rename it and try again.")
            % {"kind": kind.upper()}
        )
    return kind
