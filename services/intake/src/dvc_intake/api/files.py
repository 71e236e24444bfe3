"""HTTP: upload a file on its own, to reference it by hash in a filing or a supplement."""

from __future__ import annotations

from fastapi import APIRouter, Request, UploadFile

from dvc_kernel.errors import problems

from ..application import IntakeApplication
from .deps import Applicant
from .models import FileOut
from .uploads import read_limited, refuse_oversized_request


def router(app: IntakeApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/files", tags=["files"])

    @api.post(
        "",
        status_code=201,
        response_model=FileOut,
        summary="Upload a file (PDF, JPEG or PNG, judged by content); returns its SHA-256",
        responses=problems(415),
    )
    async def upload(file: UploadFile, principal: Applicant, request: Request) -> FileOut:
        refuse_oversized_request(request, app.max_upload_bytes)
        content = await read_limited(file, app.max_upload_bytes)
        stored = await app.upload(principal.subject, content)
        return FileOut.model_validate(stored)

    return api
