"""The lean HTTP client of notify's SMS and the load generator: keep-alive, both ways of framing
a body, a connection the server closed between two requests, TLS, and the trace carried on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio
import uvloop

from dvc_kernel.lean_http import Client, HTTPError, parse

Answer = Callable[[bytes], tuple[bytes, bool]]  # request -> raw answer, close after it


def ok(body: bytes = b'{"ok":true}') -> bytes:
    return b"HTTP/1.1 201 Created\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)


class Server:
    """Answers each request with `answer(request)`; counts connections and requests."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests: list[bytes] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                raw, close = self.answer(request)
                writer.write(raw)
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


Serve = Callable[[Answer], Awaitable[tuple[Server, Client]]]


@pytest_asyncio.fixture
async def serve() -> AsyncIterator[Serve]:
    servers: list[asyncio.Server] = []
    clients: list[Client] = []

    async def start(answer: Answer) -> tuple[Server, Client]:
        server = Server(answer)
        listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        servers.append(listening)
        client = Client("127.0.0.1", listening.sockets[0].getsockname()[1], timeout=5)
        clients.append(client)
        return server, client

    yield start
    for client in clients:
        client.close()
    for listening in servers:
        listening.close()


async def test_requests_reuse_one_kept_alive_connection(
    serve: Serve,
) -> None:
    server, client = await serve(lambda request: (ok(), False))
    headers = {"Authorization": "Bearer t", "Idempotency-Key": "k-1"}
    first = await client.post("/v1/dossiers", b'{"a":1}', headers)
    second = await client.post("/v1/dossiers", b'{"a":2}', headers)
    assert (first.status, first.body, second.body) == (201, b'{"ok":true}', b'{"ok":true}')
    assert server.connections == 1 and client.opened == 1
    assert server.requests[0].startswith(b"POST /v1/dossiers HTTP/1.1\r\n")
    assert b"\r\nIdempotency-Key: k-1\r\n" in server.requests[0] and server.requests[1].endswith(b'{"a":2}')


async def test_a_chunked_answer_is_read_whole(
    serve: Serve,
) -> None:
    chunked = b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n'
    _, client = await serve(lambda request: (chunked, False))
    answer = await client.post("/", b"{}", {})
    assert (answer.status, answer.body) == (200, b'{"a":1}')


async def test_a_connection_the_server_closed_is_replaced_and_the_request_sent_again(
    serve: Serve,
) -> None:
    server, client = await serve(lambda request: (ok(), True))  # closes after every answer
    await client.post("/", b"{}", {})
    await asyncio.sleep(0.05)
    assert (await client.post("/", b"{}", {})).status == 201
    assert server.connections == 2 and len(server.requests) == 2


async def test_one_client_serves_code_running_on_two_event_loops_uvloops_too(serve: Serve) -> None:
    # notify's dispatcher and its OTP route share the SMS client from different loops; the
    # services run on uvloop, whose transports are not asyncio's classes
    server, client = await serve(lambda request: (ok(), False))
    here = await client.post("/", b"{}", {})
    there = await asyncio.to_thread(uvloop.run, client.post("/", b"{}", {}))
    again = await client.post("/", b"{}", {})
    assert (here.status, there.status, again.status) == (201, 201, 201)
    assert server.connections == 2  # one per loop, each kept alive


async def test_what_a_server_says_on_an_idle_connection_is_never_taken_for_an_answer(serve: Serve) -> None:
    timeout = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n\r\n"
    server, client = await serve(lambda request: (ok() + timeout, False))  # one answer too many
    await client.post("/", b"{}", {})
    await asyncio.sleep(0.05)
    assert (await client.post("/", b"{}", {})).status == 201
    assert server.connections == 2


async def test_no_answer_at_all_is_an_error() -> None:
    client = Client("127.0.0.1", 1, timeout=1)  # nothing listens on port 1
    with pytest.raises(HTTPError):
        await client.post("/", b"{}", {})


def test_an_answer_is_parsed_only_once_complete_and_what_follows_is_left() -> None:
    whole = ok(b"abc")
    assert parse(bytearray(whole[:-1])) is None
    buffer = bytearray(whole + b"HTTP/1.1 20")
    parsed = parse(buffer)
    assert parsed is not None
    response, used, closes = parsed
    assert (response.status, response.body, closes) == (201, b"abc", False)
    assert bytes(buffer[used:]) == b"HTTP/1.1 20"
    closing = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\ncontent-length: 0\r\n\r\n"
    parsed = parse(bytearray(closing))
    assert parsed is not None and parsed[0].status == 503 and parsed[1:] == (len(closing), True)
