"""CPU per HTTP request of the services' FastAPI stack (FastAPI with the kernel's error
handlers, auth and body limits) against a bare ASGI answer, for the same small JSON POST,
called in process: no socket, no uvicorn, no telemetry exporter. It tells how much of a
request's cost is the framework's.

    .venv/bin/python -m bench.http_stack_cost [N]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvloop
from fastapi import APIRouter, FastAPI, Request

from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.errors import install_error_handlers
from dvc_kernel.limits import BodyLimits
from dvc_kernel.telemetry.http import HTTP_TELEMETRY
from dvc_testing.tokens import TestTokens

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGI = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]
PATH = "/v1/sms/receipts"  # notify's delivery reports: about two a dossier
BODY = json.dumps({"sms_id": "SIM0000000001", "client_ref": "m-1", "status": "delivered"}).encode()


def services_stack() -> FastAPI:
    http = FastAPI(telemetry=HTTP_TELEMETRY)
    install_error_handlers(http)
    install_auth(http, TestTokens().verifier())
    http.add_middleware(
        BodyLimits,
        routes_of=lambda: http.router.routes,
        verifier_of=lambda: http.state.token_verifier,
        limits=None,
    )
    api = APIRouter()

    @api.post(PATH)
    async def receipt(request: Request) -> dict[str, bool]:
        json.loads(await request.body())
        return {"received": True}

    http.include_router(api)
    return http


async def bare(
    scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
) -> None:
    json.loads((await receive())["body"])
    out = b'{"received":true}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(out)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": out})


async def cpu_per_request(app: ASGI, n: int) -> float:
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"notify"),
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(BODY)),
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8107),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: Message) -> None:
        return None

    for _ in range(200):  # warm-up
        await app(dict(scope), receive, send)
    started = time.process_time()
    for _ in range(n):
        await app(dict(scope), receive, send)
    return (time.process_time() - started) / n * 1e6


async def main(n: int) -> None:
    for name, app in (("FastAPI + kernel middlewares", services_stack()), ("bare ASGI", bare)):
        print(f"{name:30} {await cpu_per_request(app, n):6.1f} µs CPU per request ({n} requests)")


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
