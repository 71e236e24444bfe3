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


def test_the_compose_users_script_is_that_of_the_topic_catalogue() -> None:
    """Stale when a topic, a producer or a subscription changed: run deploy/k8s/kafka_users.py."""
    assert (REPO / "deploy" / "docker" / "kafka-users.sh").read_text() == generator().render_compose()


def test_compose_clients_use_scram_over_tls_and_brokers_mutual_tls() -> None:
    compose = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text())
    for n in (1, 2, 3):
        env = compose["services"][f"kafka-{n}"]["environment"]
        protocols = dict(pair.split(":") for pair in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
        assert protocols == {"CLIENT": "SASL_SSL", "CONTROLLER": "SSL", "BROKER": "SSL"}
        assert env["KAFKA_LISTENER_NAME_CONTROLLER_SSL_CLIENT_AUTH"] == "required"
        assert env["KAFKA_LISTENER_NAME_BROKER_SSL_CLIENT_AUTH"] == "required"
        assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
        assert env["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    for service in generator().SERVICES:
        env = compose["services"][service]["environment"]
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert env["KAFKA_SASL_USERNAME"] == f"dvc-{service}"
        assert env["KAFKA_SASL_PASSWORD"] == f"${{KAFKA_PASSWORD_{service.upper()}:?set in deploy/.env}}"
        job = compose["services"]["kafka-topics"]["environment"]
        assert job[f"KAFKA_PASSWORD_{service.upper()}"] == env["KAFKA_SASL_PASSWORD"]
