"""Declared data must match the national population database (procedures.md §9)."""

import unicodedata
from datetime import date

import pytest

from dvc_identity.domain.id_number import Sex
from dvc_identity.domain.registry import (
    REGISTRY_MISMATCH,
    DeclaredIdentity,
    Resident,
    match_declared,
    normalise_name,
)

LAN = Resident(
    id_number="001185654321",
    full_name="Nguyễn Thị Lan",
    date_of_birth=date(1985, 1, 31),
    sex=Sex.FEMALE,
    ward_code="00004",
    household_id="HK0000400000001",
    phone="0912345678",
)
REGISTRY = {LAN.id_number: LAN}


def declared(**changes: object) -> DeclaredIdentity:
    fields: dict[str, object] = {
        "id_number": LAN.id_number,
        "full_name": LAN.full_name,
        "date_of_birth": LAN.date_of_birth,
    }
    fields.update(changes)
    return DeclaredIdentity(**fields)  # type: ignore[arg-type]


def test_matching_data_is_accepted_and_returns_the_resident() -> None:
    match = match_declared(declared(), REGISTRY)
    assert match.matched
    assert match.resident == LAN
    assert match.refusal is None


@pytest.mark.parametrize(
    "typed",
    [
        "nguyễn thị lan",
        "NGUYỄN THỊ LAN",
        "  Nguyễn   Thị\tLan ",
        unicodedata.normalize("NFD", "Nguyễn Thị Lan"),
    ],
)
def test_names_compare_without_case_spacing_or_unicode_form(typed: str) -> None:
    assert match_declared(declared(full_name=typed), REGISTRY).matched


def test_diacritics_matter_in_names() -> None:
    assert normalise_name("Nguyen Thi Lan") != normalise_name("Nguyễn Thị Lan")
    match = match_declared(declared(full_name="Nguyen Thi Lan"), REGISTRY)
    assert not match.matched
    assert match.mismatched == {"full_name"}


def test_a_mismatch_sends_the_citizen_to_the_commune_police() -> None:
    match = match_declared(declared(date_of_birth=date(1985, 1, 30)), REGISTRY)
    assert match.refusal == REGISTRY_MISMATCH
    assert "Cơ sở dữ liệu quốc gia về dân cư" in REGISTRY_MISMATCH.message
    assert "Công an cấp xã" in REGISTRY_MISMATCH.message


def test_a_mismatch_does_not_reveal_the_registered_person() -> None:
    match = match_declared(declared(date_of_birth=date(1985, 1, 30)), REGISTRY)
    assert match.resident is None
    assert match.mismatched == {"date_of_birth"}


def test_an_unknown_id_number_gets_the_same_answer_as_a_mismatch() -> None:
    match = match_declared(declared(id_number="001185000000"), REGISTRY)
    assert match.refusal == REGISTRY_MISMATCH
    assert match.mismatched == {"id_number"}


def test_a_declared_phone_must_be_the_one_on_record_in_any_notation() -> None:
    assert match_declared(declared(phone="+84 912 345 678"), REGISTRY).matched
    assert match_declared(declared(phone="0912.345.678"), REGISTRY).matched
    assert match_declared(declared(phone="0987654321"), REGISTRY).mismatched == {"phone"}


def test_without_a_phone_on_record_a_declared_phone_cannot_match() -> None:
    no_phone = {LAN.id_number: Resident(**{**LAN.__dict__, "phone": None})}
    assert match_declared(declared(phone="0912345678"), no_phone).mismatched == {"phone"}
