"""How every Kafka client of the platform authenticates, from one place (ADR 0024).

The relay's producer, the FastStream consumers of the inbox, the admin client that creates
topics, the revocation and catalog followers, dvc-audit's reader and the bench tools all take
their connection security from here: `client_options()` for an aiokafka client,
`broker_security()` for FastStream's `KafkaBroker`. Settings (environment):

- `KAFKA_SECURITY_PROTOCOL`: `PLAINTEXT` (default: `make run` and the tests, loopback only) or
  `SASL_SSL` (compose, Kubernetes);
- `KAFKA_SASL_MECHANISM`: `SCRAM-SHA-512`, the only one accepted;
- `KAFKA_SASL_USERNAME`, and `KAFKA_SASL_PASSWORD` or `KAFKA_SASL_PASSWORD_FILE` (a mounted
  secret; read once, trailing newline dropped);
- `KAFKA_SSL_CAFILE`: the PEM bundle of the CA that signed the brokers' certificates (the
  system's CAs when unset). Hostnames are always verified.

All of it is connection-time work: an SSL context is built once per process and shared; nothing
here runs per message.
"""

from __future__ import annotations

import ssl
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from faststream.security import BaseSecurity, SASLScram512
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSecurityError(ValueError):
    """The security settings cannot make a client that connects."""


class KafkaSecurity(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    protocol: Literal["PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", validation_alias="KAFKA_SECURITY_PROTOCOL"
    )
    mechanism: Literal["SCRAM-SHA-512"] = Field("SCRAM-SHA-512", validation_alias="KAFKA_SASL_MECHANISM")
    username: str | None = Field(None, validation_alias="KAFKA_SASL_USERNAME")
    password: SecretStr | None = Field(None, validation_alias="KAFKA_SASL_PASSWORD", repr=False)
    password_file: Path | None = Field(None, validation_alias="KAFKA_SASL_PASSWORD_FILE")
    cafile: Path | None = Field(None, validation_alias="KAFKA_SSL_CAFILE")

    @model_validator(mode="after")
    def _complete(self) -> KafkaSecurity:
        if self.protocol == "SASL_SSL":
            if not self.username:
                raise KafkaSecurityError("KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_USERNAME")
            if self.password is None and self.password_file is None:
                raise KafkaSecurityError(
                    "KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE"
                )
        return self

    @property
    def secured(self) -> bool:
        return self.protocol == "SASL_SSL"

    def sasl_password(self) -> str:
        if self.password is not None:
            return self.password.get_secret_value()
        if self.password_file is None:
            raise KafkaSecurityError("no SASL password configured")
        return self.password_file.read_text().rstrip("\r\n")

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        """Verifies the broker's certificate and hostname; TLS 1.2 at least."""
        cafile = str(self.cafile) if self.cafile is not None else None
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    @cached_property
    def aiokafka_options(self) -> dict[str, Any]:
        """Keyword arguments for `AIOKafkaProducer`, `AIOKafkaConsumer`, `AIOKafkaAdminClient`;
        empty for PLAINTEXT, so development clients are built exactly as before."""
        if not self.secured:
            return {}
        return {
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": self.mechanism,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.sasl_password(),
            "ssl_context": self.ssl_context,
        }

    def faststream(self) -> BaseSecurity | None:
        if not self.secured:
            return None
        assert self.username is not None  # _complete
        return SASLScram512(self.username, self.sasl_password(), ssl_context=self.ssl_context)


_current: KafkaSecurity | None = None


def configure(security: KafkaSecurity | None) -> None:
    """Use `security` for every client this process builds from now on (a service's settings,
    a test); None reads the environment again at the next client."""
    global _current
    _current = security


def current() -> KafkaSecurity:
    """The process's security settings: configured, else read once from the environment."""
    global _current
    if _current is None:
        _current = KafkaSecurity()
    return _current


def client_options() -> dict[str, Any]:
    """Security keyword arguments for an aiokafka client: `AIOKafkaProducer(bootstrap_servers=...,
    **client_options())`. A fresh dict each time (callers may add to it); its values are built once."""
    return dict(current().aiokafka_options)


def broker_security() -> BaseSecurity | None:
    """FastStream's `KafkaBroker(..., security=broker_security())`."""
    return current().faststream()
