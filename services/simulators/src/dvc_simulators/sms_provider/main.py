"""The brand-name SMS provider simulator: a separate process speaking sms_provider.protocol.

It takes SMS under the API key (idempotent on the client reference), keeps them in memory as
the handsets would receive them, and reports each delivery to the callback URL, signed and
retried until answered. Numbers in ``SMS_SIM_UNREACHABLE`` (comma-separated) are reported
failed. ``GET /v1/test/messages?phone=…`` lists what a phone received, newest first, for
tests and the benchmark to read one-time codes as a person reads their phone; it is the
simulator's, not notify's: a real provider has no such thing. A restart forgets everything,
as a sandbox may.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI, Query
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.lean_http import Client, HTTPError
from dvc_kernel.settings import REPO_ROOT
from dvc_notify.adapters import sms_protocol as protocol

from ..callers import api_key_of, provider_app, serve

log = logging.getLogger(__name__)


class SmsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    brandname: str = Field(min_length=1, max_length=11)  # a brand name is at most 11 characters
    phone: str = Field(pattern=r"^0\d{9}$")
    text: str = Field(min_length=1, max_length=1000)
    client_ref: str = Field(min_length=1, max_length=200)
    callback_url: str = Field(min_length=1, max_length=500)


class Simulator:
    def __init__(
        self, api_key: str, unreachable: frozenset[str] = frozenset(), client: httpx.AsyncClient | None = None
    ) -> None:
        self.api_key = api_key
        self.unreachable = unreachable
        self.messages: list[dict[str, Any]] = []
        self.by_ref: dict[str, dict[str, Any]] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self._client = client  # in process, for tests; else the reports go over lean clients
        self._lean: dict[str, Client] = {}  # by the callback's origin, kept alive

    def accept(self, sms: SmsIn) -> dict[str, Any]:
        known = self.by_ref.get(sms.client_ref)
        if known is not None:
            return known
        record = {
            "sms_id": f"SIM{len(self.messages) + 1:010d}",
            "message_id": sms.client_ref,
            "brandname": sms.brandname,
            "phone": sms.phone,
            "text": sms.text,
            "sent_at": datetime.now(UTC).isoformat(),
        }
        self.messages.append(record)
        self.by_ref[sms.client_ref] = record
        task = asyncio.create_task(self._report(record, sms.callback_url))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return record

    async def _report(self, record: dict[str, Any], callback_url: str) -> None:
        failed = record["phone"] in self.unreachable
        report = {
            "sms_id": record["sms_id"],
            "client_ref": record["message_id"],
            "status": protocol.FAILED if failed else protocol.DELIVERED,
            "detail": "subscriber unreachable" if failed else "delivered to handset",
            "reported_at": datetime.now(UTC).isoformat(),
        }
        body = json.dumps(report).encode()
        headers = {protocol.SIGNATURE_HEADER: protocol.sign(body, self.api_key)}
        delay = 0.2
        while True:  # until notify takes it: a report is never dropped
            try:
                status = await self._post(callback_url, body, headers)
                if status < 300:
                    return
                log.warning("delivery report %s answered %s", record["sms_id"], status)
            except (httpx.HTTPError, HTTPError) as exc:
                log.warning("delivery report %s failed: %s", record["sms_id"], exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        if self._client is not None:
            headers = {**headers, "Content-Type": "application/json"}
            return (await self._client.post(url, content=body, headers=headers)).status_code
        # A report per SMS: over kept-alive connections, as cheaply as notify sends (the
        # simulator shares the cores with what `make bench` measures).
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        client = self._lean.get(origin) or self._lean.setdefault(origin, Client.for_url(origin))
        return (
            await client.post(parts.path + (f"?{parts.query}" if parts.query else ""), body, headers)
        ).status

    async def close(self) -> None:
        for client in self._lean.values():
            client.close()
        if self._client is not None:
            await self._client.aclose()

    def received(self, phone: str | None, limit: int) -> list[dict[str, Any]]:
        found = [m for m in reversed(self.messages) if phone is None or m["phone"] == phone]
        return found[:limit]


def create_app(sim: Simulator) -> FastAPI:
    app = provider_app("Brand-name SMS provider simulator", "sms-provider-sim", sim.tasks, sim.close)
    client_is_known = api_key_of(sim.api_key)

    @app.post(protocol.SEND_PATH, status_code=202, dependencies=[client_is_known])
    async def send(sms: SmsIn) -> dict[str, str]:
        return {"sms_id": sim.accept(sms)["sms_id"], "status": "accepted"}

    @app.get("/v1/test/messages", summary="What a phone received, newest first (simulator only)")
    async def messages(
        phone: str | None = Query(None, pattern=r"^0\d{9}$"),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        return sim.received(phone, limit)

    return app


def run() -> None:
    data_dir = Path(os.environ.get("DVC_DATA_DIR", str(REPO_ROOT / "var" / "data")))
    unreachable = frozenset(
        p.strip() for p in os.environ.get("SMS_SIM_UNREACHABLE", "").split(",") if p.strip()
    )
    sim = Simulator(protocol.api_key(data_dir), unreachable)
    port = int(os.environ.get("SMS_SIM_PORT", "8115"))
    serve(create_app(sim), "127.0.0.1", port)
