"""HTTP: what the gateway and the bank tell us. Public, and trusted only through signatures.

Every answer is a 200 with the protocol's own code (VNPAY retries an IPN that gets anything
else); a refused notification is recorded in the store and logged, never a 500."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dvc_kernel.errors import problems

from ..adapters.bank import SIGNATURE_HEADER
from ..application import PaymentApplication
from ..domain.channels import PaymentGateway, TransferBank
from ..settings import BANK_NOTIFICATION_PATH, IPN_PATH, RETURN_PATH
from .models import STATUS_LABELS

NO_RESULT_YET = "Chưa nhận được kết quả thanh toán; vui lòng kiểm tra lại sau."


def router(app: PaymentApplication, gateway: PaymentGateway, bank: TransferBank) -> APIRouter:
    api = APIRouter(tags=["gateway callbacks"])

    @api.get(IPN_PATH, summary="VNPAY's payment notification (IPN), server to server")
    async def ipn(request: Request) -> JSONResponse:
        params = dict(request.query_params)
        code, message = await app.notified("gateway", lambda: gateway.read_notification(params))
        return JSONResponse({"RspCode": code, "Message": message})

    @api.get(
        RETURN_PATH,
        summary="Where the gateway sends the citizen back (display only)",
        responses=problems(400),
    )
    async def returned(request: Request) -> dict[str, str]:
        params = dict(request.query_params)
        notification, fee = await app.returned(lambda: gateway.read_notification(params))
        status = fee.status if fee is not None else "unknown"
        return {
            "txn_ref": notification.txn_ref,
            "dossier_code": fee.dossier_code if fee is not None else "",
            "gateway_result": "success" if notification.succeeded else "failed",
            "status": status,
            "message": STATUS_LABELS.get(status, NO_RESULT_YET),
        }

    @api.post(BANK_NOTIFICATION_PATH, summary="The bank's signed notice of a VietQR transfer received")
    async def transfer(request: Request) -> JSONResponse:
        body = await request.body()
        signature = request.headers.get(SIGNATURE_HEADER)
        code, message = await app.notified("vietqr", lambda: bank.read_notification(body, signature))
        return JSONResponse({"code": code, "message": message})

    return api
