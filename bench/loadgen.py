"""Open-loop load: requests leave on a fixed schedule whatever the answers, and each latency is
counted from the time its request was due, not from when it actually left.

A closed loop (send, wait, send) slows down with the server and hides its stalls: the requests
that should have been sent during a stall are never sent, so they never count as slow
(coordinated omission). Here a stalled server faces the same arrivals, and a generator that
falls behind charges its own lateness to the request.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from dvc_kernel.testing.e2e import PROOF_OF_RESIDENCE, Person

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


def arrivals(rate: float, seconds: float) -> list[float]:
    """When each request is due, in seconds from the start: `rate` a second, evenly spaced."""
    if rate <= 0 or seconds <= 0:
        return []
    count = math.floor(rate * seconds + 1e-9)
    return [i / rate for i in range(count)]


@dataclass(frozen=True)
class Timed(Generic[T]):
    index: int
    due: float  # clock time the request was scheduled for
    sent: float  # clock time it actually left
    done: float  # clock time its answer (or failure) arrived
    result: T

    @property
    def latency(self) -> float:
        """Seconds from due to answered: includes any delay in sending it."""
        return self.done - self.due


async def open_loop(
    offsets: Sequence[float],
    send: Callable[[int], Awaitable[T]],
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> list[Timed[T]]:
    """Start `send(i)` at `start + offsets[i]` without waiting for earlier answers; all results."""

    async def timed(index: int, due: float) -> Timed[T]:
        sent = clock()
        result = await send(index)
        return Timed(index, due, sent, clock(), result)

    start = clock()
    tasks: list[asyncio.Task[Timed[T]]] = []
    for index, offset in enumerate(offsets):
        due = start + offset
        if (delay := due - clock()) > 0:
            await sleep(delay)
        tasks.append(asyncio.create_task(timed(index, due)))
    return list(await asyncio.gather(*tasks))


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer at all (connection failure, timeout)
    dossier_id: str | None
    key: str
    citizen: int
    error: str | None = None


@dataclass(frozen=True)
class Citizen:
    """A resident of the registry, registered and logged in, with a proof of residence uploaded."""

    person: Person
    sex: str  # the form's code: nam / nu
    ward_code: str
    token: str
    proof_sha256: str


class Submitter:
    """Files complete temporary-residence dossiers (1.004194), each with its own idempotency
    key, through intake's one-shot filing (the same checks, routing and registry look-up as
    submitting a draft, in one request). Dossier i is filed by citizen i mod n: many people
    filing one each, as in life, rather than one person filing thousands at once."""

    def __init__(self, intake_url: str, citizens: Sequence[Citizen], connections: int = 512) -> None:
        self.client = httpx.AsyncClient(
            base_url=intake_url,
            timeout=httpx.Timeout(30.0),
            # Idle connections are dropped before the server's keep-alive timeout (5 s) would
            # close them under a request in flight.
            limits=httpx.Limits(
                max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=2.0
            ),
        )
        self.citizens = list(citizens)

    def body(self, citizen: Citizen, key: str) -> dict[str, Any]:
        person = citizen.person
        return {
            "procedure_code": "1.004194",
            "applicant": {
                "id_number": person.id_number,
                "full_name": person.full_name,
                "date_of_birth": person.date_of_birth,
                "phone": person.phone,
            },
            "delivery_mode": "e_result",
            "ward_code": citizen.ward_code,
            "form_data": {
                "ho_ten": person.full_name,
                "ngay_sinh": person.date_of_birth,
                "gioi_tinh": citizen.sex,
                "so_dinh_danh": person.id_number,
                "noi_dung_de_nghi": f"Đăng ký tạm trú ({key})",
                "noi_de_nghi_ma_xa": citizen.ward_code,
            },
            "attachments": [{"sha256": citizen.proof_sha256, "document_code": PROOF_OF_RESIDENCE}],
        }

    async def submit(self, number: int, key: str) -> Answer:
        """Dossier `number` (which picks its citizen) under idempotency key `key`."""
        which = number % len(self.citizens)
        citizen = self.citizens[which]
        headers = {"Authorization": f"Bearer {citizen.token}", "Idempotency-Key": key}
        try:
            answer = await self.client.post("/v1/dossiers", json=self.body(citizen, key), headers=headers)
        except httpx.HTTPError as exc:
            return Answer(None, None, key, which, f"{type(exc).__name__}: {exc}")
        if answer.status_code in (200, 201):
            return Answer(answer.status_code, str(answer.json()["dossier_id"]), key, which)
        return Answer(answer.status_code, None, key, which, answer.text[:300])

    async def close(self) -> None:
        await self.client.aclose()
