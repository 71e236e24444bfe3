"""HTTP: a dossier's fee, and paying it online (the citizen who filed it)."""

from __future__ import annotations

import asyncio
import base64
import io
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

import segno
from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import CurrentPrincipal, require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.meta import command_meta

from .. import vietqr
from ..application import PaymentApplication
from ..gateway.port import Order, PaymentGateway
from .views import FeeView, fee_view

Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]


class StartBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["gateway", "vietqr"] = Field(
        description="`gateway`: card or bank account through the payment gateway; `vietqr`: a bank "
        "transfer by scanning a VietQR code."
    )


class VietQrView(BaseModel):
    payload: str = Field(description="EMVCo payload to render as a QR code (NAPAS VietQR).")
    png_base64: str = Field(description="The same QR code as a PNG image, base64-encoded.")
    bank_bin: str = Field(description="NAPAS BIN of the receiving bank.")
    account: str = Field(description="Receiving account number.")
    purpose: str = Field(description="Transfer description to keep unchanged: it names the order.")


class PaymentView(BaseModel):
    dossier_code: str
    txn_ref: str = Field(description="Order reference of this attempt.")
    method: str
    amount_vnd: int
    expires_at: datetime
    redirect_url: str | None = Field(None, description="Gateway payment page (method `gateway`).")
    vietqr: VietQrView | None = Field(None, description="QR to scan (method `vietqr`).")


def router(
    app: PaymentApplication,
    gateway: PaymentGateway,
    *,
    return_url: str,
    vietqr_bin: str,
    vietqr_account: str,
    order_minutes: int,
) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["fees"])

    @api.get("/dossiers/{code}/fee", response_model=FeeView, summary="The dossier's fee and its payment")
    async def fee(
        code: str,
        principal: CurrentPrincipal,
        token_header: Annotated[str | None, Header(alias=consistency.HEADER)] = None,
        token_param: Annotated[str | None, Query(alias="consistency")] = None,
    ) -> Any:
        # Read-your-writes after a filing (intake/<dossier>@<version>): wait for its fee record.
        token = consistency.parse(token_header, token_param)
        if token is not None and token.subject is not None:
            subject = token.subject
            if not await consistency.visible(lambda: app.fee(subject) is not None):
                return consistency.not_yet_visible(token)
        found = await asyncio.to_thread(app.readable_fee, code, principal)
        return fee_view(found)

    @api.post(
        "/dossiers/{code}/payments",
        response_model=PaymentView,
        status_code=201,
        summary="Start paying the fee online: a gateway page to open, or a VietQR code to scan",
    )
    def start(code: str, body: StartBody, principal: Applicant, request: Request) -> PaymentView:
        meta = command_meta(request, actor_id=principal.subject, actor_role=principal.role.value)
        fee, txn_ref = app.start_payment(code, principal, body.method, meta)
        created = app.clock.now()
        expires = created + timedelta(minutes=order_minutes)
        view = PaymentView(
            dossier_code=fee.dossier_code,
            txn_ref=txn_ref,
            method=body.method,
            amount_vnd=fee.amount_vnd,
            expires_at=expires,
        )
        if body.method == "gateway":
            order = Order(
                txn_ref=txn_ref,
                amount_vnd=fee.amount_vnd,
                info=f"Nop le phi ho so {fee.dossier_code}",
                return_url=return_url,
                client_ip=request.client.host if request.client else "127.0.0.1",
                created_at=created,
                expires_at=expires,
            )
            view.redirect_url = gateway.payment_url(order)
        else:
            purpose = vietqr.purpose_for(txn_ref)
            payload = vietqr.payload(vietqr_bin, vietqr_account, fee.amount_vnd, purpose)
            png = io.BytesIO()
            segno.make(payload, error="m").save(png, kind="png", scale=5)
            view.vietqr = VietQrView(
                payload=payload,
                png_base64=base64.b64encode(png.getvalue()).decode(),
                bank_bin=vietqr_bin,
                account=vietqr_account,
                purpose=purpose,
            )
        return view

    return api
