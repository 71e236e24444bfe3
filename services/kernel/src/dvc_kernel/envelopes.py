"""Turning a stored domain event into its public envelope, with the per-aggregate hash chain.

The envelope is built as plain data and serialised once, canonically (sorted keys, no spaces):
those bytes are both what the hash covers and, with the hash added, what goes on the wire
(ADR 0018). `Envelope` (the pydantic contract) parses them back where a typed view is wanted.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson
from pydantic_core import to_jsonable_python

from dvc_contracts import Actor, Envelope, EventPayload

from . import personal_data
from .meta import SYSTEM_ROLE

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


@dataclass(frozen=True)
class Sealed:
    """An envelope ready to publish: its wire bytes and what the relay's headers need."""

    event_id: str
    event_type: str
    hash: str
    wire: bytes
    trace_context: dict[str, str]
    data: dict[str, Any]  # the envelope as JSON data, without its hash

    def envelope(self) -> Envelope:
        return Envelope.model_validate_json(self.wire)


def event_id(producer: str, originator_id: UUID, version: int) -> UUID:
    """Deterministic: re-publishing the same stored event gives the same id. The producer is
    part of it because services share aggregate ids (a dossier's id names the application in
    intake and the case in processing), and their events must never share an id."""
    return uuid5(EVENT_ID_NAMESPACE, f"{producer}:{originator_id}:{version}")


def envelope_data(event: Any, out: Outgoing, producer: str, prev_hash: str | None) -> dict[str, Any]:
    """The envelope of `event` as JSON data (what `Envelope.model_dump(mode="json")` gives),
    without its hash."""
    meta: dict[str, Any] = getattr(event, "meta", None) or {}
    causation, correlation = meta.get("causation_id"), meta.get("correlation_id")
    return {
        "event_id": str(event_id(producer, event.originator_id, event.originator_version)),
        "event_type": out.payload.event_type,
        "schema_version": out.payload.schema_version,
        "subject": out.key,
        "occurred_at": to_jsonable_python(out.occurred_at or event.timestamp),
        "producer": producer,
        "aggregate_version": event.originator_version,
        # Ids as the contract prints them (UUIDs in canonical form); absent ones are null.
        "correlation_id": str(UUID(correlation)) if correlation else None,
        "causation_id": str(UUID(causation)) if causation else None,
        "actor": {
            "id": meta.get("actor_id", producer),
            "role": meta.get("actor_role", SYSTEM_ROLE),
            "unit": meta.get("actor_unit"),
        },
        "trace_context": dict(meta.get("trace_context") or {}),
        "prev_hash": prev_hash,
        # Personal fields sealed under the subject's data key: the hash covers the ciphertext.
        "payload": personal_data.current().seal(out.payload, out.key),
    }


def canonical(data: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8 (what `Envelope.canonical_bytes` gives)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def seal(data: dict[str, Any]) -> Sealed:
    body = canonical(data)
    digest = hashlib.sha256(body).hexdigest()
    # The wire form is the canonical form with the hash among the keys, in its sorted place:
    # `hash` sorts right before `occurred_at`, the first key after it every envelope has.
    cut = body.index(b',"occurred_at":')
    wire = b"".join((body[:cut], b',"hash":"', digest.encode(), b'"', body[cut:]))
    return Sealed(data["event_id"], data["event_type"], digest, wire, data["trace_context"], data)


def unsealed(event: Any, out: Outgoing, producer: str) -> Envelope:
    """The envelope of `event` without its hash chain (`prev_hash` None, `hash` empty), built
    without a JSON round trip: for projections inside the service, which fold the events and
    never publish them."""
    meta: dict[str, Any] = getattr(event, "meta", None) or {}
    causation, correlation = meta.get("causation_id"), meta.get("correlation_id")
    return Envelope.model_construct(
        event_id=event_id(producer, event.originator_id, event.originator_version),
        event_type=out.payload.event_type,
        schema_version=out.payload.schema_version,
        subject=out.key,
        occurred_at=out.occurred_at or event.timestamp,
        producer=producer,
        aggregate_version=event.originator_version,
        correlation_id=UUID(correlation) if correlation else None,
        causation_id=UUID(causation) if causation else None,
        actor=Actor.model_construct(
            id=meta.get("actor_id", producer),
            role=meta.get("actor_role", SYSTEM_ROLE),
            unit=meta.get("actor_unit"),
        ),
        trace_context=dict(meta.get("trace_context") or {}),
        prev_hash=None,
        hash="",
        payload=out.payload.model_dump(mode="json"),
    )


def build_envelope(event: Any, out: Outgoing, producer: str, prev_hash: str | None) -> Envelope:
    return seal(envelope_data(event, out, producer, prev_hash)).envelope()


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
        self._last: OrderedDict[UUID, tuple[int, str | None]] = OrderedDict()

    def seal(self, event: Any, out: Outgoing) -> Sealed:
        originator: UUID = event.originator_id
        version: int = event.originator_version
        cached = self._last.get(originator)
        if cached is not None and cached[0] < version:
            prev: str | None = cached[1]
        else:
            prev = self._rebuild(originator, version)
        sealed = seal(envelope_data(event, out, self._producer, prev))
        self._remember(originator, version, sealed.hash)
        return sealed

    def envelope(self, event: Any, out: Outgoing) -> Envelope:
        return self.seal(event, out).envelope()

    def internal(self, event: Any) -> None:
        """`event` stays inside the service. Told of every event in order (as the relay is),
        the chain knows an aggregate that starts with internal events has no public event
        before its first one, without reading its history back."""
        if event.originator_version == 1 and event.originator_id not in self._last:
            self._remember(event.originator_id, 1, None)

    def _rebuild(self, originator: UUID, before_version: int) -> str | None:
        prev: str | None = None
        for earlier in self._history(originator, before_version - 1):
            out = self._translate(earlier)
            if out is not None:
                prev = seal(envelope_data(earlier, out, self._producer, prev)).hash
        return prev

    def _remember(self, originator: UUID, version: int, digest: str | None) -> None:
        self._last[originator] = (version, digest)
        self._last.move_to_end(originator)
        while len(self._last) > self._size:
            self._last.popitem(last=False)
