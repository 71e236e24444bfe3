"""HTTP: what staff do with fees: counter receipts (level 3) and the daily reconciliation."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.auth.access import in_units
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.errors import Unavailable, Unprocessable
from dvc_kernel.meta import command_meta

from ..application import PaymentApplication
from ..domain.reconciliation import Movement, reconcile
from ..gateway.port import ChannelUnavailable, PaymentGateway
from .views import FeeView, fee_view

Handler = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))]
Reconciler = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR))]
MINISTRY_UNIT = re.compile(r"^[A-Z]\d{2}$")  # a department of the Ministry, e.g. C06


def sees_every_unit(principal: Principal) -> bool:
    """Auditors and the Ministry's departments reconcile the whole country; a unit, its own."""
    return principal.role is Role.AUDITOR or any(MINISTRY_UNIT.match(u) for u in principal.units)


class ReceiptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    receipt_number: str = Field(
        min_length=1, max_length=30, pattern=r"^[A-Za-z0-9/\-.]+$", description="Number on the fee receipt."
    )
    amount_vnd: int = Field(ge=0, description="Amount on the receipt, in VND.")


# Days the platform can have payments on: nothing before it, nothing this century does not reach.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def router(app: PaymentApplication, gateway: PaymentGateway) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["staff"])

    @api.post(
        "/dossiers/{code}/counter-receipts",
        response_model=FeeView,
        status_code=201,
        summary="Record the fee paid at the counter (level 3), by its receipt number",
    )
    def counter_receipt(code: str, body: ReceiptBody, principal: Handler, request: Request) -> FeeView:
        unit = next(iter(sorted(principal.units)), None)
        meta = command_meta(
            request, actor_id=principal.subject, actor_role=principal.role.value, actor_unit=unit
        )
        fee = app.counter_receipt(code, principal, body.receipt_number, body.amount_vnd, meta)
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
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise Unprocessable(
                "invalid_day", "Ngày đối soát phải có dạng NNNN-TT-NN (năm-tháng-ngày)."
            ) from None
        if not FIRST_DAY <= when <= LAST_DAY:  # year 1 reached the gateway, which choked on it
            raise Unprocessable(
                "day_out_of_range",
                f"Ngày đối soát phải từ {FIRST_DAY:%d/%m/%Y} đến {LAST_DAY:%d/%m/%Y}.",
            )
        try:
            lines = await gateway.transactions(when)
        except ChannelUnavailable:
            raise Unavailable(
                "gateway_unavailable",
                "Không lấy được danh sách giao dịch từ cổng thanh toán; vui lòng thử lại sau.",
            ) from None
        theirs = [
            Movement(t.channel, t.kind, t.txn_ref, t.transaction_ref, t.amount_vnd, t.at) for t in lines
        ]
        scoped = await asyncio.to_thread(app.movements_by_unit, when)
        if sees_every_unit(principal):
            ours = [movement for movement, _ in scoped]
        else:
            ours = [movement for movement, unit in scoped if in_units(principal, unit)]
            # The gateway's lines of this unit's fees only; a line nobody here knows is for the
            # Ministry and the auditors to chase.
            keys = {movement.key for movement in ours}
            theirs = [line for line in theirs if line.key in keys]
        report = reconcile(when, ours, theirs)
        if format == "csv":
            return PlainTextResponse(
                report.as_csv(),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="doi-soat-{when}.csv"'},
            )
        return report.as_dict()

    return api
