"""A small HTTP/1.1 client over asyncio protocols, for requests on the per-message path: keep-alive
connections (plain or TLS), JSON bodies, answers with a Content-Length or chunked, and the
caller's trace context carried on (`traceparent`).

Why not httpx there: httpx spends about a millisecond of CPU per request, this a few tens of
microseconds (`python -m bench.sms_client_cost` measures both). Notify sends every SMS through it
to the provider, intake asks identity's registry about every lodging guest through it, and the
load generator of `make bench`, which shares the cores with the system it measures, sends every
request through it. Calls that are not per message (an OTP, a result document, a postal order)
keep the pooled httpx clients of `http_clients`.

A client made with a `target` (a service's name) makes a client span for each request, named and
marked as `http_clients` names its spans (`POST identity`, `peer.service`), whose context the
server's span continues.

A request is sent again only when a kept-alive connection turns out closed before any answer
(`stale`); callers send requests that are idempotent by key (an SMS's client reference, an
idempotency key), so a repeat changes nothing.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

from opentelemetry import propagate, trace

_tracer = trace.get_tracer(__name__)
IDLE_EXPIRY = 2.0  # s: dropped before the server's keep-alive timeout (uvicorn: 5 s) closes them


class HTTPError(Exception):
    """No answer: the connection failed, closed early, or the answer was not HTTP."""

    def __init__(self, message: str, stale: bool = False) -> None:
        super().__init__(message)
        self.stale = stale  # a kept-alive connection the server closed before answering: try again


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def parse(buffer: bytearray) -> tuple[Response, int, bool] | None:
    """The first complete answer in `buffer`: the answer, how many bytes it took and whether
    the server closes the connection after it; None while incomplete."""
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    lines = bytes(buffer[:head_end]).split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise HTTPError(f"not an HTTP answer: {lines[0][:80]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    closes = headers.get(b"connection", b"").lower() == b"close" or parts[0] == b"HTTP/1.0"
    start = head_end + 4
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        body, end = _chunked(buffer, start)
        if end < 0:
            return None
        return Response(int(parts[1]), body), end, closes
    length = int(headers.get(b"content-length", b"0"))
    if len(buffer) < start + length:
        return None
    return Response(int(parts[1]), bytes(buffer[start : start + length])), start + length, closes


def _chunked(buffer: bytearray, at: int) -> tuple[bytes, int]:
    """The body of a chunked answer starting at `at`, and where it ends (-1: incomplete)."""
    body = bytearray()
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return b"", -1
        size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
        at = line_end + 2
        if size == 0:  # no trailers from the servers we measure: the final CRLF follows
            return (bytes(body), at + 2) if len(buffer) >= at + 2 else (b"", -1)
        if len(buffer) < at + size + 2:
            return b"", -1
        body += buffer[at : at + size]
        at += size + 2


class Connection(asyncio.Protocol):
    """One keep-alive connection: one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Response] | None = None
        self.closed = False
        self.used_at = time.monotonic()
        self.answered = 0  # answers received: a reused connection that fails before one is retried

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but they are transports
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            parsed = parse(self.buffer)
        except (HTTPError, ValueError) as error:
            self._fail(HTTPError(str(error)))
            return
        if parsed is not None:
            response, used, closes = parsed
            del self.buffer[:used]
            self.answered += 1
            if closes:
                self.close()
            self.waiter.set_result(response)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        stale = self.answered > 0 and not self.buffer
        self._fail(HTTPError(f"connection lost: {exc or 'closed by the server'}", stale))

    def _fail(self, error: HTTPError) -> None:
        self.close()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def send(self, request: bytes, patience: float) -> Response:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        try:
            async with asyncio.timeout(patience):
                return await self.waiter
        except TimeoutError:
            self.close()  # a late answer must not be taken for the next request's
            raise HTTPError(f"no answer within {patience:g} s") from None
        finally:
            self.waiter = None
            self.used_at = time.monotonic()


@dataclass
class _Pool:
    idle: list[Connection]
    slots: asyncio.Semaphore


class Client:
    """Requests to one server over a pool of keep-alive connections (at most `connections`;
    a request beyond waits for one, its wait counted in its latency)."""

    def __init__(
        self,
        host: str,
        port: int,
        connections: int = 512,
        timeout: float = 30.0,
        *,
        tls: ssl.SSLContext | None = None,
        prefix: str = "",
        headers: Mapping[str, str] | None = None,
        target: str | None = None,
    ) -> None:
        self.host, self.port, self.timeout, self.tls = host, port, timeout, tls
        self.target = target  # names the client spans; None: no span of its own
        self.prefix = prefix.rstrip("/")  # the base URL's path, before every request's
        default_port = 443 if tls else 80
        authority = host if port == default_port else f"{host}:{port}"
        self.head = f"Host: {authority}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.connections = connections
        # Connections and the semaphore belong to the event loop they were made on; a client
        # shared by code running on several loops (notify's dispatcher and its OTP route) keeps
        # a pool per loop.
        self.pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pool] = weakref.WeakKeyDictionary()
        self.opened = 0  # connections opened so far: few, when keep-alive works

    @classmethod
    def for_url(
        cls,
        base_url: str,
        *,
        connections: int = 64,
        timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
        ca_file: str | None = None,
        target: str | None = None,
    ) -> Client:
        """A client of `http://` or `https://` `base_url` (its path prefixes every request's)."""
        url = urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        tls = ssl.create_default_context(cafile=ca_file) if url.scheme == "https" else None
        port = url.port or (443 if tls else 80)
        return cls(
            url.hostname, port, connections, timeout, tls=tls, prefix=url.path, headers=headers, target=target
        )

    def _pool(self) -> _Pool:
        loop = asyncio.get_running_loop()
        pool = self.pools.get(loop)
        if pool is None:
            pool = self.pools[loop] = _Pool([], asyncio.Semaphore(self.connections))
        return pool

    async def _connection(self, idle: list[Connection]) -> Connection:
        now = time.monotonic()
        while idle:
            connection = idle.pop()  # the most recently used: its peers may expire unused
            # bytes on an idle connection (a server's 408 before it closes) would be read as
            # the next request's answer: such a connection is not reused
            if not connection.closed and not connection.buffer and now - connection.used_at < IDLE_EXPIRY:
                return connection
            connection.close()
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.timeout):  # a host that never answers the SYN
                _, connection = await loop.create_connection(
                    Connection,
                    self.host,
                    self.port,
                    ssl=self.tls,
                    server_hostname=self.host if self.tls else None,
                )
        except (OSError, ssl.SSLError, TimeoutError) as error:
            raise HTTPError(f"cannot connect: {error or 'timed out'}") from None
        self.opened += 1
        return connection

    async def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> Response:
        if self.target is None:
            return await self._post(path, body, headers)
        attributes = {"peer.service": self.target, "http.request.method": "POST", "server.address": self.host}
        name = f"POST {self.target}"
        with _tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT, attributes=attributes) as span:
            answer = await self._post(path, body, headers)
            if span.is_recording():
                span.set_attribute("http.response.status_code", answer.status)
            return answer

    async def _post(self, path: str, body: bytes, headers: Mapping[str, str]) -> Response:
        carried: dict[str, str] = {}
        propagate.inject(carried)  # the caller's trace, if any: the server's spans continue it
        head = "".join(f"{name}: {value}\r\n" for name, value in (*headers.items(), *carried.items()))
        request = (
            f"POST {self.prefix}{path} HTTP/1.1\r\n{self.head}Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{head}\r\n"
        ).encode() + body
        pool = self._pool()
        async with pool.slots:
            try:
                return await self._exchange(request, pool.idle)
            except HTTPError as error:
                if not error.stale:
                    raise
                # The server closed a kept-alive connection as we reused it: once more on a new
                # one (callers' requests are idempotent by key, so a repeat changes nothing).
                return await self._exchange(request, pool.idle)

    async def _exchange(self, request: bytes, idle: list[Connection]) -> Response:
        connection = await self._connection(idle)
        response = await connection.send(request, self.timeout)
        if not connection.closed:
            idle.append(connection)
        return response

    def close(self) -> None:
        for loop, pool in list(self.pools.items()):
            idle, pool.idle = pool.idle, []
            if not loop.is_closed():  # a closed loop's connections went with it
                for connection in idle:
                    connection.close()
