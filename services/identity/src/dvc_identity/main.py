"""Composition root of the identity service."""

from __future__ import annotations

from dvc_kernel.service import build_and_run, create_http_app, make_runtime
from fastapi import FastAPI

from .application import IdentityApplication
from .settings import IdentitySettings
from .translation import translate


def build(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()
    app = IdentityApplication(env=settings.eventstore_env())
    runtime = make_runtime(settings, app, translate, produces=[])
    return create_http_app(
        runtime,
        title="Identity",
        description="Accounts, OTP, tokens and the population registry replica.",
    )


def run() -> None:
    build_and_run(build, IdentitySettings())
