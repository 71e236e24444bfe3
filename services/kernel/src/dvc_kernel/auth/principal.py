"""Who is calling: the verified subject of an access token."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    CITIZEN = "citizen"
    ORGANISATION = "organisation"
    OFFICER = "officer"  # scoped to units (police agencies)
    SUPERVISOR = "supervisor"  # scoped to units and the units under them
    AUDITOR = "auditor"  # reads everything, changes nothing
    OPERATOR = "operator"  # manages accounts


APPLICANT_ROLES = frozenset({Role.CITIZEN, Role.ORGANISATION})
STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR, Role.OPERATOR})


@dataclass(frozen=True)
class Principal:
    subject: str  # opaque account id; never the personal ID number (tokens reach logs)
    role: Role
    units: frozenset[str] = field(default_factory=frozenset)
    token_id: str | None = None  # jti, for audit records
    expires_at: datetime | None = None
    # Identity's registry stamp of the holder's own data (auth/registry_stamp.py), citizens only.
    registry_stamp: str | None = None
    issued_at: datetime | None = None  # iat: tokens issued before a revocation are refused

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES
