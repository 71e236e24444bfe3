"""Administrative divisions in force since 01/07/2025 (package ``vietnam-provinces``): ward codes
for the registry and the existence of province and commune police unit codes."""

from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, Ward


@cache
def ward_codes() -> frozenset[str]:
    return frozenset(f"{int(ward.code):05d}" for ward in Ward.iter_all())


@cache
def province_codes_2025() -> frozenset[str]:
    return frozenset(f"{int(province.code):02d}" for province in Province.iter_all())


def unit_exists(code: str) -> bool:
    """True for a police unit derived from a current province or ward (``CAT-NN``, ``CAX-NNNNN``).

    Ministry departments (``C06``...) are listed by the catalog, which identity does not read:
    their format is checked, their existence is the operator's responsibility.
    """
    prefix, _, number = code.partition("-")
    if prefix == "CAT":
        return number in province_codes_2025()
    if prefix == "CAX":
        return number in ward_codes()
    return True
