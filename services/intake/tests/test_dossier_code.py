"""The dossier code can be read aloud, typed back, and a single wrong character is caught."""

from __future__ import annotations

from datetime import date

import pytest

from dvc_intake.domain.dossier_code import (
    ALPHABET,
    InvalidDossierCode,
    check_character,
    new_code,
    normalise,
)


def test_the_code_starts_with_the_day_of_submission() -> None:
    code = new_code(date(2026, 11, 23), random_part="K7M3Q9")
    assert code.startswith("261123-K7M3Q9-")
    assert len(code) == len("261123-K7M3Q9-X")


def test_the_alphabet_has_no_letters_that_sound_or_look_like_others() -> None:
    assert not set("ILOU") & set(ALPHABET)
    assert len(ALPHABET) == 32


def test_every_single_wrong_character_is_caught() -> None:
    code = new_code(date(2026, 11, 23), random_part="K7M3Q9")
    body = code.replace("-", "")
    for position in range(len(body)):
        for wrong in ALPHABET:
            if wrong == body[position]:
                continue
            typo = body[:position] + wrong + body[position + 1 :]
            with pytest.raises(InvalidDossierCode):
                normalise(typo)


def test_most_swaps_of_neighbours_are_caught() -> None:
    body = new_code(date(2026, 11, 23), random_part="K7M3Q9").replace("-", "")
    swaps = caught = 0
    for i in range(len(body) - 1):
        if body[i] == body[i + 1]:
            continue
        swaps += 1
        swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
        try:
            normalise(swapped)
        except InvalidDossierCode:
            caught += 1
    assert caught >= swaps - 1


def test_a_code_typed_with_spaces_lowercase_and_look_alikes_is_understood() -> None:
    code = new_code(date(2026, 1, 10), random_part="1K0M3Q")
    typed = code.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert normalise(typed) == code


def test_check_character_is_from_the_alphabet() -> None:
    assert check_character("261123K7M3Q9") in ALPHABET


@pytest.mark.parametrize("junk", ["", "261123", "261123-K7M3Q9", "261123-K7M3Q9-XX", "26112@-K7M3Q9-X"])
def test_malformed_codes_are_refused(junk: str) -> None:
    with pytest.raises(InvalidDossierCode):
        normalise(junk)
