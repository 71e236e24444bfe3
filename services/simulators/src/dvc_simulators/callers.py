"""What the simulators of outside providers share: an app whose background callbacks (delivery
reports, postal events) stop with it, and the provider's check of its client's API key."""

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


def api_key_of(secret: str) -> Any:
    """A route dependency: the caller presents `Authorization: Bearer <secret>`, or gets 401."""

    def client_is_known(authorization: Annotated[str | None, Header()] = None) -> None:
        key = (authorization or "").removeprefix("Bearer ").strip()
        if not secret_matches(key, secret):
            raise HTTPException(401, "unknown API key")

    return Depends(client_is_known)
