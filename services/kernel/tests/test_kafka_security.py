"""Every Kafka client of the platform takes its security from kafka_security (ADR 0024)."""

from __future__ import annotations

import ast
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from faststream.security import SASLScram512
from pydantic import ValidationError

from dvc_kernel import kafka_security
from dvc_kernel.kafka_security import KafkaSecurity
from dvc_kernel.settings import REPO_ROOT

SECURITY_VARS = (
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SASL_PASSWORD_FILE",
    "KAFKA_SSL_CAFILE",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in SECURITY_VARS:
        monkeypatch.delenv(name, raising=False)
    kafka_security.configure(None)
    yield
    kafka_security.configure(None)


def test_development_stays_plaintext_and_clients_are_built_as_before() -> None:
    assert kafka_security.client_options() == {}
    assert kafka_security.broker_security() is None


def test_sasl_ssl_gives_scram_512_over_verified_tls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret\n")  # a mounted secret usually ends with a newline
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "intake")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD_FILE", str(secret))
    options = kafka_security.client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("intake", "s3cret")
    context = options["ssl_context"]
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    broker = kafka_security.broker_security()
    assert isinstance(broker, SASLScram512) and broker.ssl_context is context
    # One SSL context per process, shared by every client.
    assert kafka_security.client_options()["ssl_context"] is context


def test_sasl_ssl_without_credentials_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    with pytest.raises(ValidationError, match="KAFKA_SASL_USERNAME"):
        KafkaSecurity()
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "intake")
    with pytest.raises(ValidationError, match="KAFKA_SASL_PASSWORD"):
        KafkaSecurity()


@pytest.mark.parametrize(
    ("name", "value"), [("KAFKA_SECURITY_PROTOCOL", "SSL"), ("KAFKA_SASL_MECHANISM", "PLAIN")]
)
def test_other_protocols_and_mechanisms_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        KafkaSecurity()


def test_the_password_never_shows_in_a_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    security = KafkaSecurity(protocol="SASL_SSL", username="intake", password="s3cret")
    assert "s3cret" not in repr(security)


CLIENTS = {"AIOKafkaProducer", "AIOKafkaConsumer", "AIOKafkaAdminClient"}
# Where the platform builds clients (tests build their own against the plaintext test broker).
SOURCES = [
    *REPO_ROOT.glob("services/*/src/**/*.py"),
    *REPO_ROOT.glob("bench/*.py"),
    REPO_ROOT / "deploy/kafka/kafkactl.py",
]


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _uses(call: ast.Call, function: str) -> bool:
    values = [kw.value for kw in call.keywords]
    return any(isinstance(value, ast.Call) and _callee(value) == function for value in values)


def test_every_client_of_the_platform_is_built_with_the_kernel_security() -> None:
    unsecured = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            if name in CLIENTS and not _uses(node, "client_options"):
                unsecured.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {name}")
            if name == "KafkaBroker" and not _uses(node, "broker_security"):
                unsecured.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {name}")
    assert not unsecured
