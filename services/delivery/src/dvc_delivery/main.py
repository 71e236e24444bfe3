"""Composition root of the delivery service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_contracts.topics import DELIVERY_RESULT
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.local_secrets import service_secret
from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from . import consumers
from .adapters.postal_client import HttpPostalProvider
from .adapters.postal_dispatcher import PostalDispatcher
from .adapters.postal_protocol import shared_secret
from .adapters.signing import LocalCa
from .api import pickup, postal_webhook, results, verify
from .application import DeliveryApplication
from .settings import DeliverySettings
from .translation import translate


def build(settings: DeliverySettings | None = None) -> FastAPI:
    settings = settings or DeliverySettings()
    catalog = CatalogReplica()
    app = DeliveryApplication(
        env=settings.eventstore_env(),
        signer=LocalCa(settings.service_dir / "ca"),
        verify_url=settings.verify_url_template,
        catalog=catalog,
    )
    runtime = make_runtime(settings, app, translate, produces=[DELIVERY_RESULT.name])
    runtime.catalog = catalog
    consumers.register(runtime.broker, runtime.inbox)
    postal_secret = shared_secret(settings.data_dir)
    post = HttpPostalProvider(settings.postal_api_url, postal_secret)
    runtime.background.append(PostalDispatcher(app, post).run)
    return create_http_app(
        runtime,
        results.router(app),
        results.internal_router(app, service_secret(settings.data_dir)),
        verify.router(app),
        pickup.router(app),
        postal_webhook.router(app, postal_secret),
        title="Delivery",
        description="Signed e-results, postal delivery and pickup.",
        body_limits={r"/v1/verify": verify.MAX_PDF_BYTES + 64 * 1024},  # a PDF to check, multipart
    )


def run() -> None:
    build_and_run(build, DeliverySettings())
