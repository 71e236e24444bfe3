"""Calls to another service go through one pooled client per target: the caller's trace goes
along (`traceparent`, and a client span as child of the caller's span), a connection that
cannot be made is tried again a bounded number of times, and a slow answer times out."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from dvc_kernel import http_clients
from dvc_kernel.telemetry import spans
from dvc_testing.traces import recorded_spans

SEEN: list[dict[str, str]] = []


class Answering(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        SEEN.append(dict(self.headers.items()))
        if self.path == "/slow":
            time.sleep(0.5)
        body = b'{"ok": true}'
        with contextlib.suppress(OSError):  # a client that timed out has hung up
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_call_carries_the_callers_trace_as_a_client_span(server: str) -> None:
    recorded = recorded_spans()
    SEEN.clear()
    tracer = trace.get_tracer("test")
    with (
        http_clients.client(server, target="identity") as client,
        tracer.start_as_current_span("intake submit") as caller,
    ):
        assert client.get("/v1/registry/match").status_code == 200
    (span,) = [s for s in recorded.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert span.name == "GET identity" and span.attributes is not None
    assert span.attributes["peer.service"] == "identity"
    assert span.parent is not None and span.parent.span_id == caller.get_span_context().span_id
    assert span.context.trace_id == caller.get_span_context().trace_id
    trace_id, span_id = f"{span.context.trace_id:032x}", f"{span.context.span_id:016x}"
    # the server continues it: this span is its parent, and the trace is sampled
    assert SEEN[-1]["traceparent"].startswith(f"00-{trace_id}-{span_id}-")
    assert spans.sampled({"traceparent": SEEN[-1]["traceparent"]})


async def test_one_async_client_per_event_loop_and_it_is_reused(server: str) -> None:
    clients = http_clients.AsyncClients(server, target="identity")
    first = clients()
    assert clients() is first
    assert (await first.get("/")).status_code == 200

    def in_another_loop() -> httpx.AsyncClient:
        async def call() -> httpx.AsyncClient:
            made = clients()
            await made.get("/")
            await clients.aclose()
            return made

        return asyncio.run(call())

    assert await asyncio.to_thread(in_another_loop) is not first
    await clients.aclose()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nobody listens on it now


def test_a_refused_connection_is_tried_again_a_bounded_number_of_times() -> None:
    attempts: list[str] = []
    transport = http_clients.client(f"http://127.0.0.1:{closed_port()}", target="nobody", retries=2)
    original = transport._transport._pool._network_backend.connect_tcp  # type: ignore[attr-defined]

    def counting(*args: object, **kwargs: object) -> object:
        attempts.append("connect")
        return original(*args, **kwargs)

    transport._transport._pool._network_backend.connect_tcp = counting  # type: ignore[attr-defined]
    with transport, pytest.raises(httpx.ConnectError):
        transport.get("/")
    assert len(attempts) == 3  # the first and two more


def test_a_slow_answer_times_out(server: str) -> None:
    with (
        http_clients.client(server, target="identity", timeout=0.1) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.get("/slow")
