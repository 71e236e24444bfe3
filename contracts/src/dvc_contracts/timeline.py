"""The dossier as its public events tell it: one fold for processing, tracking and auditors.

`fold(envelopes)` rebuilds a dossier's state and timeline from its public events alone, in
order; `fold(envelopes, as_of=t)` gives the state as it stood at instant `t`. Processing's
tracking API, its queues and dashboards, and the auditors' replay tool all use this function,
so they cannot disagree about what happened to a dossier.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from .envelope import Actor, Envelope

# Status after each event type; events not listed leave the status as it was.
STATUS_AFTER = {
    "Submitted": "submitted",
    "Received": "received",
    "Accepted": "accepted",
    "SupplementRequested": "supplement_requested",
    "Resubmitted": "resubmitted",
    "ResubmissionReceived": "received",
    "RejectedWithReason": "rejected",
    "Approved": "approved",
    "Refused": "refused",
    "ResultIssued": "result_issued",
    "Transferred": "received",
    "Withdrawn": "withdrawal_requested",
    "WithdrawalAcknowledged": "withdrawn",
}
# Where a dossier ends; the appointment is for the result, so approval alone is not the end.
DECIDED = frozenset({"rejected", "refused", "result_issued", "withdrawn"})

STEP_LABELS = {
    "Submitted": "Nộp hồ sơ trực tuyến",
    "Received": "Tiếp nhận hồ sơ",
    "Assigned": "Phân công cán bộ xử lý",
    "Accepted": "Hồ sơ hợp lệ, chuyển giải quyết",
    "SupplementRequested": "Yêu cầu bổ sung hồ sơ",
    "Resubmitted": "Công dân nộp bổ sung",
    "ResubmissionReceived": "Tiếp nhận hồ sơ bổ sung",
    "RejectedWithReason": "Từ chối tiếp nhận",
    "Approved": "Phê duyệt",
    "Refused": "Không giải quyết",
    "ResultIssued": "Trả kết quả",
    "Transferred": "Chuyển đơn vị có thẩm quyền",
    "Withdrawn": "Công dân rút hồ sơ",
    "WithdrawalAcknowledged": "Dừng xử lý do công dân rút hồ sơ",
    "DeadlineDueSoon": "Sắp đến hạn trả kết quả",
    "DeadlineBreached": "Quá hạn trả kết quả",
    "ApologyIssued": "Xin lỗi và hẹn lại ngày trả kết quả",
    "FeeAssessed": "Xác định lệ phí phải nộp",
    "FeePaid": "Đã nộp lệ phí",
    "Refunded": "Hoàn trả lệ phí",
    "ResultDispatched": "Gửi kết quả",
    "ResultDelivered": "Công dân đã nhận kết quả",
    "DeliveryFailed": "Chuyển phát kết quả không thành công",
    "ReadyForPickup": "Kết quả sẵn sàng để nhận tại bộ phận một cửa",
    "PickupBooked": "Đặt lịch nhận kết quả",
    "Collected": "Công dân đã nhận kết quả tại bộ phận một cửa",
}
# How the result is on its way once issued; the dossier's status stays `result_issued`.
DELIVERY_AFTER = {
    "ResultDispatched": "dispatched",
    "ResultDelivered": "delivered",
    "DeliveryFailed": "failed",
    "ReadyForPickup": "ready_for_pickup",
    "PickupBooked": "pickup_booked",
    "Collected": "collected",
}


class Step(BaseModel):
    """One thing that happened: who, when, in which unit, why and under which rule."""

    event_id: UUID
    event_type: str
    label: str
    at: datetime
    actor: Actor
    unit_code: str | None = None
    status: str | None = Field(description="Status after this step.")
    reason: str | None = None
    rule: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class DossierState(BaseModel):
    dossier_id: UUID
    dossier_code: str | None = None
    procedure_code: str | None = None
    procedure_version: int | None = None
    status: str | None = None
    unit_code: str | None = None
    officer_id: str | None = None
    submitted_at: datetime | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    decided_at: datetime | None = None
    overdue: bool = False
    fee_due_vnd: int | None = Field(default=None, description="Fee assessed; None until assessed.")
    fee_paid_vnd: int = 0
    fee_refunded_vnd: int = 0
    delivery_status: str | None = None
    open_supplement: list[dict[str, Any]] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)

    @property
    def decided(self) -> bool:
        return self.status in DECIDED

    @property
    def on_time(self) -> bool | None:
        """Whether it ended by the appointment (None while open, withdrawn or without one)."""
        if self.decided_at is None or self.due_at is None or self.status == "withdrawn":
            return None
        return self.decided_at <= self.due_at


# Bookkeeping that places other events in the history but is no step of its own.
NOT_A_STEP = frozenset({"Noted"})


def apply(state: DossierState | None, envelope: Envelope) -> DossierState:
    """The state after one more public event of the dossier."""
    p = envelope.payload
    if state is None:
        state = DossierState(dossier_id=UUID(str(p["dossier_id"])))
    kind = envelope.event_type
    if kind in NOT_A_STEP:
        return state
    update: dict[str, Any] = {}
    reason = rule = None
    for key in ("dossier_code", "procedure_code", "procedure_version", "submitted_at", "received_at"):
        if p.get(key) is not None and getattr(state, key) is None:
            update[key] = p[key]
    if kind in ("Submitted", "Received") and p.get("unit_code"):
        update["unit_code"] = p["unit_code"]
    if kind in ("Received", "ResubmissionReceived", "Accepted") and p.get("due_at"):
        update["due_at"] = p["due_at"]
        rule = "; ".join(p.get("due_explanation") or []) or None
    if kind == "Assigned":
        update["officer_id"] = p["officer_id"]
    if kind == "SupplementRequested":
        update["open_supplement"] = p["items"]
        reason = "; ".join(item["description"] for item in p["items"])
    if kind in ("ResubmissionReceived", "WithdrawalAcknowledged", "RejectedWithReason"):
        update["open_supplement"] = []
    if kind in ("RejectedWithReason", "Refused"):
        reason, rule = p["explanation"], p["legal_basis"]
    if kind == "Transferred":
        update.update(unit_code=p["to_unit"], officer_id=None)
        reason = p["reason"]
    if kind == "FeeAssessed":
        update["fee_due_vnd"] = p["amount_vnd"]
        rule = p["rule"]
    if kind == "FeePaid":
        update["fee_paid_vnd"] = state.fee_paid_vnd + p["amount_vnd"]
    if kind == "Refunded":
        update["fee_refunded_vnd"] = state.fee_refunded_vnd + p["amount_vnd"]
        reason = p["reason"]
    if kind == "DeliveryFailed":
        reason = p["reason"]
    if kind in DELIVERY_AFTER:
        update["delivery_status"] = DELIVERY_AFTER[kind]
    if kind == "DeadlineBreached":
        update["overdue"] = True
    if kind == "ApologyIssued":
        update.update(due_at=p["new_due_at"], overdue=False)
        reason = p["reason"]
    status = STATUS_AFTER.get(kind, state.status)
    if status != state.status:
        update["status"] = status
        if status in DECIDED and state.decided_at is None:
            update["decided_at"] = envelope.occurred_at
    step = Step(
        event_id=envelope.event_id,
        event_type=kind,
        label=STEP_LABELS.get(kind, kind),
        at=envelope.occurred_at,
        actor=envelope.actor,
        unit_code=update.get("unit_code", state.unit_code) if kind != "Transferred" else p["from_unit"],
        status=status,
        reason=reason,
        rule=rule,
        details={k: v for k, v in p.items() if k not in ("dossier_id", "dossier_code")},
    )
    # Validated, so instants read from payloads become datetimes like the rest.
    return DossierState.model_validate({**dict(state), **update, "steps": [*state.steps, step]})


def interleave(streams: Iterable[Iterable[Envelope]]) -> list[Envelope]:
    """One dossier's events from several producers' streams, in the order `fold` wants: each
    stream keeps its own order, and an event naming another (`causation_id`) comes right after
    it. Processing names every event it consumed (its `Noted` for payment's and delivery's), so
    its stream fixes where the others' events go. Not sorted by time: clocks differ.
    Processing's tracking and the auditors' replay both call this, so they tell the same story.
    """
    lists = [list(stream) for stream in streams]
    by_id = {e.event_id: e for stream in lists for e in stream}
    earlier = {e.event_id: stream[:i] for stream in lists for i, e in enumerate(stream)}
    ordered: list[Envelope] = []
    placed: set[UUID] = set()

    def place(envelope: Envelope) -> None:
        if envelope.event_id in placed:
            return
        placed.add(envelope.event_id)  # before recursing: a corrupt cycle cannot loop
        for before in earlier[envelope.event_id]:
            place(before)
        cause = by_id.get(envelope.causation_id) if envelope.causation_id else None
        if cause is not None:
            place(cause)
        ordered.append(envelope)

    for stream in lists:
        for envelope in stream:
            place(envelope)
    return ordered


def fold(envelopes: Iterable[Envelope], as_of: datetime | None = None) -> DossierState | None:
    """A dossier from its public events, given in the order they happened (see `interleave`);
    None if there are none.

    Events are not re-sorted by time here: two services' clocks may differ by a little, and
    the order of causes is the truth.
    """
    state: DossierState | None = None
    for envelope in envelopes:
        if as_of is None or envelope.occurred_at <= as_of:
            state = apply(state, envelope)
    return state
