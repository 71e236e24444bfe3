"""Turning a stored domain event into its public envelope, with the per-aggregate hash chain."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from dvc_contracts import Actor, Envelope, EventPayload

from .meta import CommandMeta

EVENT_ID_NAMESPACE = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/events")


@dataclass(frozen=True)
class Outgoing:
    """What a domain event means publicly: a contract payload for a topic, keyed by subject."""

    topic: str
    key: str
    payload: EventPayload
    # When it happened in business time (the service's clock); defaults to the stored event's
    # timestamp. Tests set the clock, and the envelope must say the time the rules saw.
    occurred_at: datetime | None = None


Translate = Callable[[Any], Outgoing | None]


def event_id(producer: str, originator_id: UUID, version: int) -> UUID:
    """Deterministic: re-publishing the same stored event gives the same id. The producer is
    part of it because services share aggregate ids (a dossier's id names the application in
    intake and the case in processing), and their events must never share an id."""
    return uuid5(EVENT_ID_NAMESPACE, f"{producer}:{originator_id}:{version}")


def build_envelope(event: Any, out: Outgoing, producer: str, prev_hash: str | None) -> Envelope:
    raw_meta = getattr(event, "meta", None)
    meta = CommandMeta.from_dict(raw_meta) if raw_meta else CommandMeta.system(producer)
    return Envelope(
        event_id=event_id(producer, event.originator_id, event.originator_version),
        event_type=out.payload.event_type,
        schema_version=out.payload.schema_version,
        subject=out.key,
        occurred_at=out.occurred_at or event.timestamp,
        producer=producer,
        aggregate_version=event.originator_version,
        correlation_id=UUID(meta.correlation_id) if meta.correlation_id else None,
        causation_id=UUID(meta.causation_id) if meta.causation_id else None,
        actor=Actor(id=meta.actor_id, role=meta.actor_role, unit=meta.actor_unit),
        trace_context=meta.trace_context,
        prev_hash=prev_hash,
        payload=out.payload.model_dump(mode="json"),
    ).sealed()


class HashChain:
    """Remembers the hash of the last public event of each aggregate (bounded LRU).

    On a miss (a restart, or an evicted aggregate) it rebuilds the chain from the aggregate's
    stored events, so the chain never depends on what the process happened to remember.
    """

    def __init__(
        self,
        translate: Translate,
        producer: str,
        history: Callable[[UUID, int], Iterable[Any]],
        size: int = 100_000,
    ) -> None:
        self._translate = translate
        self._producer = producer
        self._history = history
        self._size = size
        self._last: OrderedDict[UUID, tuple[int, str]] = OrderedDict()

    def envelope(self, event: Any, out: Outgoing) -> Envelope:
        originator: UUID = event.originator_id
        version: int = event.originator_version
        cached = self._last.get(originator)
        if cached is not None and cached[0] < version:
            prev: str | None = cached[1]
        else:
            prev = self._rebuild(originator, version)
        envelope = build_envelope(event, out, self._producer, prev)
        self._remember(originator, version, envelope.hash)
        return envelope

    def _rebuild(self, originator: UUID, before_version: int) -> str | None:
        prev: str | None = None
        for earlier in self._history(originator, before_version - 1):
            out = self._translate(earlier)
            if out is not None:
                prev = build_envelope(earlier, out, self._producer, prev).hash
        return prev

    def _remember(self, originator: UUID, version: int, digest: str) -> None:
        self._last[originator] = (version, digest)
        self._last.move_to_end(originator)
        while len(self._last) > self._size:
            self._last.popitem(last=False)
