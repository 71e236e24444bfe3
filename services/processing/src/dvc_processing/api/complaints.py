"""HTTP: a citizen complains about a dossier; supervisors of the superior unit answer."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from dvc_kernel.caller_meta import caller_meta, first_unit

from ..application import ProcessingApplication
from ..domain.complaint import Complaint
from ..projections.board import Board
from .deps import Applicant, Supervisor
from .models import ComplaintBody, ResolutionBody


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
    async def complain(
        code: str, body: ComplaintBody, principal: Applicant, request: Request
    ) -> dict[str, Any]:
        meta = caller_meta(request, principal)
        complaint = await app.file_complaint(code, principal, body.text, meta)
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
    async def resolve(
        complaint_id: UUID, body: ResolutionBody, principal: Supervisor, request: Request
    ) -> dict[str, Any]:
        meta = caller_meta(request, principal, first_unit(principal))
        complaint = await app.resolve_complaint(complaint_id, principal, body.resolution, meta)
        return _view(complaint)

    return api
