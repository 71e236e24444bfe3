"""Files uploaded on their own, to be referenced by hash (a one-shot filing, a supplement)."""

from __future__ import annotations

from typing import Any

from dvc_kernel.store_commands import blocking_command

from ..domain.files import accepted_file
from .base import IntakeBase


class UploadCommands(IntakeBase):
    @blocking_command  # writes the file to the file store (S3 in production)
    def upload(self, owner: str, content: bytes) -> dict[str, Any]:
        sha256, media_type = accepted_file(content, self.max_upload_bytes)
        self.files.put(sha256, content, media_type)
        self.add_owned_file(owner, sha256, media_type, len(content))
        return {"sha256": sha256, "media_type": media_type, "size": len(content)}
