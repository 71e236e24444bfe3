"""Composition root of the delivery service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from .application import DeliveryApplication
from .settings import DeliverySettings
from .translation import translate


def build(settings: DeliverySettings | None = None) -> FastAPI:
    settings = settings or DeliverySettings()
    app = DeliveryApplication(env=settings.eventstore_env())
    runtime = make_runtime(settings, app, translate, produces=[])
    return create_http_app(
        runtime, title="Delivery", description="Signed e-results, postal delivery and pickup."
    )


def run() -> None:
    build_and_run(build, DeliverySettings())
