"""When a fee can be paid, and when money received cannot be kept (pure rules of `Fee`)."""

from __future__ import annotations

from collections.abc import Sequence

from dvc_contracts.payment import ONLINE_METHODS
from dvc_kernel.refusal import Kind, Refusal

ALREADY_PAID = "Lệ phí của hồ sơ này đã được nộp."


def check_online(
    amount_vnd: int, paid: bool, closed_reason: str | None, methods: Sequence[str], method: str
) -> None:
    """May the citizen start paying online with `method`? Raises the refusal when not."""
    if amount_vnd == 0:
        raise Refusal("nothing_due", "Hồ sơ này không phải nộp lệ phí.", Kind.CONFLICT)
    if paid:
        raise Refusal("already_paid", ALREADY_PAID, Kind.CONFLICT)
    if closed_reason is not None:
        raise Refusal("dossier_closed", "Hồ sơ đã kết thúc, không thể nộp lệ phí.", Kind.CONFLICT)
    if method not in methods or method not in ONLINE_METHODS:
        raise Refusal(
            "method_not_allowed",
            "Hồ sơ này nộp lệ phí tại bộ phận một cửa khi nhận kết quả (dịch vụ công mức độ 3)."
            if "counter" in methods
            else "Phương thức thanh toán này không áp dụng cho hồ sơ.",
            Kind.CONFLICT,
        )


def check_counter(
    amount_vnd: int, paid: bool, closed_reason: str | None, methods: Sequence[str], receipt_amount_vnd: int
) -> None:
    """May an officer record this receipt at the counter? Raises the refusal when not."""
    if "counter" not in methods:
        raise Refusal(
            "method_not_allowed",
            "Hồ sơ dịch vụ công mức độ 4 nộp lệ phí trực tuyến, không thu tại bộ phận một cửa."
            if methods
            else "Hồ sơ này không phải nộp lệ phí.",
            Kind.CONFLICT,
        )
    if paid:
        raise Refusal("already_paid", ALREADY_PAID, Kind.CONFLICT)
    if closed_reason is not None:
        raise Refusal("dossier_closed", "Hồ sơ đã kết thúc, không thu lệ phí.", Kind.CONFLICT)
    if receipt_amount_vnd != amount_vnd:
        raise Refusal(
            "amount_mismatch",
            f"Số tiền trên biên lai phải đúng số lệ phí đã xác định: {amount_vnd:,} đồng.".replace(",", "."),
            Kind.INVALID,
        )


def not_kept_reason(paid: bool, closed_reason: str | None) -> str | None:
    """Why money that arrives now cannot be kept (and is paid back), or None to keep it."""
    if paid:
        return "Khoản thanh toán trùng: lệ phí hồ sơ đã được nộp trước đó."
    if closed_reason is not None:
        return f"Hồ sơ đã kết thúc trước khi nhận được tiền: {closed_reason}"
    return None
