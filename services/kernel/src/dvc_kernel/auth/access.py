"""Who may see and change what (docs/architecture.md §6), as pure functions.

* citizens and organisations: only their own dossiers;
* officers: dossiers of their own units;
* supervisors: dossiers of their units and of every unit under them;
* auditors: read everything, change nothing;
* operators: manage accounts; no dossier access (they administer, they do not handle cases).

Unit hierarchy is not known here: callers pass ``is_under(a, b)``, true when unit ``a`` lies
(directly or not) under unit ``b`` — the catalog's agency tree answers it.
Every read of personal data by staff must itself be recorded (``read_must_be_recorded``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dvc_kernel.auth.principal import APPLICANT_ROLES, Principal, Role

IsUnder = Callable[[str, str], bool]


@dataclass(frozen=True)
class DossierScope:
    """What access decisions need to know about a dossier."""

    owner: str  # subject of the applicant's account
    unit: str | None  # the unit handling it; None before routing


def _no_unit_is_under(_unit: str, _ancestor: str) -> bool:
    return False


def in_units(principal: Principal, unit: str | None, is_under: IsUnder = _no_unit_is_under) -> bool:
    """True if ``unit`` is within the principal's reach as staff of given units."""
    if unit is None:
        return False
    if unit in principal.units:
        return True
    if principal.role is Role.SUPERVISOR:
        return any(is_under(unit, own) for own in principal.units)
    return False


def _owner_or_in_unit(principal: Principal, dossier: DossierScope, is_under: IsUnder) -> bool | None:
    """The applicant's and the units' side of both rules; None for any other role."""
    if principal.role in APPLICANT_ROLES:
        return dossier.owner == principal.subject
    if principal.role in (Role.OFFICER, Role.SUPERVISOR):
        return in_units(principal, dossier.unit, is_under)
    return None


def can_read_dossier(
    principal: Principal, dossier: DossierScope, is_under: IsUnder = _no_unit_is_under
) -> bool:
    allowed = _owner_or_in_unit(principal, dossier, is_under)
    return principal.role is Role.AUDITOR if allowed is None else allowed


def can_change_dossier(
    principal: Principal, dossier: DossierScope, is_under: IsUnder = _no_unit_is_under
) -> bool:
    """May act on it at all; which actions each side may take is the owning service's rule."""
    allowed = _owner_or_in_unit(principal, dossier, is_under)
    return bool(allowed)  # auditors read only; operators do not handle dossiers


def can_manage_accounts(principal: Principal) -> bool:
    return principal.role is Role.OPERATOR


def can_change_anything(principal: Principal) -> bool:
    """False for auditors: a guard for every command handler."""
    return principal.role is not Role.AUDITOR


def read_must_be_recorded(principal: Principal) -> bool:
    """Staff reading personal data leave an audit record (docs/architecture.md §6)."""
    return principal.is_staff
