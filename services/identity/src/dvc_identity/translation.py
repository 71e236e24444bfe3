"""Identity's domain events -> public contract events on ``identity.account.v1``.

Only account lifecycle facts leave the service. Registrations in progress, OTP challenges,
send logs, sessions, indexes, failed logins and password rehashes stay inside: they carry
hashes or are of no use to anyone else. Each mapping below copies named fields, never whole
events, so a secret added to a domain event cannot leak by accident; no personal data (ID
number, name, phone) leaves either: no consumer needs it (ADR 0021).
"""

from __future__ import annotations

from typing import Any

from dvc_contracts.identity import (
    AccountLocked,
    AccountRegistered,
    OrganisationRegistered,
    PhoneVerified,
    SessionEnded,
    StaffAppointed,
    StaffRemoved,
    StaffScopeChanged,
)
from dvc_contracts.topics import IDENTITY_ACCOUNT
from dvc_kernel.envelopes import Outgoing

from .domain.accounts import CitizenAccount, LoginAccount
from .domain.organisations import OrganisationAccount
from .domain.sessions import LoginSession
from .domain.staff import StaffAccount


def translate(event: Any) -> Outgoing | None:
    account_id = getattr(event, "originator_id", None)
    payload: Any
    if isinstance(event, CitizenAccount.Registered):
        payload = AccountRegistered(account_id=event.originator_id, registered_at=event.registered_at)
    elif isinstance(event, CitizenAccount.PhoneVerified):
        payload = PhoneVerified(account_id=event.originator_id, verified_at=event.verified_at)
    elif isinstance(event, LoginAccount.Locked):
        payload = AccountLocked(
            account_id=event.originator_id,
            role=event.role,
            failed_attempts=event.failures,
            locked_until=event.locked_until,
        )
    elif isinstance(event, StaffAccount.Appointed):
        payload = StaffAppointed(
            account_id=event.originator_id,
            role=event.role,
            units=list(event.units),
            appointed_at=event.appointed_at,
        )
    elif isinstance(event, StaffAccount.ScopeChanged):
        payload = StaffScopeChanged(
            account_id=event.originator_id,
            units=list(event.units),
            previous_units=list(event.previous_units),
            changed_at=event.changed_at,
        )
    elif isinstance(event, StaffAccount.Removed):
        payload = StaffRemoved(
            account_id=event.originator_id, reason=event.reason, removed_at=event.removed_at
        )
    elif isinstance(event, OrganisationAccount.Registered):
        payload = OrganisationRegistered(
            account_id=event.originator_id,
            tax_code=event.tax_code,
            name=event.name,
            representative_account_id=event.representative_id,
            registered_at=event.registered_at,
        )
    elif isinstance(event, LoginSession.Ended) and getattr(event, "account_id", None) is not None:
        payload = SessionEnded(
            session_id=event.originator_id,
            account_id=event.account_id,
            reason=event.reason,
            ended_at=event.ended_at,
        )
    else:
        return None
    return Outgoing(IDENTITY_ACCOUNT.name, str(account_id), payload)
