"""HTTP clients for calls to another service or an outside system: one pooled client per
target, with timeouts, bounded retries and the trace carried on.

- Pooled: a client keeps its connections open between calls (a new client per call pays a TCP
  handshake, and TLS where there is one, every time).
- Timeouts: `timeout` for the whole of each phase (connect, write, read, pool), connecting
  bounded more tightly, since a target that does not accept a connection at once is down.
- Retries: only a connection that could not be made is tried again (httpx's transport retries,
  with a short back-off), so a request is never sent twice: the calls here are not all
  idempotent (a refund, a payment query). What to do about a failed answer is the caller's.
- Traces: OpenTelemetry's httpx instrumentation makes a client span for each request, named for
  its target (`POST identity`, with `peer.service`), and sends `traceparent` along, so the
  server's span continues the caller's trace.

An `httpx.AsyncClient` belongs to the event loop it first ran on; code that is called from more
than one loop (worker threads with loops of their own, tests) takes `AsyncClients`, one client
per loop.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

import httpx
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.trace import Span

DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 2  # connection attempts after the first
CONNECT_TIMEOUT = 2.0
LIMITS = httpx.Limits(max_connections=50, max_keepalive_connections=20, keepalive_expiry=30)


def _options(base_url: str, timeout: float, headers: Mapping[str, str] | None) -> dict[str, Any]:
    """What a client is made with besides its transport, sync or async alike."""
    return {
        "base_url": base_url,
        "timeout": httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
        "headers": dict(headers or {}),
    }


def _naming(target: str) -> Callable[[Span, Any], None]:
    """Name each client span for the target (the method alone says little in a trace)."""

    def name(span: Span, request: Any) -> None:
        if span.is_recording():
            span.update_name(f"{request.method.decode()} {target}")
            span.set_attribute("peer.service", target)

    return name


def _async(hook: Callable[[Span, Any], None]) -> Callable[[Span, Any], Coroutine[Any, Any, None]]:
    async def run(span: Span, request: Any) -> None:
        hook(span, request)

    return run


def client(
    base_url: str,
    *,
    target: str,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    headers: Mapping[str, str] | None = None,
) -> httpx.Client:
    """A pooled, traced client for calls from worker threads to `target` (a service's name)."""
    transport = httpx.HTTPTransport(retries=retries, limits=LIMITS)
    made = httpx.Client(transport=transport, **_options(base_url, timeout, headers))
    HTTPXClientInstrumentor.instrument_client(made, request_hook=_naming(target))
    return made


class AsyncClients:
    """One target's pooled, traced async client for whichever event loop calls (a client belongs
    to its loop): made on first use in a loop, forgotten with the loop."""

    def __init__(
        self,
        base_url: str = "",
        *,
        target: str,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.retries = retries
        self._options = _options(base_url, timeout, headers)
        self._hook = _async(_naming(target))
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
            weakref.WeakKeyDictionary()
        )

    def __call__(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        made = self._by_loop.get(loop)
        if made is None or made.is_closed:
            transport = httpx.AsyncHTTPTransport(retries=self.retries, limits=LIMITS)
            made = httpx.AsyncClient(transport=transport, **self._options)
            HTTPXClientInstrumentor.instrument_client(made, request_hook=self._hook)
            self._by_loop[loop] = made
        return made

    async def aclose(self) -> None:
        """Close the client of the running loop (the others go with their loops)."""
        made = self._by_loop.pop(asyncio.get_running_loop(), None)
        if made is not None:
            await made.aclose()
