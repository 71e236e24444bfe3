"""A sandbox that speaks VNPAY's protocol (and a bank's VietQR side) for development and tests:
the payment page (`vnpay_pages.py`), the merchant web API (`merchant_api.py`) and the bank
(`bank.py`), over one ledger (`ledger.py`). A notification sent again (`/sim/ipn/resend`,
`/bank/v1/transfers/{id}/resend`) is what a retrying gateway does: the merchant must not count
it twice."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_payment.adapters.credentials import MerchantCredentials

from .bank import bank_routes
from .gateway import Gateway
from .ledger import Ledger
from .merchant_api import merchant_api_routes
from .vnpay_pages import vnpay_routes


def create_app(
    credentials: MerchantCredentials, merchant_url: str, ledger: Ledger, bank_bin: str, bank_account: str
) -> FastAPI:
    http = FastAPI(title="Payment gateway simulator (VNPAY 2.1.0, VietQR bank)", version="0.1.0")
    gw = Gateway(credentials, merchant_url.rstrip("/"), ledger, bank_bin, bank_account)

    @http.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "payment-gateway-sim"}

    http.include_router(vnpay_routes(gw))
    http.include_router(merchant_api_routes(gw))
    http.include_router(bank_routes(gw))
    return http
