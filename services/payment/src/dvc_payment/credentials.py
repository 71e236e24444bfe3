"""The merchant's credentials with the gateway and the bank, shared by payment and the simulator.

Production sets them in the environment; in development both processes read (and the first one
creates) the same files in `DVC_DATA_DIR/payment-gateway/`, so a fresh clone needs no setup.
"""

from __future__ import annotations

import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

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


def _from_env_or_file(env: str, path: Path, make: object) -> str:
    configured = os.environ.get(env, "").strip()
    if configured:
        return configured
    return read_or_create(path, make)  # type: ignore[arg-type]


def merchant_credentials(data_dir: Path) -> MerchantCredentials:
    folder = data_dir / DIRECTORY
    return MerchantCredentials(
        tmn_code=_from_env_or_file("PAYMENT_VNP_TMN_CODE", folder / "tmn-code", _tmn_code),
        hash_secret=_from_env_or_file(
            "PAYMENT_VNP_HASH_SECRET", folder / "hash-secret", lambda: secrets.token_hex(16).upper()
        ),
        bank_webhook_secret=_from_env_or_file(
            "PAYMENT_BANK_WEBHOOK_SECRET", folder / "bank-webhook.key", lambda: secrets.token_urlsafe(32)
        ),
    )
