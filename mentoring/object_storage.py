"""Where uploaded and generated files live: chosen by the environment, read only through Django's
storage API (`default_storage`, a FileField's storage), never by path.

- Nothing set: the filesystem under MEDIA_ROOT (the embedded default of `make run`; one host only).
- `STORAGE_URL=s3://BUCKET[/PREFIX]?endpoint_url=URL&region=REGION`, or the usual
  `AWS_STORAGE_BUCKET_NAME` (with `AWS_S3_ENDPOINT_URL`, `AWS_S3_REGION_NAME`): an S3-compatible
  bucket (AWS S3, MinIO, Ceph's RADOS gateway) through django-storages and boto3. The keys come from
  `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (or the machine's role), never from the URL.

Every web node and worker names the same bucket, so a file written by one is read by any other.
This module imports nothing of Django's: settings.py calls it.
"""

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3 = "storages.backends.s3.S3Storage"
# A presigned address (if ever made: downloads stream through the app) lives a minute at most.
PRESIGNED_SECONDS = 60


def default_storage_from(environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry the environment asks for."""
    url = environ.get("STORAGE_URL", "").strip()
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    region = environ.get("AWS_S3_REGION_NAME", "").strip()
    location = ""
    if url and not url.startswith("file:"):
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname:
            raise ValueError(f"STORAGE_URL must be s3://bucket[/prefix]?endpoint_url=...: {url!r}")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        bucket = parts.hostname
        location = parts.path.strip("/")
        endpoint = query.get("endpoint_url", endpoint)
        region = query.get("region", region)
    if not bucket:
        return dict(FILESYSTEM)
    options = {
        "bucket_name": bucket,
        "location": location,
        "default_acl": None,  # private: the bucket's own policy, never public-read
        "file_overwrite": False,  # a name taken gets a new one, never replaces a file
        "querystring_auth": True,
        "querystring_expire": PRESIGNED_SECONDS,
        "signature_version": "s3v4",
    }
    if endpoint:
        options["endpoint_url"] = endpoint
        options["addressing_style"] = "path"  # MinIO, Ceph and test servers: no bucket DNS names
    if region:
        options["region_name"] = region
    return {"BACKEND": S3, "OPTIONS": options}


def is_object_storage(storage_setting: Mapping) -> bool:
    return storage_setting.get("BACKEND") == S3
