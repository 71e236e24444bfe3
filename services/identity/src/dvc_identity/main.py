"""Composition root of the identity service."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI

from dvc_contracts.topics import IDENTITY_ACCOUNT
from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.auth.verifier import TokenVerifier
from dvc_kernel.clock import VIETNAM, Clock, SystemClock
from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from .api import accounts, registrations, registry, sessions, staff
from .application import Collaborators, IdentityApplication
from .divisions import unit_exists
from .keystore import KeyStore
from .notify_client import NotifyOtpSender
from .registry_replica import RegistryReplica, ensure_seed
from .settings import IdentitySettings
from .tokens import TokenIssuer
from .translation import translate

log = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 30.0


def compose(settings: IdentitySettings, clock: Clock | None = None) -> IdentityApplication:
    """The application with its collaborators, as the service and the operator commands use it."""
    clock = clock or SystemClock()
    path = settings.registry_path
    if settings.registry_csv is None and ensure_seed(path):
        log.info("wrote the generated registry seed to %s", path)
    if not path.exists():
        raise FileNotFoundError(f"IDENTITY_REGISTRY_CSV names a missing file: {path}")
    tools = Collaborators(
        registry=RegistryReplica.from_file(path, today=clock.now().astimezone(VIETNAM).date()),
        otp_key=settings.otp_key_bytes(),
        sms=NotifyOtpSender(settings.notify_base_url, settings.service_secret()),
        keys=KeyStore(
            settings.keyring_path,
            settings.keyring_password_bytes(),
            clock,
            rotate_every=timedelta(days=settings.key_rotation_days),
        ),
        issuer=TokenIssuer(issuer=settings.issuer, audience=settings.audience),
        clock=clock,
        unit_exists=unit_exists,
        service_secret=settings.service_secret(),
    )
    return IdentityApplication(env=settings.eventstore_env(), tools=tools)


def housekeeping(app: IdentityApplication) -> Callable[[], Awaitable[None]]:
    """Every 30 s: pick up keys rotated by another instance (or rotate when due), and a new
    registry extract loaded by an operator."""

    async def run() -> None:
        tools = app.tools
        while True:
            await asyncio.sleep(HOUSEKEEPING_SECONDS)
            await asyncio.to_thread(tools.keys.refresh)
            today = tools.clock.now().astimezone(VIETNAM).date()
            await asyncio.to_thread(tools.registry.reload_if_changed, today)

    return run


def build(settings: IdentitySettings | None = None, app: IdentityApplication | None = None) -> FastAPI:
    """The HTTP service; ``app`` replaces the composed application (tests inject collaborators)."""
    settings = settings or IdentitySettings()
    app = app or compose(settings)
    runtime = make_runtime(settings, app, translate, produces=[IDENTITY_ACCOUNT.name])
    runtime.background.append(housekeeping(app))
    http = create_http_app(
        runtime,
        registrations.router(app),
        sessions.router(app),
        accounts.router(app),
        staff.router(app),
        registry.router(app, settings.service_secret()),
        title="Identity",
        description="Accounts, OTP, tokens and the population registry replica.",
    )
    tools = app.tools  # identity checks its own tokens in-process, against its own key ring
    verifier = TokenVerifier(
        tools.keys, issuer=tools.issuer.issuer, audience=tools.issuer.audience, clock=tools.clock.now
    )
    install_auth(http, verifier)
    return http


def run() -> None:
    build_and_run(build, IdentitySettings())
