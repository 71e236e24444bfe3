"""The dossier code (mã hồ sơ) given to the citizen.

Format `YYMMDD-XXXXXX-C`, e.g. `261123-K7M3Q9-4`:
- `YYMMDD`: the day of submission in Vietnam time, so officers see the age at a glance;
- `XXXXXX`: six random characters;
- `C`: a check character.
All characters come from Crockford's base-32 alphabet, which has no I, L, O or U, so a code read
aloud over the phone cannot be mistaken (0/O and 1/I/L are the same symbol when typed back).
The check character is Luhn mod 32 over the twelve characters before it: it catches every
single wrong character and most swaps of two neighbours. Uniqueness is not left to chance: the
application reserves each code in the same transaction as the dossier and draws again on a clash.
"""

from __future__ import annotations

import secrets
from datetime import date

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE = len(ALPHABET)
RANDOM_LENGTH = 6
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford decoding: what people type for what they see.
_ALIASES = {"O": "0", "I": "1", "L": "1"}


class InvalidDossierCode(ValueError):
    """Raised for a code that is malformed or whose check character does not match."""


def check_character(body: str) -> str:
    """Luhn mod N check character for `body` (N = 32)."""
    total = 0
    factor = 2
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // BASE + addend % BASE
        factor = 1 if factor == 2 else 2
    return ALPHABET[(BASE - total % BASE) % BASE]


def new_code(submitted_on: date, random_part: str | None = None) -> str:
    part = random_part or "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    body = submitted_on.strftime("%y%m%d") + part
    return f"{body[:6]}-{body[6:]}-{check_character(body)}"


def normalise(code: str) -> str:
    """Canonical form of a code typed by a person; raises InvalidDossierCode if it is not one."""
    cleaned = "".join(_ALIASES.get(ch, ch) for ch in code.upper() if ch not in " -")
    if len(cleaned) != 6 + RANDOM_LENGTH + 1 or any(ch not in _VALUE for ch in cleaned):
        raise InvalidDossierCode(code)
    body, check = cleaned[:-1], cleaned[-1]
    if check_character(body) != check:
        raise InvalidDossierCode(code)
    return f"{body[:6]}-{body[6:]}-{check}"
