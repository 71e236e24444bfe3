"""Schemathesis over every service's OpenAPI document, in process (issue 14).

For each operation of each service, generated requests (valid ones and, as many, invalid ones)
are sent as
an anonymous caller, a citizen and an officer. Every answer must come without a server error
and match what the document says of it (status documented, content type, body schema).
Deterministic (derandomised) and modest: `DVC_SCHEMATHESIS_EXAMPLES` examples per operation and
caller (15 by default), so `make test` stays fast.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dvc_testing.in_process import SMS_PROVIDER, built_services, environment
from dvc_testing.stack import SERVICES
from dvc_testing.tokens import TestTokens

TOKENS = TestTokens()
EXAMPLES = int(os.environ.get("DVC_SCHEMATHESIS_EXAMPLES", "15"))
CALLERS = {
    "anonymous": {},
    "citizen": TOKENS.headers("citizen", subject=str(uuid4())),  # identity's account ids are UUIDs
    "officer": TOKENS.headers("officer", ("CAX-00004",)),
}
# Not for a generated client: an endless event stream; readiness, which rightly answers 503
# without a broker in this test.
SKIPPED = {("processing", "GET", "/v1/stream"), *((s, "GET", "/readyz") for s in SERVICES)}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[str, FastAPI]]:
    env = {
        **SMS_PROVIDER,
        "DVC_DATA_DIR": tempfile.mkdtemp(prefix="dvc-schemathesis-"),
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",  # never a real broker from here
    }
    with environment(env), built_services(TOKENS) as built:
        yield built


def without_lifespan(app: FastAPI) -> Any:
    """The app's HTTP side only: its lifespan would start the relay and consumers (Kafka)."""

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return asgi


def _runner(operation: Any, headers: dict[str, str]) -> Any:
    both = st.one_of(operation.as_strategy(mode) for mode in schemathesis.GenerationMode)

    @given(case=both)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        run.calls += 1  # type: ignore[attr-defined]
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    run.calls = 0  # type: ignore[attr-defined]
    return run


def exercise(service: str, app: FastAPI) -> tuple[int, list[str]]:
    """How many requests were sent, and what went wrong (one line per operation and caller)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan(app))
    sent = 0
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (service, operation.method.upper(), operation.path) in SKIPPED:
            continue
        for caller, headers in CALLERS.items():
            run = _runner(operation, headers)
            before = run.calls  # type: ignore[attr-defined]
            try:
                run()
            except (Exception, BaseExceptionGroup) as failure:
                first = " | ".join(str(failure).strip().splitlines()[:12])
                problems.append(f"{service} {operation.method.upper()} {operation.path} as {caller}: {first}")
            sent += run.calls - before  # type: ignore[attr-defined]
    return sent, problems


@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_is_documented_and_none_is_a_server_error(
    apps: dict[str, FastAPI], service: str
) -> None:
    sent, problems = exercise(service, apps[service])
    print(f"\nRELIABILITY schemathesis {service}: {sent} requests, {len(problems)} failing pairs")
    assert sent > 0
    assert problems == [], "\n".join(problems)
