"""The notify service as it runs, on the real broker: a fee assessed and an e-result dispatched on
their topics reach the citizen by SMS and by e-mail (with the signed PDF), and what became of
each message is published on notify.message.v1 with the recipient masked."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord
from fastapi.testclient import TestClient

from dvc_contracts import EventPayload
from dvc_contracts.dossier import Applicant
from dvc_contracts.registry import parse
from dvc_contracts.topics import NOTIFY_MESSAGE
from dvc_notify.main import build
from dvc_notify.settings import NotifySettings
from dvc_testing import factories

from .conftest import AT, PDF_SHA256, FakeDelivery, SmtpSinkProcess, e_result

pytestmark = pytest.mark.kafka

CODE = "261124-BRK7Q9-2"


async def publish(bootstrap: str, dossier_id: UUID, *payloads: EventPayload) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for version, payload in enumerate(payloads, start=1):
            envelope = factories.envelope(
                payload, dossier_id, producer=payload.topic.split(".")[0], version=version
            )
            await producer.send_and_wait(payload.topic, envelope.to_bytes(), key=str(dossier_id).encode())
    finally:
        await producer.stop()


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 90) -> None:
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.2)


async def test_a_fee_and_an_e_result_on_the_topics_reach_the_citizen_by_sms_and_email(
    kafka_bootstrap: str,
    tmp_path: Path,
    smtp_sink: SmtpSinkProcess,
    fake_delivery: Callable[[int], Awaitable[FakeDelivery]],
    read_topic: Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    delivery = await fake_delivery(1)
    monkeypatch.setenv("DVC_SERVICE_SECRET", delivery.secret)
    settings = NotifySettings(
        KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap,
        DVC_DATA_DIR=tmp_path / "data",
        SMTP_PORT=smtp_sink.smtp_port,
        DELIVERY_URL=delivery.url,
        NOTIFY_RETRY_FIRST_SECONDS=0.1,
        DVC_DEVELOPMENT=True,  # the SMS sink, read below at /v1/dev/sms
        NOTIFY_QUIET_HOURS="off",  # sent on the wall clock: not held for the morning after 21:00
    )
    dossier = uuid4()
    phone, address = "0987654321", f"lan.{uuid4().hex[:8]}@example.vn"
    applicant = Applicant(id_number="001203004322", full_name="Trần Thị Lan", phone=phone, email=address)
    submitted = factories.submitted(
        dossier, dossier_code=CODE, applicant=applicant, owner_account="account-lan"
    )
    rule = "Lệ phí đăng ký cư trú nộp trực tuyến"
    fee = factories.fee_assessed(dossier, CODE, rule=rule, due="on_submission", assessed_at=AT)
    result = e_result(dossier, CODE, "XM-BRK")

    with TestClient(build(settings)) as service:
        await publish(kafka_bootstrap, dossier, submitted)
        await publish(kafka_bootstrap, dossier, fee, result)

        def sms() -> list[dict[str, Any]]:
            answer: list[dict[str, Any]] = service.get("/v1/dev/sms", params={"phone": phone}).json()
            return answer

        async def arrived() -> bool:
            mail = await asyncio.to_thread(smtp_sink.messages, address)
            return len(await asyncio.to_thread(sms)) == 2 and len(mail) == 2

        await wait_for(arrived)
        texts = [m["text"] for m in sms()]
        assert any("cần nộp phí, lệ phí 7.000 đồng" in t for t in texts)
        assert any("Kết quả điện tử" in t and "XM-BRK" in t for t in texts)
        mail = {m["subject"]: m for m in smtp_sink.messages(address)}
        (pdf,) = mail[f"Kết quả điện tử của hồ sơ {CODE}"]["attachments"]
        assert pdf["sha256"] == PDF_SHA256
        assert mail[f"Hồ sơ {CODE}: phí, lệ phí cần nộp 7.000 đồng"]["attachments"] == []

        async def published() -> list[Any]:
            records = await read_topic(NOTIFY_MESSAGE.name)
            events = [parse(r.value or b"")[1] for r in records]
            return [e for e in events if getattr(e, "dossier_id", None) == dossier]

        async def all_delivered() -> bool:
            return sum(e.event_type == "MessageDelivered" for e in await published()) == 4

        await wait_for(all_delivered)
        events = await published()
        assert {e.event_type for e in events} == {"MessageSent", "MessageDelivered"}
        assert {e.recipient for e in events} == {"09******21", f"l***@{address.split('@')[1]}"}
        assert {e.template for e in events} == {"fee_due_on_submission", "result_e_dispatched"}
