"""The written password policy and argon2id hashing."""

import pytest
from argon2 import PasswordHasher

from dvc_identity.domain.passwords import (
    CONTAINS_ID,
    REPETITIVE,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    PasswordHashing,
    check_password,
)


@pytest.mark.parametrize(
    "password",
    ["mèo con đi học", "Sông Hồng 2025", "correct horse battery", "q7#Lm!pa", "12 con giáp"],
)
def test_long_enough_uncommon_passwords_in_any_script_are_accepted(password: str) -> None:
    assert check_password(password, id_number="001090123456", phone="0912345678") == []


def test_at_least_eight_characters() -> None:
    assert check_password("Ab1!xyz") == [TOO_SHORT]
    assert TOO_SHORT.message == "Mật khẩu phải có ít nhất 8 ký tự."


def test_at_most_128_characters() -> None:
    assert check_password("x" * 64 + "y" * 65) == [TOO_LONG]


@pytest.mark.parametrize("password", ["12345678", "Password1", "MatKhau123", "anhyeuem", "Abc@1234"])
def test_common_passwords_are_refused_whatever_their_case(password: str) -> None:
    assert TOO_COMMON in check_password(password)


def test_the_id_number_or_phone_cannot_be_the_password() -> None:
    assert check_password("001090123456", id_number="001090123456") == [CONTAINS_ID]
    assert check_password("toi0912345678", phone="+84 912 345 678") == [CONTAINS_ID]
    assert check_password("x912345678", phone="0912345678") == [CONTAINS_ID]


def test_one_repeated_character_is_refused() -> None:
    assert check_password("zzzzzzzzzz") == [REPETITIVE]


def test_every_broken_rule_is_reported_at_once() -> None:
    assert check_password("aaaa") == [TOO_SHORT, REPETITIVE]


CHEAP = PasswordHashing(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_passwords_are_stored_as_argon2id_hashes_and_verified() -> None:
    stored = CHEAP.hash("mèo con đi học")
    assert stored.startswith("$argon2id$")
    assert "mèo" not in stored
    assert CHEAP.verify(stored, "mèo con đi học")
    assert not CHEAP.verify(stored, "meo con di hoc")
    assert not CHEAP.verify("not a hash", "mèo con đi học")


def test_the_same_password_typed_composed_or_decomposed_verifies() -> None:
    import unicodedata

    stored = CHEAP.hash(unicodedata.normalize("NFC", "mèo con đi học"))
    assert CHEAP.verify(stored, unicodedata.normalize("NFD", "mèo con đi học"))


def test_hashes_made_with_weaker_parameters_ask_to_be_rehashed() -> None:
    stored = CHEAP.hash("mèo con đi học")
    assert PasswordHashing().needs_rehash(stored)
    assert not CHEAP.needs_rehash(stored)
