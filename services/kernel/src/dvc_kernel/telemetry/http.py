"""HTTP: FastAPI's own OpenTelemetry support makes the server span (continuing a caller's
`traceparent`) and the `http.server.request.duration` histogram by route template and status,
once `configure` has installed the providers. Here: its settings, the subject a route is
about, and `GET /metrics`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.params import Depends
from fastapi.responses import PlainTextResponse
from fastapi.telemetry import TelemetryConfig as FastAPITelemetry
from opentelemetry import trace

from dvc_contracts.subjects import SUBJECT_ROUTES

from ..errors import error_response
from . import context
from .config import installed
from .metrics import render
from .sampling import Sampler

# Polled by orchestrators and scrapers: neither traced nor measured.
UNOBSERVED = frozenset({"/healthz", "/readyz", "/metrics"})
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


def _unobserved(scope: MutableMapping[str, Any]) -> bool:
    return scope.get("path") in UNOBSERVED


# Our logs are JSON lines on stderr (logs.py), and a span per dependency, endpoint and
# serialisation step would triple the spans of every request for little insight.
HTTP_TELEMETRY: FastAPITelemetry = {"operation_spans": False, "logs": False, "exclude": _unobserved}


async def bind_route_subject(request: Request) -> None:
    """Routes about one subject (`SUBJECT_ROUTES`, e.g. under `/dossiers/{code}`): its id goes
    on the request's span and into the logs written while serving it."""
    route = getattr(request.scope.get("route"), "path", "")
    for part, parameter, field in SUBJECT_ROUTES:
        if part in route and (value := request.path_params.get(parameter)):
            context.bind(**{field: value})
            trace.get_current_span().set_attribute(f"dvc.{field}", value)


SCRAPE_REFRESH_SECONDS = 2.0


def install(http: FastAPI, sampler: Sampler) -> None:
    """Bind subjects for `http`'s routes (those included from now on) and serve metrics."""
    http.router.dependencies.append(Depends(bind_route_subject))

    @http.get(
        "/metrics",
        tags=["ops"],
        summary="Metrics in the Prometheus text format",
        response_class=PlainTextResponse,
        responses={200: {"content": {PROMETHEUS_TEXT: {}}}, 404: {"description": "Metrics are off."}},
    )
    async def metrics_text() -> Any:
        telemetry = installed()
        if telemetry is None or telemetry.pull_reader is None:
            return error_response(404, "metrics_off", "Tiến trình này không thu thập số liệu đo.")
        # Kafka or the store away or slow: the gauges keep their last values, the scrape goes on
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sampler.refresh(), SCRAPE_REFRESH_SECONDS)
        data = telemetry.pull_reader.get_metrics_data()
        return PlainTextResponse(render(data), media_type=PROMETHEUS_TEXT)
