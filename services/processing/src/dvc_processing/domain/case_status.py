"""A case's statuses, the actions allowed from each (docs/state-machine.md renders the table),
and the refusal of anything else."""

from __future__ import annotations

from enum import StrEnum

from dvc_kernel.refusal import Kind, Refusal


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


def refused(code: str, message: str) -> Refusal:
    """The case is not in a state that allows what was asked (answered 409)."""
    return Refusal(code, message, Kind.CONFLICT)


def _refuse_status(action: str, status: Status) -> Refusal:
    return refused(
        "transition_not_allowed",
        f"Không thể thực hiện thao tác «{action}» khi hồ sơ ở trạng thái «{STATUS_LABELS[status]}».",
    )
