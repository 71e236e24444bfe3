"""What the simulators of outside providers share: an app whose background callbacks (delivery
reports, postal events) stop with it, the provider's check of its client's API key, and the
server that runs them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException

from dvc_kernel.local_secrets import secret_matches


def provider_app(
    title: str,
    service: str,
    tasks: set[asyncio.Task[None]],
    close: Callable[[], Awaitable[None]] | None = None,
) -> FastAPI:
    """The simulator's app with `GET /healthz`; its pending callbacks are cancelled at shutdown."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        for task in list(tasks):
            task.cancel()
        if close is not None:
            await close()

    app = FastAPI(title=title, lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    return app


def serve(app: FastAPI, host: str, port: int) -> None:
    """Run a simulator's app as the services run theirs (`dvc_kernel.server.serve`), with JSON
    logs. The simulators share the two cores with what `make bench` measures; the SMS
    provider's took an access log line for each of about two SMS and two reports per dossier."""
    from dvc_kernel.logs import configure_logging
    from dvc_kernel.server import serve as serve_quietly

    configure_logging()
    serve_quietly(app, host, port)


def api_key_of(secret: str) -> Any:
    """A route dependency: the caller presents `Authorization: Bearer <secret>`, or gets 401."""

    # async: a plain function would be run in a worker thread, a thread hop per request
    async def client_is_known(authorization: Annotated[str | None, Header()] = None) -> None:
        key = (authorization or "").removeprefix("Bearer ").strip()
        if not secret_matches(key, secret):
            raise HTTPException(401, "unknown API key")

    return Depends(client_is_known)
