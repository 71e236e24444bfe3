"""The sink's HTTP side: what it received, and each attachment to download."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from dvc_kernel.refusal import Kind, Refusal

from .store import MailStore


def router(store: MailStore) -> APIRouter:
    api = APIRouter()

    @api.get("/healthz", summary="The sink is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "smtp-sink"}

    @api.get("/messages", summary="Messages received, newest first")
    async def messages(
        request: Request,
        to: str | None = Query(None, max_length=320, description="Only those sent to this address."),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        found = await asyncio.to_thread(store.list, to, limit)
        base = str(request.base_url).rstrip("/")
        return [m.summary(base) for m in found]

    @api.get("/messages/{seq}", summary="One message")
    async def message(request: Request, seq: int) -> dict[str, Any]:
        found = await asyncio.to_thread(store.get, seq)
        if found is None:
            raise Refusal("mail_not_found", "Không tìm thấy thư.", Kind.NOT_FOUND)
        return found.summary(str(request.base_url).rstrip("/"))

    @api.get("/messages/{seq}/raw", summary="One message as received (RFC 5322)")
    async def raw(seq: int) -> Response:
        found = await asyncio.to_thread(store.get, seq)
        if found is None:
            raise Refusal("mail_not_found", "Không tìm thấy thư.", Kind.NOT_FOUND)
        return Response(found.raw, media_type="message/rfc822")

    @api.get("/messages/{seq}/attachments/{index}", summary="Download one attachment")
    async def attachment(seq: int, index: int) -> Response:
        found = await asyncio.to_thread(store.get, seq)
        parts = found.attachments() if found else []
        if not 0 <= index < len(parts):
            raise Refusal("attachment_not_found", "Không tìm thấy tệp đính kèm.", Kind.NOT_FOUND)
        filename, media_type, content = parts[index]
        disposition = f"attachment; filename*=UTF-8''{quote(filename or f'attachment-{index}')}"
        return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})

    return api
