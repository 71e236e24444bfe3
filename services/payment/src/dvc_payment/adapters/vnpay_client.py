"""The VNPAY adapter: payment URLs, IPN reading, refunds and the day's transaction list."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

import httpx

from dvc_kernel import http_clients
from dvc_kernel.clock import Clock, SystemClock

from ..domain import vnpay
from ..domain.channels import (
    ChannelUnavailable,
    Notification,
    NotificationRefused,
    Order,
    RefundOrder,
    RefundResult,
)
from ..domain.reconciliation import Movement

log = logging.getLogger(__name__)

PAY_PATH = "/paymentv2/vpcpay.html"
API_PATH = "/merchant_webapi/api/transaction"
REQUIRED = ("vnp_TmnCode", "vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode", "vnp_TransactionStatus")


class VnpayGateway:
    def __init__(
        self,
        base_url: str,
        tmn_code: str,
        hash_secret: str,
        *,
        server_ip: str = "127.0.0.1",
        timeout: float = 10.0,
        clock: Clock | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tmn_code = tmn_code
        self.secret = hash_secret
        self.server_ip = server_ip
        self.timeout = timeout
        self.client = http_clients.AsyncClients(
            target="payment-gateway", timeout=timeout
        )  # pooled, per event loop
        self.clock = clock or SystemClock()

    def payment_url(self, order: Order) -> str:
        params = {
            "vnp_Version": vnpay.VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": vnpay.to_vnp_amount(order.amount_vnd),
            "vnp_CreateDate": vnpay.stamp(order.created_at),
            "vnp_ExpireDate": vnpay.stamp(order.expires_at),
            "vnp_CurrCode": "VND",
            "vnp_IpAddr": order.client_ip,
            "vnp_Locale": "vn",
            "vnp_OrderInfo": vnpay.ascii_info(order.info),
            "vnp_OrderType": "billpayment",
            "vnp_ReturnUrl": order.return_url,
            "vnp_TxnRef": order.txn_ref,
        }
        return f"{self.base_url}{PAY_PATH}?{vnpay.signed_query(params, self.secret)}"

    def read_notification(self, params: Mapping[str, str]) -> Notification:
        txn_ref = params.get("vnp_TxnRef")
        if not params.get(vnpay.HASH_FIELD) or any(not params.get(k) for k in REQUIRED):
            raise NotificationRefused("incomplete", "missing vnp_* fields", txn_ref)
        if not vnpay.verify(params, self.secret):
            raise NotificationRefused("forged", "vnp_SecureHash does not match", txn_ref)
        if params["vnp_TmnCode"] != self.tmn_code:
            raise NotificationRefused("wrong_merchant", f"vnp_TmnCode {params['vnp_TmnCode']}", txn_ref)
        amount = vnpay.from_vnp_amount(params["vnp_Amount"])
        if amount is None:
            raise NotificationRefused("malformed", f"vnp_Amount {params['vnp_Amount']}", txn_ref)
        try:
            paid_at = vnpay.parse_stamp(params.get("vnp_PayDate", ""))
        except ValueError:
            paid_at = self.clock.now()
        succeeded = (
            params["vnp_ResponseCode"] == vnpay.SUCCESS and params["vnp_TransactionStatus"] == vnpay.SUCCESS
        )
        return Notification(
            txn_ref=params["vnp_TxnRef"],
            amount_vnd=amount,
            succeeded=succeeded,
            transaction_ref=params.get("vnp_TransactionNo", ""),
            paid_at=paid_at,
            response_code=params["vnp_ResponseCode"],
            fields=dict(params),
        )

    async def refund(self, order: RefundOrder) -> RefundResult:
        request: dict[str, Any] = {
            "vnp_RequestId": order.request_id,
            "vnp_Version": vnpay.VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionType": vnpay.FULL_REFUND,
            "vnp_TxnRef": order.txn_ref,
            "vnp_Amount": vnpay.to_vnp_amount(order.amount_vnd),
            "vnp_TransactionNo": order.transaction_ref,
            "vnp_TransactionDate": vnpay.stamp(order.paid_at),
            "vnp_CreateBy": "dvc-payment",
            "vnp_CreateDate": vnpay.stamp(order.requested_at),
            "vnp_IpAddr": self.server_ip,
            "vnp_OrderInfo": vnpay.ascii_info(order.reason)[:255] or "Hoan le phi",
        }
        request[vnpay.HASH_FIELD] = vnpay.checksum(vnpay.REFUND_FIELDS, request, self.secret)
        reply = await self._post(request)
        code = str(reply.get("vnp_ResponseCode", ""))
        done = code == vnpay.SUCCESS
        refunded_at = None
        if done and reply.get("vnp_PayDate"):
            refunded_at = vnpay.parse_stamp(str(reply["vnp_PayDate"]))
        return RefundResult(
            done=done,
            refund_ref=str(reply.get("vnp_TransactionNo") or ""),
            refunded_at=refunded_at,
            code=code,
            message=str(reply.get("vnp_Message", "")),
        )

    async def transactions(self, day: date) -> list[Movement]:
        now = self.clock.now()
        request: dict[str, Any] = {
            "vnp_RequestId": f"S{vnpay.stamp(now)}{day:%Y%m%d}",
            "vnp_Version": vnpay.VERSION,
            "vnp_Command": "settlement",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Date": f"{day:%Y%m%d}",
            "vnp_CreateDate": vnpay.stamp(now),
        }
        request[vnpay.HASH_FIELD] = vnpay.checksum(vnpay.SETTLEMENT_FIELDS, request, self.secret)
        reply = await self._post(request, signed_fields=vnpay.SETTLEMENT_REPLY_FIELDS)
        if reply.get("vnp_ResponseCode") != vnpay.SUCCESS:
            raise ChannelUnavailable(f"settlement refused: {reply.get('vnp_ResponseCode')}")
        lines = []
        for item in json.loads(str(reply.get("vnp_Data") or "[]")):
            lines.append(
                Movement(
                    channel=str(item["channel"]),
                    kind=str(item["kind"]),
                    txn_ref=str(item["vnp_TxnRef"]),
                    transaction_ref=str(item["vnp_TransactionNo"]),
                    amount_vnd=int(item["vnp_Amount"]) // 100,
                    at=vnpay.parse_stamp(str(item["vnp_PayDate"])),
                )
            )
        return lines

    async def _post(
        self, request: dict[str, Any], signed_fields: tuple[str, ...] = vnpay.RESPONSE_FIELDS
    ) -> dict[str, Any]:
        try:
            response = await self.client().post(f"{self.base_url}{API_PATH}", json=request)
            reply: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ChannelUnavailable(f"VNPAY {request['vnp_Command']}: {exc}") from exc
        if response.status_code >= 500:
            raise ChannelUnavailable(f"VNPAY {request['vnp_Command']}: HTTP {response.status_code}")
        if not vnpay.verify_checksum(signed_fields, reply, self.secret):
            raise ChannelUnavailable(f"VNPAY {request['vnp_Command']}: reply checksum does not match")
        return reply
