"""An S3-compatible server on loopback for the tests: moto's ThreadedMotoServer speaks the S3 HTTP
API (the same requests boto3 sends to AWS S3, MinIO or Ceph). Nothing is mocked: django-storages
and boto3 talk HTTP to it."""

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import boto3

from mentoring.object_storage import default_storage_from

KEYS = {"AWS_ACCESS_KEY_ID": "test-access-key", "AWS_SECRET_ACCESS_KEY": "test-secret-key"}
REGION = "us-east-1"


@dataclass
class ObjectStore:
    endpoint: str
    bucket: str

    @property
    def environment(self) -> dict[str, str]:
        """What a node's environment says to use this bucket."""
        return {
            "STORAGE_URL": f"s3://{self.bucket}?endpoint_url={self.endpoint}&region={REGION}",
            **KEYS,
        }

    @property
    def storage_setting(self) -> dict:
        return default_storage_from(self.environment)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def objects(self) -> dict[str, int]:
        """{key: size} of every object in the bucket."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return {o["Key"]: o["Size"] for page in pages for o in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()


@contextlib.contextmanager
def s3_server() -> Iterator[str]:
    """The endpoint of a fresh S3 server on 127.0.0.1 (a free port)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def new_bucket(endpoint: str) -> ObjectStore:
    store = ObjectStore(endpoint=endpoint, bucket=f"mentoring-{uuid.uuid4().hex[:12]}")
    store.client().create_bucket(Bucket=store.bucket)
    return store


def use_keys() -> None:
    """boto3 in this process signs with the test keys (the server takes any)."""
    for name, value in KEYS.items():
        os.environ.setdefault(name, value)
