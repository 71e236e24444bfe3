"""A citizen's complaint about a dossier (phản ánh, kiến nghị), answered by the superior unit."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_kernel.event_meta import EventMeta

from .case import refused


class Complaint(Aggregate):
    class Filed(Aggregate.Created):
        dossier_id: UUID
        dossier_code: str
        owner_account: str
        unit_code: str | None
        superior_unit: str
        text: str
        filed_at: datetime
        respond_by: datetime
        meta: EventMeta

    class Resolved(Aggregate.Event):
        dossier_id: UUID
        resolution: str
        resolved_at: datetime
        on_time: bool
        meta: EventMeta

    @event(Filed)
    def __init__(
        self,
        id: UUID,
        dossier_id: UUID,
        dossier_code: str,
        owner_account: str,
        unit_code: str | None,
        superior_unit: str,
        text: str,
        filed_at: datetime,
        respond_by: datetime,
        meta: EventMeta,
    ) -> None:
        self.dossier_id = dossier_id
        self.dossier_code = dossier_code
        self.owner_account = owner_account
        self.unit_code = unit_code
        self.superior_unit = superior_unit
        self.text = text
        self.filed_at = filed_at
        self.respond_by = respond_by
        self.resolution: str | None = None

    def resolve(self, resolution: str, at: datetime, meta: EventMeta) -> None:
        if self.resolution is not None:
            raise refused("complaint_already_resolved", "Phản ánh này đã được trả lời.")
        if not resolution.strip():
            raise refused("resolution_required", "Phải trả lời cụ thể nội dung phản ánh.")
        self._resolved(
            dossier_id=self.dossier_id,
            resolution=resolution,
            resolved_at=at,
            on_time=at <= self.respond_by,
            meta=meta,
        )

    @event(Resolved)
    def _resolved(
        self, dossier_id: UUID, resolution: str, resolved_at: datetime, on_time: bool, meta: EventMeta
    ) -> None:
        self.resolution = resolution
