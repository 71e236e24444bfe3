"""Where attached files live: stored once by content hash (SHA-256), never overwritten.

`LocalFileStore` keeps them under `<DVC_DATA_DIR>/intake/files/<aa>/<hash>` (the first two hex
digits fan the files out over 256 folders). `S3FileStore` keeps them in an S3-compatible bucket
under the same layout. A file's name is its hash, so storing the same content twice stores it
once, and a file can never be swapped for another under the same name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def relative_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


class FileStore(Protocol):
    def put(self, sha256: str, content: bytes, media_type: str) -> None: ...

    def get(self, sha256: str) -> bytes | None: ...


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / relative_path(sha256)

    def put(self, sha256: str, content: bytes, media_type: str) -> None:
        path = self._path(sha256)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed into place: a crash never leaves half a file under the
        # hash, and two instances storing the same file at once both end with the same bytes.
        aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        try:
            with aside.open("wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(aside, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                aside.unlink()

    def get(self, sha256: str) -> bytes | None:
        path = self._path(sha256)
        return path.read_bytes() if path.exists() else None


class S3FileStore:
    """Any S3-compatible store (AWS S3, MinIO, Ceph…); credentials come from the usual AWS
    environment variables or instance profile, never from intake's settings."""

    def __init__(self, client: S3Client, bucket: str, prefix: str = "intake/files") -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/")

    @classmethod
    def connect(cls, bucket: str, prefix: str, endpoint_url: str | None, region: str | None) -> S3FileStore:
        import boto3

        client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)
        return cls(client, bucket, prefix)

    def _key(self, sha256: str) -> str:
        return f"{self._prefix}/{relative_path(sha256)}" if self._prefix else relative_path(sha256)

    def put(self, sha256: str, content: bytes, media_type: str) -> None:
        if self._exists(sha256):
            return
        self._client.put_object(
            Bucket=self._bucket,
            Key=self._key(sha256),
            Body=content,
            ContentType=media_type,
            Metadata={"sha256": sha256},
        )

    def _exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._client.head_object(Bucket=self._bucket, Key=self._key(sha256))
        except ClientError as error:
            if _status(error.response) == 404:
                return False
            raise
        return True

    def get(self, sha256: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=self._key(sha256))
        except ClientError as error:
            if _status(error.response) == 404 or error.response.get("Error", {}).get("Code") == "NoSuchKey":
                return None
            raise
        body: bytes = answer["Body"].read()
        return body


def _status(response: Any) -> int | None:
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return int(status) if status is not None else None
