"""Gateway and bank notifications: trusted only when signed, counted once, and every refusal
is recorded (never a 500). The IPN answers with VNPAY's documented RspCodes."""

from __future__ import annotations

import json
from typing import Any

from dvc_payment.adapters.bank import SIGNATURE_HEADER, body_signature
from dvc_payment.domain import vnpay

from .conftest import TOKENS, World


def refusals(world: World) -> list[str]:
    return [r.reason for r in world.app.refusals()]


def test_a_paid_order_gives_one_fee_paid(world: World) -> None:
    code = world.submit()
    order = world.start(code)
    assert order["amount_vnd"] == 7_000
    assert world.ipn(world.gateway_result(order["redirect_url"])) == {
        "RspCode": "00",
        "Message": "Confirm Success",
    }
    assert world.public(code) == ["FeeAssessed", "FeePaid"]
    fee = world.client.get(f"/v1/dossiers/{code}/fee", headers=world.citizen).json()
    assert fee["status"] == "paid" and fee["paid"]["transaction_ref"] == "14422574"


def test_the_same_notification_twice_gives_one_fee_paid(world: World) -> None:
    code = world.submit()
    result = world.gateway_result(world.start(code)["redirect_url"])
    world.ipn(result)
    assert world.ipn(result) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert world.public(code).count("FeePaid") == 1
    assert refusals(world) == ["duplicate"]


def test_a_forged_notification_is_refused_and_recorded(world: World) -> None:
    code = world.submit()
    result = world.gateway_result(world.start(code)["redirect_url"])
    result["vnp_SecureHash"] = vnpay.sign(result, "NOT-THE-MERCHANT-SECRET")
    assert world.ipn(result)["RspCode"] == "97"
    assert world.public(code) == ["FeeAssessed"]
    assert refusals(world) == ["forged"]


def test_an_amount_changed_after_signing_is_refused(world: World) -> None:
    code = world.submit()
    result = world.gateway_result(world.start(code)["redirect_url"])
    result["vnp_Amount"] = "100"
    assert world.ipn(result)["RspCode"] == "97"
    assert world.public(code) == ["FeeAssessed"]


def test_a_signed_notification_for_another_amount_is_refused(world: World) -> None:
    code = world.submit()
    result = world.gateway_result(world.start(code)["redirect_url"], vnp_Amount="500000")
    assert world.ipn(result) == {"RspCode": "04", "Message": "Invalid amount"}
    assert world.public(code) == ["FeeAssessed"]
    assert refusals(world) == ["amount_mismatch"]


def test_a_notification_for_an_unknown_order_is_refused(world: World) -> None:
    code = world.submit()
    result = world.gateway_result(world.start(code)["redirect_url"], vnp_TxnRef="NOSUCHORDER01")
    assert world.ipn(result) == {"RspCode": "01", "Message": "Order not found"}
    assert refusals(world) == ["unknown_order"]


def test_an_incomplete_notification_is_refused_without_error(world: World) -> None:
    assert world.ipn({}) == {"RspCode": "99", "Message": "Input data required"}
    assert world.ipn({"vnp_TxnRef": "x", "vnp_SecureHash": "y"})["RspCode"] == "99"
    assert refusals(world) == ["incomplete", "incomplete"]


def test_an_old_notification_replayed_after_a_refund_pays_nothing(world: World) -> None:
    code = world.submit()
    result = world.gateway_result(world.start(code)["redirect_url"])
    world.ipn(result)
    fee = world.app.fee_by_code(code)
    assert fee is not None
    fee.close("Công dân rút hồ sơ.", world.clock.now(), {})
    world.app.save(fee)
    assert world.app.record_refund(fee.id, next(iter(fee.attempts)), "RF1", world.clock.now())
    assert world.ipn(result)["RspCode"] == "02"
    assert world.public(code) == ["FeeAssessed", "FeePaid", "Refunded"]


def test_a_cancelled_payment_leaves_the_fee_unpaid_and_a_new_order_can_be_made(world: World) -> None:
    code = world.submit()
    first = world.start(code)
    assert world.ipn(world.gateway_result(first["redirect_url"], paid=False))["RspCode"] == "00"
    second = world.start(code)
    assert second["txn_ref"] != first["txn_ref"]
    world.ipn(world.gateway_result(second["redirect_url"], transaction_no="14422575"))
    assert world.public(code) == ["FeeAssessed", "FeePaid"]


def test_money_arriving_for_a_second_order_after_the_fee_was_paid_is_kept_aside(world: World) -> None:
    code = world.submit()
    first = world.start(code)
    second = world.client.post(
        f"/v1/dossiers/{code}/payments", json={"method": "gateway"}, headers=world.citizen
    )
    assert second.status_code == 201
    world.ipn(world.gateway_result(first["redirect_url"]))
    assert (
        world.ipn(world.gateway_result(second.json()["redirect_url"], transaction_no="2"))["RspCode"] == "00"
    )
    fee = world.app.fee_by_code(code)
    assert fee is not None and list(fee.refunds_pending) == [second.json()["txn_ref"]]
    assert world.public(code) == ["FeeAssessed", "FeePaid"]  # the duplicate is paid back, not published


def test_the_return_page_shows_what_the_store_knows_and_refuses_a_bad_signature(world: World) -> None:
    code = world.submit()
    result = world.gateway_result(world.start(code)["redirect_url"])
    world.ipn(result)
    shown = world.client.get("/v1/gateway/vnpay/return", params=result)
    assert shown.status_code == 200 and shown.json()["status"] == "paid"
    forged = world.client.get("/v1/gateway/vnpay/return", params={**result, "vnp_Amount": "1"})
    assert forged.status_code == 400 and forged.json()["code"] == "invalid_return"


def transfer(world: World, payload: dict[str, object], secret: str | None = None) -> dict[str, str]:
    body = json.dumps(payload).encode()
    signature = body_signature(secret or world.credentials.bank_webhook_secret, body)
    response = world.client.post(
        "/v1/gateway/vietqr/notifications", content=body, headers={SIGNATURE_HEADER: signature}
    )
    assert response.status_code == 200
    answer: dict[str, str] = response.json()
    return answer


def bank_notice(order: dict[str, object], **changes: object) -> dict[str, object]:
    qr = order["vietqr"]
    assert isinstance(qr, dict)
    return {
        "transaction_id": "FT26327000001",
        "bin": qr["bank_bin"],
        "account_no": qr["account"],
        "amount": order["amount_vnd"],
        "description": f"NGUYEN THI HOA chuyen tien {qr['purpose']}",
        "transferred_at": "2026-11-23T09:10:00+07:00",
        **changes,
    }


def test_a_vietqr_transfer_notice_pays_the_fee_once(world: World) -> None:
    code = world.submit()
    order = world.start(code, "vietqr")
    assert order["vietqr"]["payload"].endswith(order["vietqr"]["payload"][-4:])
    assert transfer(world, bank_notice(order))["code"] == "00"
    assert transfer(world, bank_notice(order))["code"] == "02"
    assert world.public(code) == ["FeeAssessed", "FeePaid"]


def test_a_vietqr_notice_with_a_bad_signature_or_another_amount_is_refused(world: World) -> None:
    code = world.submit()
    order = world.start(code, "vietqr")
    assert transfer(world, bank_notice(order), secret="forged")["code"] == "97"
    assert transfer(world, bank_notice(order, amount=6_000))["code"] == "04"
    assert world.public(code) == ["FeeAssessed"]
    assert refusals(world) == ["forged", "amount_mismatch"]


def test_only_the_citizen_who_filed_sees_and_pays_the_fee(world: World) -> None:
    code = world.submit()
    stranger = TOKENS.headers("citizen", subject="someone-else")
    assert world.client.get(f"/v1/dossiers/{code}/fee", headers=stranger).status_code == 404
    paying = world.client.post(f"/v1/dossiers/{code}/payments", json={"method": "gateway"}, headers=stranger)
    assert paying.status_code == 404
    officer = TOKENS.headers("officer", units=["CAX-00004"])
    assert world.client.get(f"/v1/dossiers/{code}/fee", headers=officer).status_code == 200


def test_the_fee_view_waits_for_a_filing_it_has_not_yet_seen(world: World, monkeypatch: Any) -> None:
    """Read-your-writes: with the token of intake's 201, the fee page waits (bounded) for the
    filing instead of answering "not found"."""
    from uuid import uuid4

    from dvc_kernel import consistency

    monkeypatch.setattr(consistency, "WAIT_SECONDS", 0.2)
    unseen = consistency.aggregate_token("intake", uuid4(), 2)
    waited = world.client.get(
        "/v1/dossiers/261123-000000-X/fee", params={"consistency": unseen}, headers=world.citizen
    )
    assert waited.status_code == 503 and waited.headers["Retry-After"] == "1"
    code = world.submit()
    seen = consistency.aggregate_token("intake", world.fee_id(code), 2)
    fee = world.client.get(f"/v1/dossiers/{code}/fee", headers={**world.citizen, consistency.HEADER: seen})
    assert fee.status_code == 200 and fee.json()["amount_vnd"] == 7_000
