"""Intake's settings: the shared ones plus file storage, upload limits and the registry call."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from dvc_kernel.local_secrets import service_secret
from dvc_kernel.settings import ServiceSettings

MIB = 1024 * 1024


class IntakeSettings(ServiceSettings):
    service_name: ClassVar[str] = "intake"
    default_port: ClassVar[int] = 8103

    file_store: Literal["local", "s3"] = Field(
        "local", validation_alias="INTAKE_FILE_STORE", description="Where attached files are kept."
    )
    files_dir: Path | None = Field(
        None, validation_alias="INTAKE_FILES_DIR", description="Local store; default <data dir>/intake/files."
    )
    s3_bucket: str | None = Field(None, validation_alias="INTAKE_S3_BUCKET")
    s3_prefix: str = Field("intake/files", validation_alias="INTAKE_S3_PREFIX")
    s3_endpoint_url: str | None = Field(
        None, validation_alias="INTAKE_S3_ENDPOINT_URL", description="For S3-compatible stores (MinIO…)."
    )
    s3_region: str | None = Field(None, validation_alias="INTAKE_S3_REGION")
    max_upload_bytes: int = Field(10 * MIB, ge=1, validation_alias="INTAKE_MAX_UPLOAD_BYTES")
    registry_timeout_seconds: float = Field(5.0, gt=0, validation_alias="INTAKE_REGISTRY_TIMEOUT_SECONDS")

    @property
    def local_files_dir(self) -> Path:
        return self.files_dir or self.service_dir / "files"

    def service_secret(self) -> str:
        return service_secret(self.data_dir)
