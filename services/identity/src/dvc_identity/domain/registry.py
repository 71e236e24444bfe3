"""The replica of the national population database (CSDL quốc gia về dân cư) and matching.

The portal only accepts declared personal data that matches the population database; on a
mismatch it sends the citizen to the commune police to have the database corrected
(procedures.md §9). The message never says which field differs: the ID number is not a
secret, so telling a stranger "the name is right but the birth date is wrong" would leak
personal data. The differing fields are returned for the service's own logs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dvc_identity.domain.id_number import Sex
from dvc_identity.domain.phone import normalise_phone
from dvc_identity.domain.refusal import Refusal
from dvc_kernel.auth.registry_stamp import normalise_name

REGISTRY_MISMATCH = Refusal(
    "registry.mismatch",
    "Thông tin khai báo không khớp với Cơ sở dữ liệu quốc gia về dân cư. Vui lòng liên hệ "
    "Công an cấp xã nơi cư trú để được kiểm tra, cập nhật, điều chỉnh thông tin.",
)


@dataclass(frozen=True)
class Resident:
    """One person as the population database knows them."""

    id_number: str
    full_name: str
    date_of_birth: date
    sex: Sex
    ward_code: str  # permanent address (nơi thường trú), commune/ward code
    household_id: str
    phone: str | None  # as normalised by normalise_phone


@dataclass(frozen=True)
class DeclaredIdentity:
    """What a citizen typed on the portal."""

    id_number: str
    full_name: str
    date_of_birth: date
    phone: str | None = None


@dataclass(frozen=True)
class RegistryMatch:
    """The outcome; ``resident`` is only given when everything matched."""

    resident: Resident | None
    mismatched: frozenset[str]  # field names, for the service's logs only

    @property
    def matched(self) -> bool:
        return not self.mismatched

    @property
    def refusal(self) -> Refusal | None:
        return None if self.matched else REGISTRY_MISMATCH


_SPACES = re.compile(r"\s+")


def match_declared(declared: DeclaredIdentity, registry: Mapping[str, Resident]) -> RegistryMatch:
    """Match declared data against the replica: ID number, full name, birth date, phone if given."""
    resident = registry.get("".join(declared.id_number.split()))
    if resident is None:
        return RegistryMatch(None, frozenset({"id_number"}))
    mismatched: set[str] = set()
    if normalise_name(declared.full_name) != normalise_name(resident.full_name):
        mismatched.add("full_name")
    if declared.date_of_birth != resident.date_of_birth:
        mismatched.add("date_of_birth")
    if declared.phone is not None and (
        resident.phone is None or normalise_phone(declared.phone) != resident.phone
    ):
        mismatched.add("phone")
    if mismatched:
        return RegistryMatch(None, frozenset(mismatched))
    return RegistryMatch(resident, frozenset())
