"""Identity's eventsourcing application: accounts, OTP, sessions, over its own encrypted store.

The commands live in ``commands/`` by subject (registration, sessions, staff, organisations);
this class joins them. Collaborators (registry replica, OTP key, SMS sender, signing keys,
clock) are injected, so tests set the time and replace the SMS gateway.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate

from .commands.base import Collaborators
from .commands.organisations import OrganisationCommands
from .commands.registration import RegistrationCommands
from .commands.sessions import SessionCommands
from .commands.staff import StaffCommands
from .domain.accounts import CitizenAccount
from .domain.organisations import OrganisationAccount
from .domain.staff import StaffAccount

__all__ = ["Collaborators", "IdentityApplication"]


class IdentityApplication(RegistrationCommands, SessionCommands, StaffCommands, OrganisationCommands):
    name = "identity"

    def account_view(self, account_id: UUID) -> CitizenAccount | StaffAccount | OrganisationAccount | None:
        found: Aggregate | None = self.find(Aggregate, account_id)
        if isinstance(found, CitizenAccount | StaffAccount | OrganisationAccount):
            return found
        return None
