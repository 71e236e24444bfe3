"""The merchant's credentials with the gateway and the bank, shared by payment and the simulator.

Production sets them in the environment; in development both processes read (and the first one
creates) the same files in `DVC_DATA_DIR/payment-gateway/`, so a fresh clone needs no setup.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dvc_kernel.local_secrets import read_or_create

DIRECTORY = "payment-gateway"


@dataclass(frozen=True)
class MerchantCredentials:
    tmn_code: str  # VNPAY terminal (website) code, 8 characters
    hash_secret: str  # VNPAY vnp_HashSecret
    bank_webhook_secret: str  # signs the bank's VietQR transfer notifications and refunds


def _tmn_code() -> str:
    alphabet = string.ascii_uppercase + string.digits
    return "DVC" + "".join(secrets.choice(alphabet) for _ in range(5))


class ConfiguredCredentials(BaseSettings):
    """What production sets; each one left unset or blank comes from its development file."""

    model_config = SettingsConfigDict(extra="ignore", env_ignore_empty=True, str_strip_whitespace=True)

    tmn_code: str | None = Field(None, validation_alias="PAYMENT_VNP_TMN_CODE")
    hash_secret: str | None = Field(None, validation_alias="PAYMENT_VNP_HASH_SECRET")
    bank_webhook_secret: str | None = Field(None, validation_alias="PAYMENT_BANK_WEBHOOK_SECRET")


def _or_file(configured: str | None, path: Path, make: Callable[[], str]) -> str:
    return configured or read_or_create(path, make)


def merchant_credentials(data_dir: Path) -> MerchantCredentials:
    folder, configured = data_dir / DIRECTORY, ConfiguredCredentials()
    return MerchantCredentials(
        tmn_code=_or_file(configured.tmn_code, folder / "tmn-code", _tmn_code),
        hash_secret=_or_file(
            configured.hash_secret, folder / "hash-secret", lambda: secrets.token_hex(16).upper()
        ),
        bank_webhook_secret=_or_file(
            configured.bank_webhook_secret, folder / "bank-webhook.key", lambda: secrets.token_urlsafe(32)
        ),
    )
