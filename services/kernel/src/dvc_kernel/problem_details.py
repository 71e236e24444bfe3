"""Error answers as RFC 9457 problem details (issue 14): the one wire format of every service.

Every error answer of every service is `application/problem+json`:

    {"type": "https://dichvucong.bocongan.gov.vn/problems/<code>", "title": <Vietnamese, per
     status>, "status": 422, "detail": <Vietnamese, this case>, "code": <stable, English>,
     "message": <= detail, kept for older clients>, "details": {...}, "errors": [...]}

`errors` lists the fields a request got wrong (`dvc_kernel.field_problems`). A refusal's kind
has one status (`STATUS_OF`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse

from .refusal import Kind, Refusal

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = "https://dichvucong.bocongan.gov.vn/problems/"

TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    406: "Định dạng không được hỗ trợ",
    409: "Xung đột dữ liệu",
    412: "Dữ liệu đã thay đổi",
    413: "Dữ liệu quá lớn",
    415: "Loại dữ liệu không được hỗ trợ",
    422: "Dữ liệu không hợp lệ",
    428: "Thiếu điều kiện bắt buộc",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
    502: "Dịch vụ liên quan lỗi",
    503: "Dịch vụ tạm thời không sẵn sàng",
    504: "Dịch vụ liên quan không trả lời",
}


STATUS_OF = {
    Kind.BAD_REQUEST: 400,
    Kind.UNAUTHORIZED: 401,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.STALE: 412,
    Kind.TOO_LARGE: 413,
    Kind.UNSUPPORTED: 415,
    Kind.INVALID: 422,
    Kind.PRECONDITION_REQUIRED: 428,
    Kind.TOO_MANY: 429,
    Kind.UPSTREAM: 502,
    Kind.UNAVAILABLE: 503,
}
"""The one HTTP mapping of a refusal's kind (ADR 0001)."""


def error_body(code: str, message: str, /, **details: Any) -> dict[str, Any]:
    """The members every error body has besides the problem's `type`, `title` and `status`."""
    return {"code": code, "message": message, **({"details": details} if details else {})}


def problem_body(status: int, code: str, message: str, /, **details: Any) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPES + code,
        "title": TITLES.get(status, "Lỗi"),
        "status": status,
        "detail": message,
        **error_body(code, message, **details),
    }


def error_response(
    status: int,
    code: str,
    message: str,
    /,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    **details: Any,
) -> JSONResponse:
    """An error answer: a problem details document."""
    body = problem_body(status, code, message, **details)
    if errors is not None:
        body["errors"] = errors  # RFC 9457's customary member, beside our `details.fields`
    return JSONResponse(body, status, dict(headers or {}), media_type=PROBLEM_JSON)


def refusal_response(refusal: Refusal) -> JSONResponse:
    """The answer to a refusal: its kind's status, its code and message, its details."""
    return error_response(
        STATUS_OF[refusal.kind], refusal.code, refusal.message, headers=refusal.headers, **refusal.details
    )
