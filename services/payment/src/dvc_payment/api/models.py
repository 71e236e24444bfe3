"""What the API reads and shows: request bodies, the fee and a payment started."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.attribute_views import view_of

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


def fee_view(fee: Fee) -> FeeView:
    """The fee as shown; its attempts (and the one that paid) are read attribute by attribute too."""
    return view_of(
        FeeView,
        fee,
        status_label=STATUS_LABELS[fee.status],
        attempts=list(fee.attempts.values()),
        refunds=dict(fee.refunded),
    )


class StartBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["gateway", "vietqr"] = Field(
        description="`gateway`: card or bank account through the payment gateway; `vietqr`: a bank "
        "transfer by scanning a VietQR code."
    )


class VietQrView(BaseModel):
    payload: str = Field(description="EMVCo payload to render as a QR code (NAPAS VietQR).")
    png_base64: str = Field(description="The same QR code as a PNG image, base64-encoded.")
    bank_bin: str = Field(description="NAPAS BIN of the receiving bank.")
    account: str = Field(description="Receiving account number.")
    purpose: str = Field(description="Transfer description to keep unchanged: it names the order.")


class PaymentView(BaseModel):
    dossier_code: str
    txn_ref: str = Field(description="Order reference of this attempt.")
    method: str
    amount_vnd: int
    expires_at: datetime
    redirect_url: str | None = Field(None, description="Gateway payment page (method `gateway`).")
    vietqr: VietQrView | None = Field(None, description="QR to scan (method `vietqr`).")


class ReceiptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    receipt_number: str = Field(
        min_length=1, max_length=30, pattern=r"^[A-Za-z0-9/\-.]+$", description="Number on the fee receipt."
    )
    amount_vnd: int = Field(ge=0, description="Amount on the receipt, in VND.")
