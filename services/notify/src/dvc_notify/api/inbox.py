"""HTTP: the citizen's own messages, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, Field

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role

from ..application import NotifyApplication

Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]


class InboxMessage(BaseModel):
    message_id: UUID = Field(description="Notify's id of the message.")
    dossier_id: UUID = Field(description="The dossier it is about.")
    dossier_code: str = Field(description="The dossier's code.")
    template: str = Field(description="What it says, e.g. `dossier_received`, `fee_due_on_submission`.")
    channel: Literal["sms", "email"] = Field(description="How it was sent.")
    status: Literal["queued", "retrying", "sent", "delivered", "dead_lettered"] = Field(
        description="Where it is: waiting, being retried, taken by the provider, delivered, or given up."
    )
    summary: str = Field(description="The SMS text, or the e-mail's subject (Vietnamese).")
    queued_at: datetime = Field(description="When notify queued it (UTC).")
    sent_at: datetime | None = Field(description="When the provider took it (UTC).")
    delivered_at: datetime | None = Field(description="When it was reported delivered (UTC).")


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
        return [InboxMessage.model_validate(entry, from_attributes=True) for entry in entries]

    return api
