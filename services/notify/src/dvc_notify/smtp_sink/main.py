"""The SMTP sink process: aiosmtpd and the HTTP listing on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI

from dvc_kernel.errors import install_error_handlers
from dvc_kernel.settings import REPO_ROOT

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
    import uvicorn

    from dvc_kernel.logs import configure_logging

    configure_logging()
    host = os.environ.get("SMTP_SINK_HOST", "127.0.0.1")
    smtp_port = int(os.environ.get("SMTP_SINK_PORT", "8114"))
    http_port = int(os.environ.get("SMTP_SINK_HTTP_PORT", "8113"))
    data_dir = Path(os.environ.get("DVC_DATA_DIR", str(REPO_ROOT / "var" / "data")))
    store = MailStore(data_dir / "smtp-sink" / "mail.sqlite3")
    uvicorn.run(build(store, host, smtp_port), host=host, port=http_port, log_config=None)
