"""The SMS provider's delivery reports (sms_provider.protocol): a signed webhook, no token.

The signature under the API key proves the report comes from the provider; a report for an
SMS that is not ours, or a repeated one, changes nothing (the application settles each
message once).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request

from dvc_kernel.errors import Unauthorized, Unprocessable, problems

from ..adapters.sms import ReceiptHandler, SmsReceipt
from ..sms_provider import protocol


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
            raise Unauthorized("sms.bad_signature", "Chữ ký của báo cáo gửi tin không hợp lệ.")
        try:
            report = json.loads(body)
            sms_id, message_id, status = report["sms_id"], report["client_ref"], report["status"]
            detail = str(report.get("detail", ""))[:200]
        except (ValueError, KeyError, TypeError) as exc:
            raise Unprocessable("sms.bad_report", "Báo cáo gửi tin không đúng định dạng.") from exc
        if status not in (protocol.DELIVERED, protocol.FAILED) or not isinstance(message_id, str):
            raise Unprocessable("sms.bad_report", "Báo cáo gửi tin không đúng định dạng.")
        await on_receipt(SmsReceipt(message_id, str(sms_id), status == protocol.DELIVERED, detail))
        return {"received": True}

    return api
