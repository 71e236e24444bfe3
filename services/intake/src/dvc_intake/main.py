"""Composition root of the intake service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_contracts.topics import INTAKE_DOSSIER, INTAKE_LODGING
from dvc_kernel.auth.verifier import TokenVerifier
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import Clock
from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from . import consumers
from .api import dossiers, drafts, files, lodging
from .api.errors import install_intake_errors
from .api.uploads import MULTIPART_OVERHEAD
from .application import IntakeApplication
from .registry import HttpRegistryCheck, RegistryCheck
from .settings import IntakeSettings
from .storage import FileStore, LocalFileStore, S3FileStore
from .translation import translate


def file_store(settings: IntakeSettings) -> FileStore:
    if settings.file_store == "s3":
        if not settings.s3_bucket:
            raise ValueError("INTAKE_FILE_STORE=s3 needs INTAKE_S3_BUCKET")
        return S3FileStore.connect(
            settings.s3_bucket, settings.s3_prefix, settings.s3_endpoint_url, settings.s3_region
        )
    return LocalFileStore(settings.local_files_dir)


def build(
    settings: IntakeSettings | None = None,
    *,
    verifier: TokenVerifier | None = None,
    registry: RegistryCheck | None = None,
    files_store: FileStore | None = None,
    catalog: CatalogReplica | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The service; tests pass their own verifier, registry, store, catalog and clock."""
    settings = settings or IntakeSettings()
    catalog = catalog or CatalogReplica()
    registry = registry or HttpRegistryCheck(
        settings.identity_base_url, settings.service_secret(), settings.registry_timeout_seconds
    )
    app = IntakeApplication(
        env=settings.eventstore_env(),
        registry=registry,
        files=files_store or file_store(settings),
        clock=clock,
        catalog=catalog,
        max_upload_bytes=settings.max_upload_bytes,
        service_secret=settings.service_secret(),
    )
    app.migrate_portfolios()  # a store written before ADR 0018 keeps its lists
    runtime = make_runtime(settings, app, translate, produces=[INTAKE_DOSSIER.name, INTAKE_LODGING.name])
    runtime.catalog = catalog
    consumers.register(runtime.broker, runtime.inbox)
    http = create_http_app(
        runtime,
        drafts.router(app),
        dossiers.router(app),
        files.router(app),
        lodging.router(app),
        title="Intake",
        description="Citizens file dossiers (drafts, forms, files, submission), follow them, answer "
        "supplement requests, withdraw; hosts notify lodging.",
        verifier=verifier,
        # Uploads carry a file up to the limit, in multipart framing; everything else is JSON.
        body_limits={
            r"/v1/files": settings.max_upload_bytes + MULTIPART_OVERHEAD,
            r"/v1/drafts/[^/]+/attachments": settings.max_upload_bytes + MULTIPART_OVERHEAD,
        },
    )
    install_intake_errors(http)
    return http


def run() -> None:
    build_and_run(build, IntakeSettings())
