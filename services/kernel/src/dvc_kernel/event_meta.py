"""The meta every domain event carries: who acted, in which request, caused by what, under
which trace. Written by `dvc_kernel.meta.CommandMeta.as_dict`; domain code only carries it on,
and the relay turns it into the envelope's actor, correlation and causation fields.

A module of its own, with no imports, so that domain packages can name the type without
importing the kernel's HTTP or telemetry code."""

from __future__ import annotations

from typing import TypedDict


class EventMeta(TypedDict):
    actor_id: str
    actor_role: str  # a `Role` value, or "system" for a service acting on its own
    actor_unit: str | None  # the police unit an officer acted for
    correlation_id: str
    causation_id: str | None  # the event that caused this one, when a service reacted to it
    trace_context: dict[str, str]  # W3C `traceparent` (and `tracestate`)
