"""Complaints (phản ánh, kiến nghị) about a dossier, handled by the superior unit."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from .base import EventPayload
from .topics import PROCESSING_COMPLAINT


class ComplaintFiled(EventPayload):
    """A citizen complained about the handling of their dossier."""

    event_type: ClassVar[str] = "ComplaintFiled"
    topic: ClassVar[str] = PROCESSING_COMPLAINT.name

    complaint_id: UUID = Field(description="Complaint id; the key of its events.")
    dossier_id: UUID = Field(description="The dossier complained about.")
    dossier_code: str = Field(description="Its code.")
    unit_code: str | None = Field(description="Unit handling the dossier.")
    superior_unit: str | None = Field(description="Unit whose supervisors must resolve it.")
    text: str = Field(min_length=1, description="The complaint, in the citizen's words.")
    filed_at: AwareDatetime = Field(description="When (UTC).")
    respond_by: AwareDatetime = Field(description="The response deadline (UTC).")


class ComplaintResolved(EventPayload):
    """A supervisor of the superior unit answered the complaint."""

    event_type: ClassVar[str] = "ComplaintResolved"
    topic: ClassVar[str] = PROCESSING_COMPLAINT.name

    complaint_id: UUID = Field(description="Complaint id.")
    dossier_id: UUID = Field(description="The dossier complained about.")
    resolution: str = Field(min_length=1, description="The answer given to the citizen.")
    resolved_at: AwareDatetime = Field(description="When (UTC).")
    on_time: bool = Field(description="Whether it was answered by the response deadline.")
