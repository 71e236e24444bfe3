"""Development only: read what the SMS sink received."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from ..adapters.sms import SmsSink


def router(sink: SmsSink) -> APIRouter:
    api = APIRouter(prefix="/v1/dev", tags=["development"])

    @api.get("/sms", summary="SMS received by the development sink, newest first")
    def list_sms(
        phone: str | None = Query(None, pattern=r"^0\d{9}$"),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        return sink.list(phone, limit)

    return api
