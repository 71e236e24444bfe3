"""The SMS provider's delivery reports (adapters/sms_protocol.py): a signed webhook, no token.

The signature under the API key proves the report comes from the provider; a report for an
SMS that is not ours, or a repeated one, changes nothing (the application settles each
message once).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request

from dvc_kernel.errors import problems
from dvc_kernel.refusal import Kind, Refusal

from ..adapters import sms_protocol as protocol
from ..adapters.sms import ReceiptHandler, SmsReceipt


def router(api_key: str, on_receipt: ReceiptHandler) -> APIRouter:
    api = APIRouter(tags=["provider callbacks"])

    @api.post(
        protocol.RECEIPT_PATH,
        summary="Delivery report from the SMS provider (signed)",
        responses=problems(400, 401, 422),
    )
    async def receipt(request: Request) -> dict[str, Any]:
        body = await request.body()
        if not protocol.signature_matches(body, request.headers.get(protocol.SIGNATURE_HEADER), api_key):
            raise Refusal("sms.bad_signature", "Chữ ký của báo cáo gửi tin không hợp lệ.", Kind.UNAUTHORIZED)
        try:
            report = json.loads(body)
            sms_id, message_id, status = report["sms_id"], report["client_ref"], report["status"]
            detail = str(report.get("detail", ""))[:200]
        except (ValueError, KeyError, TypeError) as exc:
            raise Refusal("sms.bad_report", "Báo cáo gửi tin không đúng định dạng.", Kind.INVALID) from exc
        if status not in (protocol.DELIVERED, protocol.FAILED) or not isinstance(message_id, str):
            raise Refusal("sms.bad_report", "Báo cáo gửi tin không đúng định dạng.", Kind.INVALID)
        await on_receipt(SmsReceipt(message_id, str(sms_id), status == protocol.DELIVERED, detail))
        return {"received": True}

    return api
