"""Sending an OTP through notify's internal endpoint (``POST /v1/internal/otp``).

The code travels only in this request — never in an event — authenticated by the shared
service secret. The message id is derived from the challenge, so a retried request sends
one SMS (the gateway deduplicates it).
"""

from __future__ import annotations

import logging
from typing import Protocol

import httpx

from dvc_kernel import http_clients
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER
from dvc_kernel.refusal import Kind, Refusal

log = logging.getLogger(__name__)

SMS_UNAVAILABLE = "Hệ thống tạm thời không gửi được tin nhắn chứa mã OTP. Vui lòng thử lại sau ít phút."


class OtpSender(Protocol):
    def send_otp(self, *, message_id: str, phone: str, code: str, purpose: str, valid_minutes: int) -> None:
        """Deliver the code by SMS now; raises a `Refusal` of kind `unavailable` when it cannot."""
        ...


class NotifyOtpSender:
    def __init__(
        self,
        base_url: str,
        secret: str,
        *,
        timeout: float = 5.0,
        client: httpx.Client | None = None,
    ) -> None:
        """``client`` replaces the default one (tests pass notify's ASGI app in a TestClient)."""
        self._client = client or http_clients.client(base_url, target="notify", timeout=timeout)
        self._secret = secret

    def send_otp(self, *, message_id: str, phone: str, code: str, purpose: str, valid_minutes: int) -> None:
        body = {
            "message_id": message_id,
            "phone": phone,
            "code": code,
            "purpose": purpose,
            "valid_minutes": valid_minutes,
        }
        try:
            response = self._client.post(
                "/v1/internal/otp", json=body, headers={SERVICE_SECRET_HEADER: self._secret}
            )
        except httpx.HTTPError as error:
            # The request (and so the code) is not logged: only that notify was unreachable.
            log.warning("notify unreachable for OTP message %s: %s", message_id, type(error).__name__)
            raise Refusal("otp.sms_unavailable", SMS_UNAVAILABLE, Kind.UNAVAILABLE) from None
        if response.status_code >= 400:
            log.warning("notify refused OTP message %s: HTTP %d", message_id, response.status_code)
            raise Refusal("otp.sms_unavailable", SMS_UNAVAILABLE, Kind.UNAVAILABLE)

    def close(self) -> None:
        self._client.close()
