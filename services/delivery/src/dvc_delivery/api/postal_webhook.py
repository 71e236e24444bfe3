"""HTTP: the post's tracking updates (webhook), accepted only with the operator's signature."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, BaseModel, Field, ValidationError

from dvc_kernel.errors import Unauthorized, Unprocessable, problems

from ..application import DeliveryApplication
from ..postal import protocol

log = logging.getLogger(__name__)


class TrackingUpdate(BaseModel):
    tracking_number: str = Field(min_length=5, max_length=40)
    order_ref: str | None = None
    seq: int = Field(ge=1)
    status: Literal["accepted", "in_transit", "delivered", "failed"]
    detail: str = Field(min_length=1, max_length=500)
    attempt: int = Field(ge=1)
    occurred_at: AwareDatetime


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
            raise Unauthorized("postal.bad_signature", "Chữ ký của thông báo bưu chính không hợp lệ.")
        try:
            update = TrackingUpdate.model_validate(json.loads(body))
        except (ValueError, ValidationError):
            raise Unprocessable("invalid_request", "Thông báo bưu chính không đúng định dạng.") from None
        at: datetime = update.occurred_at
        kept = await asyncio.to_thread(
            app.postal_update,
            update.tracking_number,
            update.seq,
            update.status,
            update.detail,
            update.attempt,
            at,
        )
        return {"kept": kept}

    return api
