"""The deadline and lodging endpoints answer as the law counts, and refuse unclear input."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_kernel.errors import install_error_handlers
from dvc_processing.api import deadlines
from dvc_testing import factories


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(deadlines.router(factories.catalog_replica()))
    return TestClient(app)


def test_a_temporary_residence_dossier_filed_before_the_april_holidays(client: TestClient) -> None:
    # 3 working days (Law on Residence Art. 28) from Tuesday 29/04/2025: 30/4 and 1/5 are public
    # holidays (Labour Code Art. 112), Friday 2/5 was swapped off for Saturday 26/4, then the
    # weekend: Mon 5/5, Tue 6/5, Wed 7/5.
    answer = client.get(
        "/v1/deadlines/preview", params={"procedure": "1.004194", "received_at": "2025-04-29T10:00:00+07:00"}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["due_at"] == "2025-05-07T17:00:00+07:00"
    assert body["version"] == 2
    assert body["explanation"], "the answer says how it was counted"


def test_an_unencoded_plus_in_the_offset_is_understood(client: TestClient) -> None:
    answer = client.get("/v1/deadlines/preview?procedure=1.004194&received_at=2025-04-29T10:00:00+07:00")
    assert answer.status_code == 200
    assert answer.json()["due_at"] == "2025-05-07T17:00:00+07:00"


def test_an_unknown_procedure_is_a_clear_422(client: TestClient) -> None:
    answer = client.get(
        "/v1/deadlines/preview", params={"procedure": "9.999999", "received_at": "2025-04-29T10:00:00+07:00"}
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "unknown_procedure"


def test_a_timestamp_without_offset_is_a_clear_422(client: TestClient) -> None:
    answer = client.get(
        "/v1/deadlines/preview", params={"procedure": "1.004194", "received_at": "2025-04-29T10:00:00"}
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "timestamp_without_offset"
    assert "múi giờ" in problem["message"]


def test_a_malformed_timestamp_is_a_clear_422(client: TestClient) -> None:
    answer = client.get("/v1/lodging/deadline", params={"arrived_at": "hôm qua"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_timestamp"


def test_a_guest_arriving_at_23_30_is_notified_before_08_00_next_day(client: TestClient) -> None:
    # Law on Residence Art. 30 cl. 4: after 23:00, the notice is due before 08:00 the next day.
    answer = client.get("/v1/lodging/deadline", params={"arrived_at": "2026-11-23T23:30:00+07:00"})
    assert answer.json()["due_at"] == "2026-11-24T08:00:00+07:00"


@pytest.mark.parametrize(
    ("notified_at", "on_time"), [("2026-11-24T07:59:00+07:00", True), ("2026-11-24T08:01:00+07:00", False)]
)
def test_the_notice_is_on_time_or_late_to_the_minute(
    client: TestClient, notified_at: str, on_time: bool
) -> None:
    answer = client.get(
        "/v1/lodging/deadline", params={"arrived_at": "2026-11-23T23:30:00+07:00", "notified_at": notified_at}
    )
    assert answer.json()["on_time"] is on_time


def test_the_answer_names_the_calendar_version_it_was_counted_by(client: TestClient) -> None:
    answer = client.get(
        "/v1/deadlines/preview", params={"procedure": "1.004194", "received_at": "2026-11-23T09:00:00+07:00"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["calendar_version"] == 1
    assert answer.json()["estimated"] is False


@pytest.mark.parametrize("received_at", ["2024-06-03T09:00:00+07:00", "2027-03-02T09:00:00+07:00"])
def test_a_year_without_calendar_data_is_a_clear_422_not_a_guess(
    client: TestClient, received_at: str
) -> None:
    answer = client.get("/v1/deadlines/preview", params={"procedure": "1.004194", "received_at": received_at})
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "no_calendar_data"
    assert f"Chưa có lịch làm việc năm {received_at[:4]}" in problem["message"]


def test_a_count_running_into_a_year_without_data_is_flagged_as_an_estimate(client: TestClient) -> None:
    # 3 working days (temporary residence) from Thursday 31/12/2026 end in January 2027.
    answer = client.get(
        "/v1/deadlines/preview", params={"procedure": "1.004194", "received_at": "2026-12-31T10:00:00+07:00"}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["due_at"].startswith("2027-01-")
    assert body["estimated"] is True
    assert "chưa có lịch làm việc năm 2027" in body["explanation"][-1]


@pytest.mark.parametrize("received_at", ["9999-12-31T10:00:00+07:00", "0001-01-01T00:30:00+07:00"])
def test_a_received_at_outside_this_century_is_a_422_not_a_500(client: TestClient, received_at: str) -> None:
    answer = client.get("/v1/deadlines/preview", params={"procedure": "1.004194", "received_at": received_at})
    assert answer.status_code == 422
    assert answer.json()["code"] == "instant_out_of_range"
    assert "received_at" in answer.json()["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"arrived_at": "9999-12-31T23:00:00+07:00"},
        {"arrived_at": "0001-01-01T00:30:00+07:00"},
        {"arrived_at": "2025-04-29T23:30:00+07:00", "notified_at": "9999-12-31T23:00:00+07:00"},
    ],
)
def test_a_lodging_instant_outside_this_century_is_a_422_not_a_500(
    client: TestClient, params: dict[str, str]
) -> None:
    answer = client.get("/v1/lodging/deadline", params=params)
    assert answer.status_code == 422
    assert answer.json()["code"] == "instant_out_of_range"


def test_the_last_and_first_days_of_the_range_are_counted(client: TestClient) -> None:
    for received_at in ("2000-01-03T09:00:00+07:00", "2099-12-30T09:00:00+07:00"):
        answer = client.get(
            "/v1/deadlines/preview", params={"procedure": "1.004194", "received_at": received_at}
        )
        assert answer.status_code in (200, 422), answer.text
    for arrived_at in ("2000-01-01T00:00:00+07:00", "2099-12-31T23:30:00+07:00"):
        assert client.get("/v1/lodging/deadline", params={"arrived_at": arrived_at}).status_code == 200
