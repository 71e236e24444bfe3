"""HTTP, public: is this e-result authentic and unaltered? By its code (the QR) or by the file."""

from __future__ import annotations

import asyncio
from datetime import datetime

from fastapi import APIRouter, UploadFile
from pydantic import BaseModel, Field

from dvc_kernel.errors import Unprocessable

from ..application import DeliveryApplication

MAX_PDF_BYTES = 10 * 1024 * 1024


class CodeView(BaseModel):
    status: str = Field(description="`valid`: this code names an e-result we issued.")
    dossier_code: str
    issued_by: str | None = Field(description="The unit whose certificate signed it.")
    issued_at: datetime | None = Field(description="When it was signed (UTC).")
    sha256: str | None = Field(description="SHA-256 of the signed PDF: a copy must have exactly this hash.")


class VerdictView(BaseModel):
    authentic: bool = Field(description="Signed by a unit's certificate, unaltered, and issued by us.")
    signature_valid: bool = Field(description="The PAdES signature is intact and chains to the trust root.")
    issued_by_us: bool = Field(description="The file's hash is that of an e-result we issued.")
    sha256: str
    dossier_code: str | None
    issued_by: str | None
    issued_at: datetime | None
    message: str = Field(description="The verdict for the citizen (Vietnamese).")


def router(app: DeliveryApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/verify", tags=["verification"])

    @api.get("/{verification_code}", response_model=CodeView, summary="What the QR code on an e-result names")
    def by_code(verification_code: str) -> CodeView:
        delivery = app.by_verification_code(verification_code)
        return CodeView(
            status="valid",
            dossier_code=delivery.dossier_code,
            issued_by=delivery.signed_by,
            issued_at=delivery.signed_at,
            sha256=delivery.sha256,
        )

    @api.post("", response_model=VerdictView, summary="Upload a PDF: authentic and unaltered, or not")
    async def by_file(file: UploadFile) -> VerdictView:
        content = await file.read(MAX_PDF_BYTES + 1)
        if len(content) > MAX_PDF_BYTES:
            raise Unprocessable("file_too_large", "Tệp quá lớn (tối đa 10 MB).")
        if not content.startswith(b"%PDF-"):
            raise Unprocessable("not_a_pdf", "Tệp tải lên không phải là tệp PDF.")
        verdict = await asyncio.to_thread(app.verify, content)
        return VerdictView(
            authentic=verdict.authentic,
            signature_valid=verdict.signature_valid,
            issued_by_us=verdict.issued_by_us,
            sha256=verdict.sha256,
            dossier_code=verdict.dossier_code,
            issued_by=verdict.issued_by,
            issued_at=verdict.signed_at,
            message=verdict.message,
        )

    return api
