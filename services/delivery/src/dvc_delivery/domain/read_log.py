"""Staff reads of a dossier's delivery record or signed result are events (issue 15).

The record holds the recipient's name, phone and street; the PDF, the whole result. A staff
member reading either is recorded first, as processing records `DossierViewed`: one `ReadLog`
aggregate per dossier, its own hash chain, published on delivery.result.v1 as
`ResultRecordRead`. If the read cannot be recorded, it fails. Owners reading their own are
not recorded.

Its events were first stored under `dvc_delivery.read_log:ReadLog.…`; that topic is
registered below, so stores written before the move still load.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from dvc_kernel.event_meta import EventMeta

NAMESPACE = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/delivery-read-log")
OLD_TOPIC = "dvc_delivery.read_log:ReadLog"


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
        meta: EventMeta

    @event("Started")
    def __init__(self, id: UUID, dossier_id: UUID) -> None:
        self.dossier_id = dossier_id

    @staticmethod
    def id_for(dossier_id: UUID) -> UUID:
        return uuid5(NAMESPACE, str(dossier_id))

    def read(
        self,
        dossier_code: str,
        viewer_id: str,
        viewer_role: str,
        viewer_units: list[str],
        token_id: str | None,
        what: str,
        at: datetime,
        meta: EventMeta,
    ) -> None:
        self.trigger_event(
            self.Read,
            dossier_id=self.dossier_id,
            dossier_code=dossier_code,
            viewer_id=viewer_id,
            viewer_role=viewer_role,
            viewer_units=viewer_units,
            token_id=token_id,
            what=what,
            at=at,
            meta=meta,
        )


register_topic(OLD_TOPIC, ReadLog)  # `…:ReadLog.Read` and `…:ReadLog.Started` resolve through it
