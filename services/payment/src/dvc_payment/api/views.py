"""What the API shows of a fee."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ..domain.fee import Fee

STATUS_LABELS = {
    "nothing_due": "Không phải nộp lệ phí",
    "unpaid": "Chưa nộp lệ phí",
    "paid": "Đã nộp lệ phí",
    "refund_pending": "Đang hoàn trả lệ phí",
    "refunded": "Đã hoàn trả lệ phí",
    "closed": "Hồ sơ đã kết thúc, không thu lệ phí",
}


class AttemptView(BaseModel):
    txn_ref: str
    method: str
    amount_vnd: int
    status: str = Field(description="pending | paid | not_kept (being paid back) | failed")
    transaction_ref: str | None = None
    paid_at: datetime | None = None


class FeeView(BaseModel):
    dossier_code: str
    procedure_code: str
    procedure_version: int
    amount_vnd: int = Field(description="Amount owed in VND (0 when free or exempt).")
    rate: str
    rule: str = Field(description="The rule that produced the amount, with its legal basis.")
    exemption: str | None
    due: str
    methods: list[str]
    status: str
    status_label: str
    paid: AttemptView | None = None
    attempts: list[AttemptView]
    refunds: dict[str, str] = Field(description="Order reference -> refund reference.")


def _attempt(a: object) -> AttemptView:
    return AttemptView.model_validate(a, from_attributes=True)


def fee_view(fee: Fee) -> FeeView:
    return FeeView(
        dossier_code=fee.dossier_code,
        procedure_code=fee.procedure_code,
        procedure_version=fee.procedure_version,
        amount_vnd=fee.amount_vnd,
        rate=fee.rate,
        rule=fee.rule,
        exemption=fee.exemption,
        due=fee.due,
        methods=fee.methods,
        status=fee.status,
        status_label=STATUS_LABELS[fee.status],
        paid=_attempt(fee.paid) if fee.paid else None,
        attempts=[_attempt(a) for a in fee.attempts.values()],
        refunds=dict(fee.refunded),
    )
