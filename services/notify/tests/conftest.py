"""Notify's test fixtures: an application on a real store, events fed through its inbox, a
dispatcher running against gateways that can be made to fail, and the SMTP sink process."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import pytest_asyncio

from dvc_contracts import EventPayload
from dvc_contracts.delivery import ResultDispatched
from dvc_contracts.dossier import Applicant, Received
from dvc_kernel.application import Incoming
from dvc_kernel.inbox import tracking_for
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER
from dvc_notify.adapters.channels import Channels, Sender
from dvc_notify.adapters.email import EmailSender
from dvc_notify.adapters.results import ResultDocuments, ResultNotAvailable
from dvc_notify.adapters.sms import SmsReceipt, SmsSink
from dvc_notify.application import NotifyApplication
from dvc_notify.application.dispatcher import MessageDispatcher
from dvc_notify.domain.message import Message, RetryPolicy
from dvc_testing import factories
from dvc_testing.simulator_process import simulator_process

PHONE = "0912345678"
EMAIL = "hoa.nguyen@example.vn"
OWNER = "account-of-hoa"
QUICK = RetryPolicy(max_attempts=6, first_delay_seconds=0.01, max_delay_seconds=0.05)
SENDER = Sender("Cổng dịch vụ công Bộ Công an", "no-reply@dichvucong.bocongan.gov.vn")
CODE = "261123-K7M3Q9-4"
AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
DUE = datetime(2026, 11, 27, 10, tzinfo=UTC)


def received(dossier_id: UUID, due_at: datetime | None = DUE) -> Received:
    """Processing received the dossier: the receipt SMS most tests send."""
    return Received(
        dossier_id=dossier_id, dossier_code=CODE, procedure_code="1.004194", received_at=AT, due_at=due_at
    )


class FlakyGateway:
    """An SMS gateway that fails the first `failures` sends, then works (a real sink behind).
    With `lose_answers`, the failed sends did reach the sink but the answer was lost."""

    def __init__(self, sink: SmsSink, failures: int, lose_answers: bool = False) -> None:
        self.sink = sink
        self.failures = failures
        self.lose_answers = lose_answers
        self.calls = 0

    async def send(self, message_id: str, phone: str, text: str) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            if self.lose_answers:
                await self.sink.send(message_id, phone, text)
                raise TimeoutError("gateway did not answer in time")
            raise ConnectionError("SMS gateway unavailable (HTTP 503)")
        return await self.sink.send(message_id, phone, text)


class NoEmail:
    async def send(self, email: EmailMessage) -> str:
        raise AssertionError("no e-mail expected in this test")


class NoResults:
    async def fetch(self, dossier_id: UUID, expected_sha256: str | None) -> bytes:
        raise ResultNotAvailable("no e-result in this test")


@dataclass
class Notify:
    """One notify application, what it was fed, and a way to run its dispatcher."""

    app: NotifyApplication
    sink: SmsSink
    offsets: dict[str, int] = field(default_factory=dict)

    def feed(self, payload: EventPayload, subject: UUID, *, envelope: Any = None, topic: str = "") -> Any:
        """Deliver one public event through the inbox, as the consumer would."""
        envelope = envelope or factories.envelope(payload, subject)
        topic = topic or payload.topic
        offset = self.offsets.get(topic, 0)
        self.offsets[topic] = offset + 1
        self.app.process_incoming(Incoming(envelope, payload), tracking_for(topic, 0, offset))
        return envelope

    def submitted(self, dossier_id: UUID, *, email: str | None = None, owner: str = OWNER) -> Any:
        applicant = Applicant(id_number="001203004321", full_name="Nguyễn Thị Hoa", phone=PHONE, email=email)
        return self.feed(
            factories.submitted(dossier_id, applicant=applicant, owner_account=owner), dossier_id
        )

    def dossier_received(self) -> UUID:
        """A new dossier submitted and received: its receipt SMS is queued."""
        dossier = uuid4()
        self.submitted(dossier)
        self.feed(received(dossier), dossier)
        return dossier

    def messages(self) -> list[Message]:
        ids = {n.originator_id for n in self.app.recorder.select_notifications(1, 100_000)}
        found = [self.app.message(i) for i in ids]
        return sorted((m for m in found if m is not None), key=lambda m: m.queued_at)

    def stored_events(self) -> list[Any]:
        return [
            self.app.mapper.to_domain_event(n) for n in self.app.recorder.select_notifications(1, 100_000)
        ]

    @contextlib.asynccontextmanager
    async def dispatching(
        self,
        sms: Any = None,
        email: EmailSender | None = None,
        results: ResultDocuments | None = None,
    ) -> AsyncIterator[MessageDispatcher]:
        channels = Channels(sms or self.sink, email or NoEmail(), results or NoResults(), SENDER)
        dispatcher = MessageDispatcher(self.app, channels, idle_seconds=0.01)
        task = asyncio.create_task(dispatcher.run())
        try:
            yield dispatcher
        finally:
            task.cancel()
            async with asyncio.timeout(10):  # a dispatcher that would not stop fails the test
                await asyncio.gather(task, return_exceptions=True)


async def eventually(check: Callable[[], bool], timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)


@pytest.fixture
def notify(tmp_path: Path) -> Iterator[Notify]:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "events.sqlite3")}
    # Quiet hours off: these tests send on the wall clock, and from 21:00 Vietnam time a
    # non-urgent SMS would wait for the morning (test_sms_rules checks the hours themselves).
    app = NotifyApplication(env=env, retry=QUICK, catalog=factories.catalog_replica(), quiet_hours=None)

    async def on_receipt(receipt: SmsReceipt) -> None:
        await asyncio.to_thread(
            app.record_receipt, receipt.message_id, receipt.delivered, receipt.detail, receipt.provider_ref
        )

    sink = SmsSink(tmp_path / "sms.sqlite3", on_receipt=on_receipt)
    yield Notify(app, sink)
    app.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SmtpSinkProcess:
    smtp_port: int
    http_url: str

    def messages(self, to: str | None = None) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.http_url}/messages", params={"to": to} if to else {}, timeout=10)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()
        return result


@pytest.fixture(scope="module")
def smtp_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpSinkProcess]:
    """The development SMTP server, started as its own process, as the dev stack starts it
    (one per test module; tests tell their mail apart by recipient or Message-ID)."""
    tmp_path = tmp_path_factory.mktemp("smtp-sink")
    smtp_port, http_port = free_port(), free_port()
    env = {
        "SMTP_SINK_PORT": str(smtp_port),
        "SMTP_SINK_HTTP_PORT": str(http_port),
        "DVC_DATA_DIR": str(tmp_path / "sink-data"),
    }
    url = f"http://127.0.0.1:{http_port}"
    with simulator_process("smtp_sink", env, url, tmp_path / "smtp-sink.log"):
        yield SmtpSinkProcess(smtp_port, url)


# A minimal PDF: delivery's real one is signed; notify only checks it is the file the event names.
PDF = b"%PDF-1.7\n% K\xe1\xba\xbft qu\xe1\xba\xa3 gi\xe1\xba\xa3i quy\xe1\xba\xbft\n%%EOF\n"
PDF_SHA256 = hashlib.sha256(PDF).hexdigest()


def e_result(
    dossier_id: UUID, dossier_code: str, verification_code: str, sha256: str = PDF_SHA256
) -> ResultDispatched:
    """Delivery made the signed e-result (the PDF above) available."""
    return ResultDispatched(
        dossier_id=dossier_id,
        dossier_code=dossier_code,
        channel="e_result",
        document_sha256=sha256,
        verification_code=verification_code,
        dispatched_at=AT,
    )


@dataclass
class FakeDelivery:
    """Stands in for delivery's internal endpoint: refuses without the secret, answers 503 the
    first `not_ready` times (the result is still being signed), then serves the PDF."""

    url: str
    secret: str
    requests: list[str]


@pytest_asyncio.fixture
async def fake_delivery() -> AsyncIterator[Callable[[int], Awaitable[FakeDelivery]]]:
    servers: list[ThreadingHTTPServer] = []

    async def start(not_ready: int) -> FakeDelivery:
        secret = f"secret-{uuid4().hex}"
        seen: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                if self.headers.get(SERVICE_SECRET_HEADER) != secret:
                    self.send_response(403)
                    self.end_headers()
                    return
                if len(seen) <= not_ready:
                    self.send_response(503)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(PDF)))
                self.end_headers()
                self.wfile.write(PDF)

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return FakeDelivery(f"http://127.0.0.1:{server.server_address[1]}", secret, seen)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
