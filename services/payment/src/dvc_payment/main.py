"""Composition root of the payment service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_contracts.topics import PAYMENT_FEE
from dvc_kernel.auth.verifier import TokenVerifier
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import Clock
from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from . import consumers
from .adapters.bank import VietQrBank
from .adapters.credentials import MerchantCredentials
from .adapters.vnpay_client import VnpayGateway
from .api import callbacks, citizen, staff
from .api.citizen import Checkout
from .application import PaymentApplication
from .application.refunder import Refunder
from .domain.channels import PaymentGateway, TransferBank
from .settings import PaymentSettings
from .translation import translate


def vnpay_gateway(settings: PaymentSettings, credentials: MerchantCredentials, clock: Clock) -> VnpayGateway:
    return VnpayGateway(
        settings.gateway_url,
        credentials.tmn_code,
        credentials.hash_secret,
        timeout=settings.gateway_timeout_seconds,
        clock=clock,
    )


def vietqr_bank(settings: PaymentSettings, credentials: MerchantCredentials) -> VietQrBank:
    return VietQrBank(
        settings.gateway_url,
        settings.vietqr_bin,
        settings.vietqr_account,
        credentials.bank_webhook_secret,
        timeout=settings.gateway_timeout_seconds,
    )


def build(
    settings: PaymentSettings | None = None,
    *,
    verifier: TokenVerifier | None = None,
    catalog: CatalogReplica | None = None,
    clock: Clock | None = None,
    gateway: PaymentGateway | None = None,
    bank: TransferBank | None = None,
) -> FastAPI:
    """The service; tests pass their own verifier, catalog, clock and channels."""
    settings = settings or PaymentSettings()
    catalog = catalog or CatalogReplica()
    credentials = settings.credentials()  # created in development on first start, even for tests
    app = PaymentApplication(env=settings.eventstore_env(), clock=clock, catalog=catalog)
    gateway = gateway or vnpay_gateway(settings, credentials, app.clock)
    bank = bank or vietqr_bank(settings, credentials)
    runtime = make_runtime(settings, app, translate, produces=[PAYMENT_FEE.name])
    runtime.catalog = catalog
    consumers.register(runtime.broker, runtime.inbox, settings.consumer_group)
    refunder = Refunder(app, gateway, bank, settings.refund_poll_seconds)
    runtime.background.append(refunder.run)
    http = create_http_app(
        runtime,
        citizen.router(
            app,
            Checkout(
                gateway,
                return_url=settings.citizen_return_url,
                vietqr_bin=settings.vietqr_bin,
                vietqr_account=settings.vietqr_account,
                order_minutes=settings.order_minutes,
            ),
        ),
        callbacks.router(app, gateway, bank),
        staff.router(app, gateway),
        title="Payment",
        description="Fee assessment, online payment (VNPAY gateway, VietQR transfers), counter "
        "receipts, refunds and the daily reconciliation.",
        verifier=verifier,
    )
    http.state.refunder = refunder
    return http


def run() -> None:
    build_and_run(build, PaymentSettings())
