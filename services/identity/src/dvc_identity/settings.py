"""Identity's settings: the shared ones plus its secrets, registry file and token parameters.

Secrets left unset are generated once into the data directory (development); production sets
them in the environment. See docs/decisions/0005-tokens-otp-passwords.md.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from typing import ClassVar

from eventsourcing.cipher import AESCipher
from pydantic import Field

from dvc_kernel.local_secrets import read_or_create, service_secret
from dvc_kernel.settings import ServiceSettings

# The kernel's cipher: the same record layout as pyeventsourcing's pycryptodome AESCipher (which
# this store was written with before), on OpenSSL: about 2 µs an event instead of 36.
CIPHER_TOPIC = "dvc_kernel.store_cipher:StoreCipher"


class IdentitySettings(ServiceSettings):
    service_name: ClassVar[str] = "identity"
    default_port: ClassVar[int] = 8101

    cipher_key: str | None = Field(
        None,
        validation_alias="IDENTITY_CIPHER_KEY",
        description="AES key (base64 of 16, 24 or 32 bytes) encrypting identity's event store.",
    )
    otp_key: str | None = Field(
        None, validation_alias="IDENTITY_OTP_KEY", description="HMAC key for OTP hashes (base64)."
    )
    keyring_password: str | None = Field(
        None,
        validation_alias="IDENTITY_KEYRING_PASSWORD",
        description="Password of the signing keys' PKCS#8 file; defaults to the cipher key.",
    )
    registry_csv: Path | None = Field(
        None,
        validation_alias="IDENTITY_REGISTRY_CSV",
        description="Population registry extract; default: a generated seed in the data dir.",
    )
    notify_url: str | None = Field(None, validation_alias="NOTIFY_URL")
    issuer: str = Field("https://dichvucong.bocongan.gov.vn/identity", validation_alias="IDENTITY_ISSUER")
    audience: str = Field("dvc", validation_alias="IDENTITY_AUDIENCE")
    key_rotation_days: int = Field(30, ge=1, validation_alias="IDENTITY_KEY_ROTATION_DAYS")

    def cipher_key_value(self) -> str:
        return self.cipher_key or read_or_create(
            self.service_dir / "cipher.key", lambda: AESCipher.create_key(32)
        )

    def otp_key_bytes(self) -> bytes:
        encoded = self.otp_key or read_or_create(
            self.service_dir / "otp.key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
        )
        return base64.b64decode(encoded)

    def keyring_password_bytes(self) -> bytes:
        return (self.keyring_password or self.cipher_key_value()).encode()

    @property
    def keyring_path(self) -> Path:
        return self.service_dir / "signing-keys.json"

    @property
    def registry_path(self) -> Path:
        return self.registry_csv or self.service_dir / "registry.csv"

    @property
    def notify_base_url(self) -> str:
        """``NOTIFY_URL``, else notify on this host at ``NOTIFY_PORT`` (as the dev stack sets it)."""
        return self.notify_url or f"http://127.0.0.1:{os.environ.get('NOTIFY_PORT', '8107')}"

    def service_secret(self) -> str:
        return service_secret(self.data_dir)

    def eventstore_env(self) -> dict[str, str]:
        """The shared store settings plus encryption at rest of everything identity stores."""
        return {
            **super().eventstore_env(),
            "CIPHER_TOPIC": CIPHER_TOPIC,
            "CIPHER_KEY": self.cipher_key_value(),
        }
