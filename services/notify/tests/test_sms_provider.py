"""Outside development notify sends SMS through a brand-name SMS provider over HTTP, and the
development sink with its open listing of every SMS (one-time codes included) does not exist.

The provider here is its simulator, served on a local socket (plain and TLS); it reports
deliveries to notify's signed receipt endpoint, as the real provider calls back."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from dvc_kernel.errors import install_error_handlers
from dvc_notify.adapters import sms_protocol as protocol
from dvc_notify.adapters.sms import SmsReceipt
from dvc_notify.adapters.sms_http import BrandnameSmsClient, SmsProviderError
from dvc_notify.api import sms_receipts
from dvc_notify.main import NoSmsProvider, build
from dvc_notify.settings import NotifySettings
from dvc_simulators.sms_provider.main import Simulator, create_app
from dvc_testing.secure_kafka import make_tls
from dvc_testing.serving import serving

KEY = "khoa-api-cua-nha-cung-cap-sms-thu-nghiem"
NOTIFY = "http://notify.test"


def paths(app: FastAPI) -> set[str]:
    return set(app.openapi()["paths"])


def test_notify_refuses_to_start_without_a_provider_outside_development(tmp_path: Path) -> None:
    with pytest.raises(NoSmsProvider):
        build(NotifySettings(DVC_DATA_DIR=tmp_path))
    with pytest.raises(NoSmsProvider):  # an address without the key is no provider either
        build(NotifySettings(DVC_DATA_DIR=tmp_path, SMS_PROVIDER_URL="https://sms.example.vn"))


def test_production_has_the_provider_callback_and_no_development_sink(tmp_path: Path) -> None:
    app = build(
        NotifySettings(
            DVC_DATA_DIR=tmp_path, SMS_PROVIDER_URL="https://sms.example.vn", SMS_PROVIDER_API_KEY=KEY
        )
    )
    try:
        assert "/v1/dev/sms" not in paths(app)
        assert protocol.RECEIPT_PATH in paths(app)
    finally:
        app.state.runtime.app.close()
    assert not (tmp_path / "notify" / "sms-sink.sqlite3").exists()


def test_development_keeps_the_sink_and_its_listing(tmp_path: Path) -> None:
    app = build(NotifySettings(DVC_DATA_DIR=tmp_path, DVC_DEVELOPMENT=True))
    try:
        assert "/v1/dev/sms" in paths(app)
        assert protocol.RECEIPT_PATH not in paths(app)
    finally:
        app.state.runtime.app.close()


class Wired:
    """The adapter talking to the simulator, served on a real socket, which reports to a receipt
    endpoint (in process)."""

    def __init__(self, unreachable: frozenset[str] = frozenset(), key: str = KEY) -> None:
        self.receipts: list[SmsReceipt] = []
        self.key = key

        async def on_receipt(receipt: SmsReceipt) -> None:
            self.receipts.append(receipt)

        self.notify = FastAPI()
        install_error_handlers(self.notify)
        self.notify.include_router(sms_receipts.router(KEY, on_receipt))
        to_notify = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.notify))
        self.sim = Simulator(KEY, unreachable, client=to_notify)
        self.provider = create_app(self.sim)

    @contextlib.asynccontextmanager
    async def client(self, tls: tuple[Path, Path] | None = None) -> AsyncIterator[BrandnameSmsClient]:
        """`tls`: the CA's certificate and the provider's PEM (key and certificate)."""
        ca_file, served = (str(tls[0]), (tls[1], tls[1])) if tls else (None, None)
        async with serving(self.provider, tls=served) as url:
            receipts = f"{NOTIFY}{protocol.RECEIPT_PATH}"
            client = BrandnameSmsClient(url, self.key, "BoCongAn", receipts, ca_file=ca_file)
            try:
                yield client
            finally:
                await client.close()

    async def settled(self) -> None:
        while self.sim.tasks:
            await asyncio.gather(*self.sim.tasks)


async def test_an_sms_is_sent_once_per_message_id_and_its_delivery_reported() -> None:
    wired = Wired()
    async with wired.client() as client:
        first = await client.send("6a0c1f7e-otp", "0903123456", "Mã xác thực của bạn là 123456")
        again = await client.send("6a0c1f7e-otp", "0903123456", "Mã xác thực của bạn là 123456")
        await wired.settled()
    assert first == again
    assert [m["text"] for m in wired.sim.received("0903123456", 10)] == ["Mã xác thực của bạn là 123456"]
    assert wired.receipts == [SmsReceipt("6a0c1f7e-otp", first, True, "delivered to handset")]


async def test_an_unreachable_phone_is_reported_failed() -> None:
    wired = Wired(unreachable=frozenset({"0935111222"}))
    async with wired.client() as client:
        ref = await client.send("m-1", "0935111222", "Hồ sơ đã được tiếp nhận")
        await wired.settled()
    assert wired.receipts == [SmsReceipt("m-1", ref, False, "subscriber unreachable")]


async def test_the_provider_refuses_a_wrong_key_and_the_send_fails_for_a_retry() -> None:
    wired = Wired(key="not-the-key")
    async with wired.client() as client:
        with pytest.raises(SmsProviderError, match="401"):
            await client.send("m-2", "0903123456", "Hồ sơ đã được tiếp nhận")
    assert wired.sim.messages == []


async def test_many_sms_go_over_one_kept_alive_connection() -> None:
    wired = Wired()
    async with wired.client() as client:
        for n in range(20):
            await client.send(f"m-{n}", "0903123456", f"Tin nhắn {n}")
        opened = client._client.opened
        await wired.settled()
    assert opened == 1 and len(wired.receipts) == 20


async def test_the_provider_is_reached_over_tls(tmp_path: Path) -> None:
    wired = Wired()
    async with wired.client(tls=make_tls(tmp_path)) as client:
        sms_id = await client.send("m-tls", "0903123456", "Hồ sơ đã được tiếp nhận")
        await wired.settled()
    assert wired.receipts == [SmsReceipt("m-tls", sms_id, True, "delivered to handset")]


async def test_an_unreachable_provider_fails_the_send_for_a_retry() -> None:
    client = BrandnameSmsClient("http://127.0.0.1:1", KEY, "BoCongAn", f"{NOTIFY}{protocol.RECEIPT_PATH}")
    with pytest.raises(SmsProviderError, match="unreachable"):
        await client.send("m-4", "0903123456", "Hồ sơ đã được tiếp nhận")


async def test_a_delivery_report_without_the_providers_signature_is_refused() -> None:
    wired = Wired()
    report = json.dumps({"sms_id": "X", "client_ref": "m-3", "status": "delivered"}).encode()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=wired.notify), base_url=NOTIFY) as client:
        forged = await client.post(
            protocol.RECEIPT_PATH, content=report, headers={protocol.SIGNATURE_HEADER: "00"}
        )
        unsigned = await client.post(protocol.RECEIPT_PATH, content=report)
        signed = await client.post(
            protocol.RECEIPT_PATH,
            content=report,
            headers={protocol.SIGNATURE_HEADER: protocol.sign(report, KEY)},
        )
    assert (forged.status_code, unsigned.status_code, signed.status_code) == (401, 401, 200)
    assert wired.receipts == [SmsReceipt("m-3", "X", True, "")]
