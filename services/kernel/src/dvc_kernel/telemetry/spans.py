"""The spans of an event's path: HTTP request, event store, relay, Kafka, consumer.

Until `configure` installs an SDK tracer provider, tracing is off and these helpers take a
short path: no span is made and the trace context travels unchanged (the relay copies the
envelope's `traceparent` into the Kafka headers), so the benchmarked path pays almost nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode

from dvc_contracts import Envelope

from . import context, metrics, propagation

ERROR_ATTRIBUTE = "dvc.error"  # a span started with it is always sampled (config.Sampler)
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


def sampled(trace_context: Mapping[str, str]) -> bool:
    """Whether the W3C `traceparent` says its trace is sampled (flags bit 0)."""
    parent = trace_context.get("traceparent", "")
    return len(parent) == 55 and parent[-1] in "13579bdf"


def _current_unsampled() -> bool:
    current = trace.get_current_span().get_span_context()
    return current.is_valid and not current.trace_flags.sampled


def _written(store: str, events: Sequence[Any]) -> dict[str, Any]:
    """What a span around a write to the event store says of it."""
    return {
        "dvc.store": store,
        "dvc.events": len(events),
        "dvc.event_types": sorted({type(e).__qualname__ for e in events}),
    }


@contextmanager
def recording(store: str, events: Sequence[Any], tracking: Any) -> Iterator[None]:
    """A span around one write to the event store (new events and/or a tracking record)."""
    if not _enabled or _current_unsampled():
        yield
        return
    attributes = _written(store, events)
    if tracking is not None:
        attributes["dvc.tracking"] = f"{tracking.application_name}@{tracking.notification_id}"
    with TRACER.start_as_current_span("eventstore.record", attributes=attributes):
        yield


def current_if_sampled() -> dict[str, str]:
    """The current span's W3C context if it is recorded, else nothing."""
    if not _enabled or not trace.get_current_span().get_span_context().trace_flags.sampled:
        return {}
    return propagation.current()


@contextmanager
def recording_batch(
    store: str, events: Sequence[Any], trackings: Sequence[Any], traces: Sequence[Mapping[str, str]]
) -> Iterator[None]:
    """A span around the write of a consumed batch, when one of its events' traces is sampled:
    a child of the first such consumer span, linked to the others."""
    if not _enabled or not traces:
        yield
        return
    attributes = _written(store, events)
    attributes["dvc.tracking"] = [f"{t.application_name}@{t.notification_id}" for t in trackings]
    links = [Link(trace.get_current_span(propagation.parent(t)).get_span_context()) for t in traces[1:]]
    with TRACER.start_as_current_span(
        "eventstore.record", context=propagation.parent(traces[0]), attributes=attributes, links=links
    ):
        yield


class Publishing:
    """The relay's telemetry for one batch: a producer span per event of a sampled trace (a
    child of the context its command ran in), ended when Kafka has acknowledged the batch, and
    the count of published events."""

    def __init__(self) -> None:
        self._spans: list[Span] = []
        self._counts: Counter[tuple[str, str]] = Counter()

    def headers(
        self, topic: str, event_type: str, trace_context: Mapping[str, str]
    ) -> list[tuple[str, bytes]]:
        """Kafka headers that carry the trace on: the publish span's context, or else the
        event's own."""
        self._counts[(topic, event_type)] += 1
        if not _enabled or not sampled(trace_context):
            return propagation.to_headers(trace_context)
        span = TRACER.start_span(
            f"send {topic}",
            context=propagation.parent(trace_context),
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": topic,
                "dvc.event_type": event_type,
                "messaging.operation.type": "send",
            },
        )
        self._spans.append(span)
        return propagation.to_headers(propagation.of(trace.set_span_in_context(span)))

    def __enter__(self) -> Publishing:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if error is None:
            for (topic, event_type), count in self._counts.items():
                metrics.PUBLISHED.add(count, {"topic": topic, "event_type": event_type})
        for span in self._spans:
            if error is not None:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            span.end()


@contextmanager
def consuming(
    envelope: Envelope, topic: str, partition: int, offset: int, headers: Sequence[tuple[str, bytes]] | None
) -> Iterator[None]:
    """The consumer span for one delivered message of a sampled trace, continuing the trace it
    carries (the relay's publish span from the headers, else the command's context from the
    envelope). The dossier it is about is bound for the logs of its handling."""
    with context.scope():
        context.bind(**context.of_payload(envelope.payload))
        carrier = (propagation.from_headers(headers) if headers else None) or envelope.trace_context
        if not _enabled or not sampled(carrier):
            # Unsampled: no span; what it records continues the trace it came with (the
            # envelope's context, see `CommandMeta.system`), unrecorded.
            yield
            return
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


def failed(error: BaseException, trace_context: Mapping[str, str] | None = None) -> None:
    """Mark the current span failed (when the error is handled, so it does not propagate).

    Errors are always kept: in a trace that is not sampled, an `error` span is recorded on its
    own, in the same trace (the sampler keeps every span marked `dvc.error`)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        return
    if not _enabled:
        return
    parent = propagation.parent(trace_context) if trace_context else None
    with TRACER.start_as_current_span(
        "error", context=parent, attributes={ERROR_ATTRIBUTE: True, "error.type": type(error).__name__}
    ) as alone:
        alone.record_exception(error)
        alone.set_status(Status(StatusCode.ERROR, type(error).__name__))


@contextmanager
def continuing(
    name: str, trace_context: Mapping[str, str] | None, attributes: Mapping[str, Any] | None = None
) -> Iterator[None]:
    """A span, made current, that continues the trace `trace_context` names: for work done
    later, away from what caused it (a message sent from the outbox, seconds or a retry after
    it was queued). None when tracing is off or that trace is not sampled."""
    if not _enabled or not trace_context or not sampled(trace_context):
        yield
        return
    with TRACER.start_as_current_span(
        name, context=propagation.parent(trace_context), kind=SpanKind.PRODUCER, attributes=attributes
    ):
        yield
