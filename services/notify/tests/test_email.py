"""E-mail goes over real SMTP to the applicant's address; the signed e-result goes with it.
The receiving server is the development SMTP sink, started as its own process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import uuid4

import httpx

from dvc_contracts.dossier import Accepted
from dvc_notify.adapters.email import SmtpSender, compose
from dvc_notify.adapters.results import DeliveryResultDocuments
from dvc_notify.domain.message import RetryPolicy

from .conftest import (
    AT,
    CODE,
    PDF,
    PDF_SHA256,
    PHONE,
    FakeDelivery,
    Notify,
    SmtpSinkProcess,
    e_result,
    eventually,
)


async def test_the_signed_e_result_arrives_by_email_with_the_pdf_attached(
    notify: Notify, smtp_sink: SmtpSinkProcess, fake_delivery: Callable[[int], Awaitable[FakeDelivery]]
) -> None:
    delivery = await fake_delivery(2)  # still signing: two refusals, then the file
    dossier = uuid4()
    address = f"hoa.{uuid4().hex[:8]}@example.vn"  # the sink serves the whole module
    notify.submitted(dossier, email=address)
    notify.feed(e_result(dossier, CODE, "XM-7Q2K"), dossier)
    smtp = SmtpSender("127.0.0.1", smtp_sink.smtp_port, timeout=10)
    results = DeliveryResultDocuments(delivery.url, delivery.secret)

    async with notify.dispatching(email=smtp, results=results):
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))

    (mail,) = smtp_sink.messages(to=address)
    assert mail["subject"] == f"Kết quả điện tử của hồ sơ {CODE}"
    assert "Kính gửi ông/bà Nguyễn Thị Hoa" in mail["body"] and "XM-7Q2K" in mail["body"]
    assert "Cổng dịch vụ công Bộ Công an" in mail["from"]
    (attachment,) = mail["attachments"]
    assert attachment["filename"] == f"ket-qua-{CODE}.pdf"
    assert attachment["media_type"] == "application/pdf"
    assert attachment["size"] == len(PDF) and attachment["sha256"] == PDF_SHA256
    async with httpx.AsyncClient() as client:
        assert (await client.get(attachment["url"])).content == PDF
    assert delivery.requests == [f"/v1/internal/results/{dossier}/document.pdf"] * 3
    email = next(m for m in notify.messages() if m.channel == "email")
    assert email.attempts == 3 and email.provider_ref and "queued as sink-" in email.provider_ref
    assert notify.sink.list(PHONE)[0]["text"].startswith("Bộ Công an: Kết quả điện tử")


async def test_a_file_other_than_the_one_dispatched_is_not_sent(
    notify: Notify, smtp_sink: SmtpSinkProcess, fake_delivery: Callable[[int], Awaitable[FakeDelivery]]
) -> None:
    delivery = await fake_delivery(0)
    dossier = uuid4()
    address = f"hoa.{uuid4().hex[:8]}@example.vn"  # the sink serves the whole module
    notify.submitted(dossier, email=address)
    notify.feed(e_result(dossier, CODE, "XM-7Q2K", sha256="0" * 64), dossier)
    notify.app.retry = RetryPolicy(max_attempts=2, first_delay_seconds=0.01)
    smtp = SmtpSender("127.0.0.1", smtp_sink.smtp_port, timeout=10)
    results = DeliveryResultDocuments(delivery.url, delivery.secret)

    async with notify.dispatching(email=smtp, results=results):
        await eventually(lambda: all(m.settled for m in notify.messages()))

    email = next(m for m in notify.messages() if m.channel == "email")
    assert email.status == "dead_lettered" and "SHA-256 differs" in (email.dead_reason or "")
    assert smtp_sink.messages(to=address) == []


async def test_every_step_goes_by_email_too_when_the_applicant_gave_an_address(
    notify: Notify, smtp_sink: SmtpSinkProcess
) -> None:
    dossier = uuid4()
    address = f"hoa.{uuid4().hex[:8]}@example.vn"  # the sink serves the whole module
    notify.submitted(dossier, email=address)
    notify.feed(Accepted(dossier_id=dossier, dossier_code=CODE, accepted_at=AT), dossier)
    smtp = SmtpSender("127.0.0.1", smtp_sink.smtp_port, timeout=10)

    async with notify.dispatching(email=smtp):
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))

    (mail,) = smtp_sink.messages(to=address)
    assert mail["subject"] == f"Hồ sơ {CODE} hợp lệ, đang được giải quyết"
    assert mail["attachments"] == []


async def test_a_long_vietnamese_subject_keeps_its_spaces(smtp_sink: SmtpSinkProcess) -> None:
    to = f"minh.{uuid4().hex[:8]}@example.vn"
    subject = "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ 261123-K7M3Q9-4, đang được giải quyết"
    email = compose(
        message_id=str(uuid4()),
        sender_name="Cổng dịch vụ công Bộ Công an",
        sender_address="no-reply@dichvucong.bocongan.gov.vn",
        to=to,
        subject=subject,
        body="Nội dung",
    )
    await SmtpSender("127.0.0.1", smtp_sink.smtp_port, timeout=10).send(email)
    assert smtp_sink.messages(to=to)[0]["subject"] == subject


async def test_no_email_is_queued_without_a_usable_address(notify: Notify) -> None:
    for address in (None, "", "không có"):
        dossier = uuid4()
        notify.submitted(dossier, email=address)
        notify.feed(Accepted(dossier_id=dossier, dossier_code=CODE, accepted_at=AT), dossier)
    assert {m.channel for m in notify.messages()} == {"sms"}


async def test_the_sink_keeps_one_copy_of_a_message_sent_twice(smtp_sink: SmtpSinkProcess) -> None:
    smtp = SmtpSender("127.0.0.1", smtp_sink.smtp_port, timeout=10)
    email = compose(
        message_id=str(uuid4()),
        sender_name="Cổng dịch vụ công Bộ Công an",
        sender_address="no-reply@dichvucong.bocongan.gov.vn",
        to="minh@example.vn",
        subject="Thử gửi lại",
        body="Nội dung",
    )
    first = await smtp.send(email)
    second = await smtp.send(email)

    assert first == second
    assert len(smtp_sink.messages(to="minh@example.vn")) == 1
