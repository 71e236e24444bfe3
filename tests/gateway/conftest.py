"""Stand-ins for the seven services behind a real nginx: each answers every request with what it
received, so a test sees exactly what the gateway passed on (method, path, headers, body size)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class _Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart
    service = ""
    seen: list[dict[str, Any]]

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        record = {
            "service": self.service,
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body_bytes": length,
        }
        self.seen.append(record)
        body = json.dumps(record).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *_: Any) -> None:
        pass


@contextmanager
def echo_services(ports: dict[str, int]) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """One echo server per service on `ports`; yields what each has seen so far."""
    servers = []
    seen: dict[str, list[dict[str, Any]]] = {}
    for service, port in ports.items():
        seen[service] = []
        handler = type(f"Echo_{service}", (_Echo,), {"service": service, "seen": seen[service]})
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield seen
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def echoes(request: pytest.FixtureRequest) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Echo services on the test module's `PORTS`."""
    with echo_services(request.module.PORTS) as seen:
        yield seen
