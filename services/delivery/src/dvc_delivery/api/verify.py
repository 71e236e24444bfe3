"""HTTP, public: is this e-result authentic and unaltered? By its code (the QR) or by the file."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile

from dvc_kernel.refusal import Refusal

from ..application import DeliveryApplication
from .models import CodeView, VerdictView

MAX_PDF_BYTES = 10 * 1024 * 1024


def router(app: DeliveryApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/verify", tags=["verification"])

    @api.get("/{verification_code}", response_model=CodeView, summary="What the QR code on an e-result names")
    async def by_code(verification_code: str) -> CodeView:
        return CodeView.of(await app.by_verification_code(verification_code))

    @api.post("", response_model=VerdictView, summary="Upload a PDF: authentic and unaltered, or not")
    async def by_file(file: UploadFile) -> VerdictView:
        content = await file.read(MAX_PDF_BYTES + 1)
        if len(content) > MAX_PDF_BYTES:
            raise Refusal("file_too_large", "Tệp quá lớn (tối đa 10 MB).")
        if not content.startswith(b"%PDF-"):
            raise Refusal("not_a_pdf", "Tệp tải lên không phải là tệp PDF.")
        return VerdictView.of(await app.verify(content))

    return api
