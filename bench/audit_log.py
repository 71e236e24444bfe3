"""A long public log for `dvc-audit` to replay: valid dossiers written straight onto the topics.

    .venv/bin/python -m bench.audit_log --bootstrap 127.0.0.1:19892 --events 1000000

Each dossier is four sealed events, as the services publish them: intake's `Submitted`, then
processing's chain `Received` (caused by it), `Approved` and `ResultIssued`, each carrying the
hash of the one before, keyed by dossier. Every hash holds, so `dvc-audit check` has nothing to
report on them; the rebuilt timelines have three steps. Creates the topics if missing. Meant for
a broker of one's own (never a shared one: it adds a million events to its dossier topics).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from uuid import uuid4

from aiokafka import AIOKafkaProducer

from dvc_contracts import Actor, Envelope
from dvc_contracts.case import Approved
from dvc_contracts.dossier import Applicant, Received, ResultIssued, Submitted
from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel import kafka_security
from dvc_kernel.kafka_topics import ensure_topics
from dvc_testing import factories

EVENTS_PER_DOSSIER = 4
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CITIZEN = Actor(id="001203004321", role="citizen")
OFFICER = Actor(id="001085002222", role="officer", unit="CAX-00004")


def dossier(n: int) -> Iterator[tuple[str, Envelope]]:
    """(topic, envelope) of the n-th dossier's four events."""
    dossier_id, at = uuid4(), T0 + timedelta(seconds=n)
    ids = {"dossier_id": dossier_id, "dossier_code": f"261123-{n:06X}-X"[:15]}
    submitted = factories.envelope(
        Submitted(
            **ids,
            procedure_code="1.004194",
            procedure_version=2,
            owner_account="001203004321",
            applicant=Applicant(id_number="001203004321", full_name="Nguyễn Thị Hoa", phone="0912345678"),
            delivery_mode="e_result",
            form_data={"ward": "26743", "address": "12 Nguyễn Trãi"},
            submitted_at=at,
        ),
        dossier_id,
        producer="intake",
        actor=CITIZEN,
    )
    yield INTAKE_DOSSIER.name, submitted
    # Each envelope happened at its payload's own time (factories.envelope's default).
    by_officer = partial(factories.envelope, subject=dossier_id, producer="processing", actor=OFFICER)
    received = by_officer(
        Received(**ids, procedure_code="1.004194", unit_code="CAX-00004", received_at=at, due_at=None),
        cause=submitted,
    )
    approved = by_officer(
        Approved(**ids, summary="Đủ điều kiện đăng ký tạm trú", approved_at=at + timedelta(hours=2)),
        version=2,
        prev=received,
    )
    result = by_officer(
        ResultIssued(
            **ids,
            result_form="CT08",
            summary="Đã đăng ký tạm trú",
            delivery_mode="e_result",
            issued_at=at + timedelta(hours=3),
        ),
        version=3,
        prev=approved,
    )
    yield from ((PROCESSING_DOSSIER.name, e) for e in (received, approved, result))


async def write(bootstrap: str, events: int) -> None:
    await ensure_topics(bootstrap)
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        **kafka_security.client_options(),
        acks="all",
        linger_ms=50,
        max_batch_size=1 << 20,
        compression_type=None,
    )
    await producer.start()
    started, sent = time.monotonic(), 0
    try:
        pending = []
        for n in range(events // EVENTS_PER_DOSSIER):
            for topic, envelope in dossier(n):
                pending.append(await producer.send(topic, envelope.to_bytes(), key=envelope.subject.encode()))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                sent += len(pending)
                pending = []
                print(f"{sent:,} events written ({sent / (time.monotonic() - started):,.0f}/s)", flush=True)
        await asyncio.gather(*pending)
        sent += len(pending)
    finally:
        await producer.stop()
    print(f"{sent:,} events of {sent // EVENTS_PER_DOSSIER:,} dossiers in {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    asyncio.run(write(args.bootstrap, args.events))


if __name__ == "__main__":
    main()
