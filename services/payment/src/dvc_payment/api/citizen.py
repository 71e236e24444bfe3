"""HTTP: a dossier's fee, and paying it online (the citizen who filed it)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

import segno
from fastapi import APIRouter, Header, Query, Request, Response

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import CurrentPrincipal
from dvc_kernel.caller_meta import caller_meta

from ..application import PaymentApplication
from ..domain import vietqr
from ..domain.channels import Order, PaymentGateway
from ..domain.fee import Fee
from .deps import Applicant
from .models import FeeView, PaymentView, StartBody, VietQrView, fee_view


@dataclass(frozen=True)
class Checkout:
    """Where the citizen pays: the gateway's page, or the account a VietQR transfer goes to."""

    gateway: PaymentGateway
    return_url: str
    vietqr_bin: str
    vietqr_account: str
    order_minutes: int

    def view(self, fee: Fee, txn_ref: str, method: str, request: Request, now: datetime) -> PaymentView:
        expires = now + timedelta(minutes=self.order_minutes)
        view = PaymentView(
            dossier_code=fee.dossier_code,
            txn_ref=txn_ref,
            method=method,
            amount_vnd=fee.amount_vnd,
            expires_at=expires,
        )
        if method == "gateway":
            order = Order(
                txn_ref=txn_ref,
                amount_vnd=fee.amount_vnd,
                info=f"Nop le phi ho so {fee.dossier_code}",
                return_url=self.return_url,
                client_ip=request.client.host if request.client else "127.0.0.1",
                created_at=now,
                expires_at=expires,
            )
            view.redirect_url = self.gateway.payment_url(order)
        else:
            view.vietqr = self.qr(fee.amount_vnd, vietqr.purpose_for(txn_ref))
        return view

    def qr(self, amount_vnd: int, purpose: str) -> VietQrView:
        payload = vietqr.payload(self.vietqr_bin, self.vietqr_account, amount_vnd, purpose)
        png = io.BytesIO()
        segno.make(payload, error="m").save(png, kind="png", scale=5)
        return VietQrView(
            payload=payload,
            png_base64=base64.b64encode(png.getvalue()).decode(),
            bank_bin=self.vietqr_bin,
            account=self.vietqr_account,
            purpose=purpose,
        )


def router(app: PaymentApplication, checkout: Checkout) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["fees"])

    @api.get("/dossiers/{code}/fee", response_model=FeeView, summary="The dossier's fee and its payment")
    async def fee(
        code: str,
        principal: CurrentPrincipal,
        token_header: Annotated[str | None, Header(alias=consistency.HEADER)] = None,
        token_param: Annotated[str | None, Query(alias="consistency")] = None,
    ) -> FeeView | Response:
        # Read-your-writes after a filing (intake/<dossier>@<version>): wait for its fee record.
        token = consistency.parse(token_header, token_param)
        if token is not None and token.subject is not None:
            subject = token.subject
            if not await consistency.visible(lambda: app.fee(subject) is not None):
                return consistency.not_yet_visible(token)
        return fee_view(await app.readable_fee(code, principal))

    @api.post(
        "/dossiers/{code}/payments",
        response_model=PaymentView,
        status_code=201,
        summary="Start paying the fee online: a gateway page to open, or a VietQR code to scan",
    )
    async def start(code: str, body: StartBody, principal: Applicant, request: Request) -> PaymentView:
        meta = caller_meta(request, principal)
        fee, txn_ref = await app.start_payment(code, principal, body.method, meta)
        return checkout.view(fee, txn_ref, body.method, request, app.clock.now())

    return api
