"""Identity's eventsourcing application: accounts, OTP, sessions, over its own encrypted store.

The commands live in ``commands/`` by subject (registration, sessions, staff, organisations);
this class joins them. Collaborators (registry replica, OTP key, SMS sender, signing keys,
clock) are injected, so tests set the time and replace the SMS gateway.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate

from ..domain.accounts import CitizenAccount
from ..domain.organisations import OrganisationAccount
from ..domain.staff import StaffAccount
from .base import Collaborators
from .organisations import OrganisationCommands
from .registration import RegistrationCommands
from .sessions import SessionCommands
from .staff import StaffCommands

__all__ = ["Collaborators", "IdentityApplication"]


class IdentityApplication(RegistrationCommands, SessionCommands, StaffCommands, OrganisationCommands):
    name = "identity"

    def account_view(self, account_id: UUID) -> CitizenAccount | StaffAccount | OrganisationAccount | None:
        found: Aggregate | None = self.find(Aggregate, account_id)
        if isinstance(found, CitizenAccount | StaffAccount | OrganisationAccount):
            return found
        return None
