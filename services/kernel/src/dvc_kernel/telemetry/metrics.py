"""The services' metrics (OpenTelemetry metrics API) and their Prometheus text rendering.

Instruments are made on the global meter, a proxy until `configure` installs the provider,
so modules can define them at import time. Gauges observe live objects (relays, consumers,
boards) registered with `ObservedGauge.watch`; only weak references are kept.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics.export import Gauge, Histogram, Metric, MetricsData, Sum

METER = metrics.get_meter("dvc_kernel")

PROCESSED = METER.create_counter(
    "dvc.events.processed",
    unit="{event}",
    description="Consumed events handled by the inbox, by topic, event type and outcome "
    "(applied, duplicate: delivered again and not re-applied, skipped: unknown type).",
)
DEAD_LETTERS = METER.create_counter(
    "dvc.dead_letters",
    unit="{message}",
    description="Consumed messages set aside after repeated failures (dead letters), by consumer "
    "group and topic: each one waits for an operator (dvc-dead-letters, ADR 0020).",
)
VIEW_LAG = METER.create_histogram(
    "dvc.view.lag",
    unit="s",
    description="Read-your-writes (ADR 0023): from a write to its visibility in a view. "
    "view=inbox: from an event's writing upstream to this service's inbox committing it (the "
    "views it feeds), by topic, once per applied batch for its newest event; view=board: "
    "processing's officers' board, by source (intake: the citizen's submission, processing: an "
    "officer's action).",
    # Views wait up to 2 s for a consistency token (dvc_kernel.consistency): buckets around it.
    explicit_bucket_boundaries_advisory=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0),
)
CONFLICTS = METER.create_counter(
    "dvc.concurrency.conflicts",
    unit="{conflict}",
    description="Writes refused because another writer changed the same aggregate first "
    "(optimistic concurrency), by where; each is retried or answered 409. Expected under "
    "concurrent work: a rate, not an error.",
)
PUBLISHED = METER.create_counter(
    "dvc.events.published",
    unit="{event}",
    description="Events the relay published (committed to Kafka), by topic and event type.",
)

Sample = tuple[float, Mapping[str, str]]


class ObservedGauge:
    """A gauge whose values come from the live objects watching it."""

    def __init__(self, name: str, unit: str, description: str) -> None:
        self._sources: list[weakref.WeakMethod[Callable[[], Iterable[Sample]]]] = []
        METER.create_observable_gauge(name, callbacks=[self._observe], unit=unit, description=description)

    def watch(self, source: Callable[[], Iterable[Sample]]) -> None:
        """Observe `source` (a bound method) for as long as its object lives."""
        self._sources = [s for s in self._sources if s() is not None]
        self._sources.append(weakref.WeakMethod(source))

    def _observe(self, options: CallbackOptions) -> Iterable[Observation]:
        for ref in list(self._sources):
            source = ref()
            if source is not None:
                for value, attributes in source():
                    yield Observation(value, dict(attributes))


RELAY_BACKLOG = ObservedGauge(
    "dvc.relay.backlog", "{event}", "Stored events not yet published by the relay, by producer."
)
CONSUMER_LAG = ObservedGauge(
    "dvc.consumer.lag",
    "{message}",
    "Messages on a topic partition not yet processed by this consumer: end offset minus "
    "its position, by consumer group, topic and partition.",
)


# Prometheus text exposition format 0.0.4.

_UNIT_SUFFIX = {"s": "seconds", "ms": "milliseconds", "By": "bytes", "1": "ratio"}
_INVALID_NAME = re.compile(r"[^a-zA-Z0-9_:]")
_INVALID_LABEL = re.compile(r"[^a-zA-Z0-9_]")


def prometheus_name(name: str, unit: str | None) -> str:
    metric = _INVALID_NAME.sub("_", name)
    suffix = _UNIT_SUFFIX.get(unit or "")
    if suffix and not metric.endswith(f"_{suffix}"):
        metric = f"{metric}_{suffix}"
    return f"_{metric}" if metric[:1].isdigit() else metric


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(attributes: Mapping[str, Any] | None, **extra: str) -> str:
    pairs = {_INVALID_LABEL.sub("_", str(k)): str(v) for k, v in (attributes or {}).items()}
    pairs.update(extra)
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(pairs.items())) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _family(metric: Metric) -> list[str]:
    name = prometheus_name(metric.name, metric.unit)
    data = metric.data
    lines: list[str] = []
    if isinstance(data, Sum) and data.is_monotonic:
        base = name.removesuffix("_total")
        lines.append(f"# TYPE {base} counter")
        samples = [f"{base}_total{_labels(p.attributes)} {_number(p.value)}" for p in data.data_points]
        name = base
    elif isinstance(data, Sum | Gauge):
        lines.append(f"# TYPE {name} gauge")
        samples = [f"{name}{_labels(p.attributes)} {_number(p.value)}" for p in data.data_points]
    elif isinstance(data, Histogram):
        lines.append(f"# TYPE {name} histogram")
        samples = []
        for p in data.data_points:
            cumulative = 0
            for bound, count in zip((*p.explicit_bounds, math.inf), p.bucket_counts, strict=True):
                cumulative += count
                samples.append(f"{name}_bucket{_labels(p.attributes, le=_number(bound))} {cumulative}")
            samples.append(f"{name}_sum{_labels(p.attributes)} {_number(p.sum)}")
            samples.append(f"{name}_count{_labels(p.attributes)} {p.count}")
    else:
        return []  # exponential histograms are not used here
    help_text = (metric.description or "").replace("\\", "\\\\").replace("\n", "\\n")
    return [f"# HELP {name} {help_text}", *lines, *samples]


def render(data: MetricsData | None) -> str:
    """Every metric collected, in the Prometheus text format."""
    lines: list[str] = []
    for resource in data.resource_metrics if data else ():
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                lines.extend(_family(metric))
    return "\n".join(lines) + "\n" if lines else ""
