"""The postal operator's HTTP protocol, as both sides (our adapter and the simulator) speak it.

Orders: ``POST /v1/orders`` with ``Authorization: Bearer <key>`` and a client order reference
(idempotent: the same reference returns the same order), answering the tracking number and
the fee; ``POST /v1/orders/{tracking}/attempts`` asks for another delivery attempt (idempotent
per attempt number). Tracking updates come back as webhooks: a JSON body signed with
HMAC-SHA256 under the shared key, hex in ``X-Postal-Signature``; each update has a sequence
number per order, so a repeated webhook is recognised.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dvc_kernel.local_secrets import read_or_create
from dvc_kernel.webhook_signature import sign as sign  # re-exported: the webhook signature
from dvc_kernel.webhook_signature import signature_matches as signature_matches

SIGNATURE_HEADER = "X-Postal-Signature"
WEBHOOK_PATH = "/v1/postal/webhook"
SECRET_ENV = "POSTAL_SHARED_SECRET"
SECRET_FILE = "postal-shared-secret.key"

# Tracking statuses the operator reports.
ACCEPTED, IN_TRANSIT, DELIVERED, FAILED = "accepted", "in_transit", "delivered", "failed"
STATUSES = (ACCEPTED, IN_TRANSIT, DELIVERED, FAILED)


class PostalSecretSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_ignore_empty=True, str_strip_whitespace=True)

    shared_secret: str | None = Field(None, validation_alias=SECRET_ENV)


def shared_secret(data_dir: Path) -> str:
    """The key agreed with the operator: ``POSTAL_SHARED_SECRET``, or in development one
    generated into the data directory the simulator shares."""
    configured = PostalSecretSettings().shared_secret
    if configured:
        return configured
    return read_or_create(data_dir / SECRET_FILE, lambda: secrets.token_urlsafe(32))
