"""What routes read of a dossier, each in one store call: its full view for the owner and
staff (a staff read is recorded first, issue 7), and its status for the public look-up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from uuid import UUID

from dvc_kernel import consistency
from dvc_kernel.auth.access import DossierScope, can_read_dossier
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.store_commands import store_command

from ..audit.access import record_view
from ..domain.case import Case
from ..projections.applicant import applicant_of
from ..projections.dossier_view import CaseView, NotYetFiled, case_view
from .base import dossier_not_found
from .lookup import LookupCommands

STAFF_READERS = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR})


class Queries(LookupCommands):
    @store_command
    def dossier(
        self,
        code: str,
        principal: Principal,
        as_of: datetime | None,
        complaints_of: Callable[[UUID], Sequence[UUID]],
    ) -> tuple[Case, CaseView]:
        """The dossier with its timeline (its complaints on it) as it stood at `as_of`."""
        case = self.case_by_code(code)
        # Someone else's dossier is "not found", so codes cannot be probed.
        if case is None or not can_read_dossier(principal, DossierScope(case.owner_account, case.unit_code)):
            raise dossier_not_found()
        try:
            view = case_view(self, case, as_of, complaints_of(case.id))
        except NotYetFiled:
            raise dossier_not_found() from None  # there was no such dossier at that instant
        if principal.role in STAFF_READERS:  # recorded before the data leaves (issue 7)
            record_view(self, principal, case, as_of)
        return case, view

    @store_command
    def staff_answer(self, principal: Principal, case: Case) -> CaseView:
        """The answer to an officer's action is the whole dossier, personal data included: a
        staff read like GET is, recorded as one."""
        record_view(self, principal, case, None)
        return case_view(self, case)

    @store_command
    def public_status(self, code: str, id_last_digits: str) -> Case:
        """The case, for anyone holding its code and the last digits of the applicant's ID.
        One answer for an unknown code, wrong digits and a locked code: none tells anything."""
        case = self.case_by_code(code)
        if case is None or self.lookup_locked(case.dossier_code):
            raise dossier_not_found()
        applicant = applicant_of(self.events, case.id)
        if not str(applicant.get("id_number", "")).endswith(id_last_digits):
            self.note_wrong_digits(case.dossier_code)
            raise dossier_not_found()
        return case

    def shows(self, token: consistency.Token, code: str | None = None) -> bool:
        """The store has the write `token` names (processing's own writes are there already)."""
        if token.subject is None:
            return True
        if code is not None:
            case = self.case_by_code(code)
            if case is not None and case.id != token.subject:
                return True  # the token is about another dossier: nothing to wait for
        return self.case(token.subject) is not None and self.has_applied(
            token.subject, token.producer, token.position
        )

    def units_under(self, units: frozenset[str]) -> set[str]:
        """A supervisor's units and every unit under them, at any depth (the catalog's unit tree:
        a department of the Ministry over provinces over communes)."""
        children: dict[str, list[str]] = defaultdict(list)
        for code, unit in self.catalog.units.items():
            if unit.parent_code is not None:
                children[unit.parent_code].append(code)
        found, todo = set(units), list(units)
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def units_overseen(self, principal: Principal) -> AbstractSet[str] | None:
        """The units whose dossiers a member of staff oversees: every unit for an auditor (None), a
        supervisor's and every unit under them, an officer's own."""
        if principal.role is Role.AUDITOR:
            return None
        if principal.role is Role.SUPERVISOR:
            return self.units_under(principal.units)
        return principal.units

    def procedure_name(self, code: str | None, version: int | None) -> str | None:
        published = self.catalog.version(code, version) if code and version else None
        return published.name if published else None
