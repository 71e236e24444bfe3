"""Wrong passwords for an ID number that has no account, counted as an account counts them.

ADR 0005 promises that the answers to a login do not tell registered ID numbers from unknown
ones. The lockout did: after the free failures a registered number was answered "locked" and an
unknown one "wrong credentials" forever. So an unknown number gets the same back-off (the same
pure rules of lockout.py), kept as events in identity's store so that it holds across instances.
It publishes nothing: there is no account to speak of.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .ids import derived_id
from .lockout import DEFAULT_LOCKOUT_POLICY, LockoutPolicy, LoginFailures, login_refusal, record_failure
from .refusal import Refusal


class UnknownLogin(Aggregate):
    @staticmethod
    def id_for(account_type: str, id_number: str) -> UUID:
        return derived_id(f"unknown-login-{account_type}", id_number)

    @event("Created")
    def __init__(self, id: UUID) -> None:
        self.failures = LoginFailures()

    def refusal_before_password(
        self, now: datetime, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY
    ) -> Refusal | None:
        return login_refusal(self.failures, now=now, policy=policy)

    def password_rejected(self, now: datetime, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY) -> None:
        after = record_failure(self.failures, now=now, policy=policy)
        self._failed(count=after.count, failed_at=now, locked_until=after.locked_until)

    @event("Failed")
    def _failed(self, count: int, failed_at: datetime, locked_until: datetime | None) -> None:
        self.failures = LoginFailures(count, failed_at, locked_until)
