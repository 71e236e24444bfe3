"""Reception: an officer takes the dossier, accepts it or sends it to the competent unit; a
citizen's withdrawal stops it while it is undecided."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dvc_contracts.status import DossierStatus
from dvc_kernel.event_meta import EventMeta

from .case_state import CaseEvent, CaseState
from .case_status import refused
from .payloads import Json


class Reception(CaseState):
    class Assigned(CaseEvent):
        unit_code: str | None
        officer_id: str

        def apply(self, aggregate: Any) -> None:
            aggregate.officer_id = self.officer_id

    class Accepted(CaseEvent):
        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.ACCEPTED

    class Transferred(CaseEvent):
        from_unit: str
        to_unit: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.unit_code = self.to_unit
            aggregate.officer_id = None
            aggregate.status = DossierStatus.RECEIVED  # the competent unit checks it afresh

    class WithdrawalAcknowledged(CaseEvent):
        withdrawn_at: datetime
        cause: Json | None

        def apply(self, aggregate: Any) -> None:
            aggregate.status = DossierStatus.WITHDRAWN
            aggregate.decided_at = self.withdrawn_at

    def assign(self, officer_id: str, at: datetime, meta: EventMeta) -> None:
        self._require("assign")
        self._record(
            self.Assigned,
            at,
            meta,
            unit_code=self.unit_code,
            officer_id=officer_id,
        )

    def accept(self, at: datetime, meta: EventMeta) -> None:
        self._require("accept")
        self._record(self.Accepted, at, meta)

    def transfer(self, to_unit: str, reason: str, at: datetime, meta: EventMeta) -> None:
        self._require("transfer")
        if not reason.strip():
            raise refused("transfer_reason_required", "Phải ghi rõ lý do chuyển hồ sơ.")
        if to_unit == self.unit_code:
            raise refused("transfer_same_unit", "Hồ sơ đã thuộc đơn vị này.")
        self._record(
            self.Transferred,
            at,
            meta,
            from_unit=self.unit_code or "",
            to_unit=to_unit,
            reason=reason,
        )

    def acknowledge_withdrawal(
        self, withdrawn_at: datetime, at: datetime, meta: EventMeta, cause: Json | None
    ) -> bool:
        if not self.allows("acknowledge_withdrawal"):
            return False  # decided before the withdrawal arrived: the decision stands
        self._record(
            self.WithdrawalAcknowledged,
            at,
            meta,
            withdrawn_at=withdrawn_at,
            cause=cause,
        )
        return True
