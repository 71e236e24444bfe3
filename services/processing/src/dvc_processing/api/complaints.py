"""HTTP: a citizen complains about a dossier; supervisors of the superior unit answer."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.meta import command_meta

from ..application import ProcessingApplication
from ..board import Board
from ..complaints import file_complaint, resolve_complaint
from ..domain.complaint import Complaint

Supervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR))]
Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]


class ComplaintBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=10, max_length=4000, description="The complaint, in your words.")


class ResolutionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: str = Field(min_length=10, max_length=4000, description="The answer to the citizen.")


def _view(c: Complaint) -> dict[str, Any]:
    return {
        "complaint_id": c.id,
        "dossier_code": c.dossier_code,
        "superior_unit": c.superior_unit,
        "filed_at": c.filed_at,
        "respond_by": c.respond_by,
        "resolution": c.resolution,
    }


def router(app: ProcessingApplication, board: Board) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["complaints"])

    @api.post("/dossiers/{code}/complaints", status_code=201, summary="Complain about a dossier")
    def complain(code: str, body: ComplaintBody, principal: Applicant, request: Request) -> dict[str, Any]:
        meta = command_meta(request, actor_id=principal.subject, actor_role=principal.role.value)
        complaint = file_complaint(app, code, principal, body.text, meta)
        return _view(complaint)

    @api.get("/complaints/mine", summary="My complaints and their answers, newest first")
    async def mine(principal: Applicant) -> list[dict[str, Any]]:
        return [
            {
                "complaint_id": c["complaint_id"],
                "dossier_code": c["dossier_code"],
                "text": c["text"],
                "filed_at": c["filed_at"],
                "respond_by": c["respond_by"],
                "resolution": c["resolution"],
                "resolved_at": c["resolved_at"],
            }
            for c in board.complaints_of(principal.subject)
        ]

    @api.get("/complaints", summary="Complaints the supervisor's units must answer")
    async def complaints(principal: Supervisor, include_resolved: bool = False) -> list[dict[str, Any]]:
        return board.complaints_for(principal.units, open_only=not include_resolved)

    @api.post("/complaints/{complaint_id}/resolution", summary="Answer a complaint")
    def resolve(
        complaint_id: UUID, body: ResolutionBody, principal: Supervisor, request: Request
    ) -> dict[str, Any]:
        meta = command_meta(
            request,
            actor_id=principal.subject,
            actor_role=principal.role.value,
            actor_unit=next(iter(sorted(principal.units)), None),
        )
        complaint = resolve_complaint(app, complaint_id, principal, body.resolution, meta)
        return _view(complaint)

    return api
