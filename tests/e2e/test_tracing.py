"""End to end: one submitted dossier is one trace across intake, identity (the registry check,
over HTTP), processing and notify, down to the SMS sent from notify's outbox; a login's OTP is
one trace from identity to notify.

The services run as processes with the default exporter (JSON lines under the data
directory); the trace is read back from their files, as a developer would read it.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from dvc_kernel.telemetry.files import read_spans
from dvc_testing.e2e import (
    MINH,
    MINH_WARD,
    PASSWORD,
    Person,
    file_temporary_residence,
    register_citizen,
    wait_sms,
)
from dvc_testing.e2e_fixtures import module_stack
from dvc_testing.stack import SERVICES, Stack

pytestmark = pytest.mark.e2e

UNIT = "CAX-26743"
# A demo resident of the registry seed: Minh files for her, so intake asks identity's registry
# (his own data would be vouched for by the stamp in his token, with no call; ADR 0018).
MAI = Person("048185000777", "Lê Thị Mai", "0935111222", "1985-11-02")
Span = dict[str, Any]


stack = module_stack(18800, "tracing", OTEL_TRACES_EXPORTER="file", OTEL_BSP_SCHEDULE_DELAY="200")


@pytest.fixture(scope="module")
def dossier(stack: Stack) -> dict[str, Any]:
    """Minh files a temporary-residence dossier for Mai; it is received and she gets the SMS."""
    token = register_citizen(stack, MINH, PASSWORD)
    answer = file_temporary_residence(stack, token, MAI, MINH_WARD, "tracing-0001")
    assert answer.status_code == 201, answer.text
    filed: dict[str, Any] = answer.json()
    wait_sms(stack, MAI.phone, f"{filed['dossier_code']} đã được tiếp nhận")
    return filed


def spans_of(stack: Stack, service: str) -> list[Span]:
    return read_spans([stack.data_dir / "traces" / f"{service}.jsonl"])


def one(spans: list[Span], **match: Any) -> Span:
    found = [s for s in spans if all(s.get(k) == v or s["attributes"].get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{match}: {found}"
    return found[0]


def dossier_trace(stack: Stack, code: str, timeout: float = 30) -> dict[str, list[Span]]:
    """Every span of the trace in which processing received dossier `code`, by service, once
    notify's part of it is written and every span's parent is (spans are exported in batches,
    a child may be written before its parent). Payment, delivery and intake itself consume
    the same events, so their spans are in it too."""
    deadline = time.monotonic() + timeout
    while True:
        received = [
            s
            for s in spans_of(stack, "processing")
            if s["name"] == "process intake.dossier.v1" and s["attributes"].get("dvc.dossier_code") == code
        ]
        if received:
            trace_id = received[0]["trace_id"]
            spans = {
                name: [s for s in spans_of(stack, name) if s["trace_id"] == trace_id] for name in SERVICES
            }
            every = [s for found in spans.values() for s in found]
            ids = {s["span_id"] for s in every}
            told = any(s["name"] == "process processing.dossier.v1" for s in spans["notify"])
            told = told and any(s["name"] == "send sms" for s in spans["notify"])
            if told and all(s["parent_span_id"] in ids for s in every if s["parent_span_id"]):
                return spans
        if time.monotonic() > deadline:
            raise AssertionError(f"no complete trace of {code} in {stack.data_dir / 'traces'}")
        time.sleep(0.3)


def test_one_submitted_dossier_is_one_trace_from_the_request_to_the_sms(
    stack: Stack, dossier: dict[str, Any]
) -> None:
    trace = dossier_trace(stack, dossier["dossier_code"])
    intake, processing, notify = trace["intake"], trace["processing"], trace["notify"]

    # intake: the citizen's request, the write to its store, the event published
    request = one(intake, name="POST /v1/dossiers")
    assert request["parent_span_id"] is None and request["kind"] == "server"
    assert request["attributes"]["http.response.status_code"] == 201

    # intake → identity: the applicant checked against the population registry, over HTTP
    asking = one(intake, name="POST identity")
    assert asking["parent_span_id"] == request["span_id"] and asking["kind"] == "client"
    checked = one(trace["identity"], name="POST /v1/registry/match")
    assert checked["parent_span_id"] == asking["span_id"] and checked["kind"] == "server"
    stored = one(intake, name="eventstore.record", parent_span_id=request["span_id"])
    assert "Dossier.Submitted" in stored["attributes"]["dvc.event_types"]
    submitted = one(intake, name="send intake.dossier.v1", **{"dvc.event_type": "Submitted"})
    assert submitted["parent_span_id"] == request["span_id"]  # captured as the command ran
    assert submitted["kind"] == "producer"

    # processing: receives it from Kafka, records the case, publishes Received
    # (an attempt that failed, to be retried, would be a span of its own, with status "error")
    receiving = one(
        processing, name="process intake.dossier.v1", status="unset", **{"dvc.event_type": "Submitted"}
    )
    assert receiving["parent_span_id"] == submitted["span_id"]
    assert receiving["kind"] == "consumer"
    assert receiving["attributes"]["dvc.dossier_id"] == dossier["dossier_id"]
    # (a fee assessed before the dossier reached processing is applied right after, in a write
    # of its own under the same span)
    writes = [
        s
        for s in processing
        if s["name"] == "eventstore.record" and s["parent_span_id"] == receiving["span_id"]
    ]
    assert "Case.Received" in writes[0]["attributes"]["dvc.event_types"]
    received = one(processing, name="send processing.dossier.v1", **{"dvc.event_type": "Received"})
    assert received["parent_span_id"] == receiving["span_id"]

    # notify: hears of the reception and records the SMS to send
    telling = one(
        notify, name="process processing.dossier.v1", status="unset", **{"dvc.event_type": "Received"}
    )
    assert telling["parent_span_id"] == received["span_id"]
    assert any(s["name"] == "eventstore.record" and s["parent_span_id"] == telling["span_id"] for s in notify)

    # the SMS, sent later from notify's outbox, still in the trace: under the consumer span that
    # queued it (the reception's, or the submission's if that reached notify second)
    consumed = {s["span_id"] for s in notify if s["kind"] == "consumer"}
    sends = [s for s in notify if s["name"] == "send sms"]
    assert sends and all(s["parent_span_id"] in consumed and s["kind"] == "producer" for s in sends)
    assert {s["attributes"]["dvc.dossier_code"] for s in sends} == {dossier["dossier_code"]}

    # one tree: every span's parent is in the trace, and only the request has none
    every = [s for spans in trace.values() for s in spans]
    ids = {s["span_id"] for s in every}
    assert [s for s in every if s["parent_span_id"] is None] == [request]
    assert all(s["parent_span_id"] in ids for s in every if s is not request)
    assert {s["service"] for s in every} >= {"intake", "identity", "processing", "notify"}


def test_a_login_code_is_one_trace_from_identity_to_notify(stack: Stack, dossier: dict[str, Any]) -> None:
    """Identity asks notify to text the OTP: notify's request span continues identity's call."""
    deadline = time.monotonic() + 30
    while True:
        identity, notify = spans_of(stack, "identity"), spans_of(stack, "notify")
        calls = [s for s in identity if s["name"] == "POST notify"]
        served = {s["parent_span_id"]: s for s in notify if s["name"] == "POST /v1/internal/otp"}
        if calls and all(c["span_id"] in served for c in calls):
            break
        assert time.monotonic() < deadline, f"OTP calls {calls} not all served in {list(served.values())}"
        time.sleep(0.3)
    for call in calls:
        login = next(s for s in identity if s["span_id"] == call["parent_span_id"])
        assert login["kind"] == "server" and login["name"].startswith("POST /v1/")
        otp = served[call["span_id"]]
        assert otp["trace_id"] == call["trace_id"] == login["trace_id"] and otp["kind"] == "server"


def metrics(stack: Stack, service: str) -> dict[str, float]:
    answer = httpx.get(f"{stack.url(service)}/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in answer.text.splitlines()
        if line and not line.startswith("#")
    }


def value(found: dict[str, float], name: str, **labels: str) -> float | None:
    """The sample of `name` whose labels include `labels` (None if there is none)."""
    wanted = [f'{k}="{v}"' for k, v in labels.items()]
    hits = [v for k, v in found.items() if k.split("{")[0] == name and all(w in k for w in wanted)]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def eventually(check: Any, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_metrics_report_latency_events_processed_lag_backlog_and_deadlines(
    stack: Stack, dossier: dict[str, Any]
) -> None:
    intake = metrics(stack, "intake")
    filed = value(
        intake,
        "http_server_request_duration_seconds_count",
        http_route="/v1/dossiers",
        http_request_method="POST",
        http_response_status_code="201",
    )
    assert filed is not None and filed >= 1
    assert value(intake, "dvc_events_published_total", event_type="Submitted") == 1

    def processing_caught_up() -> None:
        found = metrics(stack, "processing")
        processed = value(found, "dvc_events_processed_total", event_type="Submitted", outcome="applied")
        assert processed == 1
        # How long after intake wrote it the dossier showed in processing's views (issue 16)
        shown = value(found, "dvc_view_lag_seconds_count", topic="intake.dossier.v1")
        assert shown is not None and shown >= 1
        lags = [v for k, v in found.items() if k.startswith("dvc_consumer_lag{")]
        assert lags and set(lags) == {0}, lags  # every assigned partition caught up
        assert value(found, "dvc_relay_backlog", producer="processing") == 0
        # Minh's dossier is open at his ward's police, due in days: neither due soon nor late
        assert value(found, "dvc_dossiers_due_soon", unit=UNIT) == 0
        assert value(found, "dvc_dossiers_overdue", unit=UNIT) == 0

    eventually(processing_caught_up)
    notify = metrics(stack, "notify")
    assert value(notify, "dvc_events_processed_total", event_type="Received", outcome="applied") == 1
