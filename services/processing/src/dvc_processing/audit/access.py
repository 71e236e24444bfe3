"""Every staff read of a dossier's personal data is itself an event (docs/architecture.md §6).

One `AccessLog` aggregate per dossier holds its `Viewed` events, so the reads of one dossier
form one hash chain on `processing.access.v1`, keyed (like the dossier topics) by dossier id.
The read is recorded before the data is returned: if recording fails, the read fails.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_contracts.access import DossierViewed
from dvc_contracts.topics import PROCESSING_ACCESS
from dvc_kernel.auth.principal import Principal
from dvc_kernel.envelopes import Outgoing, Translate
from dvc_kernel.event_meta import EventMeta
from dvc_kernel.meta import CommandMeta

from ..domain.case import Case

if TYPE_CHECKING:
    from ..application.base import ProcessingBase

ACCESS_LOG_NAMESPACE = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/access-log")


class AccessLog(Aggregate):
    class Started(Aggregate.Created):
        dossier_id: UUID

    class Viewed(Aggregate.Event):
        dossier_id: UUID
        dossier_code: str
        viewer_id: str
        viewer_role: str
        viewer_units: list[str]
        dossier_unit: str | None
        token_id: str | None
        as_of: datetime | None
        at: datetime
        meta: EventMeta

    @event(Started)
    def __init__(self, dossier_id: UUID) -> None:
        self.dossier_id = dossier_id
        self.views = 0

    @staticmethod
    def create_id(dossier_id: UUID) -> UUID:
        return log_id(dossier_id)

    @event(Viewed)
    def view(
        self,
        dossier_id: UUID,
        dossier_code: str,
        viewer_id: str,
        viewer_role: str,
        viewer_units: list[str],
        dossier_unit: str | None,
        token_id: str | None,
        as_of: datetime | None,
        at: datetime,
        meta: EventMeta,
    ) -> None:
        self.views += 1


def log_id(dossier_id: UUID) -> UUID:
    return uuid5(ACCESS_LOG_NAMESPACE, str(dossier_id))


def record_view(app: ProcessingBase, principal: Principal, case: Case, as_of: datetime | None) -> None:
    """Record that `principal` (staff) read `case`; raises if it cannot be recorded."""
    meta = CommandMeta(
        actor_id=principal.subject,
        actor_role=principal.role.value,
        actor_unit=case.unit_code if case.unit_code in principal.units else None,
    ).as_dict()
    # Two staff reading one dossier at once: one append wins, the other reads again and retries.
    app.append_retrying(
        log_id(case.id),
        lambda: AccessLog(dossier_id=case.id),
        lambda access: access.view(
            dossier_id=case.id,
            dossier_code=case.dossier_code,
            viewer_id=principal.subject,
            viewer_role=principal.role.value,
            viewer_units=sorted(principal.units),
            dossier_unit=case.unit_code,
            token_id=principal.token_id,
            as_of=as_of,
            at=app.clock.now(),
            meta=meta,
        ),
    )


def _viewed(e: AccessLog.Viewed) -> Outgoing:
    payload = DossierViewed(
        dossier_id=e.dossier_id,
        dossier_code=e.dossier_code,
        viewer_id=e.viewer_id,
        viewer_role=e.viewer_role,
        viewer_units=e.viewer_units,
        dossier_unit=e.dossier_unit,
        token_id=e.token_id,
        as_of=e.as_of,
        viewed_at=e.at,
    )
    return Outgoing(PROCESSING_ACCESS.name, str(e.dossier_id), payload, occurred_at=e.at)


def with_access(translate: Translate) -> Translate:
    """Processing's translation plus the access log's public event."""

    def translate_all(event: Any) -> Outgoing | None:
        if isinstance(event, AccessLog.Viewed):
            return _viewed(event)
        return translate(event)

    return translate_all
