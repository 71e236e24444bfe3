"""Who a dossier is for, as the citizen declared it on the Submitted processing received."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, cast
from uuid import UUID

from eventsourcing.persistence import EventStore

from dvc_contracts.dossier import Submitted
from dvc_kernel import personal_data


class Applicant(TypedDict, total=False):
    """The declared applicant (contract `dvc_contracts.dossier.Applicant`), as stored JSON."""

    id_number: str
    full_name: str
    phone: str
    email: str | None
    date_of_birth: str | None


def applicant_in(cause: Mapping[str, object] | None) -> Applicant:
    """The applicant of the Submitted envelope that caused a `Received` (the one place that
    reads it: the officers' queue, the public look-up and the letters all go through here)."""
    if not cause or not cause.get("payload"):
        return {}
    # Kept as it travelled: the personal fields sealed (ADR 0021), opened here when needed.
    payload = personal_data.current().open(
        Submitted, cast(dict[str, Any], cause["payload"]), str(cause["subject"])
    )
    applicant = cast(Applicant, payload.get("applicant") or {})
    return applicant


def applicant_of(events: EventStore[UUID], dossier_id: UUID) -> Applicant:
    """The applicant of a dossier, from its first event (`Received`, which keeps the Submitted
    it was caused by), read alone rather than with the rest of the dossier's history."""
    first = next(iter(events.get(dossier_id, lte=1)), None)
    return applicant_in(getattr(first, "cause", None))
