"""Out-of-range input is a 422, never a 500 (issue 14): the reconciliation of year 1 reached the
gateway, whose simulator could not read the day and answered 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dvc_payment.adapters.credentials import MerchantCredentials
from dvc_payment.domain import vnpay
from dvc_simulators.payment_gateway.app import create_app
from dvc_simulators.payment_gateway.ledger import Ledger

from .conftest import TOKENS, UNIT, World

OFFICER = TOKENS.headers("officer", units=[UNIT])


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31"])
def test_a_reconciliation_of_a_day_outside_this_century_is_a_422(world: World, day: str) -> None:
    answer = world.client.get(f"/v1/reconciliation/{day}", headers=OFFICER)
    assert answer.status_code == 422
    assert answer.json()["code"] == "day_out_of_range"
    assert "Ngày đối soát phải từ 01/01/2000" in answer.json()["message"]


def test_the_simulated_gateway_answers_a_day_it_cannot_read_with_code_03(tmp_path: Path) -> None:
    credentials = MerchantCredentials("DVCTEST1", "s3cret", "bank-secret")
    sim = create_app(credentials, "http://merchant", Ledger(tmp_path / "journal"), "970436", "0011001")
    request: dict[str, object] = {
        "vnp_RequestId": "S1",
        "vnp_Version": vnpay.VERSION,
        "vnp_Command": "settlement",
        "vnp_TmnCode": "DVCTEST1",
        "vnp_Date": "101",  # what f"{date(1, 1, 1):%Y%m%d}" gives
        "vnp_CreateDate": "20261124090000",
    }
    request[vnpay.HASH_FIELD] = vnpay.checksum(vnpay.SETTLEMENT_FIELDS, request, "s3cret")
    answer = TestClient(sim, raise_server_exceptions=False).post(
        "/merchant_webapi/api/transaction", json=request
    )
    assert answer.status_code == 200
    assert answer.json()["vnp_ResponseCode"] == "03"
