"""Certificates for the compose cluster's listeners (ADR 0024), written to deploy/tls/ (never
committed): a CA, one PEM key store per broker (kafka-1..3, also valid for localhost), the
key store of `dvc-admin` (the kafka-topics job's identity), and `admin.properties` for Kafka's
command-line tools. The brokers authenticate each other and the admin by certificate (mutual
TLS on the CONTROLLER and BROKER listeners); the services by SCRAM over TLS on CLIENT.

    .venv/bin/python deploy/docker/kafka_tls.py            # once, before `docker compose up`

Re-running replaces everything (a new CA: restart the whole stack). The CA's key is not kept:
issuing another certificate means running this again.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = Path(__file__).resolve().parents[1] / "tls"
BROKERS = ("kafka-1", "kafka-2", "kafka-3")
ADMIN = "dvc-admin"
VALID = datetime.timedelta(days=825)
PEM = serialization.Encoding.PEM


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject: str, issuer: x509.Name, key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALID)
    )


def write(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        _builder("dvc Kafka CA", _name("dvc Kafka CA"), ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    (out / "ca.pem").write_bytes(ca.public_bytes(PEM))
    for name in (*BROKERS, ADMIN):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = _builder(name, ca.subject, key).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        if name in BROKERS:
            sans = [x509.DNSName(name), x509.DNSName("localhost")]
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        cert = builder.sign(ca_key, hashes.SHA256())
        pkcs8 = key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        store = out / f"{name}.pem"
        store.write_bytes(pkcs8 + cert.public_bytes(PEM) + ca.public_bytes(PEM))
        # Read inside the containers by another uid than the operator's: keep deploy/ private.
        store.chmod(0o644)
    (out / "admin.properties").write_text(
        "security.protocol=SSL\n"
        "ssl.keystore.type=PEM\n"
        f"ssl.keystore.location=/etc/kafka/tls/{ADMIN}.pem\n"
        "ssl.truststore.type=PEM\n"
        "ssl.truststore.location=/etc/kafka/tls/ca.pem\n"
    )


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"written to {OUT if len(sys.argv) < 2 else sys.argv[1]}")
