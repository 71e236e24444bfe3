"""The case: a dossier as handled by the police unit that decides it.

Every change of status is an event saying who did it (meta), when, and why. The transitions
allowed are the table `TRANSITIONS` (docs/state-machine.md renders it); anything else is refused
with a `Refusal` (409) naming the status and the action. There is deliberately no action to
return a valid dossier or to demand filing in person: officers may only ask for a supplement
(listing everything at once), reject with a specific reason and its legal basis, or decide.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_contracts.timeline import DELIVERY_AFTER
from dvc_kernel.refusal import Kind, Refusal

from .fees import FeeState, fee_refusal


class Status(StrEnum):
    RECEIVED = "received"  # waiting for an officer to check it
    ACCEPTED = "accepted"  # complete and valid: being handled
    SUPPLEMENT_REQUESTED = "supplement_requested"  # waiting for the citizen
    APPROVED = "approved"  # decided in the citizen's favour; the result is being issued
    REFUSED = "refused"  # decided against, with reasons
    REJECTED = "rejected"  # refused at reception, with reason and legal basis
    RESULT_ISSUED = "result_issued"
    WITHDRAWN = "withdrawn"


OPEN = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.SUPPLEMENT_REQUESTED})
UNDECIDED = OPEN
# The deadline runs while an officer has the dossier, not while the citizen does.
CLOCK_RUNS = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.APPROVED})

# action -> (statuses it is allowed from, who may take it)
TRANSITIONS: dict[str, tuple[frozenset[Status], str]] = {
    "assign": (OPEN, "officer or supervisor of the dossier's unit"),
    "accept": (frozenset({Status.RECEIVED}), "officer or supervisor of the dossier's unit"),
    "request_supplement": (
        frozenset({Status.RECEIVED, Status.ACCEPTED}),
        "officer or supervisor of the dossier's unit",
    ),
    "receive_resubmission": (
        frozenset({Status.SUPPLEMENT_REQUESTED}),
        "system, on the citizen's Resubmitted",
    ),
    "reject": (
        frozenset({Status.RECEIVED, Status.SUPPLEMENT_REQUESTED}),
        "officer or supervisor of the dossier's unit",
    ),
    "approve": (frozenset({Status.ACCEPTED}), "officer or supervisor of the dossier's unit"),
    "refuse": (frozenset({Status.ACCEPTED}), "officer or supervisor of the dossier's unit"),
    "issue_result": (frozenset({Status.APPROVED}), "officer or supervisor of the dossier's unit"),
    "transfer": (
        frozenset({Status.RECEIVED, Status.ACCEPTED}),
        "officer or supervisor of the dossier's unit",
    ),
    "acknowledge_withdrawal": (UNDECIDED, "system, on the citizen's Withdrawn"),
    "note_due_soon": (CLOCK_RUNS, "system, one working day before the due time"),
    "record_breach": (CLOCK_RUNS, "system, when the due time has passed"),
    "apologise": (CLOCK_RUNS, "officer or supervisor of the dossier's unit, after a breach"),
}

STATUS_LABELS = {
    Status.RECEIVED: "Đã tiếp nhận, chờ kiểm tra",
    Status.ACCEPTED: "Đang giải quyết",
    Status.SUPPLEMENT_REQUESTED: "Chờ công dân bổ sung hồ sơ",
    Status.APPROVED: "Đã phê duyệt, đang trả kết quả",
    Status.REFUSED: "Không giải quyết",
    Status.REJECTED: "Từ chối tiếp nhận",
    Status.RESULT_ISSUED: "Đã có kết quả",
    Status.WITHDRAWN: "Công dân đã rút hồ sơ",
}

_CODE_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/processing/dossier-code")


def refused(code: str, message: str) -> Refusal:
    """The case is not in a state that allows what was asked (answered 409)."""
    return Refusal(code, message, Kind.CONFLICT)


def _refuse_status(action: str, status: Status) -> Refusal:
    return refused(
        "transition_not_allowed",
        f"Không thể thực hiện thao tác «{action}» khi hồ sơ ở trạng thái «{STATUS_LABELS[status]}».",
    )


class Case(Aggregate):
    """Its id is the dossier id, so one dossier can be received only once.

    `meta` on every event says who acted; `cause` keeps the consumed public event (its
    envelope) that made processing act, so the dossier's full public history can be told from
    processing's store alone.
    """

    class Received(Aggregate.Created):
        dossier_code: str
        procedure_code: str
        procedure_version: int
        level: int
        owner_account: str
        unit_code: str | None
        delivery_mode: str
        submitted_at: datetime
        received_at: datetime
        due_at: datetime | None
        due_explanation: list[str]
        on_supplement: str
        meta: dict[str, Any]
        cause: dict[str, Any] | None
        # The calendar version the due date was counted by, and whether it is an estimate
        # (ADR 0023); absent from events stored before calendars were versioned.
        calendar_version: int | None = None
        due_estimated: bool = False

    class Assigned(Aggregate.Event):
        dossier_code: str
        unit_code: str | None
        officer_id: str
        at: datetime
        meta: dict[str, Any]

    class Accepted(Aggregate.Event):
        dossier_code: str
        at: datetime
        meta: dict[str, Any]

    class SupplementRequested(Aggregate.Event):
        dossier_code: str
        request_id: UUID
        items: list[dict[str, Any]]
        clock: str
        at: datetime
        meta: dict[str, Any]
        round: int | None = None  # 1, 2, …; absent from events stored before rounds were counted
        round_reason: str | None = None  # code from the maintained list, from the second round

    class ResubmissionReceived(Aggregate.Event):
        dossier_code: str
        request_id: UUID
        at: datetime
        due_at: datetime | None
        due_explanation: list[str]
        meta: dict[str, Any]
        cause: dict[str, Any] | None
        calendar_version: int | None = None
        due_estimated: bool = False
        resubmitted_at: datetime | None = None  # the citizen's instant the count resumed from

    class DueDateRecalculated(Aggregate.Event):
        """The working calendar was revised while the dossier was open (ADR 0023)."""

        dossier_code: str
        old_calendar_version: int | None
        new_calendar_version: int
        old_due_at: datetime | None
        new_due_at: datetime
        reason: str
        due_explanation: list[str]
        due_estimated: bool
        at: datetime
        meta: dict[str, Any]

    class Rejected(Aggregate.Event):
        dossier_code: str
        reason_code: str
        legal_basis: str
        explanation: str
        at: datetime
        meta: dict[str, Any]

    class Approved(Aggregate.Event):
        dossier_code: str
        summary: str
        at: datetime
        meta: dict[str, Any]

    class Refused(Aggregate.Event):
        dossier_code: str
        reason_code: str
        legal_basis: str
        explanation: str
        at: datetime
        meta: dict[str, Any]

    class ResultIssued(Aggregate.Event):
        dossier_code: str
        result_form: str
        summary: str
        delivery_mode: str
        at: datetime
        meta: dict[str, Any]

    class Transferred(Aggregate.Event):
        dossier_code: str
        from_unit: str
        to_unit: str
        reason: str
        at: datetime
        meta: dict[str, Any]

    class WithdrawalAcknowledged(Aggregate.Event):
        dossier_code: str
        withdrawn_at: datetime
        at: datetime
        meta: dict[str, Any]
        cause: dict[str, Any] | None

    class FeeNoted(Aggregate.Event):
        """What payment said about the fee (assessed, paid, refunded), kept with its cause."""

        dossier_code: str
        kind: str
        amount_vnd: int
        due: str | None
        methods: list[str]
        at: datetime
        meta: dict[str, Any]
        cause: dict[str, Any] | None

    class DeliveryNoted(Aggregate.Event):
        """What delivery said about the result's way to the citizen, kept with its cause."""

        dossier_code: str
        kind: str
        at: datetime
        meta: dict[str, Any]
        cause: dict[str, Any] | None

    class DueSoonNoted(Aggregate.Event):
        dossier_code: str
        unit_code: str | None
        due_at: datetime
        at: datetime
        meta: dict[str, Any]

    class DeadlineBreached(Aggregate.Event):
        dossier_code: str
        unit_code: str | None
        due_at: datetime
        at: datetime
        meta: dict[str, Any]

    class ApologyIssued(Aggregate.Event):
        dossier_code: str
        reason: str
        new_due_at: datetime
        letter: str
        at: datetime
        meta: dict[str, Any]

    @staticmethod
    def code_index_id(code: str) -> UUID:
        return uuid5(_CODE_NS, code)

    @event(Received)
    def __init__(
        self,
        id: UUID,
        dossier_code: str,
        procedure_code: str,
        procedure_version: int,
        level: int,
        owner_account: str,
        unit_code: str | None,
        delivery_mode: str,
        submitted_at: datetime,
        received_at: datetime,
        due_at: datetime | None,
        due_explanation: list[str],
        on_supplement: str,
        meta: dict[str, Any],
        cause: dict[str, Any] | None,
        calendar_version: int | None = None,
        due_estimated: bool = False,
    ) -> None:
        self.dossier_code = dossier_code
        self.procedure_code = procedure_code
        self.procedure_version = procedure_version
        self.level = level
        self.owner_account = owner_account
        self.unit_code = unit_code
        self.delivery_mode = delivery_mode
        self.submitted_at = submitted_at
        self.received_at = received_at
        self.due_at = due_at
        self.calendar_version = calendar_version
        self.due_estimated = due_estimated
        self.due_by_apology = False  # an officer's letter set the date: a revision leaves it
        self.resubmitted_at: datetime | None = None
        self.supplement_rounds = 0
        self.on_supplement = on_supplement
        self.status = Status.RECEIVED
        self.officer_id: str | None = None
        self.open_request: UUID | None = None
        self.requested_at: datetime | None = None
        self.due_soon_noted: datetime | None = None
        self.breached: datetime | None = None  # due time missed and not yet apologised for
        self.decided_at: datetime | None = None
        self.fee_due_vnd: int | None = None  # None until payment has assessed it
        self.fee_due: str | None = None
        self.fee_methods: list[str] = []
        self.fee_paid_vnd = 0
        self.fee_refunded_vnd = 0
        self.delivery_status: str | None = None

    # -- rules ------------------------------------------------------------------------------

    def allows(self, action: str) -> bool:
        return self.status in TRANSITIONS[action][0]

    def _require(self, action: str) -> None:
        if not self.allows(action):
            raise _refuse_status(action, self.status)
        if (by_fee := fee_refusal(action, self.level, self.fee)) is not None:
            raise refused(*by_fee)

    @property
    def fee(self) -> FeeState:
        return FeeState(
            due_vnd=self.fee_due_vnd,
            due=self.fee_due,
            methods=tuple(self.fee_methods),
            paid_vnd=self.fee_paid_vnd,
            refunded_vnd=self.fee_refunded_vnd,
        )

    # -- officer actions --------------------------------------------------------------------

    def assign(self, officer_id: str, at: datetime, meta: dict[str, Any]) -> None:
        self._require("assign")
        self._assigned(
            dossier_code=self.dossier_code, unit_code=self.unit_code, officer_id=officer_id, at=at, meta=meta
        )

    def accept(self, at: datetime, meta: dict[str, Any]) -> None:
        self._require("accept")
        self._accepted(dossier_code=self.dossier_code, at=at, meta=meta)

    def request_supplement(
        self,
        request_id: UUID,
        items: list[dict[str, Any]],
        at: datetime,
        meta: dict[str, Any],
        round_reason: str | None = None,
    ) -> None:
        """Everything missing, listed in one go. A further round needs a reason from the
        maintained list (checked by the caller against it): the law allows no piecemeal asking."""
        self._require("request_supplement")
        if not items or any(not str(item.get("description", "")).strip() for item in items):
            raise refused(
                "supplement_items_required",
                "Phải liệt kê đầy đủ, một lần, từng giấy tờ hoặc nội dung cần bổ sung.",
            )
        if self.supplement_rounds >= 1 and not round_reason:
            raise refused(
                "supplement_round_reason_required",
                f"Hồ sơ đã được yêu cầu bổ sung {self.supplement_rounds} lần. Yêu cầu bổ sung phải "
                "nêu đầy đủ một lần; lần tiếp theo phải chọn lý do trong danh mục.",
            )
        self._supplement_requested(
            dossier_code=self.dossier_code,
            request_id=request_id,
            items=items,
            clock="paused" if self.on_supplement == "pause" else "restarts",
            at=at,
            meta=meta,
            round=self.supplement_rounds + 1,
            round_reason=round_reason if self.supplement_rounds >= 1 else None,
        )

    def reject(
        self, reason_code: str, legal_basis: str, explanation: str, at: datetime, meta: dict[str, Any]
    ) -> None:
        self._require("reject")
        _require_reasons(reason_code, legal_basis, explanation)
        self._rejected(
            dossier_code=self.dossier_code,
            reason_code=reason_code,
            legal_basis=legal_basis,
            explanation=explanation,
            at=at,
            meta=meta,
        )

    def approve(self, summary: str, at: datetime, meta: dict[str, Any]) -> None:
        self._require("approve")
        self._approved(dossier_code=self.dossier_code, summary=summary, at=at, meta=meta)

    def refuse(
        self, reason_code: str, legal_basis: str, explanation: str, at: datetime, meta: dict[str, Any]
    ) -> None:
        self._require("refuse")
        _require_reasons(reason_code, legal_basis, explanation)
        self._refused(
            dossier_code=self.dossier_code,
            reason_code=reason_code,
            legal_basis=legal_basis,
            explanation=explanation,
            at=at,
            meta=meta,
        )

    def issue_result(self, result_form: str, summary: str, at: datetime, meta: dict[str, Any]) -> None:
        self._require("issue_result")
        self._result_issued(
            dossier_code=self.dossier_code,
            result_form=result_form,
            summary=summary,
            delivery_mode=self.delivery_mode,
            at=at,
            meta=meta,
        )

    def transfer(self, to_unit: str, reason: str, at: datetime, meta: dict[str, Any]) -> None:
        self._require("transfer")
        if not reason.strip():
            raise refused("transfer_reason_required", "Phải ghi rõ lý do chuyển hồ sơ.")
        if to_unit == self.unit_code:
            raise refused("transfer_same_unit", "Hồ sơ đã thuộc đơn vị này.")
        self._transferred(
            dossier_code=self.dossier_code,
            from_unit=self.unit_code or "",
            to_unit=to_unit,
            reason=reason,
            at=at,
            meta=meta,
        )

    def apologise(
        self, reason: str, new_due_at: datetime, letter: str, at: datetime, meta: dict[str, Any]
    ) -> None:
        self._require("apologise")
        if self.breached is None:
            raise refused("no_breach", "Hồ sơ chưa quá hạn: chưa cần văn bản xin lỗi.")
        if new_due_at <= at:
            raise refused("new_due_in_past", "Ngày hẹn trả kết quả mới phải sau thời điểm hiện tại.")
        if not reason.strip():
            raise refused("apology_reason_required", "Phải nêu rõ lý do chậm trả kết quả.")
        self._apology_issued(
            dossier_code=self.dossier_code,
            reason=reason,
            new_due_at=new_due_at,
            letter=letter,
            at=at,
            meta=meta,
        )

    # -- reactions to the citizen and to time --------------------------------------------------

    def receive_resubmission(
        self,
        request_id: UUID,
        at: datetime,
        due_at: datetime | None,
        due_explanation: list[str],
        meta: dict[str, Any],
        cause: dict[str, Any] | None,
        calendar_version: int | None = None,
        due_estimated: bool = False,
        resubmitted_at: datetime | None = None,
    ) -> bool:
        """False for a resubmission that answers no open request (a late duplicate)."""
        if self.status is not Status.SUPPLEMENT_REQUESTED or request_id != self.open_request:
            return False
        self._resubmission_received(
            dossier_code=self.dossier_code,
            request_id=request_id,
            at=at,
            due_at=due_at,
            due_explanation=due_explanation,
            meta=meta,
            cause=cause,
            calendar_version=calendar_version,
            due_estimated=due_estimated,
            resubmitted_at=resubmitted_at,
        )
        return True

    def recalculate_due(
        self,
        new_calendar_version: int,
        new_due_at: datetime,
        explanation: list[str],
        estimated: bool,
        reason: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> bool:
        """Move the due date to what the revised calendar gives (ADR 0023). Only while the
        clock runs (a paused dossier is counted again when the citizen resubmits), never over
        a date an officer set in an apology letter, and never making a dossier late after the
        fact: a new date already past is not applied when it is earlier than the old one.
        False when there is nothing to record."""
        if (
            self.status not in CLOCK_RUNS
            or self.due_by_apology
            or self.calendar_version == new_calendar_version
        ):
            return False
        old = self.due_at
        if old is not None and new_due_at < old and new_due_at <= at:
            new_due_at = old
            explanation = [*explanation, "Hạn mới đã qua: giữ hạn cũ, việc sửa lịch không làm hồ sơ trễ hạn."]
        self._due_date_recalculated(
            dossier_code=self.dossier_code,
            old_calendar_version=self.calendar_version,
            new_calendar_version=new_calendar_version,
            old_due_at=old,
            new_due_at=new_due_at,
            reason=reason,
            due_explanation=explanation,
            due_estimated=estimated,
            at=at,
            meta=meta,
        )
        return True

    def acknowledge_withdrawal(
        self, withdrawn_at: datetime, at: datetime, meta: dict[str, Any], cause: dict[str, Any] | None
    ) -> bool:
        if not self.allows("acknowledge_withdrawal"):
            return False  # decided before the withdrawal arrived: the decision stands
        self._withdrawal_acknowledged(
            dossier_code=self.dossier_code, withdrawn_at=withdrawn_at, at=at, meta=meta, cause=cause
        )
        return True

    # -- what other services tell -------------------------------------------------------------

    def note_fee(
        self,
        kind: str,
        amount_vnd: int,
        due: str | None,
        methods: list[str],
        at: datetime,
        meta: dict[str, Any],
        cause: dict[str, Any] | None,
    ) -> None:
        self._fee_noted(
            dossier_code=self.dossier_code,
            kind=kind,
            amount_vnd=amount_vnd,
            due=due,
            methods=methods,
            at=at,
            meta=meta,
            cause=cause,
        )

    def note_delivery(
        self, kind: str, at: datetime, meta: dict[str, Any], cause: dict[str, Any] | None
    ) -> None:
        self._delivery_noted(dossier_code=self.dossier_code, kind=kind, at=at, meta=meta, cause=cause)

    def note_due_soon(self, at: datetime, meta: dict[str, Any]) -> bool:
        if not self.allows("note_due_soon") or self.due_at is None or self.due_soon_noted == self.due_at:
            return False
        self._due_soon_noted(
            dossier_code=self.dossier_code, unit_code=self.unit_code, due_at=self.due_at, at=at, meta=meta
        )
        return True

    def record_breach(self, at: datetime, meta: dict[str, Any]) -> bool:
        if (
            not self.allows("record_breach")
            or self.due_at is None
            or at < self.due_at
            or self.breached == self.due_at
        ):
            return False
        self._deadline_breached(
            dossier_code=self.dossier_code, unit_code=self.unit_code, due_at=self.due_at, at=at, meta=meta
        )
        return True

    # -- appliers ---------------------------------------------------------------------------

    @event(Assigned)
    def _assigned(
        self, dossier_code: str, unit_code: str | None, officer_id: str, at: datetime, meta: dict[str, Any]
    ) -> None:
        self.officer_id = officer_id

    @event(Accepted)
    def _accepted(self, dossier_code: str, at: datetime, meta: dict[str, Any]) -> None:
        self.status = Status.ACCEPTED

    @event(SupplementRequested)
    def _supplement_requested(
        self,
        dossier_code: str,
        request_id: UUID,
        items: list[dict[str, Any]],
        clock: str,
        at: datetime,
        meta: dict[str, Any],
        round: int | None = None,
        round_reason: str | None = None,
    ) -> None:
        self.status = Status.SUPPLEMENT_REQUESTED
        self.open_request = request_id
        self.requested_at = at
        self.supplement_rounds += 1

    @event(ResubmissionReceived)
    def _resubmission_received(
        self,
        dossier_code: str,
        request_id: UUID,
        at: datetime,
        due_at: datetime | None,
        due_explanation: list[str],
        meta: dict[str, Any],
        cause: dict[str, Any] | None,
        calendar_version: int | None = None,
        due_estimated: bool = False,
        resubmitted_at: datetime | None = None,
    ) -> None:
        self.status = Status.RECEIVED
        self.open_request = None
        self.due_at = due_at
        self.breached = None
        self.calendar_version = calendar_version
        self.due_estimated = due_estimated
        self.resubmitted_at = resubmitted_at or at

    @event(DueDateRecalculated)
    def _due_date_recalculated(
        self,
        dossier_code: str,
        old_calendar_version: int | None,
        new_calendar_version: int,
        old_due_at: datetime | None,
        new_due_at: datetime,
        reason: str,
        due_explanation: list[str],
        due_estimated: bool,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.calendar_version = new_calendar_version
        self.due_estimated = due_estimated
        self.due_at = new_due_at
        if self.breached is not None and new_due_at > at:
            self.breached = None
            self.due_soon_noted = None

    @event(Rejected)
    def _rejected(
        self,
        dossier_code: str,
        reason_code: str,
        legal_basis: str,
        explanation: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.status = Status.REJECTED
        self.decided_at = at

    @event(Approved)
    def _approved(self, dossier_code: str, summary: str, at: datetime, meta: dict[str, Any]) -> None:
        self.status = Status.APPROVED
        self.decided_at = at

    @event(Refused)
    def _refused(
        self,
        dossier_code: str,
        reason_code: str,
        legal_basis: str,
        explanation: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.status = Status.REFUSED
        self.decided_at = at

    @event(ResultIssued)
    def _result_issued(
        self,
        dossier_code: str,
        result_form: str,
        summary: str,
        delivery_mode: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.status = Status.RESULT_ISSUED

    @event(Transferred)
    def _transferred(
        self, dossier_code: str, from_unit: str, to_unit: str, reason: str, at: datetime, meta: dict[str, Any]
    ) -> None:
        self.unit_code = to_unit
        self.officer_id = None
        self.status = Status.RECEIVED  # the competent unit checks it afresh

    @event(WithdrawalAcknowledged)
    def _withdrawal_acknowledged(
        self,
        dossier_code: str,
        withdrawn_at: datetime,
        at: datetime,
        meta: dict[str, Any],
        cause: dict[str, Any] | None,
    ) -> None:
        self.status = Status.WITHDRAWN
        self.decided_at = withdrawn_at

    @event(FeeNoted)
    def _fee_noted(
        self,
        dossier_code: str,
        kind: str,
        amount_vnd: int,
        due: str | None,
        methods: list[str],
        at: datetime,
        meta: dict[str, Any],
        cause: dict[str, Any] | None,
    ) -> None:
        if kind == "FeeAssessed":
            self.fee_due_vnd, self.fee_due, self.fee_methods = amount_vnd, due, methods
        elif kind == "FeePaid":
            self.fee_paid_vnd += amount_vnd
        elif kind == "Refunded":
            self.fee_refunded_vnd += amount_vnd

    @event(DeliveryNoted)
    def _delivery_noted(
        self, dossier_code: str, kind: str, at: datetime, meta: dict[str, Any], cause: dict[str, Any] | None
    ) -> None:
        self.delivery_status = DELIVERY_AFTER.get(kind, self.delivery_status)

    @event(DueSoonNoted)
    def _due_soon_noted(
        self, dossier_code: str, unit_code: str | None, due_at: datetime, at: datetime, meta: dict[str, Any]
    ) -> None:
        self.due_soon_noted = due_at

    @event(DeadlineBreached)
    def _deadline_breached(
        self, dossier_code: str, unit_code: str | None, due_at: datetime, at: datetime, meta: dict[str, Any]
    ) -> None:
        self.breached = due_at

    @event(ApologyIssued)
    def _apology_issued(
        self,
        dossier_code: str,
        reason: str,
        new_due_at: datetime,
        letter: str,
        at: datetime,
        meta: dict[str, Any],
    ) -> None:
        self.due_at = new_due_at
        self.breached = None
        self.due_soon_noted = None
        self.due_by_apology = True


def _require_reasons(reason_code: str, legal_basis: str, explanation: str) -> None:
    missing = [
        name
        for name, value in (
            ("mã lý do", reason_code),
            ("căn cứ pháp lý", legal_basis),
            ("giải thích", explanation),
        )
        if not value.strip()
    ]
    if missing:
        raise refused(
            "reason_required",
            "Từ chối phải nêu lý do cụ thể và căn cứ pháp lý; còn thiếu: " + ", ".join(missing) + ".",
        )


class CaseCodeIndex(Aggregate):
    """Finds a case by the dossier code citizens and officers type."""

    @event("Indexed")
    def __init__(self, id: UUID, code: str, dossier_id: UUID) -> None:
        self.code = code
        self.dossier_id = dossier_id
