"""The brand-name SMS provider's HTTP protocol, as both sides (our adapter and the simulator)
speak it. It follows the shape of the Vietnamese operators' and aggregators' brand-name APIs:

- ``POST /v1/sms`` with ``Authorization: Bearer <API key>`` and a JSON body ``{brandname,
  phone, text, client_ref, callback_url}`` sends one SMS under the registered brand name.
  The client reference makes it idempotent: the same reference returns the same SMS and sends
  nothing. It answers 202 ``{sms_id, status: "accepted"}``; 401 for an unknown key, 422 for a
  malformed request, 5xx when the provider cannot take it now (the caller retries).
- Delivery reports come back to the ``callback_url`` as ``POST`` with a JSON body ``{sms_id,
  client_ref, status: "delivered" | "failed", detail, reported_at}``, signed with
  HMAC-SHA256 under the API key, hex in ``X-Sms-Signature``; the provider retries until it
  gets a 2xx, so a report may arrive twice.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dvc_kernel.local_secrets import read_or_create
from dvc_kernel.webhook_signature import sign as sign  # re-exported: the webhook signature
from dvc_kernel.webhook_signature import signature_matches as signature_matches

SEND_PATH = "/v1/sms"
RECEIPT_PATH = "/v1/sms/receipts"  # on notify: where the provider reports deliveries
SIGNATURE_HEADER = "X-Sms-Signature"
KEY_ENV = "SMS_PROVIDER_API_KEY"
KEY_FILE = "sms-provider-api-key.key"
DELIVERED, FAILED = "delivered", "failed"


def api_key(data_dir: Path) -> str:
    """The key the provider issued to us: ``SMS_PROVIDER_API_KEY``, or, for a development or
    test stack talking to the simulator, one generated into the data directory both share."""
    configured = os.environ.get(KEY_ENV, "").strip()
    if configured:
        return configured
    return read_or_create(data_dir / KEY_FILE, lambda: secrets.token_urlsafe(32))
