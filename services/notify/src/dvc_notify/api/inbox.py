"""HTTP: the citizen's own messages, newest first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role

from ..application import NotifyApplication
from ..application.inbox_message import InboxMessage

Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]


def router(app: NotifyApplication) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["inbox"])

    @api.get("/inbox", response_model=list[InboxMessage], summary="My messages, newest first")
    async def inbox(
        principal: Applicant,
        limit: int = Query(100, ge=1, le=500, description="At most this many."),
        token_header: Annotated[str | None, Header(alias=consistency.HEADER)] = None,
        token_param: Annotated[str | None, Query(alias="consistency")] = None,
    ) -> Any:
        # Read-your-writes after a filing (intake/<dossier>@<version>): wait until notify knows
        # the dossier, so its messages are listed as they come.
        token = consistency.parse(token_header, token_param)
        if token is not None and token.subject is not None:
            subject = token.subject
            if not await consistency.visible(lambda: app.knows(subject)):
                return consistency.not_yet_visible(token)
        entries = await app.inbox(principal.subject, limit)
        return entries

    return api
