"""The Prometheus alert rules refer to series the services really export."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from dvc_kernel.telemetry.metrics import render

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "alerts.yaml"


def exported_names() -> set[str]:
    """What `GET /metrics` calls the kernel's consumer and relay series."""
    reader = InMemoryMetricReader()
    meter = MeterProvider(metric_readers=[reader]).get_meter("test")
    meter.create_counter("dvc.dead_letters", unit="{message}").add(1, {"group": "g", "topic": "t"})
    meter.create_up_down_counter("dvc.consumer.lag").add(1)
    meter.create_up_down_counter("dvc.relay.backlog").add(1)
    text = render(reader.get_metrics_data())
    return {line.split("{")[0].split(" ")[0] for line in text.splitlines() if not line.startswith("#")}


def test_every_rule_names_an_exported_series_and_says_what_to_do() -> None:
    rules = [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]
    assert {rule["alert"] for rule in rules} >= {"DvcDeadLetter", "DvcConsumerStuck", "DvcRelayBacklog"}
    exported = exported_names()
    for rule in rules:
        series = set(re.findall(r"\b(dvc_[a-z_]+)\[", rule["expr"]))
        assert series and series <= exported, (rule["alert"], series, exported)
        assert rule["annotations"]["summary"] and rule["labels"]["severity"] in ("page", "ticket")
    dead = next(rule for rule in rules if rule["alert"] == "DvcDeadLetter")
    assert "dvc_dead_letters_total" in dead["expr"]
