"""Signing e-results (PAdES) with a unit's certificate (checking one: `signature_check.py`).

In production each unit's certificate comes from the government CA (and its key from an HSM);
`UnitSigner` is that seam. Development and tests use `LocalCa`: a test CA generated with
`cryptography` into the data directory on first use, which issues one signing certificate per
unit. Every file is created atomically (`read_or_create`), so instances starting together
share one CA and one certificate per unit.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from asn1crypto import keys, pem  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dvc_kernel.local_secrets import read_or_create

log = logging.getLogger(__name__)

CA_NAME = "DVC Bộ Công an - CA thử nghiệm (không dùng thật)"
CERT_YEARS = 5


class UnitSigner(Protocol):
    def sign(self, pdf: bytes, unit_code: str, unit_name: str) -> bytes:
        """The PDF with a PAdES signature of the unit appended."""
        ...

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        """Roots a signature must chain to."""
        ...


def _new_key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _load_key(pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _name(common_name: str, unit: str | None = None) -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bộ Công an"),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(parts)


def _certificate(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey, *, days: int, ca: bool
) -> x509.CertificateBuilder:
    """What the CA's and a unit's certificates share: valid from yesterday for `days`; a CA
    signs certificates only, a unit signs documents (digital signature, non-repudiation)."""
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )


class LocalCa:
    """A test CA under `<data_dir>/delivery/ca/`, issuing a signing certificate per unit."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._signers: dict[str, signers.SimpleSigner] = {}

    def _ca(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = _load_key(read_or_create(self.directory / "ca.key", _new_key_pem))
        cert_pem = read_or_create(self.directory / "ca.pem", lambda: self._make_ca_cert(key))
        return key, x509.load_pem_x509_certificate(cert_pem.encode())

    @staticmethod
    def _make_ca_cert(key: ec.EllipticCurvePrivateKey) -> str:
        name = _name(CA_NAME)
        cert = (
            _certificate(name, name, key, days=365 * 20, ca=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.PEM).decode()

    def ca_certificate_pem(self) -> bytes:
        return self._ca()[1].public_bytes(serialization.Encoding.PEM)

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [load_cert_from_pemder_bytes(self.ca_certificate_pem())]

    def _unit_signer(self, unit_code: str, unit_name: str) -> signers.SimpleSigner:
        if unit_code in self._signers:
            return self._signers[unit_code]
        ca_key, ca_cert = self._ca()
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in unit_code)
        key = _load_key(read_or_create(self.directory / "units" / f"{safe}.key", _new_key_pem))
        cert_pem = read_or_create(
            self.directory / "units" / f"{safe}.pem",
            lambda: self._make_unit_cert(ca_key, ca_cert, key, unit_code, unit_name),
        )
        signer = signers.SimpleSigner(
            signing_cert=load_cert_from_pemder_bytes(cert_pem.encode()),
            signing_key=_asn1_key(key),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [load_cert_from_pemder_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))]
            ),
        )
        self._signers[unit_code] = signer
        return signer

    @staticmethod
    def _make_unit_cert(
        ca_key: ec.EllipticCurvePrivateKey,
        ca_cert: x509.Certificate,
        key: ec.EllipticCurvePrivateKey,
        unit_code: str,
        unit_name: str,
    ) -> str:
        subject = _name(unit_name or unit_code, unit_code)
        cert = (
            _certificate(subject, ca_cert.subject, key, days=365 * CERT_YEARS, ca=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.PEM).decode()

    def sign(self, pdf: bytes, unit_code: str, unit_name: str) -> bytes:
        signer = self._unit_signer(unit_code, unit_name)
        meta = signers.PdfSignatureMetadata(
            field_name="ChuKyDonVi",
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason="Trả kết quả giải quyết thủ tục hành chính",
            location="Việt Nam",
            name=unit_name,
        )
        out = io.BytesIO()
        off_any_loop(
            lambda: signers.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), meta, signer=signer, output=out
            )
        )
        return out.getvalue()


def off_any_loop(call: Callable[[], object]) -> None:
    """pyHanko's synchronous signing runs an event loop of its own, which cannot start in a
    thread whose loop is running (a store call made on the loop, ADR 0018): then it runs in a
    thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        call()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(call).result()


def _asn1_key(key: ec.EllipticCurvePrivateKey) -> keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return keys.PrivateKeyInfo.load(der)


def load_cert_from_pemder_bytes(data: bytes) -> asn1_x509.Certificate:
    """pyHanko's loaders read files; our certificates are PEM strings."""
    _, _, der = pem.unarmor(data)
    return asn1_x509.Certificate.load(der)
