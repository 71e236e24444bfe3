"""A case's statuses, the actions allowed from each (docs/state-machine.md renders the table),
and the refusal of anything else."""

from __future__ import annotations

from dvc_contracts.status import DossierStatus
from dvc_kernel.refusal import Kind, Refusal

OPEN = frozenset({DossierStatus.RECEIVED, DossierStatus.ACCEPTED, DossierStatus.SUPPLEMENT_REQUESTED})
UNDECIDED = OPEN
# The deadline runs while an officer has the dossier, not while the citizen does.
CLOCK_RUNS = frozenset({DossierStatus.RECEIVED, DossierStatus.ACCEPTED, DossierStatus.APPROVED})

# action -> (statuses it is allowed from, who may take it)
TRANSITIONS: dict[str, tuple[frozenset[DossierStatus], str]] = {
    "assign": (OPEN, "officer or supervisor of the dossier's unit"),
    "accept": (frozenset({DossierStatus.RECEIVED}), "officer or supervisor of the dossier's unit"),
    "request_supplement": (
        frozenset({DossierStatus.RECEIVED, DossierStatus.ACCEPTED}),
        "officer or supervisor of the dossier's unit",
    ),
    "receive_resubmission": (
        frozenset({DossierStatus.SUPPLEMENT_REQUESTED}),
        "system, on the citizen's Resubmitted",
    ),
    "reject": (
        frozenset({DossierStatus.RECEIVED, DossierStatus.SUPPLEMENT_REQUESTED}),
        "officer or supervisor of the dossier's unit",
    ),
    "approve": (frozenset({DossierStatus.ACCEPTED}), "officer or supervisor of the dossier's unit"),
    "refuse": (frozenset({DossierStatus.ACCEPTED}), "officer or supervisor of the dossier's unit"),
    "issue_result": (frozenset({DossierStatus.APPROVED}), "officer or supervisor of the dossier's unit"),
    "transfer": (
        frozenset({DossierStatus.RECEIVED, DossierStatus.ACCEPTED}),
        "officer or supervisor of the dossier's unit",
    ),
    "acknowledge_withdrawal": (UNDECIDED, "system, on the citizen's Withdrawn"),
    "note_due_soon": (CLOCK_RUNS, "system, one working day before the due time"),
    "record_breach": (CLOCK_RUNS, "system, when the due time has passed"),
    "apologise": (CLOCK_RUNS, "officer or supervisor of the dossier's unit, after a breach"),
}

STATUS_LABELS = {
    DossierStatus.RECEIVED: "Đã tiếp nhận, chờ kiểm tra",
    DossierStatus.ACCEPTED: "Đang giải quyết",
    DossierStatus.SUPPLEMENT_REQUESTED: "Chờ công dân bổ sung hồ sơ",
    DossierStatus.APPROVED: "Đã phê duyệt, đang trả kết quả",
    DossierStatus.REFUSED: "Không giải quyết",
    DossierStatus.REJECTED: "Từ chối tiếp nhận",
    DossierStatus.RESULT_ISSUED: "Đã có kết quả",
    DossierStatus.WITHDRAWN: "Công dân đã rút hồ sơ",
}

# What a case can be in, in the order the state-machine document lists them.
STATUSES: tuple[DossierStatus, ...] = tuple(STATUS_LABELS)


def refused(code: str, message: str) -> Refusal:
    """The case is not in a state that allows what was asked (answered 409)."""
    return Refusal(code, message, Kind.CONFLICT)


def _refuse_status(action: str, status: DossierStatus) -> Refusal:
    return refused(
        "transition_not_allowed",
        f"Không thể thực hiện thao tác «{action}» khi hồ sơ ở trạng thái «{STATUS_LABELS[status]}».",
    )
