"""HTTP: citizens submit dossiers."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from dvc_kernel.errors import NotFound
from dvc_kernel.meta import command_meta
from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ..application import IntakeApplication, Submission
from ..domain.dossier import Dossier
from ..domain.dossier_code import InvalidDossierCode, normalise


class ApplicantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str = Field(pattern=r"^\d{12}$", description="12-digit personal ID number.")
    full_name: str = Field(min_length=1, max_length=200)
    phone: str = Field(pattern=r"^0\d{9}$", description="Mobile number, 10 digits from 0.")
    email: str | None = Field(default=None, max_length=254)


class SubmitDossier(BaseModel):
    model_config = ConfigDict(extra="forbid")
    procedure_code: str = Field(
        pattern=r"^([1-3]\.\d{6}|BCA-[A-Z0-9]+(-[A-Z0-9]+)*)$",
        examples=["1.004194"],
        description="Catalog code of the procedure; the version in force today applies.",
    )
    applicant: ApplicantIn
    delivery_mode: Literal["e_result", "post", "pickup"]
    form_data: dict[str, Any] = Field(default_factory=dict)


class DossierOut(BaseModel):
    dossier_id: UUID
    dossier_code: str
    status: str
    procedure_code: str
    procedure_version: int
    submitted_at: datetime

    @classmethod
    def of(cls, dossier: Dossier) -> DossierOut:
        return cls(
            dossier_id=dossier.id,
            dossier_code=dossier.code,
            status=dossier.status,
            procedure_code=dossier.procedure_code,
            procedure_version=dossier.procedure_version,
            submitted_at=dossier.submitted_at,
        )


def router(app: IntakeApplication, on_saved: Any) -> APIRouter:
    api = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])

    @api.post(
        "",
        status_code=201,
        response_model=DossierOut,
        summary="Submit a dossier; returns its dossier code",
    )
    async def submit(
        body: SubmitDossier,
        request: Request,
        response: Response,
        idempotency_key: Annotated[str, Header(min_length=8, max_length=128)],
    ) -> DossierOut:
        owner = body.applicant.id_number  # accounts are keyed by the personal ID number
        meta = command_meta(request, actor_id=owner, actor_role="citizen")
        submission = Submission(
            procedure_code=body.procedure_code,
            applicant=body.applicant.model_dump(),
            delivery_mode=body.delivery_mode,
            form_data=body.form_data,
        )
        dossier, created = await asyncio.to_thread(app.submit, submission, owner, idempotency_key, meta)
        if created:
            on_saved()
        else:
            response.status_code = 200
        response.headers["Location"] = f"/v1/dossiers/{dossier.code}"
        return DossierOut.of(dossier)

    @api.get("/{code}", response_model=DossierOut, summary="A submitted dossier by its code")
    async def by_code(code: str) -> DossierOut:
        try:
            canonical = normalise(code)
        except InvalidDossierCode:
            raise NotFound("dossier_code_invalid", "Mã hồ sơ không đúng. Vui lòng kiểm tra lại.") from None
        dossier = await asyncio.to_thread(app.dossier_by_code, canonical)
        if dossier is None:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ có mã này.")
        return DossierOut.of(dossier)

    return api
