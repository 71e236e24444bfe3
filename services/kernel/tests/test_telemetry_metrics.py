"""Metrics a scraper reads from `GET /metrics` in the Prometheus text format: HTTP latency
by route template and status, events processed by type and outcome, the relay's backlog."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar
from uuid import UUID, uuid4

from eventsourcing.application import ProcessingEvent
from fastapi import APIRouter
from fastapi.testclient import TestClient
from opentelemetry.metrics import Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from dvc_kernel.application import Incoming, ServiceApplication
from dvc_kernel.service import create_http_app, make_runtime
from dvc_kernel.settings import ServiceSettings
from dvc_kernel.telemetry import TelemetryConfig, configure
from dvc_kernel.telemetry.metrics import render
from dvc_testing import factories
from dvc_testing.tokens import TestTokens


def test_counters_gauges_and_histograms_render_as_prometheus_text() -> None:
    reader = InMemoryMetricReader()
    meter = MeterProvider(metric_readers=[reader]).get_meter("test")
    processed = meter.create_counter("dvc.events.processed", unit="{event}", description="Events.")
    latency = meter.create_histogram(
        "http.server.request.duration", unit="s", explicit_bucket_boundaries_advisory=[0.1, 1.0]
    )
    meter.create_observable_gauge(
        "dvc.relay.backlog", callbacks=[lambda _: [Observation(3, {"producer": "intake"})]]
    )
    processed.add(2, {"event_type": "Submitted", "note": 'a "quoted"\nvalue'})
    latency.record(0.05, {"http.route": "/v1/dossiers"})
    latency.record(0.5, {"http.route": "/v1/dossiers"})

    text = render(reader.get_metrics_data())

    assert text.splitlines() == [
        "# HELP dvc_events_processed Events.",
        "# TYPE dvc_events_processed counter",
        'dvc_events_processed_total{event_type="Submitted",note="a \\"quoted\\"\\nvalue"} 2',
        "# HELP http_server_request_duration_seconds ",
        "# TYPE http_server_request_duration_seconds histogram",
        'http_server_request_duration_seconds_bucket{http_route="/v1/dossiers",le="0.1"} 1',
        'http_server_request_duration_seconds_bucket{http_route="/v1/dossiers",le="1"} 2',
        'http_server_request_duration_seconds_bucket{http_route="/v1/dossiers",le="+Inf"} 2',
        'http_server_request_duration_seconds_sum{http_route="/v1/dossiers"} 0.55',
        'http_server_request_duration_seconds_count{http_route="/v1/dossiers"} 2',
        "# HELP dvc_relay_backlog ",
        "# TYPE dvc_relay_backlog gauge",
        'dvc_relay_backlog{producer="intake"} 3',
    ]


class NotesSettings(ServiceSettings):
    service_name: ClassVar[str] = "notes"
    default_port: ClassVar[int] = 18899


class Notes(ServiceApplication):
    name = "notes"

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        self.store_id()  # a first write: the store names itself, an event not yet relayed


def samples(text: str, name: str) -> dict[str, float]:
    return {
        line.split(" ")[0]: float(line.split(" ")[1])
        for line in text.splitlines()
        if line.startswith(name) and not line.startswith("#")
    }


async def test_a_service_reports_request_latency_events_processed_and_relay_backlog(tmp_path: Path) -> None:
    configure(TelemetryConfig("notes", traces=(), metrics=("prometheus",)))  # as a process does
    settings = NotesSettings(data_dir=tmp_path)
    app = Notes(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    runtime = make_runtime(settings, app, translate=lambda event: None, produces=[])
    router = APIRouter()

    @router.get("/v1/notes/{code}")
    def note(code: str) -> dict[str, str]:
        return {"code": code}

    http = create_http_app(runtime, router, title="Notes", verifier=TestTokens().verifier())
    payload = factories.submitted(uuid4())
    await runtime.inbox.deliver_or_back_off(factories.envelope(payload, payload.dossier_id), "t.v1", 0, 0)
    client = TestClient(http)
    for code in ("A-1", "B-2"):
        assert client.get(f"/v1/notes/{code}").status_code == 200
    assert client.get("/v1/notes/x/y").status_code == 404

    answer = client.get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    latency = samples(answer.text, "http_server_request_duration_seconds_count")
    (ok,) = [v for k, v in latency.items() if 'http_route="/v1/notes/{code}"' in k and '="200"' in k]
    assert ok == 2  # both requests under one route template, not one series per code
    assert not [k for k in latency if "A-1" in k or "/metrics" in k or "/v1/notes/x" in k]
    processed = samples(answer.text, "dvc_events_processed_total")
    assert processed == {
        'dvc_events_processed_total{event_type="Submitted",outcome="applied",topic="t.v1"}': 1
    }
    backlog = samples(answer.text, "dvc_relay_backlog")  # other tests' applications may report too
    assert backlog['dvc_relay_backlog{producer="notes"}'] == 1
    app.close()
