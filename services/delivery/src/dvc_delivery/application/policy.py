"""Delivery's reactions to the dossier events it consumes: it learns each dossier when it is
filed, follows the unit holding it, and sends every issued result on its way."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from dvc_contracts.case import Transferred
from dvc_contracts.dossier import Received, ResultIssued, Submitted, Withdrawn
from dvc_kernel.application import AwaitingCause, Incoming, event_types
from dvc_kernel.event_meta import EventMeta

from ..adapters.document import ResultDocument, render
from ..domain.result_delivery import (
    Lookup,
    ResultDelivery,
    document_index_id,
    dossier_code_index_id,
    verification_index_id,
)
from ..domain.state import Contact
from .base import DeliveryBase

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no look-alikes (0/O, 1/I/L, U/V)


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Policy(DeliveryBase):
    # Its reaction to an issued result signs a PDF: CPU-heavy, and the signing library runs
    # its own event loop. Its store calls run in worker threads, never on the service's loop.
    store_calls_on_the_loop = False
    handles = event_types(Submitted, Received, Transferred, Withdrawn, ResultIssued)

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, Submitted):
            self._register(payload, processing_event)
            return
        if not isinstance(payload, Received | Transferred | Withdrawn | ResultIssued):
            return  # other dossier events do not concern delivery
        delivery = self.delivery(payload.dossier_id)
        if delivery is None:
            # Before its Submitted (another topic): parked, applied once the dossier is known.
            raise AwaitingCause(payload.dossier_id, f"{payload.event_type} before its Submitted")
        now = self.clock.now()
        changed = False
        if isinstance(payload, Received) and payload.unit_code:
            changed = delivery.move_to_unit(payload.unit_code, now)
        elif isinstance(payload, Transferred):
            changed = delivery.move_to_unit(payload.to_unit, now)
        elif isinstance(payload, Withdrawn):
            changed = delivery.withdraw(now)
        elif isinstance(payload, ResultIssued) and delivery.record_result(
            payload.result_form, payload.summary, payload.delivery_mode, payload.issued_at
        ):
            self._send_result(delivery, self.reaction_meta(incoming), processing_event)
            return
        if changed:
            processing_event.collect_events(delivery)

    def _register(self, submitted: Submitted, processing_event: ProcessingEvent[UUID]) -> None:
        if self.delivery(submitted.dossier_id) is not None:
            return
        version = self.catalog.version(submitted.procedure_code, submitted.procedure_version)
        applicant = submitted.applicant
        delivery = ResultDelivery(
            id=submitted.dossier_id,
            dossier_code=submitted.dossier_code,
            owner_account=submitted.owner_account,
            applicant=Contact(full_name=applicant.full_name, phone=applicant.phone, email=applicant.email),
            unit_code=submitted.unit_code,
            procedure_code=submitted.procedure_code,
            procedure_version=submitted.procedure_version,
            chosen_mode=submitted.delivery_mode,
            form_address=self.postal.address_from_form(
                version.form.code if version and version.form else None,
                submitted.form_data,
                applicant.full_name,
                applicant.phone,
            ),
            at=self.clock.now(),
        )
        by_code = Lookup(id=dossier_code_index_id(submitted.dossier_code), dossier_id=submitted.dossier_id)
        processing_event.collect_events(delivery, by_code)

    def _send_result(
        self, delivery: ResultDelivery, meta: EventMeta, processing_event: ProcessingEvent[UUID]
    ) -> None:
        now = self.clock.now()
        lookups: list[Lookup] = []
        if delivery.mode == "e_result":
            lookups = self._sign(delivery, now, meta)
        elif delivery.mode == "post":
            address = delivery.address
            fee = self.postal.fee(address, self.unit_province(delivery)) if address else 0
            delivery.request_shipment(fee, now)
        elif delivery.mode == "pickup":
            delivery.make_ready_at_unit(self.pickup.bring(self.level(delivery)), now, meta)
        processing_event.collect_events(delivery, *lookups)

    def _sign(self, delivery: ResultDelivery, now: datetime, meta: EventMeta) -> list[Lookup]:
        """Render and sign the e-result; the lookups by its verification code and its hash."""
        code = new_verification_code()
        unit_name = self.unit_name(delivery.unit_code)
        result = delivery.result
        pdf = render(
            ResultDocument(
                dossier_code=delivery.dossier_code,
                procedure=self.procedure_name(delivery),
                applicant=str(delivery.applicant.get("full_name", "")),
                result_form=result.result_form if result else "",
                summary=result.summary if result else "",
                unit=unit_name,
                issued_at=result.issued_at if result else now,
                verification_code=code,
                verification_url=self.verify_url.format(code=code),
            )
        )
        signed = self.signer.sign(pdf, delivery.unit_code or "BCA", unit_name)
        digest = hashlib.sha256(signed).hexdigest()
        delivery.keep_signed_document(base64.b64encode(signed).decode(), digest, code, unit_name, now, meta)
        return [
            Lookup(id=verification_index_id(code), dossier_id=delivery.id),
            Lookup(id=document_index_id(digest), dossier_id=delivery.id),
        ]
