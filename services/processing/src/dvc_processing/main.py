"""Composition root of the processing service."""

from __future__ import annotations

from dvc_contracts.topics import PROCESSING_DOSSIER
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.service import build_and_run, create_http_app, make_runtime
from fastapi import FastAPI

from . import consumers
from .api import deadlines
from .application import ProcessingApplication
from .settings import ProcessingSettings
from .translation import translate


def build(settings: ProcessingSettings | None = None) -> FastAPI:
    settings = settings or ProcessingSettings()
    catalog = CatalogReplica()
    app = ProcessingApplication(env=settings.eventstore_env(), catalog=catalog)
    runtime = make_runtime(settings, app, translate, produces=[PROCESSING_DOSSIER.name])
    runtime.catalog = catalog
    consumers.register(runtime.broker, runtime.inbox)
    return create_http_app(
        runtime,
        deadlines.router(catalog),
        title="Processing",
        description="Police units receive and decide dossiers under legal deadlines.",
    )


def run() -> None:
    build_and_run(build, ProcessingSettings())
