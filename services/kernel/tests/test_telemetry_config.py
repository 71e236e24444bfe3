"""Where traces and metrics go is configuration: a readable file by default, OTLP when an
endpoint is set, nothing when turned off, and a clear error for what cannot be done."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind

from dvc_kernel.telemetry import TelemetryConfig, TelemetryConfigError
from dvc_kernel.telemetry.config import tracer_provider
from dvc_kernel.telemetry.files import JsonLinesSpanExporter, read_spans

DATA_DIR = Path("/var/lib/dvc")


def config(env: dict[str, str], data_dir: Path = DATA_DIR, instance: str = "0") -> TelemetryConfig:
    return TelemetryConfig.from_env("intake", data_dir, instance, env=env)


def test_by_default_spans_go_to_a_json_lines_file_per_service_under_the_data_dir() -> None:
    chosen = config({})
    assert chosen.traces == ("file",)
    assert chosen.traces_file == Path("/var/lib/dvc/traces/intake.jsonl")
    assert chosen.metrics == ("prometheus",)


def test_a_second_instance_of_a_service_writes_its_own_file() -> None:
    assert config({}, instance="2").traces_file == Path("/var/lib/dvc/traces/intake-2.jsonl")


def test_an_otlp_endpoint_sends_spans_over_otlp() -> None:
    assert config({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}).traces == ("otlp",)


def test_the_exporters_can_be_named_and_combined() -> None:
    assert config({"OTEL_TRACES_EXPORTER": "otlp, file"}).traces == ("otlp", "file")
    assert config({"OTEL_TRACES_EXPORTER": "console"}).traces == ("console",)
    assert config({"OTEL_METRICS_EXPORTER": "otlp,prometheus"}).metrics == ("otlp", "prometheus")


def test_none_turns_tracing_off_and_no_tracer_provider_is_installed() -> None:
    chosen = config({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"})
    assert chosen.traces == ()
    assert tracer_provider(chosen) is None


def test_the_sdk_can_be_disabled_entirely() -> None:
    chosen = config({"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "file"})
    assert (chosen.traces, chosen.metrics) == ((), ())


def test_an_unknown_exporter_is_a_clear_error() -> None:
    with pytest.raises(TelemetryConfigError, match="OTEL_TRACES_EXPORTER: unknown \\['jaeger'\\]"):
        config({"OTEL_TRACES_EXPORTER": "jaeger"})


def test_otlp_over_grpc_is_refused_because_only_http_is_installed() -> None:
    with pytest.raises(TelemetryConfigError, match="http/protobuf"):
        config({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})


def test_the_file_holds_one_json_object_per_span_with_its_trace_and_parent(tmp_path: Path) -> None:
    chosen = config({"DVC_TRACES_SAMPLE_RATIO": "1"}, data_dir=tmp_path)
    provider = tracer_provider(chosen)
    assert provider is not None
    tracer = provider.get_tracer("test")
    with (
        tracer.start_as_current_span("POST /v1/dossiers", kind=SpanKind.SERVER) as outer,
        tracer.start_as_current_span("eventstore.record", attributes={"dvc.events": 2}),
    ):
        pass
    provider.shutdown()

    inner_record, outer_record = read_spans([tmp_path / "traces" / "intake.jsonl"])
    trace_id = format(outer.get_span_context().trace_id, "032x")
    assert outer_record["trace_id"] == inner_record["trace_id"] == trace_id
    assert outer_record["parent_span_id"] is None
    assert inner_record["parent_span_id"] == outer_record["span_id"]
    assert outer_record["kind"] == "server"
    assert outer_record["service"] == "intake"
    assert inner_record["attributes"] == {"dvc.events": 2}
    assert inner_record["duration_ms"] >= 0


def test_the_file_is_rotated_once_it_is_too_big(tmp_path: Path) -> None:
    path = tmp_path / "intake.jsonl"
    path.write_text("x" * 100)
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(path, max_bytes=50)))
    provider.get_tracer("test").start_span("one").end()

    assert (tmp_path / "intake.jsonl.1").read_text() == "x" * 100
    assert [s["name"] for s in read_spans([path])] == ["one"]


class Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, ExportTraceServiceRequest]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, ExportTraceServiceRequest.FromString(body)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        Collector.received.clear()


def test_spans_reach_the_otlp_endpoint_set_in_the_environment(
    collector: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector)
    provider = tracer_provider(
        config({"OTEL_EXPORTER_OTLP_ENDPOINT": collector, "DVC_TRACES_SAMPLE_RATIO": "1"})
    )
    assert provider is not None
    provider.get_tracer("test").start_span("send intake.dossier.v1", kind=SpanKind.PRODUCER).end()
    provider.shutdown()

    ((path, request),) = Collector.received
    assert path == "/v1/traces"
    (resource_spans,) = request.resource_spans
    service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
    assert service == "intake"
    assert [s.name for s in resource_spans.scope_spans[0].spans] == ["send intake.dossier.v1"]


def test_new_traces_are_sampled_at_the_configured_ratio_and_children_follow_their_parent() -> None:
    assert config({}).sample_ratio == 0.01
    provider = tracer_provider(config({"DVC_TRACES_SAMPLE_RATIO": "0.25"}))
    assert provider is not None
    tracer = provider.get_tracer("test")
    roots = [tracer.start_span("root") for _ in range(4000)]
    kept = [r for r in roots if r.get_span_context().trace_flags.sampled]
    assert 800 < len(kept) < 1200
    for root in roots[:50]:
        child = tracer.start_span("child", context=trace.set_span_in_context(root))
        assert child.get_span_context().trace_flags.sampled == root.get_span_context().trace_flags.sampled


def test_an_error_is_kept_even_in_a_trace_that_is_not_sampled() -> None:
    provider = tracer_provider(config({"DVC_TRACES_SAMPLE_RATIO": "0"}))
    assert provider is not None
    tracer = provider.get_tracer("test")
    root = tracer.start_span("root")
    assert not root.get_span_context().trace_flags.sampled
    error = tracer.start_span(
        "error", context=trace.set_span_in_context(root), attributes={"dvc.error": True}
    )
    assert error.get_span_context().trace_flags.sampled
    assert error.get_span_context().trace_id == root.get_span_context().trace_id


def test_a_sample_ratio_outside_0_to_1_is_refused() -> None:
    with pytest.raises(TelemetryConfigError):
        config({"DVC_TRACES_SAMPLE_RATIO": "2"})
    with pytest.raises(TelemetryConfigError):
        config({"DVC_TRACES_SAMPLE_RATIO": "lots"})
