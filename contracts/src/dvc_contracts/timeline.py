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
from .status import DossierStatus

# Status after each event type; events not listed leave the status as it was.
STATUS_AFTER = {
    "Submitted": DossierStatus.SUBMITTED,
    "Received": DossierStatus.RECEIVED,
    "Accepted": DossierStatus.ACCEPTED,
    "SupplementRequested": DossierStatus.SUPPLEMENT_REQUESTED,
    "Resubmitted": DossierStatus.RESUBMITTED,
    "ResubmissionReceived": DossierStatus.RECEIVED,
    "RejectedWithReason": DossierStatus.REJECTED,
    "Approved": DossierStatus.APPROVED,
    "Refused": DossierStatus.REFUSED,
    "ResultIssued": DossierStatus.RESULT_ISSUED,
    "Transferred": DossierStatus.RECEIVED,
    "Withdrawn": DossierStatus.WITHDRAWAL_REQUESTED,
    "WithdrawalAcknowledged": DossierStatus.WITHDRAWN,
}
# Where a dossier ends; the appointment is for the result, so approval alone is not the end.
DECIDED = frozenset(
    {DossierStatus.REJECTED, DossierStatus.REFUSED, DossierStatus.RESULT_ISSUED, DossierStatus.WITHDRAWN}
)

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
    "DueDateRecalculated": "Tính lại hạn trả kết quả theo lịch làm việc sửa đổi",
    "ComplaintFiled": "Công dân gửi phản ánh, kiến nghị",
    "ComplaintResolved": "Trả lời phản ánh, kiến nghị",
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
NOT_A_STEP = frozenset({"Noted", "ResultRecordRead"})  # a staff read is not a step of the dossier

# The fold works on a plain dict per dossier (the fields of DossierState, steps as dicts) and
# validates a DossierState once at the end: validating the whole state after every event cost
# more than everything else an auditor's replay does.
Working = dict[str, Any]
_DEFAULTS: Working = {
    name: field.get_default(call_default_factory=True)
    for name, field in DossierState.model_fields.items()
    if name != "dossier_id"
}


def _start(envelope: Envelope) -> Working:
    working = {**_DEFAULTS, "dossier_id": UUID(str(envelope.payload["dossier_id"]))}
    working["open_supplement"], working["steps"] = [], []  # fresh lists, not the shared defaults
    return working


def _step(state: Working, envelope: Envelope) -> None:
    """One more public event of the dossier onto its working state, in place."""
    kind = envelope.event_type
    if kind in NOT_A_STEP:
        return
    p = envelope.payload
    update: Working = {}
    reason = rule = None
    for key in ("dossier_code", "procedure_code", "procedure_version", "submitted_at", "received_at"):
        if state[key] is None and p.get(key) is not None:
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
        update["fee_paid_vnd"] = state["fee_paid_vnd"] + p["amount_vnd"]
    if kind == "Refunded":
        update["fee_refunded_vnd"] = state["fee_refunded_vnd"] + p["amount_vnd"]
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
    if kind == "ComplaintFiled":
        reason = p["text"]
    if kind == "ComplaintResolved":
        reason = p["resolution"]
    if kind == "DueDateRecalculated":
        update["due_at"] = p["new_due_at"]
        if state["overdue"] and p["new_due_at"] > p["recalculated_at"]:
            update["overdue"] = False
        reason, rule = p["reason"], "; ".join(p["due_explanation"]) or None
    status = STATUS_AFTER.get(kind, state["status"])
    if status != state["status"]:
        update["status"] = status
        if status in DECIDED and state["decided_at"] is None:
            update["decided_at"] = envelope.occurred_at
    details = dict(p)  # copied and trimmed: cheaper than a comprehension, in the same order
    details.pop("dossier_id", None)
    details.pop("dossier_code", None)
    step = {
        "event_id": envelope.event_id,
        "event_type": kind,
        "label": STEP_LABELS.get(kind, kind),
        "at": envelope.occurred_at,
        "actor": envelope.actor,
        "unit_code": update.get("unit_code", state["unit_code"]) if kind != "Transferred" else p["from_unit"],
        "status": status,
        "reason": reason,
        "rule": rule,
        "details": details,
    }
    state.update(update)
    state["steps"].append(step)


_STEP_FIELDS = frozenset(Step.model_fields)
_TEXT = (str, type(None))


def _new_step(values: Working) -> Step:
    """A Step from values already of its fields' types, as `model_construct` builds one, without
    its per-field loop; anything else is validated, and refused as before."""
    if not (
        isinstance(values["event_id"], UUID)
        and isinstance(values["at"], datetime)
        and isinstance(values["actor"], Actor)
        and isinstance(values["unit_code"], _TEXT)
        and isinstance(values["reason"], _TEXT)
        and isinstance(values["rule"], _TEXT)
    ):
        return Step.model_validate(values)
    step = object.__new__(Step)
    object.__setattr__(step, "__dict__", values)
    object.__setattr__(step, "__pydantic_fields_set__", set(_STEP_FIELDS))
    object.__setattr__(step, "__pydantic_extra__", None)
    object.__setattr__(step, "__pydantic_private__", None)
    return step


def _state(working: Working) -> DossierState:
    # Validated, so instants read from payloads become datetimes like the rest; steps validated
    # before (a state given to `apply`) are kept as they are.
    steps = [s if isinstance(s, Step) else _new_step(s) for s in working["steps"]]
    return DossierState.model_validate({**working, "steps": steps})


# For projections that keep working states themselves (processing's board): fold as plain
# data, make the state only when it is read.
start = _start
step = _step
state_of = _state


def apply(state: DossierState | None, envelope: Envelope) -> DossierState:
    """The state after one more public event of the dossier."""
    if state is not None and envelope.event_type in NOT_A_STEP:
        return state
    working = _start(envelope) if state is None else {**dict(state), "steps": list(state.steps)}
    _step(working, envelope)
    return _state(working)


def interleave(streams: Iterable[Iterable[Envelope]]) -> list[Envelope]:
    """One dossier's events from several producers' streams, in the order `fold` wants: each
    stream keeps its own order, and an event naming another (`causation_id`) comes after it.
    Within those two rules events go in time order: a fee paid 90 ms before the result was
    issued is listed before it, even if processing only noted the payment afterwards. Time only
    breaks ties that causality leaves open, so a clock a little off never puts an effect before
    its cause. Processing's tracking and the auditors' replay both call this, so they tell the
    same story.
    """
    lists = [list(stream) for stream in streams]
    # Keyed by the id's integer: hashing a UUID object runs Python code, an int's does not.
    where = {e.event_id.int: (s, i) for s, stream in enumerate(lists) for i, e in enumerate(stream)}
    done = [0] * len(lists)  # each stream's events before this index are placed
    placed: set[int] = set()
    ordered: list[Envelope] = []

    def place(s: int, i: int) -> None:
        """Event `i` of stream `s`: after the stream's earlier events and after its cause."""
        envelope = lists[s][i]
        if envelope.event_id.int in placed:
            return
        placed.add(envelope.event_id.int)  # before recursing: a corrupt cycle cannot loop
        place_until(s, i)
        cause = envelope.causation_id
        if cause is not None and (at := where.get(cause.int)) is not None:
            place(*at)
        ordered.append(envelope)

    def place_until(s: int, end: int) -> None:
        """Stream `s`'s events before index `end`."""
        while done[s] < end:
            done[s] += 1
            place(s, done[s] - 1)

    # Each event in time order (stable: ties keep stream order), after what must come first.
    by_time = sorted(
        ((e.occurred_at, s, i) for s, stream in enumerate(lists) for i, e in enumerate(stream)),
        key=lambda t: t[0],
    )
    for _, s, i in by_time:
        place(s, i)
    return ordered


def fold(envelopes: Iterable[Envelope], as_of: datetime | None = None) -> DossierState | None:
    """A dossier from its public events, given in the order they happened (see `interleave`);
    None if there are none.

    Events are not re-sorted by time here: two services' clocks may differ by a little, and
    the order of causes is the truth.
    """
    working: Working | None = None
    for envelope in envelopes:
        if as_of is None or envelope.occurred_at <= as_of:
            if working is None:
                working = _start(envelope)
            _step(working, envelope)
    return _state(working) if working is not None else None
