"""Intake asks identity's registry over HTTP, from the event loop and from worker threads alike,
and the question is part of the caller's trace: identity's span continues intake's."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
import pytest_asyncio
from fastapi import FastAPI, Request
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from dvc_intake.adapters.registry import DeclaredPerson, HttpRegistryCheck, RegistryUnavailable
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER
from dvc_testing.serving import serving
from dvc_testing.traces import recorded_spans

SECRET = "bi-mat-giua-cac-dich-vu-thu-nghiem"
MINH = DeclaredPerson("079203001234", "Trần Văn Minh", date(2003, 5, 14))
SEEN: list[dict[str, Any]] = []


def registry() -> FastAPI:
    app = FastAPI()

    @app.post("/v1/registry/match")
    async def match(request: Request) -> Any:
        SEEN.append({"headers": dict(request.headers), "body": await request.json()})
        if request.headers.get(SERVICE_SECRET_HEADER) != SECRET:
            return {"matched": False, "code": "forbidden"}
        matched = (await request.json())["id_number"] == MINH.id_number
        return {"matched": matched, "code": None if matched else "registry.mismatch", "message": None}

    return app


@pytest_asyncio.fixture
async def checker() -> AsyncIterator[HttpRegistryCheck]:
    SEEN.clear()
    async with serving(registry()) as url:
        check = HttpRegistryCheck(url, SECRET)
        yield check
        check.close()


async def test_the_registry_is_asked_from_the_event_loop_and_from_worker_threads(
    checker: HttpRegistryCheck,
) -> None:
    on_the_loop = await checker.check_async(MINH)
    from_a_thread = await asyncio.to_thread(checker.check, MINH)
    stranger = await asyncio.to_thread(
        checker.check, DeclaredPerson("001099000001", "Lê Văn A", date(1999, 1, 1))
    )
    assert (on_the_loop.matched, from_a_thread.matched, stranger.matched) == (True, True, False)
    assert stranger.code == "registry.mismatch"
    assert SEEN[0]["body"] == {
        "id_number": MINH.id_number,
        "full_name": MINH.full_name,
        "date_of_birth": "2003-05-14",
    }
    assert all(s["headers"][SERVICE_SECRET_HEADER.lower()] == SECRET for s in SEEN)


async def test_the_question_is_a_client_span_that_identity_continues(checker: HttpRegistryCheck) -> None:
    recorded = recorded_spans()
    with trace.get_tracer("test").start_as_current_span("POST /v1/lodging-notices") as request:
        await asyncio.to_thread(checker.check, MINH)  # a worker thread: the context goes along
    (asking,) = [s for s in recorded.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert asking.name == "POST identity" and asking.attributes is not None
    assert asking.attributes["peer.service"] == "identity"
    assert asking.attributes["http.response.status_code"] == 200
    assert asking.parent is not None and asking.parent.span_id == request.get_span_context().span_id
    trace_id, span_id = f"{asking.context.trace_id:032x}", f"{asking.context.span_id:016x}"
    assert SEEN[-1]["headers"]["traceparent"].startswith(f"00-{trace_id}-{span_id}-")


async def test_an_unreachable_registry_is_unavailable_not_a_guess() -> None:
    checker = HttpRegistryCheck("http://127.0.0.1:1", SECRET, timeout=1)
    with pytest.raises(RegistryUnavailable):
        await checker.check_async(MINH)
    with pytest.raises(RegistryUnavailable):
        await asyncio.to_thread(checker.check, MINH)
    checker.close()
