"""Read-your-writes (issue 16): how long after a citizen's filing is acknowledged each view
shows it, and how long a read that carries the filing's consistency token waits.

One filing at a time on an otherwise quiet platform (after the load steps), so the figure is
the pipeline's own latency, not a queue: intake acknowledges, then the views of the other
services are polled every 5 ms until each shows the dossier — processing's tracking (the case),
payment's fee (assessed), notify's inbox (the receipt SMS) and intake's own status mirror
(`received`, reported back by processing). Every other filing, processing's tracking is first
read once with the token instead, which should answer 200 after waiting, never 404.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx
import orjson

from dvc_kernel.consistency import HEADER

from .stats import percentile
from .workload import Answer, Citizen, dossier_body

VIEWS = ("processing_tracking", "payment_fee", "notify_inbox", "intake_status_received")
POLL_SECONDS = 0.005
GIVE_UP_SECONDS = 10.0


async def shown(check: Callable[[], Awaitable[bool]], since: float) -> float | None:
    """Seconds from `since` until `check` is true, polled; None after `GIVE_UP_SECONDS`."""
    while True:
        if await check():
            return time.monotonic() - since
        if time.monotonic() - since > GIVE_UP_SECONDS:
            return None
        await asyncio.sleep(POLL_SECONDS)


async def probe(urls: dict[str, str], citizen: Citizen, key: str, with_token: bool) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {citizen.token}"}
    async with httpx.AsyncClient(timeout=10) as http:
        start = time.monotonic()
        filed = await http.post(
            f"{urls['intake']}/v1/dossiers",
            content=dossier_body(citizen, key),
            headers={**auth, "Content-Type": "application/json", "Idempotency-Key": key},
        )
        acked = time.monotonic()
        if filed.status_code not in (200, 201):
            return {"filed": False, "status": filed.status_code}
        body = orjson.loads(filed.content)
        code, token = body["dossier_code"], filed.headers.get(HEADER)
        found: dict[str, Any] = {"filed": True, "id": body["dossier_id"], "ack_s": acked - start}
        if with_token and token:
            read = await http.get(f"{urls['processing']}/v1/dossiers/{code}", headers={**auth, HEADER: token})
            found["token_read_s"] = time.monotonic() - acked
            found["token_read_status"] = read.status_code

        async def answers_ok(url: str) -> bool:
            return (await http.get(url, headers=auth)).status_code == 200

        async def in_inbox() -> bool:
            answer = await http.get(f"{urls['notify']}/v1/inbox", headers=auth)
            return answer.status_code == 200 and any(m.get("dossier_code") == code for m in answer.json())

        async def intake_says_received() -> bool:
            answer = await http.get(f"{urls['intake']}/v1/dossiers/{code}", headers=auth)
            return answer.status_code == 200 and answer.json().get("status") == "received"

        views = {
            "processing_tracking": lambda: answers_ok(f"{urls['processing']}/v1/dossiers/{code}"),
            "payment_fee": lambda: answers_ok(f"{urls['payment']}/v1/dossiers/{code}/fee"),
            "notify_inbox": in_inbox,
            "intake_status_received": intake_says_received,
        }
        lags = await asyncio.gather(*(shown(check, acked) for check in views.values()))
        found["views"] = dict(zip(views, lags, strict=True))
        return found


async def measure(
    urls: dict[str, str], citizens: Sequence[Citizen], probes: int, prefix: str
) -> tuple[dict[str, Any], list[Answer]]:
    """`probes` filings one after another by different citizens; the figures and the answers
    (so the run's integrity check counts these dossiers as filed by the bench)."""
    results = []
    answers = []
    for n in range(probes):
        who = n % len(citizens)
        key = f"{prefix}-{n}"
        result = await probe(urls, citizens[who], key, with_token=n % 2 == 1)
        results.append(result)
        answers.append(Answer(result.get("status", 201), result.get("id"), key, who))
    return summarise(results), answers


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    filed = [r for r in results if r["filed"]]
    summary: dict[str, Any] = {"probes": len(results), "filed": len(filed)}
    for view in VIEWS:
        lags = [1000 * r["views"][view] for r in filed if r["views"][view] is not None]
        summary[view] = {
            "p50_ms": percentile(lags, 50),
            "p99_ms": percentile(lags, 99),
            "max_ms": max(lags, default=float("nan")),
            "never_shown": len(filed) - len(lags),
        }
    reads = [r for r in filed if "token_read_s" in r]
    waits = [1000 * r["token_read_s"] for r in reads]
    summary["token_read"] = {
        "reads": len(reads),
        "p50_ms": percentile(waits, 50),
        "p99_ms": percentile(waits, 99),
        "not_200": sum(1 for r in reads if r["token_read_status"] != 200),
    }
    return summary


def line(summary: dict[str, Any]) -> str:
    views = ", ".join(
        f"{view} p50 {summary[view]['p50_ms']:.0f} / p99 {summary[view]['p99_ms']:.0f} ms" for view in VIEWS
    )
    read = summary["token_read"]
    waited = f"p50 {read['p50_ms']:.0f} / p99 {read['p99_ms']:.0f} ms, {read['not_200']} not 200"
    return f"{views}; a read with the token waited {waited}"
