"""Public events of the messages notify sends to citizens.

`notify.message.v1` (keyed by message id) says what became of each message; `notify.deadletter.v1`
holds the messages notify gave up on, for operators. Recipients are masked (`09******78`,
`m***@example.vn`) and no message text travels here: texts carry personal details, and a
one-time code never reaches notify's store or its topics at all.
"""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import ContractModel, EventPayload
from .topics import NOTIFY_DEADLETTER, NOTIFY_MESSAGE

Channel = Literal["sms", "email"]


class _MessageFields(EventPayload):
    message_id: UUID = Field(description="Notify's message id, from the source event, channel and template.")
    source_event_id: UUID = Field(description="The public event the message tells the citizen about.")
    dossier_id: UUID = Field(description="Dossier the message is about.")
    dossier_code: str = Field(description="Dossier code.")
    channel: Channel = Field(description="SMS or e-mail.")
    template: str = Field(description="Which template was used, e.g. `dossier_received`.")
    recipient: str = Field(description="The recipient, masked: `09******78` or `m***@example.vn`.")


class MessageSent(_MessageFields):
    """The provider accepted the message (SMS gateway, or the SMTP server for e-mail)."""

    event_type: ClassVar[str] = "MessageSent"
    topic: ClassVar[str] = NOTIFY_MESSAGE.name

    provider_ref: str = Field(description="The provider's reference of the message.")
    attempts: int = Field(ge=1, description="Attempts it took, this one included.")
    sent_at: AwareDatetime = Field(description="When the provider accepted it (UTC).")
    segments: int | None = Field(
        default=None, ge=1, description="SMS: billed segments (GSM-7 160/153, UCS-2 70/67); none for e-mail."
    )


class MessageDelivered(_MessageFields):
    """The provider reported the message delivered (an SMS delivery receipt; for e-mail, the
    SMTP server's acceptance is the receipt)."""

    event_type: ClassVar[str] = "MessageDelivered"
    topic: ClassVar[str] = NOTIFY_MESSAGE.name

    detail: str = Field(description="What the provider reported.")
    delivered_at: AwareDatetime = Field(description="When it was reported delivered (UTC).")


class MessageDeadLettered(_MessageFields):
    """Notify gave up on the message: retries were exhausted, or the provider reported it undeliverable."""

    event_type: ClassVar[str] = "MessageDeadLettered"
    topic: ClassVar[str] = NOTIFY_MESSAGE.name

    reason: str = Field(description="Why notify gave up (the last error, in English).")
    attempts: int = Field(ge=0, description="Attempts made.")
    dead_lettered_at: AwareDatetime = Field(description="When notify gave up (UTC).")


class FailedAttempt(ContractModel):
    """One attempt to hand a message to its provider that failed."""

    attempt: int = Field(ge=1, description="Which attempt.")
    error: str = Field(description="What went wrong (English).")
    at: AwareDatetime = Field(description="When (UTC).")


class DeadLetter(_MessageFields):
    """A message notify gave up on, for operators: what, to whom (masked), why, and every attempt.
    The full message stays in notify's store under `message_id`."""

    event_type: ClassVar[str] = "DeadLetter"
    topic: ClassVar[str] = NOTIFY_DEADLETTER.name

    reason: str = Field(description="Why notify gave up (the last error, in English).")
    failures: list[FailedAttempt] = Field(description="Every failed attempt, oldest first.")
    dead_lettered_at: AwareDatetime = Field(description="When notify gave up (UTC).")
