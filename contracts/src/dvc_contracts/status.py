"""A dossier's status values, named once for every service (ADR 0009).

Intake, processing, the timeline fold and the board all speak of a dossier's status with these
values; each service keeps the subset it can be in and its own wording for the citizen.
"""

from __future__ import annotations

from enum import StrEnum


class DossierStatus(StrEnum):
    DRAFT = "draft"  # intake only: not yet submitted
    SUBMITTED = "submitted"  # filed, waiting for the unit to receive it
    RECEIVED = "received"  # waiting for an officer to check it
    ACCEPTED = "accepted"  # complete and valid: being handled
    SUPPLEMENT_REQUESTED = "supplement_requested"  # waiting for the citizen
    RESUBMITTED = "resubmitted"  # the citizen supplemented it, waiting for the unit
    APPROVED = "approved"  # decided in the citizen's favour; the result is being issued
    REFUSED = "refused"  # decided against, with reasons
    REJECTED = "rejected"  # refused at reception, with reason and legal basis
    RESULT_ISSUED = "result_issued"
    WITHDRAWAL_REQUESTED = "withdrawal_requested"  # the citizen asked; the unit has not yet stopped
    WITHDRAWN = "withdrawn"
