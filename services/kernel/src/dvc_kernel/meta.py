"""Who, why and under which trace a command ran: carried on every domain event as `meta`.

Domain code treats `meta` as opaque; the relay turns it into the envelope's actor, correlation,
causation and trace fields, so a status change always says who caused it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from .event_meta import EventMeta
from .telemetry import propagation

SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class CommandMeta:
    actor_id: str
    actor_role: str
    actor_unit: str | None = None
    correlation_id: str = field(default_factory=lambda: str(uuid4()))
    causation_id: str | None = None
    trace_context: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> EventMeta:
        # By hand: `dataclasses.asdict` deep-copies field by field, at every recorded event.
        return {
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "actor_unit": self.actor_unit,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
            "trace_context": dict(self.trace_context),
        }

    @classmethod
    def system(
        cls,
        service: str,
        *,
        caused_by: UUID | str | None = None,
        correlation_id: UUID | str | None = None,
        trace_context: dict[str, str] | None = None,
    ) -> CommandMeta:
        """Meta for work a service does by itself in reaction to an event. Its trace context
        is the span doing the work (a consumer's span) when there is one, else the one given."""
        return cls(
            actor_id=service,
            actor_role=SYSTEM_ROLE,
            correlation_id=str(correlation_id or uuid4()),
            causation_id=str(caused_by) if caused_by else None,
            trace_context=propagation.current() or dict(trace_context or {}),
        )

    @classmethod
    def from_dict(cls, data: EventMeta) -> CommandMeta:
        return cls(**data)


def command_meta(
    request: Any, *, actor_id: str, actor_role: str, actor_unit: str | None = None
) -> CommandMeta:
    """Meta for a command arriving over HTTP; honours the caller's correlation id."""
    headers = request.headers
    extra: dict[str, Any] = {}
    if cid := headers.get("x-correlation-id"):
        extra["correlation_id"] = cid
    # The request's span when tracing is on; else the caller's own context, passed through.
    trace = propagation.current() or {k: headers[k] for k in propagation.FIELDS if k in headers}
    return CommandMeta(
        actor_id=actor_id,
        actor_role=actor_role,
        actor_unit=actor_unit,
        trace_context=trace,
        **extra,
    )
