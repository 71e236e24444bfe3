"""Public account events: what identity tells the rest of the system.

No personal data travels here (ADR 0021): no service needs a citizen's ID number, name or phone
from identity, so version 2 of these events dropped them. Secrets never do either: no password,
password hash, OTP, OTP hash or token appears in any of these payloads.
"""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import EventPayload
from .topics import IDENTITY_ACCOUNT

StaffRole = Literal["officer", "supervisor", "auditor", "operator"]
AccountRole = Literal["citizen", "organisation", "officer", "supervisor", "auditor", "operator"]
UNIT_CODE = r"^(CAT-\d{2}|CAX-\d{5}|[A-Z]\d{2})$"


class AccountRegistered(EventPayload):
    """A citizen's account exists: declared data matched the population registry."""

    event_type: ClassVar[str] = "AccountRegistered"
    schema_version: ClassVar[int] = 2  # v1 carried the ID number, name and phone
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    account_id: UUID = Field(description="Opaque account id; the `sub` of the citizen's tokens.")
    registered_at: AwareDatetime = Field(description="When the account was created (UTC).")


class PhoneVerified(EventPayload):
    """The account holder proved, with an SMS one-time code, that the phone is theirs."""

    event_type: ClassVar[str] = "PhoneVerified"
    schema_version: ClassVar[int] = 2  # v1 carried the phone number
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    account_id: UUID = Field(description="Account id.")
    verified_at: AwareDatetime = Field(description="When the code was accepted (UTC).")


class AccountLocked(EventPayload):
    """Repeated wrong passwords locked the account for a while (back-off, at most 60 minutes)."""

    event_type: ClassVar[str] = "AccountLocked"
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    account_id: UUID = Field(description="Account id.")
    role: AccountRole = Field(description="Role of the locked account.")
    failed_attempts: int = Field(ge=1, description="Consecutive wrong passwords so far.")
    locked_until: AwareDatetime = Field(description="No login is accepted before this time (UTC).")


class StaffAppointed(EventPayload):
    """An operator created a staff account scoped to police units."""

    event_type: ClassVar[str] = "StaffAppointed"
    schema_version: ClassVar[int] = 2  # v1 carried the full name
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    account_id: UUID = Field(description="Account id of the staff member.")
    role: StaffRole = Field(description="What the staff member may do.")
    units: list[str] = Field(
        min_length=1, description="Unit codes in scope, e.g. `CAX-00070`, `CAT-01`, `C06`; sorted."
    )
    appointed_at: AwareDatetime = Field(description="When the account was created (UTC).")


class StaffScopeChanged(EventPayload):
    """A staff member was transferred: the units in scope changed."""

    event_type: ClassVar[str] = "StaffScopeChanged"
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    account_id: UUID = Field(description="Account id of the staff member.")
    units: list[str] = Field(min_length=1, description="Unit codes in scope from now on; sorted.")
    previous_units: list[str] = Field(description="Unit codes in scope before; sorted.")
    changed_at: AwareDatetime = Field(description="When the change took effect (UTC).")


class StaffRemoved(EventPayload):
    """A staff account was closed: it can no longer log in or refresh its sessions."""

    event_type: ClassVar[str] = "StaffRemoved"
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    account_id: UUID = Field(description="Account id of the former staff member.")
    reason: str = Field(min_length=1, max_length=500, description="Why, as the operator wrote it.")
    removed_at: AwareDatetime = Field(description="When the account was closed (UTC).")


class OrganisationRegistered(EventPayload):
    """An organisation's account exists, with a registered citizen as its legal representative."""

    event_type: ClassVar[str] = "OrganisationRegistered"
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    account_id: UUID = Field(description="Account id of the organisation.")
    tax_code: str = Field(
        pattern=r"^\d{10}(-\d{3})?$", description="Tax code (mã số thuế): 10 digits, or 13 for a branch."
    )
    name: str = Field(min_length=1, max_length=300, description="Registered name of the organisation.")
    representative_account_id: UUID = Field(
        description="Account id of the citizen who is the legal representative."
    )
    registered_at: AwareDatetime = Field(description="When the account was created (UTC).")


class SessionEnded(EventPayload):
    """A login session ended (logout, a stolen refresh token replayed, the account closed): the
    access tokens the account holds stop working everywhere, not only when they expire."""

    event_type: ClassVar[str] = "SessionEnded"
    topic: ClassVar[str] = IDENTITY_ACCOUNT.name

    session_id: UUID = Field(description="The session; the key of this event.")
    account_id: UUID = Field(description="Whose session it was.")
    reason: Literal["logout", "reuse", "account_closed"] = Field(description="Why it ended.")
    ended_at: AwareDatetime = Field(description="When (UTC); access tokens issued up to then are refused.")


IDENTITY_EVENTS: tuple[type[EventPayload], ...] = (
    AccountRegistered,
    PhoneVerified,
    AccountLocked,
    StaffAppointed,
    StaffScopeChanged,
    StaffRemoved,
    OrganisationRegistered,
    SessionEnded,
)
