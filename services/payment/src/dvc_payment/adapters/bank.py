"""The bank account that receives VietQR transfers: its signed transfer notifications (webhook)
and its refund API. Both directions carry `X-Signature`: the hex HMAC-SHA512 of the raw JSON
body with the secret agreed with the bank, as banks' transaction webhooks commonly do."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import httpx

from dvc_kernel import http_clients

from ..domain.channels import ChannelUnavailable, Notification, NotificationRefused, RefundOrder, RefundResult
from ..domain.vietqr import reference_in as vietqr_reference

SIGNATURE_HEADER = "X-Signature"
REFUND_PATH = "/bank/v1/refunds"


def body_signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha512).hexdigest()


def signature_matches(secret: str, body: bytes, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest((given or "").lower(), body_signature(secret, body))


class VietQrBank:
    def __init__(
        self, base_url: str, bin_code: str, account: str, secret: str, timeout: float = 10.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.bin_code = bin_code
        self.account = account
        self.secret = secret
        self.timeout = timeout
        self.client = http_clients.AsyncClients(target="bank", timeout=timeout)  # pooled, per event loop

    def read_notification(self, body: bytes, signature: str | None) -> Notification:
        if not signature:
            raise NotificationRefused("incomplete", f"no {SIGNATURE_HEADER} header")
        if not signature_matches(self.secret, body, signature):
            raise NotificationRefused("forged", f"{SIGNATURE_HEADER} does not match")
        try:
            data: dict[str, Any] = json.loads(body)
            description = str(data["description"])
            amount = int(data["amount"])
            transaction_id = str(data["transaction_id"])
            account = str(data["account_no"])
            transferred_at = datetime.fromisoformat(str(data["transferred_at"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise NotificationRefused("malformed", f"transfer notification: {exc}") from exc
        txn_ref = vietqr_reference(description)
        if account != self.account or str(data.get("bin", self.bin_code)) != self.bin_code:
            raise NotificationRefused("wrong_merchant", f"account {account}", txn_ref)
        if txn_ref is None:
            raise NotificationRefused("unknown_order", f"no order reference in «{description}»")
        if transferred_at.tzinfo is None:
            raise NotificationRefused("malformed", "transferred_at without offset", txn_ref)
        return Notification(
            txn_ref=txn_ref,
            amount_vnd=amount,
            succeeded=True,
            transaction_ref=transaction_id,
            paid_at=transferred_at,
            response_code="00",
            fields={k: str(v) for k, v in data.items()},
        )

    async def refund(self, order: RefundOrder) -> RefundResult:
        body = json.dumps(
            {
                "request_id": order.request_id,
                "transaction_id": order.transaction_ref,
                "account_no": self.account,
                "amount": order.amount_vnd,
                "reason": order.reason,
            },
            ensure_ascii=False,
        ).encode()
        headers = {SIGNATURE_HEADER: body_signature(self.secret, body), "Content-Type": "application/json"}
        try:
            response = await self.client().post(
                f"{self.base_url}{REFUND_PATH}", content=body, headers=headers
            )
        except httpx.HTTPError as exc:
            raise ChannelUnavailable(f"bank refund: {exc}") from exc
        if response.status_code >= 500 or not signature_matches(
            self.secret, response.content, response.headers.get(SIGNATURE_HEADER)
        ):
            raise ChannelUnavailable(f"bank refund: HTTP {response.status_code} or unsigned reply")
        reply: dict[str, Any] = response.json()
        done = reply.get("code") == "00"
        return RefundResult(
            done=done,
            refund_ref=str(reply.get("refund_id") or ""),
            refunded_at=datetime.fromisoformat(str(reply["refunded_at"])) if done else None,
            code=str(reply.get("code")),
            message=str(reply.get("message", "")),
        )
