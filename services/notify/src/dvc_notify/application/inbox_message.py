"""One message of a citizen's inbox, as the inbox lists it: read off the message when listed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from dvc_kernel.attribute_views import view_of

from ..domain.message import Message


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

    @classmethod
    def of(cls, message: Message) -> InboxMessage:
        return view_of(cls, message, message_id=message.id, summary=message.subject or message.text)
