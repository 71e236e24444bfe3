"""One trace follows a command: the HTTP request's span is captured in the command's meta,
the relay's publish span is its child and travels in the Kafka headers, the consumer's span
continues it, and what the consumer records carries the consumer's span onward."""

from __future__ import annotations

import json
import logging
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate, event
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from dvc_contracts import Envelope
from dvc_kernel.application import Incoming, ServiceApplication
from dvc_kernel.inbox import Inbox
from dvc_kernel.logs import JsonFormatter, stamp_records_with_context
from dvc_kernel.meta import CommandMeta, command_meta
from dvc_kernel.telemetry import Publishing, propagation, spans
from dvc_kernel.telemetry.http import HTTP_TELEMETRY, bind_route_subject
from dvc_testing import factories
from dvc_testing.traces import recorded_spans

TOPIC = "intake.dossier.v1"
CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"  # a gateway's traceparent


@pytest.fixture
def recorded() -> InMemorySpanExporter:
    return recorded_spans()


class Note(Aggregate):
    @event("Noted")
    def __init__(self, id: UUID, meta: dict[str, Any]) -> None:
        self.meta = meta


class Notes(ServiceApplication):
    """A consumer that records one note per consumed event, as processing records a case."""

    name = "notes"
    fail = False

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        if self.fail:
            raise RuntimeError("cannot apply yet")
        meta = CommandMeta.system(
            "notes", caused_by=incoming.envelope.event_id, trace_context=incoming.envelope.trace_context
        )
        processing_event.collect_events(Note(id=incoming.envelope.event_id, meta=meta.as_dict()))


def ids(span: ReadableSpan) -> tuple[int, int]:
    context = span.get_span_context()
    assert context is not None
    return context.trace_id, context.span_id


def named(recorded: InMemorySpanExporter, name: str) -> ReadableSpan:
    (span,) = [s for s in recorded.get_finished_spans() if s.name == name]
    return span


def submitted_in(trace_context: dict[str, str]) -> Envelope:
    dossier_id = uuid4()
    envelope = factories.envelope(factories.submitted(dossier_id), dossier_id)
    return envelope.model_copy(update={"trace_context": trace_context}).sealed()


def traceparent_of(span: ReadableSpan) -> str:
    context = span.get_span_context()
    assert context is not None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def test_a_command_run_in_a_request_captures_the_request_span_which_continues_the_callers_trace(
    recorded: InMemorySpanExporter,
) -> None:
    http = FastAPI(telemetry=HTTP_TELEMETRY, dependencies=[Depends(bind_route_subject)])

    @http.post("/v1/dossiers/{code}/accept")
    def accept(code: str, request: Request) -> dict[str, str]:  # sync: runs in a worker thread
        return command_meta(request, actor_id="officer-1", actor_role="officer").trace_context

    answer = TestClient(http).post("/v1/dossiers/261123-K7M3Q9-4/accept", headers={"traceparent": CALLER})

    server = named(recorded, "POST /v1/dossiers/{code}/accept")
    assert server.kind is SpanKind.SERVER
    assert format(ids(server)[0], "032x") == CALLER.split("-")[1]  # the caller's trace goes on
    assert server.parent is not None and format(server.parent.span_id, "016x") == CALLER.split("-")[2]
    assert answer.json() == {"traceparent": traceparent_of(server)}  # what the events will carry
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/v1/dossiers/{code}/accept"
    assert server.attributes["http.response.status_code"] == 200
    assert server.attributes["dvc.dossier_code"] == "261123-K7M3Q9-4"


def test_with_tracing_off_the_callers_context_is_still_captured_and_passed_on(
    recorded: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spans, "_enabled", False)
    http = FastAPI(telemetry={**HTTP_TELEMETRY, "tracing": False})  # as with no tracer provider

    @http.post("/v1/dossiers")
    def file(request: Request) -> dict[str, str]:
        return command_meta(request, actor_id="c", actor_role="citizen").trace_context

    answer = TestClient(http).post("/v1/dossiers", headers={"traceparent": CALLER})

    assert answer.json() == {"traceparent": CALLER}
    assert recorded.get_finished_spans() == ()

    envelope = submitted_in({"traceparent": CALLER})
    publishing = Publishing()
    assert publishing.headers(TOPIC, envelope.event_type, envelope.trace_context) == [
        ("traceparent", CALLER.encode())
    ]


async def test_the_relay_span_is_a_child_of_the_command_and_the_consumer_continues_from_the_headers(
    recorded: InMemorySpanExporter,
) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("POST /v1/dossiers", kind=SpanKind.SERVER):
        envelope = submitted_in(propagation.current())  # captured as the command ran
    publishing = Publishing()
    headers = publishing.headers(TOPIC, envelope.event_type, envelope.trace_context)
    with publishing:
        pass  # the batch's transaction commits here
    app = Notes(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})

    await Inbox(app).deliver_or_back_off(envelope, TOPIC, 2, 41, headers)

    command = named(recorded, "POST /v1/dossiers")
    send = named(recorded, f"send {TOPIC}")
    process = named(recorded, f"process {TOPIC}")
    stored = named(recorded, "eventstore.record")
    assert {ids(s)[0] for s in (command, send, process, stored)} == {ids(command)[0]}  # one trace
    assert send.parent is not None and send.parent.span_id == ids(command)[1]
    assert process.parent is not None and process.parent.span_id == ids(send)[1]
    assert stored.parent is not None and stored.parent.span_id == ids(process)[1]
    assert (send.kind, process.kind) == (SpanKind.PRODUCER, SpanKind.CONSUMER)
    assert dict(headers) == {"traceparent": traceparent_of(send).encode()}
    assert process.attributes is not None
    assert process.attributes["messaging.destination.partition.id"] == "2"
    assert process.attributes["messaging.kafka.offset"] == 41
    assert process.attributes["dvc.dossier_id"] == envelope.payload["dossier_id"]
    # The consumer's own events carry its span, so their relay span is the next link.
    note: Note = app.repository.get(envelope.event_id)
    assert note.meta["trace_context"] == {"traceparent": traceparent_of(process)}


async def test_without_trace_headers_the_consumer_continues_from_the_envelope(
    recorded: InMemorySpanExporter,
) -> None:
    envelope = submitted_in({"traceparent": CALLER})

    await Inbox(Notes(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})).deliver_or_back_off(
        envelope, TOPIC, 0, 0, headers=[("event_id", b"x")]
    )

    process = named(recorded, f"process {TOPIC}")
    assert process.parent is not None
    assert (format(ids(process)[0], "032x"), format(process.parent.span_id, "016x")) == tuple(
        CALLER.split("-")[1:3]
    )


async def test_a_failed_attempt_is_a_failed_span_and_its_log_names_the_trace_and_the_dossier(
    recorded: InMemorySpanExporter, caplog: pytest.LogCaptureFixture
) -> None:
    envelope = submitted_in({"traceparent": CALLER})
    app = Notes(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.fail = True
    stamp_records_with_context()

    with caplog.at_level(logging.ERROR, logger="dvc_kernel.inbox"), pytest.raises(RuntimeError):
        await Inbox(app).deliver_or_back_off(envelope, TOPIC, 0, 7)

    process = named(recorded, f"process {TOPIC}")
    assert process.status.status_code is StatusCode.ERROR
    (record,) = caplog.records
    logged = json.loads(JsonFormatter().format(record))
    assert logged["message"].startswith("cannot apply Submitted")
    assert logged["trace_id"] == CALLER.split("-")[1]
    assert logged["span_id"] == format(ids(process)[1], "016x")
    assert logged["dossier_id"] == envelope.payload["dossier_id"]
    assert logged["dossier_code"] == "261123-K7M3Q9-4"


def test_system_work_outside_any_span_keeps_the_context_it_was_given() -> None:
    meta = CommandMeta.system("processing", trace_context={"traceparent": CALLER})
    assert meta.trace_context == {"traceparent": CALLER}


def test_trace_fields_travel_in_kafka_headers_and_nothing_else_does() -> None:
    fields = {"traceparent": CALLER, "tracestate": "vendor=1"}
    headers = propagation.to_headers({**fields, "baggage": "user=1"})
    assert headers == [("traceparent", CALLER.encode()), ("tracestate", b"vendor=1")]
    assert propagation.from_headers([*headers, ("event_id", b"e1")]) == fields
