"""A SASL_SSL broker for tests (ADR 0024): the kafkactl broker with a TLS listener, SCRAM-SHA-512
users and the StandardAuthorizer, as compose and Strimzi run it.

A test CA and a broker certificate (for 127.0.0.1 and localhost) are made at start with
`cryptography`; the broker reads them as PEM stores. SCRAM users are written into the metadata
log when the storage is formatted (`--add-scram`, KRaft); `admin` is the super user the test
creates topics and ACLs with. The controller listener stays PLAINTEXT on loopback (its principal,
ANONYMOUS, is the broker talking to its own controller); every client listener is SASL_SSL.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import shlex
import shutil
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from dvc_kernel.kafka_security import KafkaSecurity

from .kafka_broker import _kafkactl, find_kafkactl

ADMIN = "admin"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_tls(directory: Path) -> tuple[Path, Path]:
    """(the CA's certificate, the broker's PEM keystore: PKCS#8 key, certificate, CA)."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("dvc test CA"))
        .issuer_name(_name("dvc test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(pem))
    keystore = directory / "broker.pem"
    pkcs8 = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    keystore.write_bytes(pkcs8 + cert.public_bytes(pem) + ca.public_bytes(pem))
    keystore.chmod(0o600)
    return ca_file, keystore


def free_port_pair(preferred: int) -> int:
    """`preferred` if it and the next port are free, else a free pair."""

    def free(port: int) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) != 0

    if free(preferred) and free(preferred + 1):
        return preferred
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port < 65535 and free(port + 1):
            return port


@dataclass
class SecuredBroker:
    """A running SASL_SSL broker; `security(user)` connects as one of its SCRAM users."""

    port: int
    data: Path
    cafile: Path
    passwords: dict[str, str]
    _env: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def security(self, user: str, password: str | None = None) -> KafkaSecurity:
        return KafkaSecurity(
            protocol="SASL_SSL",
            username=user,
            password=password if password is not None else self.passwords[user],
            cafile=self.cafile,
        )

    def stop(self) -> None:
        try:
            _kafkactl(find_kafkactl(), "stop", self._env)
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


def start_secured_broker(users: Iterable[str], port: int | None = None) -> SecuredBroker:
    """Start a SASL_SSL broker with `admin` (super user) and `users` (no rights until ACLs give
    some). Default port: KAFKA_TEST_PORT + 2 (the session's plaintext broker has + 0 and + 1)."""
    kafkactl = find_kafkactl()
    repo = kafkactl.parents[2]
    port = free_port_pair(port or int(os.environ.get("KAFKA_TEST_PORT", "19092")) + 2)
    data = repo / "var" / f"kafka-test-sasl-{port}"
    shutil.rmtree(data, ignore_errors=True)
    cafile, keystore = make_tls(data / "tls")
    passwords = {user: secrets.token_urlsafe(18) for user in (ADMIN, *users)}
    listener = f"SASL_SSL://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}"
    jaas = (
        "org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="{ADMIN}" password="{passwords[ADMIN]}";'
    )
    properties = {
        "listeners": listener,
        "advertised.listeners": listener,
        "listener.security.protocol.map": "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "SASL_SSL",
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": jaas,
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(keystore),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(cafile),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users": f"User:{ADMIN};User:ANONYMOUS",
        "allow.everyone.if.no.acl.found": "false",
    }
    extra = data / "security.properties"
    extra.write_text("".join(f"{key}={value}\n" for key, value in properties.items()))
    extra.chmod(0o600)
    scram = [f"SCRAM-SHA-512=[name={user},password={password}]" for user, password in passwords.items()]
    env = {
        **os.environ,
        "KAFKA_PORT": str(port),
        "KAFKA_DATA_DIR": str(data),
        "KAFKA_EXTRA_PROPERTIES": str(extra),
        "KAFKA_FORMAT_ARGS": shlex.join(arg for value in scram for arg in ("--add-scram", value)),
        # kafkactl's probe connects as the admin, through the kernel's settings.
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_USERNAME": ADMIN,
        "KAFKA_SASL_PASSWORD": passwords[ADMIN],
        "KAFKA_SSL_CAFILE": str(cafile),
    }
    env.pop("KAFKA_SASL_PASSWORD_FILE", None)
    broker = SecuredBroker(port, data, cafile, passwords, env)
    try:
        _kafkactl(kafkactl, "start", env)
    except BaseException:
        _kafkactl(kafkactl, "stop", env)
        raise
    return broker
