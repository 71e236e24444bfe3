"""Staff accounts: officers, supervisors, auditors and operators, scoped to police units.

An operator appoints them, transfers them (the units in scope change) and removes them; a
removed account can no longer log in nor refresh a session.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_identity.domain.accounts import LoginAccount
from dvc_identity.domain.refusal import Refusal, RefusedError
from dvc_kernel.event_meta import EventMeta

STAFF_ROLES = ("officer", "supervisor", "auditor", "operator")

ALREADY_REMOVED = Refusal("staff.removed", "Tài khoản cán bộ này đã bị thu hồi.")


class StaffAccount(LoginAccount):
    class Appointed(Aggregate.Created):
        id_number: str
        full_name: str
        phone: str
        role: str
        units: list[str]
        password_hash: str
        appointed_at: datetime
        meta: EventMeta

    class ScopeChanged(Aggregate.Event):
        units: list[str]
        previous_units: list[str]
        changed_at: datetime
        meta: EventMeta

    class Removed(Aggregate.Event):
        reason: str
        removed_at: datetime
        meta: EventMeta

    @event(Appointed)
    def __init__(
        self,
        id: UUID,
        id_number: str,
        full_name: str,
        phone: str,
        role: str,
        units: list[str],
        password_hash: str,
        appointed_at: datetime,
        meta: EventMeta,
    ) -> None:
        if role not in STAFF_ROLES:
            raise ValueError(f"not a staff role: {role}")
        self._start_credentials(role, password_hash)
        self.id_number = id_number
        self.full_name = full_name
        self.phone = phone
        self.scope = list(units)
        self.appointed_at = appointed_at
        self.removed_at: datetime | None = None

    @property
    def units(self) -> list[str]:
        return list(self.scope)

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def change_scope(self, units: list[str], now: datetime, meta: EventMeta) -> bool:
        """Transfer to ``units`` (already checked and sorted); False when nothing changes."""
        if self.removed:
            raise RefusedError(ALREADY_REMOVED)
        if units == self.scope:
            return False
        self._scope_changed(units=units, previous_units=self.scope, changed_at=now, meta=meta)
        return True

    def remove(self, reason: str, now: datetime, meta: EventMeta) -> bool:
        """Close the account; False when it was closed already (a repeated request)."""
        if self.removed:
            return False
        self._removed(reason=reason, removed_at=now, meta=meta)
        return True

    @event(ScopeChanged)
    def _scope_changed(
        self, units: list[str], previous_units: list[str], changed_at: datetime, meta: EventMeta
    ) -> None:
        self.scope = list(units)

    @event(Removed)
    def _removed(self, reason: str, removed_at: datetime, meta: EventMeta) -> None:
        self.removed_at = removed_at
