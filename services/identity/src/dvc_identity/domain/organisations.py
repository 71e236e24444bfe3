"""Organisation accounts: a tax code and a legal representative who is a registered citizen."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_kernel.event_meta import EventMeta


class OrganisationAccount(Aggregate):
    class Registered(Aggregate.Created):
        tax_code: str
        name: str
        representative_id: UUID
        registered_at: datetime
        meta: EventMeta

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        tax_code: str,
        name: str,
        representative_id: UUID,
        registered_at: datetime,
        meta: EventMeta,
    ) -> None:
        self.tax_code = tax_code
        self.name = name
        self.representative_id = representative_id
        self.registered_at = registered_at
