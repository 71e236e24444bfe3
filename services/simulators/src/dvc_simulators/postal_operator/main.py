"""The postal operator simulator: a separate process for development and tests.

It accepts orders (tracking number in the UPU S10 format, fee from the published tariff),
then plays each delivery attempt: accepted, in transit, and delivered or failed, reporting
every step to the delivery service by signed webhook (retried until answered, in order).
`POST /v1/test/fail-next` makes the next attempt fail, as a recipient away from home would.
State is in memory: a restart forgets the orders, as a sandbox may.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import yaml
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dvc_delivery.adapters import postal_protocol as protocol
from dvc_kernel.settings import REPO_ROOT

from ..callers import api_key_of, provider_app, serve

log = logging.getLogger(__name__)

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_tracking_number(serial: int, prefix: str = "EB") -> str:
    """UPU S10: two letters, 8 digits, a check digit, the country code."""
    digits = f"{serial:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{digits}{check}VN"


@cache
def tariff() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        files("dvc_delivery").joinpath("data/postal.yaml").read_text(encoding="utf-8")
    )
    return data


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    order_ref: str = Field(min_length=1, max_length=100)
    recipient: str = Field(min_length=1)
    phone: str = Field(pattern=r"^0\d{9}$")
    street: str = Field(min_length=1)
    commune: str = Field(min_length=1)
    province: str = Field(min_length=1)
    province_code: str | None = None
    from_province_code: str | None = None


class AttemptIn(BaseModel):
    attempt: int = Field(ge=2)


class FailNext(BaseModel):
    reason: str = "Người nhận vắng nhà, không liên lạc được qua điện thoại"
    count: int = Field(default=1, ge=1, le=10)


class Simulator:
    def __init__(self, delivery_url: str, secret: str, step_seconds: float) -> None:
        self.webhook_url = f"{delivery_url.rstrip('/')}{protocol.WEBHOOK_PATH}"
        self.secret = secret
        self.step = step_seconds
        self.orders: dict[str, dict[str, Any]] = {}  # by tracking number
        self.by_ref: dict[str, str] = {}
        self.failures: list[str] = []  # reasons for the next attempts that must fail
        self.tasks: set[asyncio.Task[None]] = set()
        self._serial = secrets.randbelow(10**7)

    def create(self, order: OrderIn) -> dict[str, Any]:
        if order.order_ref in self.by_ref:
            return self.orders[self.by_ref[order.order_ref]]
        self._serial += 1
        tracking = s10_tracking_number(self._serial)
        fees = tariff()["fees"]
        same = order.province_code is not None and order.province_code == order.from_province_code
        record = {
            "tracking_number": tracking,
            "order_ref": order.order_ref,
            "fee_vnd": int(fees["same_province" if same else "other_province"]),
            "address": order.model_dump(exclude={"order_ref", "from_province_code"}),
            "attempts": [1],
            "events": [],
        }
        self.orders[tracking] = record
        self.by_ref[order.order_ref] = tracking
        self._play(record, 1, first=True)
        return record

    def attempt(self, tracking: str, number: int) -> dict[str, Any]:
        record = self.orders.get(tracking)
        if record is None:
            raise HTTPException(404, "no such order")
        if number not in record["attempts"]:
            record["attempts"].append(number)
            self._play(record, number, first=False)
        return record

    def _play(self, record: dict[str, Any], attempt: int, first: bool) -> None:
        task = asyncio.create_task(self._run_attempt(record, attempt, first))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run_attempt(self, record: dict[str, Any], attempt: int, first: bool) -> None:
        if first:
            await self._report(record, protocol.ACCEPTED, "Bưu cục đã nhận bưu gửi kết quả TTHC", attempt)
        await asyncio.sleep(self.step)
        await self._report(record, protocol.IN_TRANSIT, f"Đang phát lần {attempt}", attempt)
        await asyncio.sleep(self.step)
        if self.failures:
            await self._report(record, protocol.FAILED, self.failures.pop(0), attempt)
        else:
            await self._report(record, protocol.DELIVERED, "Đã phát thành công cho người nhận", attempt)

    async def _report(self, record: dict[str, Any], status: str, detail: str, attempt: int) -> None:
        update = {
            "tracking_number": record["tracking_number"],
            "order_ref": record["order_ref"],
            "seq": len(record["events"]) + 1,
            "status": status,
            "detail": detail,
            "attempt": attempt,
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        record["events"].append(update)
        body = json.dumps(update, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            protocol.SIGNATURE_HEADER: protocol.sign(body, self.secret),
        }
        delay = 0.2
        async with httpx.AsyncClient(timeout=10) as client:
            while True:  # until the delivery service takes it: updates are never dropped
                try:
                    answer = await client.post(self.webhook_url, content=body, headers=headers)
                    if answer.status_code < 300:
                        return
                    log.warning("webhook %s answered %s: %s", update["seq"], answer.status_code, answer.text)
                except httpx.HTTPError as exc:
                    log.warning("webhook to %s failed: %s", self.webhook_url, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)


def create_app(sim: Simulator) -> FastAPI:
    app = provider_app("Postal operator simulator", "postal-sim", sim.tasks)
    client_is_known = api_key_of(sim.secret)

    @app.post("/v1/orders", status_code=201, dependencies=[client_is_known])
    async def create_order(order: OrderIn) -> dict[str, Any]:
        record = sim.create(order)
        return {
            "tracking_number": record["tracking_number"],
            "fee_vnd": record["fee_vnd"],
            "status": "accepted",
        }

    @app.post("/v1/orders/{tracking}/attempts", status_code=202, dependencies=[client_is_known])
    async def another_attempt(tracking: str, body: AttemptIn) -> dict[str, Any]:
        record = sim.attempt(tracking, body.attempt)
        return {"tracking_number": tracking, "attempts": record["attempts"]}

    @app.get("/v1/orders/{tracking}", dependencies=[client_is_known])
    async def order(tracking: str) -> dict[str, Any]:
        record = sim.orders.get(tracking)
        if record is None:
            raise HTTPException(404, "no such order")
        return record

    @app.post("/v1/test/fail-next", summary="Make the next delivery attempt(s) fail (tests only)")
    async def fail_next(body: FailNext) -> dict[str, int]:
        sim.failures.extend([body.reason] * body.count)
        return {"failing": len(sim.failures)}

    return app


def run() -> None:
    settings = PostalSimSettings()
    sim = Simulator(
        delivery_url=settings.delivery_url,
        secret=protocol.shared_secret(settings.data_dir),
        step_seconds=settings.step_seconds,
    )
    serve(create_app(sim), "127.0.0.1", settings.port)


class PostalSimSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    data_dir: Path = Field(REPO_ROOT / "var" / "data", validation_alias="DVC_DATA_DIR")
    delivery_url: str = Field("http://127.0.0.1:8106", validation_alias="DELIVERY_URL")
    step_seconds: float = Field(0.3, gt=0, validation_alias="POSTAL_SIM_STEP_SECONDS")
    port: int = Field(8112, ge=1, le=65535, validation_alias="POSTAL_SIM_PORT")
