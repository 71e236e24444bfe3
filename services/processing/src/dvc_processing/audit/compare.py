"""Store against topic: every public event in a service's store must be on its topic, byte for
byte (same hash), and nothing may be on a topic in that service's name that its store lacks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from dvc_contracts import Envelope
from dvc_contracts.integrity import verify

from .checks import Finding
from .replay import Record


def store_envelopes(url: str, token: str, page_size: int = 500) -> Iterator[tuple[str, Envelope]]:
    """(topic, envelope) of every public event in the store, through the auditors' log."""
    after = 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        while True:
            answer = client.get("/v1/audit/notifications", params={"after": after, "limit": page_size})
            answer.raise_for_status()
            page: dict[str, Any] = answer.json()
            for item in page["items"]:
                if item["envelope"] is not None:
                    yield item["public_topic"], Envelope.model_validate(item["envelope"])
            if not page["items"]:
                return
            after = page["next_after"]


def compare(
    service: str,
    stored: list[tuple[str, Envelope]],
    topics: dict[str, list[Record]],
    known_only: bool = False,
) -> list[Finding]:
    found: list[Finding] = []
    on_topic = {
        r.envelope.event_id: r
        for records in topics.values()
        for r in records
        if r.envelope.producer == service
    }
    seen = set()
    for topic, envelope in stored:
        seen.add(envelope.event_id)
        dossier = str(envelope.payload.get("dossier_code") or envelope.subject)
        record = on_topic.get(envelope.event_id)
        if record is None:
            found.append(Finding("missing_on_topic", dossier, envelope.event_id, f"stored, not on {topic}"))
        elif record.topic != topic or record.envelope.hash != envelope.hash:
            where = f"{record.topic}[{record.partition}]@{record.offset}"
            found.append(
                Finding("differs_from_store", dossier, envelope.event_id, f"{where} differs from the store")
            )
    known = {envelope.subject for _, envelope in stored}
    for event_id, record in on_topic.items():
        # A topic shared by several deployments (a test broker) holds others' aggregates too.
        if event_id not in seen and (not known_only or record.envelope.subject in known):
            dossier = str(record.envelope.payload.get("dossier_code") or record.envelope.subject)
            where = f"{record.topic}[{record.partition}]@{record.offset}"
            found.append(Finding("not_in_store", dossier, event_id, f"{where} is not in {service}'s store"))
    by_topic: dict[str, list[Envelope]] = {}
    for topic, envelope in stored:
        by_topic.setdefault(topic, []).append(envelope)
    for topic, envelopes in by_topic.items():
        for problem in verify(envelopes):
            found.append(
                Finding(
                    f"store_{problem.problem}",
                    problem.subject,
                    problem.event_id,
                    f"{topic}: {problem.detail}",
                )
            )
    return found
