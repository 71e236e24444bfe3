"""HTTP: the post's tracking updates (webhook), accepted only with the operator's signature."""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request
from pydantic import ValidationError

from dvc_kernel.errors import problems
from dvc_kernel.refusal import Kind, Refusal

from ..adapters import postal_protocol as protocol
from ..application import DeliveryApplication
from .models import TrackingUpdate

log = logging.getLogger(__name__)


def router(app: DeliveryApplication, secret: str) -> APIRouter:
    api = APIRouter(tags=["postal operator"])

    @api.post(
        protocol.WEBHOOK_PATH,
        summary="A tracking update from the postal operator (signed)",
        responses=problems(401),
    )
    async def webhook(request: Request) -> dict[str, bool]:
        body = await request.body()
        # The signature is checked before anything in the body is believed.
        if not protocol.signature_matches(body, request.headers.get(protocol.SIGNATURE_HEADER), secret):
            log.warning("postal webhook refused: bad or missing signature")
            raise Refusal(
                "postal.bad_signature", "Chữ ký của thông báo bưu chính không hợp lệ.", Kind.UNAUTHORIZED
            )
        try:
            update = TrackingUpdate.model_validate(json.loads(body))
        except (ValueError, ValidationError):
            raise Refusal("invalid_request", "Thông báo bưu chính không đúng định dạng.") from None
        kept = await app.postal_update(
            update.tracking_number,
            update.seq,
            update.status,
            update.detail,
            update.attempt,
            update.occurred_at,
        )
        return {"kept": kept}

    return api
