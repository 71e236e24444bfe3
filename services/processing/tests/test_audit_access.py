"""Staff reads are recorded as DossierViewed events; the auditors' notification log shows the
store with the envelopes exactly as the relay publishes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eventsourcing.persistence import Tracking
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_contracts import Envelope
from dvc_contracts.integrity import verify
from dvc_contracts.topics import PROCESSING_ACCESS
from dvc_kernel import audit_log
from dvc_kernel.application import Incoming
from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.clock import FixedClock
from dvc_kernel.envelopes import HashChain
from dvc_kernel.errors import install_error_handlers
from dvc_processing.api import officer, tracking
from dvc_processing.application import ProcessingApplication
from dvc_processing.audit.access import with_access
from dvc_processing.projections.board import Board
from dvc_processing.projections.timelines import history_of
from dvc_processing.translation import translate
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted
from dvc_testing.tokens import TestTokens

UNIT = "CAX-00004"
SUBMITTED_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TOKENS = TestTokens()
OWNER = "citizen-account-1"


def world(with_officer_actions: bool = False) -> tuple[ProcessingApplication, TestClient, str]:
    app = ProcessingApplication(
        clock=FixedClock(SUBMITTED_AT + timedelta(minutes=5)), catalog=factories.catalog_replica()
    )
    http = FastAPI()
    install_error_handlers(http)
    install_auth(http, TOKENS.verifier())
    http.include_router(tracking.router(app, Board(app)))
    if with_officer_actions:
        http.include_router(officer.router(app))
    http.include_router(audit_log.router(app, with_access(translate), "processing"))
    payload = new_submitted(unit_code=UNIT, owner_account=OWNER, submitted_at=SUBMITTED_AT)
    app.process_incoming(
        Incoming(factories.envelope(payload, payload.dossier_id), payload), Tracking("intake.dossier.v1:0", 1)
    )
    return app, TestClient(http), payload.dossier_code


def test_staff_reads_are_recorded_and_citizens_reads_are_not() -> None:
    _, client, code = world()
    assert (
        client.get(f"/v1/dossiers/{code}", headers=TOKENS.headers("citizen", subject=OWNER)).status_code
        == 200
    )
    for role, units, subject in (("officer", [UNIT], "officer-1"), ("auditor", [], "auditor-1")):
        answer = client.get(f"/v1/dossiers/{code}", headers=TOKENS.headers(role, units, subject=subject))
        assert answer.status_code == 200
    # An officer of another unit is refused and leaves no trace of reading anything.
    assert (
        client.get(f"/v1/dossiers/{code}", headers=TOKENS.headers("officer", ["CAX-99999"])).status_code
        == 404
    )

    page = client.get("/v1/audit/notifications", headers=TOKENS.headers("auditor")).json()
    viewed = [
        Envelope.model_validate(i["envelope"])
        for i in page["items"]
        if i["public_topic"] == PROCESSING_ACCESS.name
    ]
    assert [(e.payload["viewer_id"], e.payload["viewer_role"]) for e in viewed] == [
        ("officer-1", "officer"),
        ("auditor-1", "auditor"),
    ]
    assert viewed[0].payload["dossier_unit"] == UNIT and viewed[0].actor.unit == UNIT
    assert viewed[0].subject == viewed[0].payload["dossier_id"]
    assert verify(viewed) == []


def test_the_dossier_an_officer_command_returns_is_a_recorded_read() -> None:
    _, client, code = world(with_officer_actions=True)
    answer = client.post(
        f"/v1/dossiers/{code}/accept", headers=TOKENS.headers("officer", [UNIT], subject="officer-1")
    )
    assert answer.status_code == 200 and answer.json()["dossier_code"] == code
    page = client.get("/v1/audit/notifications", headers=TOKENS.headers("auditor")).json()
    viewed = [i["envelope"]["payload"] for i in page["items"] if i["public_topic"] == PROCESSING_ACCESS.name]
    assert [(v["viewer_id"], v["dossier_code"]) for v in viewed] == [("officer-1", code)]


def test_the_notification_log_is_for_auditors_and_pages_like_the_relay_publishes() -> None:
    app, client, code = world()
    client.get(f"/v1/dossiers/{code}", headers=TOKENS.headers("officer", [UNIT]))
    for role in ("officer", "supervisor", "citizen", "operator"):
        assert client.get("/v1/audit/notifications", headers=TOKENS.headers(role, [UNIT])).status_code == 403
    items = []
    after = 0
    while True:  # one item per page: each page rebuilds the chain it needs from the store
        page = client.get(
            f"/v1/audit/notifications?after={after}&limit=1", headers=TOKENS.headers("auditor")
        ).json()
        if not page["items"]:
            break
        items += page["items"]
        after = page["next_after"]
    assert [i["id"] for i in items] == list(range(1, page["max_id"] + 1))
    relay_chain = HashChain(with_access(translate), "processing", history_of(app))
    for item, notification in zip(items, app.recorder.select_notifications(1, 100), strict=True):
        event = app.mapper.to_domain_event(notification)
        out = with_access(translate)(event)
        expected = relay_chain.envelope(event, out).model_dump(mode="json") if out else None
        assert item["envelope"] == expected
