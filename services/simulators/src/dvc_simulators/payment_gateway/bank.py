"""The bank behind the VietQR codes: `POST /bank/v1/transfers` plays a payer's banking app
scanning a code (it reads the payload, checks its CRC) and notifies the merchant with a signed
webhook; `POST /bank/v1/refunds` pays a transfer back; `POST /bank/v1/transfers/{id}/resend`
notifies again, as a retrying bank would."""

from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from dvc_payment.adapters.bank import SIGNATURE_HEADER, body_signature, signature_matches
from dvc_payment.domain import vietqr
from dvc_payment.settings import BANK_NOTIFICATION_PATH

from .gateway import Gateway
from .ledger import Line, Transfer


def bank_routes(gw: Gateway) -> APIRouter:
    routes = APIRouter()

    @routes.post("/bank/v1/transfers")
    async def transfer(request: Request) -> JSONResponse:
        """A payer's bank app scanned a VietQR code and sends the money (amount and description
        may be overridden, as a payer can edit them)."""
        return await pay_by_transfer(gw, await request.json())

    @routes.post("/bank/v1/transfers/{transaction_id}/resend")
    async def resend_transfer(transaction_id: str) -> JSONResponse:
        moved = gw.ledger.transfers.get(transaction_id)
        if moved is None:
            return JSONResponse({"error": "no such transfer"}, 404)
        return JSONResponse(await notify_transfer(gw, moved))

    @routes.post("/bank/v1/refunds")
    async def bank_refund(request: Request) -> Response:
        raw = await request.body()
        secret = gw.credentials.bank_webhook_secret
        if not signature_matches(secret, raw, request.headers.get(SIGNATURE_HEADER)):
            return _signed(gw, {"code": "97", "message": "Chữ ký không hợp lệ"}, 401)
        return _signed(gw, refund(gw, json.loads(raw)))

    return routes


async def pay_by_transfer(gw: Gateway, data: dict[str, Any]) -> JSONResponse:
    try:
        fields = vietqr.parse(str(data.get("payload", "")))
    except ValueError as exc:
        return JSONResponse({"error": f"mã QR không hợp lệ: {exc}"}, 400)
    account = fields.get("38.01.01", "")
    if (
        fields.get("38.00") != vietqr.NAPAS_GUID
        or fields.get("38.01.00") != gw.bank_bin
        or account != gw.bank_account
    ):
        return JSONResponse({"error": "tài khoản thụ hưởng không thuộc ngân hàng này"}, 400)
    amount = int(data.get("amount") or fields.get("54") or 0)
    if amount <= 0:
        return JSONResponse({"error": "số tiền không hợp lệ"}, 400)
    moved = Transfer(
        transaction_id=f"FT{gw.ledger.next_number()}",
        account_no=account,
        amount=amount,
        description=str(data.get("description") or fields.get("62.08", "")),
        transferred_at=gw.now().isoformat(),
    )
    gw.ledger.transfers[moved.transaction_id] = moved
    txn_ref = vietqr.reference_in(moved.description) or moved.description
    gw.ledger.settle(
        Line("vietqr", "payment", txn_ref, moved.transaction_id, amount * 100, moved.transferred_at)
    )
    answer = await notify_transfer(gw, moved)
    return JSONResponse({"transaction_id": moved.transaction_id, "merchant_answer": answer})


def refund(gw: Gateway, data: dict[str, Any]) -> dict[str, object]:
    """A signed refund request of the merchant, answered once per request id."""
    ledger = gw.ledger
    request_id = str(data.get("request_id", ""))
    if request_id in ledger.bank_refunds:
        return ledger.bank_refunds[request_id]
    moved = ledger.transfers.get(str(data.get("transaction_id", "")))
    amount = int(data.get("amount", 0))
    if moved is None:
        return {"code": "91", "message": "Không tìm thấy giao dịch"}
    if amount <= 0 or amount > moved.amount - moved.refunded:
        return {"code": "94", "message": "Số tiền hoàn vượt quá số đã nhận"}
    moved.refunded += amount
    refund_id = f"RF{ledger.next_number()}"
    at = gw.now().isoformat()
    txn_ref = vietqr.reference_in(moved.description) or moved.description
    ledger.settle(Line("vietqr", "refund", txn_ref, refund_id, amount * 100, at))
    reply: dict[str, object] = {
        "code": "00",
        "message": "Hoàn tiền thành công",
        "refund_id": refund_id,
        "refunded_at": at,
    }
    ledger.bank_refunds[request_id] = reply
    return reply


def _signed(gw: Gateway, body: dict[str, Any], status: int = 200) -> Response:
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {SIGNATURE_HEADER: body_signature(gw.credentials.bank_webhook_secret, raw)}
    return Response(raw, status, headers=headers, media_type="application/json")


async def notify_transfer(gw: Gateway, transfer: Transfer) -> dict[str, Any]:
    body = json.dumps(
        {
            "transaction_id": transfer.transaction_id,
            "bin": gw.bank_bin,
            "account_no": transfer.account_no,
            "amount": transfer.amount,
            "description": transfer.description,
            "transferred_at": transfer.transferred_at,
        },
        ensure_ascii=False,
    ).encode()
    headers = {
        SIGNATURE_HEADER: body_signature(gw.credentials.bank_webhook_secret, body),
        "Content-Type": "application/json",
    }
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            reply = await client.post(
                f"{gw.merchant_url}{BANK_NOTIFICATION_PATH}", content=body, headers=headers
            )
        answer: dict[str, Any] = reply.json()
        return answer
    except (httpx.HTTPError, ValueError) as exc:
        return {"error": str(exc)}
