"""Composition root of the processing service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_contracts.topics import (
    PROCESSING_ACCESS,
    PROCESSING_COMPLAINT,
    PROCESSING_DOSSIER,
    PROCESSING_LODGING,
)
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from . import consumers
from .api import complaints, deadlines, officer, stream, tracking
from .application import ProcessingApplication
from .audit.access import with_access
from .board import Board
from .metrics import DeadlineGauges
from .settings import ProcessingSettings
from .translation import translate
from .watcher import DeadlineWatcher


def build(settings: ProcessingSettings | None = None) -> FastAPI:
    settings = settings or ProcessingSettings()
    catalog = CatalogReplica()
    app = ProcessingApplication(env=settings.eventstore_env(), catalog=catalog)
    runtime = make_runtime(
        settings,
        app,
        with_access(translate),  # staff reads are published too (processing.access.v1)
        produces=[
            PROCESSING_DOSSIER.name,
            PROCESSING_LODGING.name,
            PROCESSING_COMPLAINT.name,
            PROCESSING_ACCESS.name,
        ],
    )
    runtime.catalog = catalog
    consumers.register(runtime.broker, runtime.inbox)
    board = Board(app)
    runtime.background += [board.run, DeadlineWatcher(app, board, settings.deadline_check_seconds).run]
    runtime.background.append(DeadlineGauges(board).run)  # due soon / overdue per unit: metrics
    return create_http_app(
        runtime,
        officer.router(app),
        tracking.router(app, board),
        complaints.router(app, board),
        deadlines.router(catalog),
        stream.router(app, board, runtime.relay.translate),
        title="Processing",
        description="Police units receive and decide dossiers under legal deadlines.",
    )


def run() -> None:
    build_and_run(build, ProcessingSettings())
