"""Vietnamese phone numbers: normal form and the mobile check."""

from __future__ import annotations

from dvc_identity.data import mobile_prefixes

NATIONAL_LENGTH = 10  # 0 + 9 digits since the 2018 renumbering


def normalise_phone(phone: str) -> str:
    """Reduce a phone number to its national form: ``+84 912 345 678`` -> ``0912345678``."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits


def is_mobile_number(phone: str) -> bool:
    """True for a 10-digit number on a Vietnamese mobile prefix (03x, 05x, 07x, 08x, 09x)."""
    national = normalise_phone(phone)
    return len(national) == NATIONAL_LENGTH and national[:3] in mobile_prefixes()
