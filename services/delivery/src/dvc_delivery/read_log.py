"""Staff reads of a dossier's delivery record or signed result are events (issue 15).

The record holds the recipient's name, phone and street; the PDF, the whole result. A staff
member reading either is recorded first, as processing records `DossierViewed`: one `ReadLog`
aggregate per dossier, its own hash chain, published on delivery.result.v1 as
`ResultRecordRead`. If the read cannot be recorded, it fails. Owners reading their own are
not recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_contracts.delivery import ResultRecordRead
from dvc_contracts.topics import DELIVERY_RESULT
from dvc_kernel.auth.principal import Principal
from dvc_kernel.envelopes import Outgoing
from dvc_kernel.meta import CommandMeta

from .domain.result_delivery import ResultDelivery

NAMESPACE = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/delivery-read-log")


class ReadLog(Aggregate):
    class Read(Aggregate.Event):
        dossier_id: UUID
        dossier_code: str
        viewer_id: str
        viewer_role: str
        viewer_units: list[str]
        token_id: str | None
        what: str
        at: datetime
        meta: dict[str, Any]

    @event("Started")
    def __init__(self, id: UUID, dossier_id: UUID) -> None:
        self.dossier_id = dossier_id

    @staticmethod
    def id_for(dossier_id: UUID) -> UUID:
        return uuid5(NAMESPACE, str(dossier_id))

    @event(Read)
    def read(
        self,
        dossier_id: UUID,
        dossier_code: str,
        viewer_id: str,
        viewer_role: str,
        viewer_units: list[str],
        token_id: str | None,
        what: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        pass


def record_read(app: Any, principal: Principal, delivery: ResultDelivery, what: str) -> None:
    """Record that `principal` (staff) read `delivery`'s record or document; raises if it cannot."""
    meta = CommandMeta(
        actor_id=principal.subject,
        actor_role=principal.role.value,
        actor_unit=delivery.unit_code if delivery.unit_code in principal.units else None,
    ).as_dict()
    app.append_retrying(
        ReadLog.id_for(delivery.id),
        lambda: ReadLog(id=ReadLog.id_for(delivery.id), dossier_id=delivery.id),
        lambda log: log.read(
            dossier_id=delivery.id,
            dossier_code=delivery.dossier_code,
            viewer_id=principal.subject,
            viewer_role=principal.role.value,
            viewer_units=sorted(principal.units),
            token_id=principal.token_id,
            what=what,
            at=app.clock.now(),
            meta=meta,
        ),
    )


def translate_read(e: ReadLog.Read) -> Outgoing:
    payload = ResultRecordRead(
        dossier_id=e.dossier_id,
        dossier_code=e.dossier_code,
        viewer_id=e.viewer_id,
        viewer_role=e.viewer_role,
        viewer_units=e.viewer_units,
        token_id=e.token_id,
        what=e.what,
        read_at=e.at,
    )
    return Outgoing(DELIVERY_RESULT.name, str(e.originator_id), payload, occurred_at=e.at)
