"""An ASGI app served for real, on a free port of this loop, for clients that speak HTTP over
sockets (not through an in-process transport)."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import uvicorn

from .stack import is_ready


@contextlib.asynccontextmanager
async def serving(app: Any, *, tls: tuple[Path, Path] | None = None) -> AsyncIterator[str]:
    """Yields the app's base URL (`https://localhost:…` with `tls`: certificate and key files)."""
    certfile, keyfile = tls if tls else (None, None)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, ssl_certfile=certfile, ssl_keyfile=keyfile
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(20):
            while not server.started:  # noqa: ASYNC110 (uvicorn sets a flag, no event to wait on)
                await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path | None = None, timeout: float = 30
) -> None:
    """Until `url`/healthz answers 200; a process that exits or takes longer is killed and its
    log (if any) is the error."""
    deadline = time.monotonic() + timeout
    while not is_ready(url, "/healthz"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(log.read_text() if log else f"{url} did not start")
        time.sleep(0.1)
