"""Composition root of the catalog service."""

from __future__ import annotations

from dvc_kernel.envelopes import Outgoing
from dvc_kernel.service import build_and_run, create_http_app, make_runtime
from fastapi import FastAPI

from .application import CatalogApplication
from .settings import CatalogSettings


def translate(event: object) -> Outgoing | None:
    """Procedure versions go on the compacted topic once the catalog is event-sourced."""
    return None


def build(settings: CatalogSettings | None = None) -> FastAPI:
    settings = settings or CatalogSettings()
    app = CatalogApplication(env=settings.eventstore_env())
    runtime = make_runtime(settings, app, translate, produces=[])
    return create_http_app(
        runtime,
        title="Catalog",
        description="Procedures, forms, fees, deadlines and police units, versioned.",
    )


def run() -> None:
    build_and_run(build, CatalogSettings())
