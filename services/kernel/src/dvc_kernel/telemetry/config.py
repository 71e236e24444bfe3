"""Where a service's telemetry goes, from the standard OpenTelemetry variables.

- Traces: `OTEL_TRACES_EXPORTER`, a comma-separated list of `file` (JSON lines under the data
  directory, `traces/<service>.jsonl`), `console` (one JSON line per span on stdout), `otlp`
  (OTLP over HTTP/protobuf to `OTEL_EXPORTER_OTLP_ENDPOINT`) or `none`. Unset, it is `otlp`
  when an OTLP endpoint is set and `file` otherwise, so a developer can read traces with
  nothing else installed.
- Metrics: `OTEL_METRICS_EXPORTER`, a list of `prometheus` (the service's `GET /metrics`, the
  default), `otlp`, `console` or `none`.
- Sampling (ADR 0018): parent-based, new traces kept at `DVC_TRACES_SAMPLE_RATIO` (default
  0.01; `make run` uses 1), and a span marked as an error always kept. `OTEL_TRACES_SAMPLER`
  set explicitly replaces this with the SDK's own choice.
- `OTEL_SDK_DISABLED=true` turns both off. Resource attributes, batch sizes and the OTLP
  endpoint, headers and timeouts are the SDK's own standard variables.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opentelemetry import metrics, trace
from opentelemetry.context import Context
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    InMemoryMetricReader,
    MetricReader,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind, TraceState
from opentelemetry.util.types import Attributes

from . import spans
from .files import JsonLinesSpanExporter, span_record

log = logging.getLogger(__name__)

TRACE_EXPORTERS = frozenset({"file", "console", "otlp"})
METRIC_EXPORTERS = frozenset({"prometheus", "console", "otlp"})
OTLP_PROTOCOL = "http/protobuf"  # the exporter installed; gRPC would pull in grpcio
DEFAULT_SAMPLE_RATIO = 0.01  # of new traces; children follow their parent's decision


class TelemetryConfigError(ValueError):
    """A telemetry variable names something this service cannot do."""


def _names(env: Mapping[str, str], variable: str, allowed: frozenset[str]) -> tuple[str, ...] | None:
    raw = env.get(variable)
    if raw is None or not raw.strip():
        return None
    names = tuple(dict.fromkeys(n.strip().lower() for n in raw.split(",") if n.strip()))
    if names == ("none",):
        return ()
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise TelemetryConfigError(f"{variable}: unknown {unknown}; use {sorted(allowed)} or none")
    return names


@dataclass(frozen=True)
class TelemetryConfig:
    service: str
    instance: str = "0"
    traces: tuple[str, ...] = ("file",)
    traces_file: Path = Path("traces.jsonl")
    metrics: tuple[str, ...] = ("prometheus",)
    resource_attributes: dict[str, str] = field(default_factory=dict)
    sample_ratio: float = DEFAULT_SAMPLE_RATIO
    sdk_sampler: bool = False  # OTEL_TRACES_SAMPLER is set: the SDK reads it itself

    @classmethod
    def from_env(
        cls, service: str, data_dir: Path, instance: str = "0", env: Mapping[str, str] | None = None
    ) -> TelemetryConfig:
        env = os.environ if env is None else env
        suffix = "" if instance == "0" else f"-{instance}"
        traces_file = Path(env.get("DVC_TRACES_FILE") or data_dir / "traces" / f"{service}{suffix}.jsonl")
        if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
            return cls(service, instance, traces=(), traces_file=traces_file, metrics=())
        traces = _names(env, "OTEL_TRACES_EXPORTER", TRACE_EXPORTERS)
        if traces is None:
            otlp = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
            traces = ("otlp",) if otlp else ("file",)
        chosen_metrics = _names(env, "OTEL_METRICS_EXPORTER", METRIC_EXPORTERS)
        raw_ratio = env.get("DVC_TRACES_SAMPLE_RATIO", "").strip()
        try:
            ratio = float(raw_ratio) if raw_ratio else DEFAULT_SAMPLE_RATIO
        except ValueError:
            raise TelemetryConfigError(
                f"DVC_TRACES_SAMPLE_RATIO={raw_ratio!r}: a number from 0 to 1"
            ) from None
        if not 0.0 <= ratio <= 1.0:
            raise TelemetryConfigError(f"DVC_TRACES_SAMPLE_RATIO={raw_ratio!r}: a number from 0 to 1")
        config = cls(
            service,
            instance,
            traces=traces,
            traces_file=traces_file,
            metrics=("prometheus",) if chosen_metrics is None else chosen_metrics,
            sample_ratio=ratio,
            sdk_sampler=bool(env.get("OTEL_TRACES_SAMPLER", "").strip()),
        )
        for signal, used in (("TRACES", "otlp" in config.traces), ("METRICS", "otlp" in config.metrics)):
            protocol = env.get(f"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL") or env.get(
                "OTEL_EXPORTER_OTLP_PROTOCOL", OTLP_PROTOCOL
            )
            if used and protocol != OTLP_PROTOCOL:
                raise TelemetryConfigError(
                    f"OTLP protocol {protocol!r} is not installed; set OTEL_EXPORTER_OTLP_PROTOCOL="
                    f"{OTLP_PROTOCOL} (the collector's port 4318)"
                )
        return config

    def resource(self) -> Resource:
        # Resource.create also reads OTEL_RESOURCE_ATTRIBUTES; our names win over it.
        return Resource.create(
            {
                "service.namespace": "dvc",
                "service.name": self.service,
                "service.instance.id": self.instance,
                **self.resource_attributes,
            }
        )


def span_exporter(name: str, config: TelemetryConfig) -> SpanExporter:
    if name == "file":
        return JsonLinesSpanExporter(config.traces_file)
    if name == "console":
        return ConsoleSpanExporter(formatter=lambda s: json.dumps(span_record(s), default=str) + "\n")
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


class RedactQueryValues(SpanProcessor):
    """A query string may hold personal data (a phone number, an ID number): spans keep only
    its parameter names. Runs first, while the span can still be changed."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        query = (span.attributes or {}).get("url.query")
        if isinstance(query, str) and query:
            names = [pair.partition("=")[0] for pair in query.split("&")]
            span.set_attribute("url.query", "&".join(f"{name}=REDACTED" for name in names))


class KeepErrors(Sampler):
    """Parent-based ratio sampling, except that a span started as an error is always kept."""

    def __init__(self, ratio: float) -> None:
        self._inner = ParentBased(TraceIdRatioBased(ratio))
        self._ratio = ratio

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if attributes and attributes.get(spans.ERROR_ATTRIBUTE):
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)
        return self._inner.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

    def get_description(self) -> str:
        return f"KeepErrors(ParentBased(TraceIdRatioBased({self._ratio})))"


def tracer_provider(config: TelemetryConfig) -> TracerProvider | None:
    """None when no span is exported: then the API's no-op tracer costs next to nothing."""
    if not config.traces:
        return None
    sampler = None if config.sdk_sampler else KeepErrors(config.sample_ratio)
    provider = TracerProvider(resource=config.resource(), sampler=sampler)
    provider.add_span_processor(RedactQueryValues())
    for name in config.traces:
        provider.add_span_processor(BatchSpanProcessor(span_exporter(name, config)))
    return provider


def meter_provider(config: TelemetryConfig) -> tuple[MeterProvider, InMemoryMetricReader | None]:
    """The meter provider and, when `GET /metrics` is on, the reader it collects from."""
    readers: list[MetricReader] = []
    pull = InMemoryMetricReader() if "prometheus" in config.metrics else None
    if pull is not None:
        readers.append(pull)
    if "otlp" in config.metrics:
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
    if "console" in config.metrics:
        readers.append(PeriodicExportingMetricReader(ConsoleMetricExporter()))
    return MeterProvider(resource=config.resource(), metric_readers=readers), pull


@dataclass
class Telemetry:
    config: TelemetryConfig
    tracer_provider: TracerProvider | None
    meter_provider: MeterProvider
    pull_reader: InMemoryMetricReader | None


_installed: Telemetry | None = None


def installed() -> Telemetry | None:
    return _installed


def configure(config: TelemetryConfig) -> Telemetry:
    """Install the process-wide providers (once: OpenTelemetry's globals cannot be replaced)."""
    global _installed
    if _installed is not None:
        if _installed.config != config:
            log.warning("telemetry already configured for %s; keeping it", _installed.config.service)
        return _installed
    tracing = tracer_provider(config)
    meters, pull = meter_provider(config)
    if tracing is not None:
        trace.set_tracer_provider(tracing)
        spans.enable()
    metrics.set_meter_provider(meters)
    _installed = Telemetry(config, tracing, meters, pull)
    log.info(
        "telemetry: traces to %s, metrics to %s",
        ", ".join(config.traces) or "nowhere",
        ", ".join(config.metrics) or "nowhere",
    )
    return _installed
