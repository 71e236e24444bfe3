"""HTTP: what staff do with fees: counter receipts (level 3) and the daily reconciliation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse

from dvc_kernel.caller_meta import caller_meta, first_unit

from ..application import PaymentApplication
from ..application.reconciliation import reconciliation_day
from ..domain.channels import PaymentGateway
from .deps import Handler, Reconciler
from .models import FeeView, ReceiptBody, fee_view


def router(app: PaymentApplication, gateway: PaymentGateway) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["staff"])

    @api.post(
        "/dossiers/{code}/counter-receipts",
        response_model=FeeView,
        status_code=201,
        summary="Record the fee paid at the counter (level 3), by its receipt number",
    )
    async def counter_receipt(code: str, body: ReceiptBody, principal: Handler, request: Request) -> FeeView:
        meta = caller_meta(request, principal, first_unit(principal))
        fee = await app.counter_receipt(code, principal, body.receipt_number, body.amount_vnd, meta)
        return fee_view(fee)

    @api.get(
        "/reconciliation/{day}",
        summary="The day's payments and refunds matched against the gateway's list (JSON or CSV)",
        response_model=None,
    )
    async def reconciliation(
        day: str,
        principal: Reconciler,
        format: Annotated[Literal["json", "csv"], Query(description="json or csv")] = "json",
    ) -> Response | dict[str, object]:
        when = reconciliation_day(day)
        report = await app.reconciliation(when, principal, gateway)
        if format == "csv":
            return PlainTextResponse(
                report.as_csv(),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="doi-soat-{when}.csv"'},
            )
        return report.as_dict()

    return api
