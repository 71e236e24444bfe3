"""When an unpaid fee holds a dossier back (Decree 43/2011 Art. 3; Decree 45/2020 on paying
fees online).

Level 4 means the fee is paid online, so its result is issued only once the fee is settled;
a fee due on submission is settled before an officer accepts the dossier. Level 3 pays at the
office when the result is collected, so nothing here holds it back. A level-4 dossier waits
for payment's assessment, even when it turns out to be nothing: without it nobody knows.
"""

from __future__ import annotations

from dataclasses import dataclass

from dvc_contracts.payment import ONLINE_METHODS


@dataclass(frozen=True)
class FeeState:
    due_vnd: int | None = None  # None until assessed
    due: str | None = None  # "on_submission" or "after_acceptance"
    methods: tuple[str, ...] = ()
    paid_vnd: int = 0
    refunded_vnd: int = 0

    @property
    def assessed(self) -> bool:
        return self.due_vnd is not None

    @property
    def settled(self) -> bool:
        return self.due_vnd is not None and self.paid_vnd - self.refunded_vnd >= self.due_vnd

    @property
    def paid_online(self) -> bool:
        return bool(ONLINE_METHODS & set(self.methods))


def fee_refusal(action: str, level: int, fee: FeeState) -> tuple[str, str] | None:
    """(code, Vietnamese message) when the fee forbids `action` now; None when it does not."""
    if action == "accept" and fee.due == "on_submission" and fee.paid_online and not fee.settled:
        return (
            "fee_not_paid",
            "Hồ sơ chưa nộp lệ phí; lệ phí phải nộp trước khi hồ sơ được tiếp nhận giải quyết.",
        )
    if action == "issue_result" and level >= 4:
        if not fee.assessed:
            return (
                "fee_not_assessed",
                "Chưa nhận được thông tin lệ phí của hồ sơ từ hệ thống thanh toán; vui lòng thử lại sau.",
            )
        if fee.paid_online and not fee.settled:
            return "fee_not_paid", "Công dân chưa nộp đủ lệ phí; chưa thể trả kết quả."
    return None
