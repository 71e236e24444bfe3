"""One envelope for every public event (docs/architecture.md §2)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import ContractModel

Role = Literal["citizen", "organisation", "officer", "supervisor", "auditor", "operator", "system"]


class Actor(ContractModel):
    """Who caused the event."""

    id: str = Field(description="Account id of the person, or the service name for the system.")
    role: Role = Field(description="Role the actor acted in.")
    unit: str | None = Field(default=None, description="Police unit code the actor acted for, when staff.")


class Envelope(ContractModel):
    """Metadata common to every public event, with the event's payload."""

    event_id: UUID = Field(description="Unique id of this event; stable across re-deliveries.")
    event_type: str = Field(description="Name of the event, e.g. `Submitted`.")
    schema_version: int = Field(ge=1, description="Major version of the payload schema.")
    subject: str = Field(description="Key of the aggregate; the dossier id for dossier events.")
    occurred_at: AwareDatetime = Field(description="When the event happened (UTC).")
    producer: str = Field(description="Service that produced the event.")
    aggregate_version: int = Field(ge=1, description="Version of the aggregate after the event.")
    correlation_id: UUID | None = Field(
        default=None, description="Id shared by every event caused by one user request."
    )
    causation_id: UUID | None = Field(
        default=None, description="Id of the event or request that directly caused this one."
    )
    actor: Actor = Field(description="Who caused the event.")
    trace_context: dict[str, str] = Field(
        default_factory=dict,
        description="W3C trace context (`traceparent`, `tracestate`) captured with the command.",
    )
    prev_hash: str | None = Field(
        default=None,
        description="SHA-256 of the previous event of the same aggregate; null for the first.",
    )
    hash: str = Field(
        default="",
        description="SHA-256 over this envelope (without `hash`) in canonical JSON: tamper evidence.",
    )
    payload: dict[str, Any] = Field(description="The event's data, per its `event_type` schema.")

    def canonical_bytes(self) -> bytes:
        """The envelope without its own hash, as canonical JSON (sorted keys, no spaces)."""
        data = self.model_dump(mode="json", exclude={"hash"})
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def computed_hash(self) -> str:
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    def sealed(self) -> Envelope:
        """A copy carrying its own hash."""
        return self.model_copy(update={"hash": self.computed_hash()})

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()


def trusted_envelope(data: dict[str, Any]) -> Envelope:
    """An envelope from JSON data this platform wrote and validated before (a consumed event a
    service kept), without validating it again: only the fields whose Python type differs
    from their JSON form are converted. Anything else goes through `Envelope.model_validate`."""
    actor = data["actor"]
    correlation, causation = data.get("correlation_id"), data.get("causation_id")
    return Envelope.model_construct(
        **{
            **data,
            "event_id": UUID(data["event_id"]),
            "occurred_at": datetime.fromisoformat(data["occurred_at"]),
            "correlation_id": UUID(correlation) if correlation else None,
            "causation_id": UUID(causation) if causation else None,
            "actor": Actor.model_construct(id=actor["id"], role=actor["role"], unit=actor.get("unit")),
        }
    )


def utc(dt: datetime) -> datetime:
    """Normalise an aware datetime to UTC; instants are stored in UTC."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: an instant must carry its UTC offset")
    return dt.astimezone(UTC)
