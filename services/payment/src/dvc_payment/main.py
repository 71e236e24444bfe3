"""Composition root of the payment service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from .application import PaymentApplication
from .settings import PaymentSettings
from .translation import translate


def build(settings: PaymentSettings | None = None) -> FastAPI:
    settings = settings or PaymentSettings()
    app = PaymentApplication(env=settings.eventstore_env())
    runtime = make_runtime(settings, app, translate, produces=[])
    return create_http_app(
        runtime,
        title="Payment",
        description="Fee assessment, payments, refunds and reconciliation.",
    )


def run() -> None:
    build_and_run(build, PaymentSettings())
