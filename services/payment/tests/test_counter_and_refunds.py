"""Level 3 pays at the counter, recorded by an officer of the dossier's unit; a fee paid for a
dossier that is rejected, refused or withdrawn is paid back, and Refunded is published."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx

from dvc_contracts.case import WithdrawalAcknowledged
from dvc_payment.application.refunder import Refunder
from dvc_testing import factories

from .conftest import TOKENS, UNIT, World, rejected_outside_the_ward

OFFICER = TOKENS.headers("officer", units=[UNIT])
AT = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def receipt(
    world: World, code: str, number: str = "0001234", amount: int = 30_000, headers: dict[str, str] = OFFICER
) -> httpx.Response:
    body = {"receipt_number": number, "amount_vnd": amount}
    return world.client.post(f"/v1/dossiers/{code}/counter-receipts", json=body, headers=headers)


def test_an_officer_of_the_unit_records_the_counter_receipt(world: World) -> None:
    code = world.submit("2.001195", 1)  # level 3: chuyển đổi thẻ căn cước, 30.000 đồng
    response = receipt(world, code)
    assert response.status_code == 201
    assert response.json()["status"] == "paid"
    assert world.public(code) == ["FeeAssessed", "FeePaid"]
    paid = [e for e in world.app.events.get(world.fee_id(code)) if type(e).__name__ == "Paid"]
    assert paid[0].method == "counter" and paid[0].transaction_ref == "0001234"


def test_an_officer_of_another_unit_cannot(world: World) -> None:
    code = world.submit("2.001195", 1)
    elsewhere = TOKENS.headers("officer", units=["CAX-00007"])
    assert receipt(world, code, headers=elsewhere).status_code == 403


def test_the_receipt_must_show_the_assessed_amount(world: World) -> None:
    code = world.submit("2.001195", 1)
    response = receipt(world, code, amount=50_000)
    assert response.status_code == 422 and response.json()["code"] == "amount_mismatch"


def test_a_level_four_fee_is_not_taken_at_the_counter(world: World) -> None:
    code = world.submit()
    assert receipt(world, code, amount=7_000).json()["code"] == "method_not_allowed"


def test_a_receipt_number_is_used_once_and_a_fee_paid_once(world: World) -> None:
    first, second = world.submit("2.001195", 1), world.submit("2.001195", 1)
    assert receipt(world, first).status_code == 201
    assert receipt(world, first, number="0009999").json()["code"] == "already_paid"
    assert receipt(world, second).json()["code"] == "receipt_taken"


def test_a_level_three_citizen_is_told_to_pay_at_the_office(world: World) -> None:
    code = world.submit("2.001195", 1)
    response = world.client.post(
        f"/v1/dossiers/{code}/payments", json={"method": "gateway"}, headers=world.citizen
    )
    assert response.status_code == 409 and "bộ phận một cửa" in response.json()["message"]


def rejected(world: World, code: str) -> None:
    dossier_id = world.fee_id(code)
    event = rejected_outside_the_ward(dossier_id, code, AT)
    world.consume(event, dossier_id, producer="processing")


def test_a_rejected_dossier_paid_at_the_counter_is_refunded(world: World) -> None:
    code = world.submit("2.001195", 1)
    receipt(world, code)
    rejected(world, code)
    refunder = Refunder(world.app, world.http.state.refunder.gateway, world.http.state.refunder.bank)
    asyncio.run(refunder.settle(world.fee_id(code)))
    assert world.public(code) == ["FeeAssessed", "FeePaid", "Refunded"]
    fee = world.client.get(f"/v1/dossiers/{code}/fee", headers=world.citizen).json()
    assert fee["status"] == "refunded" and fee["refunds"] == {"QT-0001234": "HT-0001234"}


def test_a_rejected_dossier_cannot_be_paid_afterwards(world: World) -> None:
    code = world.submit()
    rejected(world, code)
    response = world.client.post(
        f"/v1/dossiers/{code}/payments", json={"method": "gateway"}, headers=world.citizen
    )
    assert response.status_code == 409 and response.json()["code"] == "dossier_closed"
    assert world.public(code) == ["FeeAssessed"]


def test_a_withdrawn_dossier_whose_payment_arrives_late_is_paid_back_without_a_public_payment(
    world: World,
) -> None:
    code = world.submit()
    order = world.start(code)
    dossier_id = world.fee_id(code)
    world.consume(
        WithdrawalAcknowledged(dossier_id=dossier_id, dossier_code=code, withdrawn_at=AT),
        dossier_id,
        "processing",
    )
    assert world.ipn(world.gateway_result(order["redirect_url"]))["RspCode"] == "00"
    fee = world.app.fee(dossier_id)
    assert fee is not None and list(fee.refunds_pending) == [order["txn_ref"]]
    assert world.public(code) == ["FeeAssessed"]


def test_closing_twice_changes_nothing(world: World) -> None:
    code = world.submit("2.001195", 1)
    receipt(world, code)
    rejected(world, code)
    before = len(list(world.app.events.get(world.fee_id(code))))
    rejected(world, code)
    assert len(list(world.app.events.get(world.fee_id(code)))) == before


def test_a_submitted_dossier_is_assessed_once(world: World) -> None:
    code = world.submit()
    fee = world.app.fee_by_code(code)
    assert fee is not None
    again = factories.submitted(fee.id, dossier_code=code, unit_code=UNIT, owner_account="citizen-account-1")
    world.consume(again, fee.id)
    assert world.public(code) == ["FeeAssessed"]
