"""Officer tools follow `GET /v1/stream`: Server-Sent Events framed by FastAPI, resumable with
`Last-Event-ID`, and listed in the OpenAPI document as an event stream."""

from __future__ import annotations

import json
from uuid import uuid4

from eventsourcing.persistence import Tracking
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_kernel.application import Incoming
from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.clock import FixedClock
from dvc_processing.api import stream
from dvc_processing.application import ProcessingApplication
from dvc_processing.projections.board import Board
from dvc_processing.translation import translate
from dvc_testing import factories
from dvc_testing.tokens import TestTokens

UNIT = "CAX-00004"
TOKENS = TestTokens()


def service() -> tuple[FastAPI, str]:
    """Processing with one dossier received by UNIT; its code."""
    app = ProcessingApplication(clock=FixedClock(factories.SUBMITTED_AT), catalog=factories.catalog_replica())
    dossier_id, code = uuid4(), "261123-K7M3Q9-4"
    payload = factories.submitted(dossier_id, dossier_code=code, unit_code=UNIT)
    app.process_incoming(Incoming(factories.envelope(payload, dossier_id), payload), Tracking("intake:0", 1))
    http = FastAPI()
    install_auth(http, TOKENS.verifier())
    http.include_router(stream.router(app, Board(app), translate))
    return http, code


def test_a_resumed_stream_sends_what_was_stored_as_sse_frames() -> None:
    http, code = service()
    headers = {**TOKENS.headers("officer", (UNIT,), subject="officer-1"), "Last-Event-ID": "0"}
    with TestClient(http) as client, client.stream("GET", "/v1/stream", headers=headers) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        assert answer.headers["cache-control"] == "no-cache"
        frame: list[str] = []
        lines = answer.iter_lines()
        assert [next(lines), next(lines), next(lines)] == [": connected", "retry: 1000", ""]
        for line in lines:
            if line == "":
                break
            frame.append(line)
    fields = dict(line.split(": ", 1) for line in frame)
    assert fields["event"] == "Received" and fields["id"].isdigit()
    envelope = json.loads(fields["data"])  # the envelope as on the topic, not encoded twice
    assert envelope["event_type"] == "Received" and envelope["payload"]["dossier_code"] == code


def test_the_stream_is_listed_in_the_openapi_document_as_server_sent_events() -> None:
    http, _ = service()
    answer = http.openapi()["paths"]["/v1/stream"]["get"]["responses"]["200"]
    assert "text/event-stream" in answer["content"]
