"""Uniqueness of ID numbers, phones and tax codes across accounts.

An index aggregate's id is derived from the value it claims, so two accounts claiming the same
value in concurrent transactions collide on the same aggregate id and only one commits: the
store enforces uniqueness, not a read-then-write check.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_identity.domain.ids import derived_id


class IndexKind(StrEnum):
    CITIZEN_ID_NUMBER = "citizen-id-number"
    CITIZEN_PHONE = "citizen-phone"
    STAFF_ID_NUMBER = "staff-id-number"  # a police officer may also hold a citizen account
    TAX_CODE = "tax-code"


class UniqueValue(Aggregate):
    @staticmethod
    def id_for(kind: IndexKind, value: str) -> UUID:
        return derived_id(f"index:{kind.value}", value)

    @event("Claimed")
    def __init__(self, id: UUID, kind: str, account_id: UUID) -> None:
        self.kind = kind
        self.account_id = account_id

    @event("Reassigned")
    def reassign(self, account_id: UUID) -> None:
        """A removed staff member appointed again gets a new account under the same ID number."""
        self.account_id = account_id
