"""Where evidence bytes are kept, by their SHA-256: the same file uploaded twice is stored once.

A folder (under the Flask instance path by default) or an S3-compatible bucket, so several hosts can share it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class Storage(Protocol):
    def put(self, data: bytes) -> str:
        """Store the bytes; their SHA-256 (hex) names them."""

    def get(self, digest: str) -> bytes:
        """The bytes stored under the digest; KeyError when there are none."""

    def exists(self, digest: str) -> bool: ...


def _checked(digest: str) -> str:
    if not _DIGEST.match(digest):
        raise KeyError(digest)
    return digest


class FolderStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, digest: str) -> Path:
        digest = _checked(digest)
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed: a reader never sees half a file, two writers of the same bytes agree.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
            temporary.write(data)
        os.replace(temporary.name, path)
        return digest

    def get(self, digest: str) -> bytes:
        path = self._path(digest)
        if not path.is_file():
            raise KeyError(digest)
        return path.read_bytes()

    def exists(self, digest: str) -> bool:
        try:
            return self._path(digest).is_file()
        except KeyError:
            return False


class S3Storage:
    def __init__(self, bucket: str, prefix: str = "evidence/", client=None, **client_options):
        if client is None:
            import boto3

            client = boto3.client("s3", **client_options)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def _key(self, digest: str) -> str:
        return self.prefix + _checked(digest)

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if not self.exists(digest):
            self.client.put_object(Bucket=self.bucket, Key=self._key(digest), Body=data)
        return digest

    def get(self, digest: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self._key(digest))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise KeyError(digest) from None
            raise
        return found["Body"].read()

    def exists(self, digest: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(digest))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                return False
            raise
        except KeyError:
            return False
        return True


def from_settings(settings: dict, instance_path: str | os.PathLike) -> Storage:
    """The storage the app's settings name: an S3-compatible bucket when EVIDENCE_S3_BUCKET is set (endpoint and
    credentials as boto3 reads them, or EVIDENCE_S3_ENDPOINT), else a folder (EVIDENCE_DIR, default
    instance/evidence)."""
    bucket = settings.get("EVIDENCE_S3_BUCKET")
    if bucket:
        options = {"endpoint_url": settings["EVIDENCE_S3_ENDPOINT"]} if settings.get("EVIDENCE_S3_ENDPOINT") else {}
        return S3Storage(bucket, settings.get("EVIDENCE_S3_PREFIX") or "evidence/", **options)
    return FolderStorage(settings.get("EVIDENCE_DIR") or Path(instance_path) / "evidence")
