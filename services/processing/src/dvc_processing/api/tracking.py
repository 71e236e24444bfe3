"""HTTP: following a dossier (owner, staff of its unit, auditors) and its public status; the
queues and the dashboard (`queues.py`) under the same tag."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from dvc_contracts.status import DossierStatus
from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import CurrentPrincipal
from dvc_kernel.bounds import within
from dvc_kernel.refusal import Kind, Refusal

from ..application import ProcessingApplication
from ..domain.case import STATUS_LABELS
from ..projections.board import Board
from ..projections.dossier_view import CaseView, PublicStatus
from . import queues
from .deps import TokenHeader, TokenQuery


def router(app: ProcessingApplication, board: Board) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["tracking"])

    @api.get("/dossiers/{code}", response_model=CaseView, summary="A dossier with its full timeline")
    async def track(
        code: str,
        principal: CurrentPrincipal,
        response: Response,
        as_of: Annotated[datetime | None, Query(description="State as it stood at this instant")] = None,
        token_header: TokenHeader = None,
        consistency_token: TokenQuery = None,
    ) -> Any:
        if as_of is not None and as_of.tzinfo is None:
            raise Refusal("timestamp_without_offset", "Tham số «as_of» phải ghi rõ múi giờ.", Kind.INVALID)
        token = consistency.parse(token_header, consistency_token)
        if token is not None and not await consistency.visible(lambda: app.shows(token, code)):
            return consistency.not_yet_visible(token)
        if as_of is not None:
            within("as_of", as_of)
        case, view = await app.dossier(code, principal, as_of, board.complaint_ids_of)
        response.headers["ETag"] = f'"{case.version}"'
        return view

    @api.get("/public/dossiers/{code}", summary="Status only, for anyone holding the code and ID digits")
    async def public_status(code: str, id_last_digits: str = Query(pattern=r"^\d{4}$")) -> PublicStatus:
        case = await app.public_status(code, id_last_digits)
        return PublicStatus(
            dossier_code=case.dossier_code,
            status=case.status.value,
            status_label=STATUS_LABELS[case.status],
            due_at=case.due_at if case.status in {DossierStatus.RECEIVED, DossierStatus.ACCEPTED} else None,
        )

    api.include_router(queues.router(app, board))  # the queue and the dashboard
    return api
