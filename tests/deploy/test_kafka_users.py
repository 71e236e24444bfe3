"""Kafka in Kubernetes authenticates every service and gives it only its own rights (ADR 0024)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "deploy" / "k8s" / "base"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kafka_users", REPO / "deploy" / "k8s" / "kafka_users.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_kafka_users_are_those_of_the_topic_catalogue() -> None:
    """Stale when a topic, a producer or a subscription changed: run deploy/k8s/kafka_users.py."""
    assert (BASE / "kafka-users.yaml").read_text() == generator().render()


def acls_of(user: str) -> list[dict[str, Any]]:
    for doc in yaml.safe_load_all((BASE / "kafka-users.yaml").read_text()):
        if doc["metadata"]["name"] == user:
            return list(doc["spec"]["authorization"]["acls"])
    raise KeyError(user)


def writable(user: str) -> set[str]:
    return {a["resource"]["name"] for a in acls_of(user) if "Write" in a["operations"]}


def test_each_service_writes_only_its_own_topics() -> None:
    assert writable("dvc-intake") == {"intake.dossier.v1", "intake.lodging.v1", "dlq.intake.v1"}
    assert writable("dvc-delivery") == {
        "delivery.result.v1",
        "dlq.delivery-intake.v1",
        "dlq.delivery-processing.v1",
    }
    assert writable("dvc-catalog") == {"catalog.procedure.v1", "catalog.unit.v1"}
    groups = {a["resource"]["name"] for a in acls_of("dvc-processing") if a["resource"]["type"] == "group"}
    assert groups == {"processing", "processing-outcomes"}
    every = [
        a
        for doc in yaml.safe_load_all((BASE / "kafka-users.yaml").read_text())
        for a in doc["spec"]["authorization"]["acls"]
    ]
    assert all(a["resource"].get("patternType", "literal") == "literal" for a in every)  # no wildcards
    assert not [
        a for a in every if set(a["operations"]) & {"All", "Create", "Delete", "Alter", "AlterConfigs"}
    ]


def test_the_cluster_listens_with_tls_and_scram_and_authorises() -> None:
    kafka = next(yaml.safe_load_all((BASE / "kafka.yaml").read_text()))
    (listener,) = kafka["spec"]["kafka"]["listeners"]
    assert listener["tls"] is True and listener["authentication"] == {"type": "scram-sha-512"}
    assert kafka["spec"]["kafka"]["authorization"]["type"] == "simple"
    config = yaml.safe_load((BASE / "config.yaml").read_text())["data"]
    assert config["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert config["KAFKA_BOOTSTRAP_SERVERS"].endswith(f":{listener['port']}")


def test_each_service_reads_its_own_kafka_user_secret() -> None:
    for path in sorted((BASE / "services").glob("*.yaml")):
        deployment = next(d for d in yaml.safe_load_all(path.read_text()) if d and d["kind"] == "Deployment")
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in container["env"]}
        user = f"dvc-{path.stem}"
        assert env["KAFKA_SASL_USERNAME"]["value"] == user
        assert env["KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": user, "key": "password"}
