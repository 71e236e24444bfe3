"""HTTP: a host notifies lodging at any hour; the commune police of the ward receive it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking
from fastapi.testclient import TestClient

from dvc_contracts.lodging import GuestAssessment, LodgingNoticeFiled, LodgingNoticeReceived
from dvc_intake.translation import translate
from dvc_kernel.application import Incoming
from dvc_kernel.clock import FixedClock
from dvc_testing import factories
from dvc_testing.tokens import TestTokens

from .conftest import SeededRegistry, intake_of, with_key


def notice(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "establishment": "Khách sạn Hồ Gươm",
        "ward_code": "00070",
        "address": "12 phố Hàng Trống",
        "guests": [
            {
                "id_number": "079090001234",
                "full_name": "Trần Văn Minh",
                "date_of_birth": "1990-08-21",
                "arrived_at": "2026-11-23T23:40:00+07:00",
                "stay_from": "2026-11-23",
                "stay_until": "2026-11-25",
            }
        ],
    }
    body.update(changes)
    return body


def test_a_notice_filed_after_midnight_is_received_with_a_code(
    http: TestClient, tokens: TestTokens, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 11, 23, 17, 55, tzinfo=UTC))  # 00:55 in Hà Nội: still received
    host = with_key(tokens.headers("organisation", subject="org-ho-guom"), "lodging-0001")
    answer = http.post("/v1/lodging-notices", json=notice(), headers=host)
    assert answer.status_code == 201, answer.text
    filed = answer.json()
    assert filed["unit_code"] == "CAX-00070"
    assert filed["notice_code"].startswith("261124-")
    assert (
        http.post("/v1/lodging-notices", json=notice(), headers=host).json()["notice_id"]
        == filed["notice_id"]
    )

    (stored,) = intake_of(http).events.get(UUID(filed["notice_id"]))
    out = translate(stored)
    assert out is not None and isinstance(out.payload, LodgingNoticeFiled)
    assert out.topic == "intake.lodging.v1"
    assert out.payload.guests[0].arrived_at == datetime(2026, 11, 23, 16, 40, tzinfo=UTC)
    assert out.payload.host_account == "org-ho-guom"


def test_guests_problems_are_listed_together(http: TestClient, tokens: TestTokens) -> None:
    guest = notice()["guests"][0]
    twin = {**guest, "stay_until": "2026-11-20", "date_of_birth": None}
    answer = http.post(
        "/v1/lodging-notices",
        json=notice(guests=[guest, twin]),
        headers=with_key(tokens.headers("citizen"), "lodging-0002"),
    )
    assert answer.status_code == 422
    problems = answer.json()["details"]["guests"]
    assert {(p["guest"], p["field"]) for p in problems} == {
        (0, "id_number"),
        (1, "id_number"),
        (1, "stay_until"),
        (1, "date_of_birth"),  # Law 118/2025: required from 01/07/2026
    }


def test_an_arrival_without_its_offset_is_refused(http: TestClient, tokens: TestTokens) -> None:
    guest = {**notice()["guests"][0], "arrived_at": "2026-11-23T23:40:00"}
    answer = http.post(
        "/v1/lodging-notices",
        json=notice(guests=[guest]),
        headers=with_key(tokens.headers("citizen"), "lodging-03"),
    )
    assert answer.status_code == 422


@pytest.mark.parametrize(
    "arrived_at", ["9999-12-31T23:00:00+07:00", "0001-01-01T00:30:00+07:00", "2024-01-01T09:00:00+07:00"]
)
def test_an_arrival_centuries_or_years_away_is_refused_before_it_is_filed(
    http: TestClient, tokens: TestTokens, arrived_at: str
) -> None:
    """Year 9999 (or 1) was accepted and then stalled processing's consumer (issue 14)."""
    guest = {**notice()["guests"][0], "arrived_at": arrived_at}
    answer = http.post(
        "/v1/lodging-notices",
        json=notice(guests=[guest]),
        headers=with_key(tokens.headers("citizen"), f"lodging-far-{arrived_at[:4]}"),
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_guests"
    [problem] = body["details"]["guests"]
    assert problem["field"] == "arrived_at"
    assert "thời điểm đến phải trong khoảng" in problem["message"]


def test_notices_are_the_hosts_own(http: TestClient, tokens: TestTokens) -> None:
    host = tokens.headers("citizen", subject="host-1")
    filed = http.post("/v1/lodging-notices", json=notice(), headers=with_key(host, "lodging-04")).json()
    assert [n["notice_id"] for n in http.get("/v1/lodging-notices", headers=host).json()] == [
        filed["notice_id"]
    ]
    other = tokens.headers("citizen", subject="host-2")
    assert http.get(f"/v1/lodging-notices/{filed['notice_id']}", headers=other).status_code == 404
    assert (
        http.post(
            "/v1/lodging-notices", json=notice(ward_code="99999"), headers=with_key(host, "lodging-05")
        ).status_code
        == 422
    )
    officer = tokens.headers("officer", units=["CAX-00070"])
    assert (
        http.post("/v1/lodging-notices", json=notice(), headers=with_key(officer, "lodging-06")).status_code
        == 403
    )


def test_a_hosts_history_does_not_make_its_next_notice_read_more(
    http: TestClient, tokens: TestTokens, clock: FixedClock
) -> None:
    """A hotel files hundreds of notices a day: filing one reads the same from the store
    whether the host filed three before or sixty (ADR 0018: no aggregate grows with them)."""
    clock.set(datetime(2026, 11, 23, 17, 55, tzinfo=UTC))
    host = tokens.headers("organisation", subject="org-hang-trong")
    store = intake_of(http).recorder
    select = store.select_events
    reads: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        found = select(*args, **kwargs)
        reads[-1] += len(found)
        return found

    store.select_events = counted  # type: ignore[method-assign]
    for n in range(60):
        reads.append(0)
        answer = http.post(
            "/v1/lodging-notices", json=notice(), headers=with_key(host, f"hang-trong-{n:04d}")
        )
        assert answer.status_code == 201, answer.text

    assert reads[3] == reads[59]
    assert len(http.get("/v1/lodging-notices", headers=host).json()) == 60


def test_guests_are_checked_against_the_population_registry_as_applicants_are(
    http: TestClient, tokens: TestTokens, registry: SeededRegistry
) -> None:
    host = tokens.headers("organisation", subject="org-registry")
    minh = notice()["guests"][0]
    unknown = {**minh, "id_number": "079090009999"}  # not in the registry
    body = notice(guests=[minh, unknown])
    refused = http.post("/v1/lodging-notices", json=body, headers=with_key(host, "reg-0001"))
    assert refused.status_code == 422 and refused.json()["code"] == "guest_registry_mismatch"
    (problem,) = refused.json()["details"]["guests"]
    assert problem["guest"] == 1 and "Khách thứ 2" in problem["message"]
    assert [p.id_number for p in registry.asked] == ["079090001234", "079090009999"]


def test_the_host_reads_each_guests_verdict_once_the_police_received_it(
    http: TestClient, tokens: TestTokens, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 11, 23, 17, 55, tzinfo=UTC))  # 00:55: the 23:40 arrival was due by 08:00
    host = tokens.headers("organisation", subject="org-verdicts")
    filed = http.post("/v1/lodging-notices", json=notice(), headers=with_key(host, "verdict-0001")).json()
    assert filed["verdicts"] is None
    received = LodgingNoticeReceived(
        notice_id=UUID(filed["notice_id"]),
        notice_code=filed["notice_code"],
        unit_code=filed["unit_code"],
        received_at=datetime(2026, 11, 23, 17, 55, tzinfo=UTC),
        guests=[
            GuestAssessment(
                id_number="079090001234",
                arrived_at=datetime(2026, 11, 23, 16, 40, tzinfo=UTC),
                due_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
                on_time=True,
            )
        ],
    )
    envelope = factories.envelope(received, received.notice_id, producer="processing")
    application = intake_of(http)
    assert application.process_incoming(Incoming(envelope, received), Tracking("processing.lodging.v1:0", 1))
    assert not application.process_incoming(
        Incoming(envelope, received), Tracking("processing.lodging.v1:0", 1)
    )
    shown = http.get(f"/v1/lodging-notices/{filed['notice_id']}", headers=host).json()
    (verdict,) = shown["verdicts"]
    assert verdict["on_time"] is True and verdict["due_at"] == "2026-11-24T01:00:00Z"
    assert shown["received_at"] == "2026-11-23T17:55:00Z"
    (listed,) = http.get("/v1/lodging-notices", headers=host).json()
    assert listed["verdicts"] == shown["verdicts"]
