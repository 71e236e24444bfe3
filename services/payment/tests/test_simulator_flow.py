"""Payment against the real broker and the gateway simulator process, on SQLite and PostgreSQL.

A Submitted on intake.dossier.v1 is assessed; the citizen pays on the simulator's page; the
simulator notifies payment (and again, as a retrying gateway would); exactly one FeePaid reaches
payment.fee.v1. The day's reconciliation balances; a rejection pays the fee back through the
simulator's refund API and publishes Refunded; the day still balances.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import uvicorn
from aiokafka import AIOKafkaProducer, ConsumerRecord

from dvc_contracts import Envelope
from dvc_contracts.dossier import Submitted
from dvc_kernel.clock import VIETNAM
from dvc_payment.adapters.credentials import merchant_credentials
from dvc_payment.main import build
from dvc_payment.settings import PaymentSettings
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted
from dvc_testing.simulator_process import simulator_process
from dvc_testing.tokens import TestTokens

from .conftest import rejected_outside_the_ward

pytestmark = pytest.mark.kafka

TOKENS = TestTokens()
OWNER = "citizen-account-sim"
UNIT = "CAX-00004"
RETURN_PAGE = "https://dichvucong.example.vn/portal/thanh-toan.html"  # the portal's page
ReadTopic = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]


def free_port() -> int:
    """A free port of this task's block (18500-18599)."""
    for port in range(18500, 18600):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port in 18500-18599")


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The simulator process; payment's address is fixed before either starts."""
    ports = {"payment": free_port()}
    ports["sim"] = next(p for p in range(ports["payment"] + 1, 18600) if _free(p))
    merchant_credentials(tmp_path)  # created once, read by both processes
    env = {
        "DVC_DATA_DIR": str(tmp_path),
        "PAYMENT_URL": f"http://127.0.0.1:{ports['payment']}",
        "PAYMENT_GATEWAY_SIM_PORT": str(ports["sim"]),
    }
    sim = f"http://127.0.0.1:{ports['sim']}"
    with simulator_process("payment_gateway", env, sim, tmp_path / "simulator.log"):
        yield {
            "data_dir": str(tmp_path),
            "payment_port": str(ports["payment"]),
            "payment": env["PAYMENT_URL"],
            "sim": sim,
        }


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@contextlib.asynccontextmanager
async def payment_service(
    sim: dict[str, str], kafka: str, store: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    env = {
        "DVC_DATA_DIR": sim["data_dir"],
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "PAYMENT_PORT": sim["payment_port"],
        "PAYMENT_URL": sim["payment"],
        "PAYMENT_GATEWAY_URL": sim["sim"],
        "PAYMENT_RETURN_URL": RETURN_PAGE,
        "PAYMENT_CONSUMER_GROUP": f"payment-it-{uuid4().hex[:8]}",
        "DVC_INSTANCE_ID": uuid4().hex[:8],
        "PAYMENT_REFUND_POLL_SECONDS": "0.2",
        **{k: v for k, v in store.items() if k != "SQLITE_DBNAME"},
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    http = build(PaymentSettings(), verifier=TOKENS.verifier(), catalog=factories.catalog_replica())
    server = uvicorn.Server(
        uvicorn.Config(http, host="127.0.0.1", port=int(sim["payment_port"]), log_config=None)
    )
    task = asyncio.create_task(server.serve())
    try:
        async with httpx.AsyncClient(base_url=sim["payment"]) as client:
            async with asyncio.timeout(90):
                while True:
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get("/readyz")).status_code == 200:
                            break
                    await asyncio.sleep(0.3)
        yield sim["payment"]
    finally:
        server.should_exit = True
        await task


async def produce(kafka: str, topic: str, envelope: Envelope) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, envelope.to_bytes(), key=envelope.subject.encode())
    finally:
        await producer.stop()


async def published(read_topic: ReadTopic, dossier_id: UUID) -> list[str]:
    records = await read_topic("payment.fee.v1")
    envelopes = [Envelope.model_validate_json(r.value or b"") for r in records]
    return [e.event_type for e in envelopes if e.subject == str(dossier_id)]


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.3)


@pytest.fixture
async def payment(
    kafka_bootstrap: str,
    store_env: Callable[[str], dict[str, str]],
    simulator: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[httpx.AsyncClient]:
    """Payment serving on its port, on the broker and the simulator: a client of its API."""
    async with (
        payment_service(simulator, kafka_bootstrap, store_env("payment"), monkeypatch) as base,
        httpx.AsyncClient(base_url=base, timeout=30) as client,
    ):
        yield client


async def filed_and_assessed(kafka: str, payment: httpx.AsyncClient, check: str) -> Submitted:
    """A dossier filed at intake now, once payment shows the citizen its fee."""
    submitted = new_submitted(check, unit_code=UNIT, owner_account=OWNER, submitted_at=datetime.now(UTC))
    await produce(kafka, "intake.dossier.v1", factories.envelope(submitted, submitted.dossier_id))
    citizen = TOKENS.headers("citizen", subject=OWNER)
    code = submitted.dossier_code

    async def assessed() -> bool:
        return (await payment.get(f"/v1/dossiers/{code}/fee", headers=citizen)).status_code == 200

    await until(assessed)
    return submitted


async def rejected_and_refunded(kafka: str, read_topic: ReadTopic, paid: Submitted) -> None:
    """Processing rejects the paid dossier: payment pays the fee back and publishes Refunded."""
    dossier_id = paid.dossier_id
    rejection = rejected_outside_the_ward(dossier_id, paid.dossier_code, datetime.now(UTC))
    await produce(
        kafka, "processing.dossier.v1", factories.envelope(rejection, dossier_id, producer="processing")
    )

    async def refunded() -> bool:
        return "Refunded" in await published(read_topic, dossier_id)

    await until(refunded)
    assert await published(read_topic, dossier_id) == ["FeeAssessed", "FeePaid", "Refunded"]


async def test_a_dossier_paid_through_the_simulator_gives_exactly_one_fee_paid(
    kafka_bootstrap: str, read_topic: ReadTopic, simulator: dict[str, str], payment: httpx.AsyncClient
) -> None:
    citizen = TOKENS.headers("citizen", subject=OWNER)
    officer = TOKENS.headers("officer", units=[UNIT])
    async with httpx.AsyncClient(timeout=30) as browser:
        submitted = await filed_and_assessed(kafka_bootstrap, payment, "S")
        dossier_id, code = submitted.dossier_id, submitted.dossier_code
        order = await payment.post(
            f"/v1/dossiers/{code}/payments", json={"method": "gateway"}, headers=citizen
        )
        assert order.status_code == 201, order.text
        redirect_url = order.json()["redirect_url"]
        assert redirect_url.startswith(f"{simulator['sim']}/paymentv2/vpcpay.html?")

        page = await browser.get(redirect_url)
        assert page.status_code == 200 and "7.000 VND" in page.text
        paid = await browser.post(
            f"{simulator['sim']}/paymentv2/confirm",
            content=f"vnp_TxnRef={order.json()['txn_ref']}&action=pay",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert paid.status_code == 302
        assert '"RspCode": "00"' in paid.headers["X-Sim-Ipn-Answer"]
        again = await browser.post(
            f"{simulator['sim']}/sim/ipn/resend", json={"vnp_TxnRef": order.json()["txn_ref"]}
        )
        assert again.json() == {"RspCode": "02", "Message": "Order already confirmed"}
        # Back to the portal's page, which shows what payment's return endpoint says.
        back = paid.headers["Location"]
        assert back.startswith(f"{RETURN_PAGE}?")
        shown = await payment.get(f"/v1/gateway/vnpay/return?{back.split('?', 1)[1]}")
        assert shown.json()["status"] == "paid"

        async def fee_paid_published() -> bool:
            return "FeePaid" in await published(read_topic, dossier_id)

        await until(fee_paid_published)
        assert await published(read_topic, dossier_id) == ["FeeAssessed", "FeePaid"]

        today = datetime.now(VIETNAM).date().isoformat()
        report = (await payment.get(f"/v1/reconciliation/{today}", headers=officer)).json()
        assert report["balanced"] is True, report
        assert [(m["kind"], m["txn_ref"]) for m in report["matched"]] == [
            ("payment", order.json()["txn_ref"])
        ]
        # Scoped: another ward's officer sees none of it; auditors and the Ministry see everything.
        elsewhere = TOKENS.headers("officer", units=["CAX-99999"])
        other = (await payment.get(f"/v1/reconciliation/{today}", headers=elsewhere)).json()
        assert other["matched"] == [] and other["balanced"] is True
        for overseer in (TOKENS.headers("auditor"), TOKENS.headers("supervisor", units=["C06"])):
            everything = (await payment.get(f"/v1/reconciliation/{today}", headers=overseer)).json()
            assert ("payment", order.json()["txn_ref"]) in [
                (m["kind"], m["txn_ref"]) for m in everything["matched"]
            ]

        await rejected_and_refunded(kafka_bootstrap, read_topic, submitted)
        csv = await payment.get(f"/v1/reconciliation/{today}?format=csv", headers=officer)
        assert csv.headers["content-type"].startswith("text/csv")
        rows: list[Any] = csv.text.splitlines()
        assert [r.split(",")[0] for r in rows[1:]] == ["matched", "matched", "total", "balanced"]
        assert rows[-1] == "balanced,,,,,yes,,"


async def test_a_vietqr_transfer_through_the_simulated_bank_gives_one_fee_paid_and_is_paid_back(
    kafka_bootstrap: str, read_topic: ReadTopic, simulator: dict[str, str], payment: httpx.AsyncClient
) -> None:
    citizen = TOKENS.headers("citizen", subject=OWNER)
    async with httpx.AsyncClient(base_url=simulator["sim"], timeout=30) as bank:
        submitted = await filed_and_assessed(kafka_bootstrap, payment, "Q")
        code = submitted.dossier_code
        order = await payment.post(
            f"/v1/dossiers/{code}/payments", json={"method": "vietqr"}, headers=citizen
        )
        assert order.status_code == 201, order.text
        sent = await bank.post("/bank/v1/transfers", json={"payload": order.json()["vietqr"]["payload"]})
        assert sent.json()["merchant_answer"] == {"code": "00", "message": "Confirm Success"}
        again = await bank.post(f"/bank/v1/transfers/{sent.json()['transaction_id']}/resend")
        assert again.json()["code"] == "02"

        await rejected_and_refunded(kafka_bootstrap, read_topic, submitted)
        fee = (await payment.get(f"/v1/dossiers/{code}/fee", headers=citizen)).json()
        assert fee["status"] == "refunded" and fee["paid"]["method"] == "vietqr"
