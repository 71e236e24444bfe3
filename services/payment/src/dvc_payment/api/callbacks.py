"""HTTP: what the gateway and the bank tell us. Public, and trusted only through signatures.

Every answer is a 200 with the protocol's own code (VNPAY retries an IPN that gets anything
else); a refused notification is recorded in the store and logged, never a 500."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dvc_kernel.errors import UserError, problems

from ..application import Judged, PaymentApplication
from ..domain.fee import Outcome
from ..gateway import vnpay
from ..gateway.bank import SIGNATURE_HEADER
from ..gateway.port import PaymentGateway, TransferBank
from ..settings import BANK_NOTIFICATION_PATH, IPN_PATH, RETURN_PATH
from .views import STATUS_LABELS

log = logging.getLogger(__name__)

REFUSALS = {
    "forged": vnpay.IPN_INVALID_SIGNATURE,
    "wrong_merchant": vnpay.IPN_INVALID_SIGNATURE,
    "incomplete": vnpay.IPN_INPUT_REQUIRED,
    "malformed": vnpay.IPN_INVALID_AMOUNT,
    "unknown_order": vnpay.IPN_ORDER_NOT_FOUND,
    "wrong_channel": vnpay.IPN_ORDER_NOT_FOUND,
    "duplicate": vnpay.IPN_ALREADY_CONFIRMED,
    "amount_mismatch": vnpay.IPN_INVALID_AMOUNT,
}


def answer(judged: Judged) -> tuple[str, str]:
    if judged.refusal is not None:
        return REFUSALS.get(judged.refusal, vnpay.IPN_UNKNOWN_ERROR)
    if judged.outcome in (Outcome.CONFIRMED, Outcome.FAILED_RECORDED, Outcome.NOT_KEPT):
        return vnpay.IPN_CONFIRMED
    return vnpay.IPN_UNKNOWN_ERROR


def router(app: PaymentApplication, gateway: PaymentGateway, bank: TransferBank) -> APIRouter:
    api = APIRouter(tags=["gateway callbacks"])

    async def judge(channel: str, read: Callable[[], object]) -> tuple[str, str]:
        try:
            judged = await asyncio.to_thread(app.receive_notification, channel, read)  # type: ignore[arg-type]
        except Exception:
            log.exception("%s notification could not be processed", channel)
            return vnpay.IPN_UNKNOWN_ERROR
        return answer(judged)

    @api.get(IPN_PATH, summary="VNPAY's payment notification (IPN), server to server")
    async def ipn(request: Request) -> JSONResponse:
        params = dict(request.query_params)
        code, message = await judge("gateway", lambda: gateway.read_notification(params))
        return JSONResponse({"RspCode": code, "Message": message})

    @api.get(
        RETURN_PATH,
        summary="Where the gateway sends the citizen back (display only)",
        responses=problems(400),
    )
    def returned(request: Request) -> dict[str, str]:
        params = dict(request.query_params)
        try:
            notification = gateway.read_notification(params)
        except Exception:
            raise UserError(
                "invalid_return", "Thông tin trả về từ cổng thanh toán không hợp lệ (sai chữ ký)."
            ) from None
        # The IPN decides; this page only says what the store knows now.
        fee = app.fee_by_order(notification.txn_ref)
        status = fee.status if fee is not None else "unknown"
        return {
            "txn_ref": notification.txn_ref,
            "dossier_code": fee.dossier_code if fee is not None else "",
            "gateway_result": "success" if notification.succeeded else "failed",
            "status": status,
            "message": STATUS_LABELS.get(
                status, "Chưa nhận được kết quả thanh toán; vui lòng kiểm tra lại sau."
            ),
        }

    @api.post(BANK_NOTIFICATION_PATH, summary="The bank's signed notice of a VietQR transfer received")
    async def transfer(request: Request) -> JSONResponse:
        body = await request.body()
        signature = request.headers.get(SIGNATURE_HEADER)
        code, message = await judge("vietqr", lambda: bank.read_notification(body, signature))
        return JSONResponse({"code": code, "message": message})

    return api
