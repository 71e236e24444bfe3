"""docs/state-machine.md, rendered from the transition table the code enforces."""

from __future__ import annotations

from pathlib import Path

from dvc_kernel.settings import REPO_ROOT

from .domain.case import STATUS_LABELS, STATUSES, TRANSITIONS

DOC = REPO_ROOT / "docs" / "state-machine.md"

EVENTS = {
    "assign": "Assigned",
    "accept": "Accepted",
    "request_supplement": "SupplementRequested",
    "receive_resubmission": "ResubmissionReceived",
    "reject": "RejectedWithReason",
    "approve": "Approved",
    "refuse": "Refused",
    "issue_result": "ResultIssued",
    "transfer": "Transferred",
    "acknowledge_withdrawal": "WithdrawalAcknowledged",
    "note_due_soon": "DeadlineDueSoon",
    "record_breach": "DeadlineBreached",
    "apologise": "ApologyIssued",
}
RESULT = {
    "assign": "unchanged (officer set)",
    "accept": "accepted",
    "request_supplement": "supplement_requested",
    "receive_resubmission": "received",
    "reject": "rejected",
    "approve": "approved",
    "refuse": "refused",
    "issue_result": "result_issued",
    "transfer": "received (at the new unit)",
    "acknowledge_withdrawal": "withdrawn",
    "note_due_soon": "unchanged",
    "record_breach": "unchanged",
    "apologise": "unchanged (new due time)",
}


def render() -> str:
    lines = [
        "# The dossier's state machine (processing)",
        "",
        "Generated from `services/processing/src/dvc_processing/domain/case.py` by `make docs`;",
        "a test fails when this file and the code differ. Every pair of status and action not listed",
        "here is refused (`409 transition_not_allowed`); tests try every one of them.",
        "",
        "## Statuses",
        "",
        "| status | shown to the citizen |",
        "|---|---|",
        *[f"| `{s.value}` | {STATUS_LABELS[s]} |" for s in STATUSES],
        "",
        "## Transitions",
        "",
        "| action | public event | allowed from | leads to | who may trigger it |",
        "|---|---|---|---|---|",
    ]
    for action, (allowed, who) in TRANSITIONS.items():
        sources = ", ".join(f"`{s.value}`" for s in STATUSES if s in allowed)
        lines.append(f"| {action} | `{EVENTS[action]}` | {sources} | {RESULT[action]} | {who} |")
    lines += [
        "",
        "Before these, `Received` is recorded by the system for every `Submitted` dossier (status",
        "`received`), with the appointment computed from the legal deadline. There is no action to",
        "return a valid dossier or to demand filing in person.",
        "",
    ]
    return "\n".join(lines)


def write(path: Path = DOC) -> None:
    path.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    write()
