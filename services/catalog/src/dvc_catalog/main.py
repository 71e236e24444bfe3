"""Composition root of the catalog service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_contracts.topics import CATALOG_PROCEDURE, CATALOG_UNIT
from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from .api import build_router
from .application import CatalogApplication
from .publishing import Publisher
from .settings import CatalogSettings
from .translation import translate


def build(settings: CatalogSettings | None = None) -> FastAPI:
    settings = settings or CatalogSettings()
    app = CatalogApplication(env=settings.eventstore_env())
    runtime = make_runtime(settings, app, translate, produces=[CATALOG_PROCEDURE.name, CATALOG_UNIT.name])
    publisher = Publisher(app, settings.data_files, settings.watch_seconds)
    publisher.load_and_publish()  # a broken data set stops the service here, naming the file
    runtime.background.append(publisher.watch)
    # Ready once what the data files say is on the topics, so replicas can catch up to it.
    runtime.checks["catalog_published"] = lambda: runtime.relay.position >= publisher.published_up_to
    return create_http_app(
        runtime,
        build_router(publisher.current),
        title="Catalog",
        description="Procedures, forms, fees, deadlines and police units, versioned.",
    )


def run() -> None:
    build_and_run(build, CatalogSettings())
