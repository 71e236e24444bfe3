"""Personal data on the topics is sealed per field under the data subject's key (ADR 0021):
no ID number, phone, date of birth or name in the bytes on the wire, consumers read the event
as it was, the hash chain covers the ciphertext, and erasing the key leaves the events
unreadable while their chain still verifies."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest
from cryptography.exceptions import InvalidTag

from dvc_contracts import Envelope
from dvc_contracts.dossier import Submitted
from dvc_contracts.registry import PersonalDataErased, payload_of
from dvc_kernel import personal_data
from dvc_kernel.envelopes import Outgoing, envelope_data, seal
from dvc_kernel.key_storage import KeyRing
from dvc_testing import factories
from dvc_testing.factories import MINH


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> personal_data.LocalKeys:
    monkeypatch.setattr(personal_data, "_current", personal_data._current)  # restored after
    return personal_data.LocalKeys(KeyRing(tmp_path / "keys"))


def published(payload: Submitted, version: int = 1, prev: str | None = None) -> bytes:
    stored = SimpleNamespace(
        originator_id=payload.dossier_id,
        originator_version=version,
        timestamp=payload.submitted_at,
        meta={},
    )
    out = Outgoing(topic=payload.topic, key=str(payload.dossier_id), payload=payload)
    return seal(envelope_data(stored, out, "intake", prev)).wire


def forms_of(value: str) -> list[bytes]:
    """A value as it could appear in bytes: as is, NFC and NFD, JSON-escaped, digits only."""
    forms = {value, unicodedata.normalize("NFC", value), unicodedata.normalize("NFD", value)}
    digits = "".join(c for c in value if c.isdigit())
    if digits:
        forms.add(digits)
    found = [f.encode() for f in forms]
    found += [f.encode("unicode_escape") for f in forms]
    return found


def submitted(dossier: UUID | None = None) -> Submitted:
    return factories.submitted(
        dossier,
        applicant=MINH,
        form_data={"ho_ten": MINH.full_name, "so_dinh_danh": MINH.id_number, "ngay_sinh": "21/08/1990"},
    )


def test_the_wire_holds_no_personal_data_and_a_consumer_reads_the_event_as_it_was(
    keys: personal_data.LocalKeys,
) -> None:
    personal_data.configure(keys)
    event = submitted()
    wire = published(event)
    for value in (MINH.id_number, MINH.phone, "1990-08-21", "21/08/1990", MINH.full_name, "tran.van.minh"):
        for form in forms_of(value):
            assert form not in wire, value
    envelope = Envelope.model_validate_json(wire)
    assert envelope.hash == envelope.computed_hash()  # the hash covers the ciphertext
    assert payload_of(envelope) == event


def test_sealing_is_deterministic_so_the_store_rebuilds_the_same_chain(
    keys: personal_data.LocalKeys,
) -> None:
    personal_data.configure(keys)
    event = submitted()
    assert published(event) == published(event)
    other = submitted()  # another dossier, another key: nothing in common
    assert (
        Envelope.model_validate_json(published(other)).payload["applicant"]
        != (Envelope.model_validate_json(published(event)).payload["applicant"])
    )


def test_a_sealed_field_does_not_open_under_another_dossier(keys: personal_data.LocalKeys) -> None:
    sealer = personal_data.configure(keys)
    event = submitted()
    data: dict[str, Any] = sealer.seal(event, str(event.dossier_id))
    moved = str(uuid4())
    keys.data_key(moved, create=True)
    with pytest.raises(InvalidTag):
        sealer.open(Submitted, data, moved)


def test_erasing_the_key_makes_the_events_unreadable_and_the_chain_still_verifies(
    keys: personal_data.LocalKeys, tmp_path: Path
) -> None:
    personal_data.configure(keys)
    event = submitted()
    first = Envelope.model_validate_json(published(event))
    second = Envelope.model_validate_json(published(event, version=2, prev=first.hash))

    keys.erase(str(event.dossier_id))
    # Another process (a consumer starting after the erasure) holds no copy of the key.
    personal_data.configure(personal_data.LocalKeys(KeyRing(tmp_path / "keys")))

    with pytest.raises(PersonalDataErased):
        payload_of(first)
    for envelope in (first, second):
        assert envelope.hash == envelope.computed_hash()
    assert second.prev_hash == first.hash
    # The subject never gets a new key: re-publishing cannot seal its data again.
    with pytest.raises(PersonalDataErased):
        published(event)
