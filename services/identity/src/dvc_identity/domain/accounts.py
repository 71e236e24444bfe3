"""Accounts that log in (citizens and staff): password, lockout state, logins.

The account id is a random UUID and is the ``sub`` of its tokens; the ID number is only an
attribute found through an index (ADR 0005: tokens reach logs, ID numbers must not).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_identity.domain.lockout import (
    DEFAULT_LOCKOUT_POLICY,
    LockoutPolicy,
    LoginFailures,
    login_refusal,
    record_failure,
)
from dvc_identity.domain.refusal import Refusal
from dvc_kernel.event_meta import EventMeta


class LoginAccount(Aggregate):
    """What citizens and staff share. Subclasses set ``role`` and call ``_start_credentials``."""

    role: str
    phone: str  # where login codes go
    password_hash: str
    failures: LoginFailures

    class LoginFailed(Aggregate.Event):
        failed_at: datetime
        failures: int

    class Locked(Aggregate.Event):
        role: str
        failures: int
        locked_until: datetime
        meta: EventMeta

    class FailuresCleared(Aggregate.Event):
        pass

    class PasswordRehashed(Aggregate.Event):
        password_hash: str

    class LoggedIn(Aggregate.Event):
        logged_in_at: datetime
        meta: EventMeta

    def _start_credentials(self, role: str, password_hash: str) -> None:
        self.role = role
        self.password_hash = password_hash
        self.failures = LoginFailures()

    @property
    def units(self) -> list[str]:
        return []

    def refusal_before_password(
        self, now: datetime, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY
    ) -> Refusal | None:
        """Why a login cannot even be tried now (locked), else None."""
        return login_refusal(self.failures, now=now, policy=policy)

    def password_rejected(
        self, now: datetime, meta: EventMeta, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY
    ) -> None:
        after = record_failure(self.failures, now=now, policy=policy)
        self._login_failed(failed_at=now, failures=after.count)
        if after.locked_until is not None:
            self._locked(role=self.role, failures=after.count, locked_until=after.locked_until, meta=meta)

    def password_accepted(self) -> None:
        if self.failures != LoginFailures():
            self._failures_cleared()

    def rehash(self, password_hash: str) -> None:
        self._rehashed(password_hash=password_hash)

    def logged_in(self, now: datetime, meta: EventMeta) -> None:
        self._logged_in(logged_in_at=now, meta=meta)

    @event(LoginFailed)
    def _login_failed(self, failed_at: datetime, failures: int) -> None:
        self.failures = LoginFailures(failures, failed_at, None)

    @event(Locked)
    def _locked(self, role: str, failures: int, locked_until: datetime, meta: EventMeta) -> None:
        self.failures = replace(self.failures, locked_until=locked_until)

    @event(FailuresCleared)
    def _failures_cleared(self) -> None:
        self.failures = LoginFailures()

    @event(PasswordRehashed)
    def _rehashed(self, password_hash: str) -> None:
        self.password_hash = password_hash

    @event(LoggedIn)
    def _logged_in(self, logged_in_at: datetime, meta: EventMeta) -> None:
        self.last_login_at = logged_in_at


class CitizenAccount(LoginAccount):
    """A citizen's account, created when the phone was proven by OTP during registration."""

    class Registered(Aggregate.Created):
        id_number: str
        full_name: str
        date_of_birth: date
        phone: str
        password_hash: str
        registration_id: UUID
        registered_at: datetime
        meta: EventMeta

    class PhoneVerified(Aggregate.Event):
        phone: str
        verified_at: datetime
        meta: EventMeta

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        id_number: str,
        full_name: str,
        date_of_birth: date,
        phone: str,
        password_hash: str,
        registration_id: UUID,
        registered_at: datetime,
        meta: EventMeta,
    ) -> None:
        self._start_credentials("citizen", password_hash)
        self.id_number = id_number
        self.full_name = full_name
        self.date_of_birth = date_of_birth
        self.phone = phone
        self.registered_at = registered_at
        self.phone_verified_at: datetime | None = None

    def verify_phone(self, now: datetime, meta: EventMeta) -> None:
        self._phone_verified(phone=self.phone, verified_at=now, meta=meta)

    @event(PhoneVerified)
    def _phone_verified(self, phone: str, verified_at: datetime, meta: EventMeta) -> None:
        self.phone_verified_at = verified_at
