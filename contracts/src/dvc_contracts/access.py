"""Staff reads of personal data are themselves events (docs/architecture.md §6): who looked, when, at
which dossier, acting for which unit. Auditors answer "who looked at this dossier" from these."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import EventPayload
from .topics import PROCESSING_ACCESS


class DossierViewed(EventPayload):
    """A staff member read a dossier with its applicant's personal data."""

    event_type: ClassVar[str] = "DossierViewed"
    topic: ClassVar[str] = PROCESSING_ACCESS.name

    dossier_id: UUID = Field(description="Dossier id; the key of the access topic.")
    dossier_code: str = Field(description="Dossier code.")
    viewer_id: str = Field(description="Account id of the staff member who read it.")
    viewer_role: Literal["officer", "supervisor", "auditor"] = Field(description="Role they read it in.")
    viewer_units: list[str] = Field(description="Units the staff member acts for (empty for auditors).")
    dossier_unit: str | None = Field(description="Unit holding the dossier when it was read.")
    token_id: str | None = Field(default=None, description="Id (jti) of the access token used.")
    as_of: AwareDatetime | None = Field(
        default=None, description="The past instant asked for, when a past state was read."
    )
    viewed_at: AwareDatetime = Field(description="When it was read (UTC).")
