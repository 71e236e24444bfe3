"""The published schemas are a promise to every consumer: they only change compatibly."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from dvc_contracts import Actor, Envelope, parse
from dvc_contracts.dossier import Received
from dvc_contracts.schemas import SCHEMA_DIR, breaking_changes, dump, generated


@pytest.mark.parametrize("name", sorted(generated()))
def test_committed_schema_is_current_and_compatible(name: str) -> None:
    path = SCHEMA_DIR / name
    assert path.exists(), f"{name} is not committed: run `make schemas`"
    committed = json.loads(path.read_text(encoding="utf-8"))
    new = generated()[name]
    assert breaking_changes(committed, new) == [], (
        f"{name}: incompatible change; publish a new major version with an upcaster instead"
    )
    assert path.read_text(encoding="utf-8") == dump(new), f"{name} is stale: run `make schemas`"


def test_every_committed_schema_is_still_generated() -> None:
    """Deleting an event type would silently break its consumers."""
    committed = {p.name for p in SCHEMA_DIR.glob("*.json")}
    assert committed <= set(generated())


def _schema(props: dict[str, object], required: list[str]) -> dict[str, object]:
    return {"type": "object", "properties": props, "required": required}


def test_removing_a_field_is_breaking() -> None:
    old = _schema({"a": {"type": "string"}, "b": {"type": "integer"}}, ["a", "b"])
    new = _schema({"a": {"type": "string"}}, ["a"])
    assert breaking_changes(old, new) == ["b: removed"]


def test_retyping_a_field_is_breaking() -> None:
    old = _schema({"a": {"type": "string"}}, ["a"])
    new = _schema({"a": {"type": "integer"}}, ["a"])
    assert breaking_changes(old, new) == ["a: type changed"]


def test_adding_an_optional_field_is_compatible() -> None:
    old = _schema({"a": {"type": "string"}}, ["a"])
    new = _schema({"a": {"type": "string"}, "b": {"type": "string"}}, ["a"])
    assert breaking_changes(old, new) == []


def test_adding_a_required_field_is_breaking() -> None:
    old = _schema({"a": {"type": "string"}}, ["a"])
    new = _schema({"a": {"type": "string"}, "b": {"type": "string"}}, ["a", "b"])
    assert breaking_changes(old, new) == ["b: became required"]


def _received_envelope() -> Envelope:
    dossier_id = uuid4()
    payload = Received(
        dossier_id=dossier_id,
        dossier_code="261123-K7M3Q9-X",
        procedure_code="1.004194",
        received_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
    )
    return Envelope(
        event_id=uuid4(),
        event_type="Received",
        schema_version=1,
        subject=str(dossier_id),
        occurred_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        producer="processing",
        aggregate_version=1,
        actor=Actor(id="processing", role="system"),
        payload=payload.model_dump(mode="json"),
    ).sealed()


def test_an_envelope_round_trips_with_its_typed_payload() -> None:
    envelope = _received_envelope()
    parsed, payload = parse(envelope.to_bytes())
    assert parsed == envelope
    assert isinstance(payload, Received)
    assert parsed.hash == parsed.computed_hash()


def test_a_changed_byte_breaks_the_envelope_hash() -> None:
    envelope = _received_envelope()
    tampered = envelope.model_copy(update={"payload": {**envelope.payload, "procedure_code": "1.004195"}})
    assert tampered.computed_hash() != envelope.hash


def test_an_unknown_field_is_refused() -> None:
    raw = json.loads(_received_envelope().to_bytes())
    raw["payload"]["surprise"] = 1
    with pytest.raises(ValueError):
        parse(json.dumps(raw))
