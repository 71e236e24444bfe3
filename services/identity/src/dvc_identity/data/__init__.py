"""Reference data shipped with the identity service, read once and cached.

The data lives in files beside this module (not in code) so that a change of law or of a
code table is a data change: province and country codes of the personal ID number, mobile
prefixes, the password blocklist and the name lists of the seed generator.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


def _text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in _text(name).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@cache
def province_codes() -> dict[str, str]:
    """The 63 pre-2025 province codes of the place of birth registration, code -> name."""
    return {row["code"]: _nfc(row["name"]) for row in _csv_rows("province_codes.csv")}


@cache
def country_codes() -> dict[str, str]:
    """Country codes for births registered abroad (first digit non-zero), code -> name."""
    return {row["code"]: row["name"] for row in _csv_rows("country_codes.csv")}


@cache
def mobile_prefixes() -> frozenset[str]:
    """Three-digit prefixes of Vietnamese mobile numbers (all networks)."""
    networks: dict[str, list[str]] = yaml.safe_load(_text("mobile_prefixes.yaml"))
    return frozenset(prefix for prefixes in networks.values() for prefix in prefixes)


@cache
def common_passwords() -> frozenset[str]:
    """The password blocklist, case-folded."""
    lines = _text("common_passwords.txt").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class NameParts:
    """Name lists for the seed generator; family names carry weights (per cent)."""

    family_names: dict[str, float]
    middle_names: dict[str, list[str]]
    given_names: dict[str, list[str]]


@cache
def vietnamese_names() -> NameParts:
    raw = yaml.safe_load(_text("vietnamese_names.yaml"))
    return NameParts(
        family_names={_nfc(name): float(weight) for name, weight in raw["family_names"].items()},
        middle_names={sex: [_nfc(n) for n in names] for sex, names in raw["middle_names"].items()},
        given_names={sex: [_nfc(n) for n in names] for sex, names in raw["given_names"].items()},
    )
