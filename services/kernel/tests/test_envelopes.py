"""The envelope a relay publishes is serialised once, canonically: the bytes its hash covers,
with the hash in its sorted place, are the bytes on the wire (ADR 0018)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from dvc_contracts import Envelope
from dvc_kernel.envelopes import HashChain, Outgoing, canonical, envelope_data, seal
from dvc_testing import factories


class Filing(Aggregate):
    @event("Started")
    def __init__(self, dossier_id: UUID) -> None:
        self.dossier_id = dossier_id

    @event("Noted")
    def note(self) -> None:  # stays inside the service
        pass

    @event("Submitted")
    def submit(self) -> None:
        pass


def translate(event: Any) -> Outgoing | None:
    if type(event).__name__ != "Submitted":
        return None
    payload = factories.submitted(event.originator_id)
    return Outgoing("intake.dossier.v1", str(event.originator_id), payload)


def test_the_wire_bytes_are_the_canonical_bytes_with_their_hash() -> None:
    filing = Filing(uuid4())
    filing.submit()
    submitted = filing.collect_events()[-1]
    meta = {"actor_id": "hoa", "actor_role": "citizen", "trace_context": {}}
    object.__setattr__(submitted, "meta", meta)
    out = translate(submitted)
    assert out is not None
    sealed = seal(envelope_data(submitted, out, "intake", None))

    parsed = Envelope.model_validate_json(sealed.wire)
    assert parsed.hash == sealed.hash == parsed.computed_hash()
    assert json.loads(sealed.wire) == {**json.loads(canonical(sealed.data)), "hash": sealed.hash}
    assert list(json.loads(sealed.wire)) == sorted(json.loads(sealed.wire))  # keys in canonical order
    assert canonical(sealed.data) == parsed.canonical_bytes()  # what auditors recompute


def test_canonical_json_is_the_same_as_the_standard_librarys() -> None:
    data = {"b": 'Trần Văn Minh\n\u2028"\\', "a": [1, 2.5, None, True], "c": {"z": 1, "y": "é"}}
    assert (
        canonical(data)
        == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


def test_occurred_at_keeps_its_offset_as_pydantic_prints_it() -> None:
    filing = Filing(uuid4())
    filing.submit()
    submitted = filing.collect_events()[-1]
    out = translate(submitted)
    assert out is not None
    for moment in (
        datetime(2026, 1, 1, 7, tzinfo=timezone(timedelta(hours=7))),
        datetime(2026, 1, 1, tzinfo=UTC),
    ):
        data = envelope_data(submitted, Outgoing(out.topic, out.key, out.payload, moment), "intake", None)
        assert (
            data["occurred_at"]
            == Envelope.model_validate({**data, "occurred_at": moment}).model_dump(mode="json")["occurred_at"]
        )


def test_a_chain_told_of_internal_events_links_as_one_rebuilt_from_the_store() -> None:
    filing = Filing(uuid4())
    filing.note()
    filing.submit()
    events = filing.collect_events()
    history = {e.originator_version: e for e in events}

    def from_store(originator: UUID, up_to: int) -> list[Any]:
        return [history[v] for v in range(1, up_to + 1)]

    told = HashChain(translate, "intake", lambda *_: [])  # never reads the store
    for e in events[:-1]:
        told.internal(e)
    rebuilt = HashChain(translate, "intake", from_store)
    out = translate(events[-1])
    assert out is not None
    assert told.seal(events[-1], out).hash == rebuilt.seal(events[-1], out).hash
