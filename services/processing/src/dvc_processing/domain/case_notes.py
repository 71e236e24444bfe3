"""What payment and delivery tell about the dossier, kept on the case with its cause: the fee
decides what an officer may do (`fees.py`), the delivery shows on the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dvc_contracts.timeline import DELIVERY_AFTER
from dvc_kernel.event_meta import EventMeta

from .case_state import CaseEvent, CaseState
from .payloads import Json


class Notes(CaseState):
    class FeeNoted(CaseEvent):
        """What payment said about the fee (assessed, paid, refunded), kept with its cause."""

        kind: str
        amount_vnd: int
        due: str | None
        methods: list[str]
        cause: Json | None

        def apply(self, aggregate: Any) -> None:
            if self.kind == "FeeAssessed":
                aggregate.fee_due_vnd, aggregate.fee_due = self.amount_vnd, self.due
                aggregate.fee_methods = self.methods
            elif self.kind == "FeePaid":
                aggregate.fee_paid_vnd += self.amount_vnd
            elif self.kind == "Refunded":
                aggregate.fee_refunded_vnd += self.amount_vnd

    class DeliveryNoted(CaseEvent):
        """What delivery said about the result's way to the citizen, kept with its cause."""

        kind: str
        cause: Json | None

        def apply(self, aggregate: Any) -> None:
            aggregate.delivery_status = DELIVERY_AFTER.get(self.kind, aggregate.delivery_status)

    def note_fee(
        self,
        kind: str,
        amount_vnd: int,
        due: str | None,
        methods: list[str],
        at: datetime,
        meta: EventMeta,
        cause: Json | None,
    ) -> None:
        self._record(
            self.FeeNoted,
            at,
            meta,
            kind=kind,
            amount_vnd=amount_vnd,
            due=due,
            methods=methods,
            cause=cause,
        )

    def note_delivery(self, kind: str, at: datetime, meta: EventMeta, cause: Json | None) -> None:
        self._record(self.DeliveryNoted, at, meta, kind=kind, cause=cause)
