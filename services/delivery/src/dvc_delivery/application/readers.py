"""What the owner and the staff of the dossier's unit read: the delivery record and the signed
e-result. A staff member's read is recorded first (issue 15); the owner's is not."""

from __future__ import annotations

import base64
import contextlib

from eventsourcing.persistence import IntegrityError

from dvc_kernel.auth.principal import APPLICANT_ROLES, Principal
from dvc_kernel.consistency import Token
from dvc_kernel.meta import CommandMeta
from dvc_kernel.store_commands import store_command

from ..domain.read_log import ReadLog
from ..domain.result_delivery import ResultDelivery
from .base import DeliveryBase


class Readers(DeliveryBase):
    @store_command
    def record(self, reference: str, principal: Principal) -> ResultDelivery:
        """Where the dossier's result is; staff's read recorded (name, phone, street) first."""
        delivery = self.readable(self.resolve(reference), principal)
        if principal.is_staff:
            self.record_read(principal, delivery, "record")
        return delivery

    @store_command
    def download(
        self, reference: str, principal: Principal, meta: CommandMeta
    ) -> tuple[ResultDelivery, bytes]:
        """The signed PDF; the owner's first download is recorded as the e-result's delivery."""
        delivery = self.readable(self.resolve(reference), principal)
        if principal.is_staff:
            self.record_read(principal, delivery, "document")
        first = delivery.note_download(principal.role in APPLICANT_ROLES, self.clock.now(), meta.as_dict())
        if first:
            with contextlib.suppress(IntegrityError):  # a concurrent first download recorded it
                self.save(delivery)
        assert delivery.pdf_base64 is not None
        return delivery, base64.b64decode(delivery.pdf_base64)

    def shows(self, token: Token) -> bool:
        """Whether delivery's views show the write `token` names: another service's write about
        a dossier (intake's filing) once delivery knows the dossier; delivery's own once its log
        holds that position. Another producer's log position is not something it can judge."""
        if token.subject is not None:
            return self.delivery(token.subject) is not None
        if token.producer == self.name:
            return (self.recorder.max_notification_id() or 0) >= token.position
        return True

    def record_read(self, principal: Principal, delivery: ResultDelivery, what: str) -> None:
        """Record that `principal` (staff) read `delivery`'s record or document; raises if it cannot."""
        meta = CommandMeta(
            actor_id=principal.subject,
            actor_role=principal.role.value,
            actor_unit=delivery.unit_code if delivery.unit_code in principal.units else None,
        ).as_dict()
        log_id = ReadLog.id_for(delivery.id)
        self.append_retrying(
            log_id,
            lambda: ReadLog(id=log_id, dossier_id=delivery.id),
            lambda log: log.read(
                dossier_code=delivery.dossier_code,
                viewer_id=principal.subject,
                viewer_role=principal.role.value,
                viewer_units=sorted(principal.units),
                token_id=principal.token_id,
                what=what,
                at=self.clock.now(),
                meta=meta,
            ),
        )
