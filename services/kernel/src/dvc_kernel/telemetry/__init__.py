"""Traces, metrics and log context for every service (OpenTelemetry); see ADR 0012.

A trace follows a command from its HTTP request through the event store, the relay and Kafka
into each consumer, and on into the events those consumers record in turn.
"""

from __future__ import annotations

from pathlib import Path

from . import propagation
from .config import Telemetry, TelemetryConfig, TelemetryConfigError, configure, installed
from .context import bind, scope
from .spans import (
    Publishing,
    consuming,
    continuing,
    current_if_sampled,
    enabled,
    failed,
    recording,
    recording_batch,
)

__all__ = [
    "Publishing",
    "Telemetry",
    "TelemetryConfig",
    "TelemetryConfigError",
    "bind",
    "configure",
    "configure_service",
    "consuming",
    "continuing",
    "current_if_sampled",
    "enabled",
    "failed",
    "installed",
    "propagation",
    "recording",
    "recording_batch",
    "scope",
]


def configure_service(service: str, data_dir: Path, instance: str = "0") -> Telemetry:
    """The process-wide telemetry of one service process, from its environment."""
    return configure(TelemetryConfig.from_env(service, data_dir, instance))
