"""Bodies are bounded before any work, and not read at all for a caller who is not signed in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi import APIRouter, UploadFile
from fastapi.testclient import TestClient
from pydantic import BaseModel

from dvc_kernel.application import ServiceApplication
from dvc_kernel.auth.fastapi import CurrentPrincipal
from dvc_kernel.limits import DEFAULT_BODY_LIMIT, MIB
from dvc_kernel.service import create_http_app, make_runtime
from dvc_kernel.settings import ServiceSettings
from dvc_testing.tokens import TestTokens

TOKENS = TestTokens()
UPLOAD_LIMIT = 2 * MIB


class LimitsSettings(ServiceSettings):
    service_name: ClassVar[str] = "limits"
    default_port: ClassVar[int] = 18898


class Command(BaseModel):
    name: str


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = ServiceApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    runtime = make_runtime(
        LimitsSettings(data_dir=Path(tmp_path_factory.mktemp("limits"))), app, lambda e: None, []
    )
    router = APIRouter()

    @router.post("/v1/files")
    async def upload(file: UploadFile, principal: CurrentPrincipal) -> dict[str, int]:
        return {"size": len(await file.read())}

    @router.post("/v1/commands")
    async def command(body: Command) -> dict[str, str]:
        return {"name": body.name}

    http = create_http_app(
        runtime, router, title="Limits", verifier=TOKENS.verifier(), body_limits={"/v1/files": UPLOAD_LIMIT}
    )
    yield TestClient(http, raise_server_exceptions=False)
    app.close()


async def call(client: TestClient, path: str, headers: dict[str, str], body: Chunks) -> int:
    """The request as a server hands it over, chunk by chunk (the test client reads a body
    whole before the app sees it, which would hide what is read and when)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    chunks = iter(body)
    status = 0

    async def receive() -> dict[str, Any]:
        chunk = next(chunks, None)
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await client.app(scope, receive, send)  # type: ignore[arg-type]
    return status


class Chunks:
    """A chunked body of `count` chunks of 1 MiB, counting how many were taken."""

    def __init__(self, count: int, head: bytes = b"") -> None:
        self.count = count
        self.head = head
        self.taken = 0

    def __iter__(self) -> Iterator[bytes]:
        for i in range(self.count):
            self.taken += 1
            yield (self.head if i == 0 else b"") + b"x" * MIB


# A well-formed multipart file part, whose content goes on and on.
PART = (
    b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-"
)


def multipart(size: int) -> dict[str, Any]:
    return {"files": {"file": ("a.pdf", b"%PDF-" + b"0" * size, "application/pdf")}}


def test_a_declared_body_over_the_limit_is_413_at_once(client: TestClient) -> None:
    headers = {"Content-Length": str(400 * MIB), **TOKENS.headers("citizen")}
    answer = client.post("/v1/files", content=Chunks(1), headers=headers)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "request_too_large" and "tối đa 2 MB" in answer.json()["detail"]


async def test_an_unauthenticated_chunked_upload_is_401_before_its_body_is_read(client: TestClient) -> None:
    body = Chunks(400)  # 400 MiB, were it read
    multipart = {"Content-Type": "multipart/form-data; boundary=x", "Transfer-Encoding": "chunked"}
    assert await call(client, "/v1/files", multipart, body) == 401
    assert body.taken == 0
    forged = Chunks(400)
    assert await call(client, "/v1/files", {**multipart, "Authorization": "Bearer forged"}, forged) == 401
    assert forged.taken == 0
    declared = client.post("/v1/files", content=b"x" * 100_000, headers={"Content-Length": str(400 * MIB)})
    assert declared.status_code == 401  # who is asking comes first, then the size


async def test_a_chunked_body_is_cut_at_the_limit(client: TestClient) -> None:
    body = Chunks(400, head=PART)
    headers = {"Content-Type": "multipart/form-data; boundary=x", **TOKENS.headers("citizen")}
    assert await call(client, "/v1/files", headers, body) == 413
    assert body.taken == 2  # stopped at the chunk that passed 2 MiB, not at 400


def test_within_the_limits_everything_works(client: TestClient) -> None:
    answer = client.post("/v1/files", headers=TOKENS.headers("citizen"), **multipart(MIB))
    assert answer.status_code == 200 and answer.json() == {"size": MIB + 5}
    assert client.post("/v1/commands", json={"name": "a"}).json() == {"name": "a"}


async def test_a_json_body_over_the_default_limit_is_413_before_it_is_parsed(client: TestClient) -> None:
    big = b'{"name": "' + b"a" * (50 * 1000 * 1000) + b'"}'  # 50 MB
    answer = client.post("/v1/commands", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and "tối đa 1 MB" in answer.json()["detail"]
    chunked = Chunks(50)
    assert await call(client, "/v1/commands", {"Content-Type": "application/json"}, chunked) == 413
    assert chunked.taken == 2
    assert DEFAULT_BODY_LIMIT == MIB
