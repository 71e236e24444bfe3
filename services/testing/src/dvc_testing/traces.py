"""Spans kept in memory, for tests that look at the spans made in their own process."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from dvc_kernel.telemetry import spans

_exporter: InMemorySpanExporter | None = None


def recorded_spans() -> InMemorySpanExporter:
    """Turn tracing on in this process (once) with every span kept in memory; emptied."""
    global _exporter
    if _exporter is None:
        provider = TracerProvider(resource=Resource.create({"service.name": "test"}))
        _exporter = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(_exporter))
        trace.set_tracer_provider(provider)
        spans.enable()
    _exporter.clear()
    return _exporter
