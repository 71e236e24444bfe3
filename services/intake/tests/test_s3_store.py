"""The S3 adapter against a real S3-compatible server (moto's server mode, over HTTP)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from dvc_intake.adapters.storage import S3FileStore

from .conftest import PDF, PNG

BUCKET = "dvc-intake-files"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def store(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3FileStore:
    # Credentials come from the standard AWS variables, as in production.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "intake-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "intake-test-secret")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    if BUCKET not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(Bucket=BUCKET)
    return S3FileStore.connect(BUCKET, "intake/files", endpoint, "us-east-1")


def test_a_file_is_stored_under_its_hash_with_its_type(store: S3FileStore, endpoint: str) -> None:
    digest = hashlib.sha256(PDF).hexdigest()
    store.put(digest, PDF, "application/pdf")
    assert store.get(digest) == PDF
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    head = client.head_object(Bucket=BUCKET, Key=f"intake/files/{digest[:2]}/{digest}")
    assert head["ContentType"] == "application/pdf"
    assert head["Metadata"]["sha256"] == digest


def test_storing_the_same_content_twice_writes_once(store: S3FileStore, endpoint: str) -> None:
    digest = hashlib.sha256(PNG).hexdigest()
    store.put(digest, PNG, "image/png")
    store.put(digest, PNG, "image/png")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"intake/files/{digest[:2]}/")
    assert [o["Key"] for o in listed["Contents"]] == [f"intake/files/{digest[:2]}/{digest}"]


def test_a_missing_file_is_none(store: S3FileStore) -> None:
    assert store.get("f" * 64) is None
