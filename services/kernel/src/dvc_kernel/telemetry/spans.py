"""The spans of an event's path: HTTP request, event store, relay, Kafka, consumer.

Until `configure` installs an SDK tracer provider, tracing is off and these helpers take a
short path: no span is made and the trace context travels unchanged (the relay copies the
envelope's `traceparent` into the Kafka headers), so the benchmarked path pays almost nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from dvc_contracts import Envelope

from . import context, metrics, propagation

TRACER = trace.get_tracer("dvc_kernel")  # a proxy: it uses whichever provider is installed
_enabled = False


def enable() -> None:
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


def _event_attributes(topic: str, envelope: Envelope) -> dict[str, Any]:
    # Ids and names only: a span never carries an event's payload (personal data). Few of
    # them: each attribute is checked as the span starts, on the relay's and inbox's path.
    attributes: dict[str, Any] = {
        "messaging.system": "kafka",
        "messaging.destination.name": topic,
        "messaging.message.id": str(envelope.event_id),
        "dvc.event_type": envelope.event_type,
    }
    for key, value in context.of_payload(envelope.payload).items():
        attributes[f"dvc.{key}"] = str(value)
    return attributes


@contextmanager
def recording(store: str, events: Sequence[Any], tracking: Any) -> Iterator[None]:
    """A span around one write to the event store (new events and/or a tracking record)."""
    if not _enabled:
        yield
        return
    attributes: dict[str, Any] = {
        "dvc.store": store,
        "dvc.events": len(events),
        "dvc.event_types": sorted({type(e).__qualname__ for e in events}),
    }
    if tracking is not None:
        attributes["dvc.tracking"] = f"{tracking.application_name}@{tracking.notification_id}"
    with TRACER.start_as_current_span("eventstore.record", attributes=attributes):
        yield


class Publishing:
    """The relay's spans for one batch: one producer span per event, a child of the context
    the event's command ran in, ended when the batch's transaction is committed (or failed)."""

    def __init__(self) -> None:
        self._events: list[tuple[Span | None, str, str]] = []

    def headers(self, topic: str, envelope: Envelope) -> list[tuple[str, bytes]]:
        """Kafka headers that carry the trace on: the publish span's context, or else the
        envelope's own."""
        if not _enabled:
            self._events.append((None, topic, envelope.event_type))
            return propagation.to_headers(envelope.trace_context)
        span = TRACER.start_span(
            f"send {topic}",
            context=propagation.parent(envelope.trace_context),
            kind=SpanKind.PRODUCER,
            attributes={**_event_attributes(topic, envelope), "messaging.operation.type": "send"},
        )
        self._events.append((span, topic, envelope.event_type))
        return propagation.to_headers(propagation.of(trace.set_span_in_context(span)))

    def __enter__(self) -> Publishing:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        for span, topic, event_type in self._events:
            if error is None:
                metrics.PUBLISHED.add(1, {"topic": topic, "event_type": event_type})
            if span is not None:
                if error is not None:
                    span.record_exception(error)
                    span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                span.end()


@contextmanager
def consuming(
    envelope: Envelope, topic: str, partition: int, offset: int, headers: Sequence[tuple[str, bytes]] | None
) -> Iterator[None]:
    """The consumer span for one delivered message, continuing the trace it carries (the
    relay's publish span from the headers, else the command's context from the envelope).
    The dossier it is about is bound for the logs of its handling."""
    with context.scope():
        context.bind(**context.of_payload(envelope.payload))
        if not _enabled:
            yield
            return
        carrier = propagation.from_headers(headers) or envelope.trace_context
        attributes = {
            **_event_attributes(topic, envelope),
            "messaging.operation.type": "process",
            "messaging.destination.partition.id": str(partition),
            "messaging.kafka.offset": offset,
        }
        with TRACER.start_as_current_span(
            f"process {topic}",
            context=propagation.parent(carrier),
            kind=SpanKind.CONSUMER,
            attributes=attributes,
        ):
            yield


def failed(error: BaseException) -> None:
    """Mark the current span failed (when the error is handled, so it does not propagate)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
