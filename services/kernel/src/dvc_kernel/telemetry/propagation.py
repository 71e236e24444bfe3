"""W3C trace context in and out of where it travels: command meta, envelopes, Kafka headers.

Only `traceparent` and `tracestate` travel; the envelope documents exactly these two fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

FIELDS = ("traceparent", "tracestate")
_W3C = TraceContextTextMapPropagator()


def current() -> dict[str, str]:
    """The current span's context as W3C fields; empty when no span is current."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier


def of(context: Context) -> dict[str, str]:
    """The W3C fields of the span current in `context`."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier, context=context)
    return carrier


def parent(carrier: Mapping[str, str]) -> Context:
    """A context whose (remote) span is the one the fields name; empty if they name none."""
    return _W3C.extract(carrier, context=Context())


def from_headers(headers: Iterable[tuple[str, bytes]] | None) -> dict[str, str]:
    """The W3C fields among Kafka message headers."""
    return {key: value.decode() for key, value in headers or () if key in FIELDS}


def to_headers(fields: Mapping[str, str]) -> list[tuple[str, bytes]]:
    return [(key, value.encode()) for key, value in fields.items() if key in FIELDS]
