"""The public event of a consumed message set aside: `dlq.<group>.v1` (ADR 0020).

A consuming service's inbox that could not apply a message after a bounded number of attempts
records it, with where it came from and the error, and moves on; its relay publishes it here.
The original record travels whole (value, key and headers, base64) so an operator can see it
and the service can apply it again (`dvc-dead-letters replay`).
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import ContractModel, EventPayload


class RecordHeader(ContractModel):
    name: str = Field(description="Header name.")
    value_b64: str = Field(description="Header value, base64.")


class InboxDeadLetter(EventPayload):
    """A message a consumer group gave up on, with its origin and why."""

    event_type: ClassVar[str] = "InboxDeadLetter"
    topic: ClassVar[str] = "dlq.<group>.v1"

    dead_letter_id: UUID = Field(description="Derived from group, topic, partition and offset.")
    group: str = Field(description="The consumer group that could not apply it.")
    service: str = Field(description="The consuming service.")
    original_topic: str = Field(description="Topic the message was consumed from.")
    original_partition: int = Field(ge=0, description="Its partition.")
    original_offset: int = Field(ge=0, description="Its offset in that partition.")
    key_b64: str | None = Field(description="The record's key, base64; null when it had none.")
    value_b64: str = Field(description="The record's value (the envelope as sent), base64.")
    headers: list[RecordHeader] = Field(description="The record's headers, in order.")
    event_type_header: str | None = Field(description="Its `event_type` header, if any.")
    error: str = Field(description="The last error (exception type and message, English).")
    attempts: int = Field(ge=1, description="Attempts made before it was set aside.")
    dead_lettered_at: AwareDatetime = Field(description="When it was set aside (UTC).")
