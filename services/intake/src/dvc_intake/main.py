"""Composition root of the intake service."""

from __future__ import annotations

from dvc_contracts.topics import INTAKE_DOSSIER
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.service import build_and_run, create_http_app, make_runtime
from fastapi import FastAPI

from .api.dossiers import router
from .application import IntakeApplication
from .settings import IntakeSettings
from .translation import translate


def build(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    catalog = CatalogReplica()
    app = IntakeApplication(env=settings.eventstore_env(), catalog=catalog)
    runtime = make_runtime(settings, app, translate, produces=[INTAKE_DOSSIER.name])
    runtime.catalog = catalog
    return create_http_app(
        runtime,
        router(app, runtime.relay.wakeup),
        title="Intake",
        description="Citizens file dossiers: forms, files and submission.",
    )


def run() -> None:
    build_and_run(build, IntakeSettings())
