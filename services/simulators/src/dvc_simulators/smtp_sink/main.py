"""The SMTP sink process: aiosmtpd and the HTTP listing on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dvc_kernel.errors import install_error_handlers
from dvc_kernel.settings import REPO_ROOT

from ..callers import serve
from . import web
from .store import MailStore

log = logging.getLogger(__name__)


class Handler:
    """Accepts every message and stores it; the reply names the stored copy."""

    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        content = raw if isinstance(raw, bytes) else raw.encode()
        seq = await asyncio.to_thread(
            self.store.add, str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos], content
        )
        log.info("stored message %d for %d recipient(s)", seq, len(envelope.rcpt_tos))
        return f"250 OK queued as sink-{seq}"


def build(store: MailStore, host: str, smtp_port: int) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        handler = Handler(store)

        def protocol() -> Any:
            return SMTP(handler, hostname="smtp-sink.local", enable_SMTPUTF8=True, decode_data=False)

        server = await loop.create_server(protocol, host=host, port=smtp_port)
        log.info("SMTP sink listening on %s:%d", host, smtp_port)
        try:
            yield
        finally:
            server.close()
            await server.wait_closed()

    http = FastAPI(
        title="SMTP sink", description="Development only: e-mail received over SMTP.", lifespan=lifespan
    )
    install_error_handlers(http)
    http.include_router(web.router(store))
    return http


def run() -> None:
    settings = SmtpSinkSettings()
    store = MailStore(settings.data_dir / "smtp-sink" / "mail.sqlite3")
    serve(build(store, settings.host, settings.smtp_port), settings.host, settings.http_port)


class SmtpSinkSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    host: str = Field("127.0.0.1", validation_alias="SMTP_SINK_HOST")
    smtp_port: int = Field(8114, ge=1, le=65535, validation_alias="SMTP_SINK_PORT")
    http_port: int = Field(8113, ge=1, le=65535, validation_alias="SMTP_SINK_HTTP_PORT")
    data_dir: Path = Field(REPO_ROOT / "var" / "data", validation_alias="DVC_DATA_DIR")
