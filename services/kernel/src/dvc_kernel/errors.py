"""Errors a user can cause, and every other error, as RFC 9457 problem details (issue 14).

Every error answer of every service is `application/problem+json`:

    {"type": "https://dichvucong.bocongan.gov.vn/problems/<code>", "title": <Vietnamese, per
     status>, "status": 422, "detail": <Vietnamese, this case>, "code": <stable, English>,
     "message": <= detail, kept for older clients>, "details": {...}, "errors": [...]}

`errors` lists the fields a request got wrong (`field`, Vietnamese `problem`, pydantic's
`type`); FastAPI's English texts ("Field required") never reach a citizen. A 500 is a problem
too, without any internal detail; a 405 carries `Allow`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .refusal import Kind, Refusal

log = logging.getLogger(__name__)

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


class UserError(Refusal):
    """A request that cannot be honoured as asked: a `Refusal` of kind `bad_request` (400)
    unless a subclass says otherwise. Kept while services move to `Refusal(code, message,
    kind)` directly."""

    kind = Kind.BAD_REQUEST

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        status = cls.__dict__.get("status")  # the older spelling: `status = 403` on the class
        if isinstance(status, int):
            cls.kind = next(kind for kind, code in STATUS_OF.items() if code == status)

    @property
    def status(self) -> int:
        return STATUS_OF[self.kind]


class NotFound(UserError):
    kind = Kind.NOT_FOUND


class Conflict(UserError):
    kind = Kind.CONFLICT


class Unprocessable(UserError):
    kind = Kind.INVALID


class Unauthorized(UserError):
    kind = Kind.UNAUTHORIZED


class Forbidden(UserError):
    kind = Kind.FORBIDDEN


class PreconditionRequired(UserError):
    kind = Kind.PRECONDITION_REQUIRED


class TooManyRequests(UserError):
    kind = Kind.TOO_MANY


class Unavailable(UserError):
    """A dependency failed: the request may be retried."""

    kind = Kind.UNAVAILABLE


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


# Pydantic's error types, said in Vietnamese (the context fills the braces).
_FIELD_PROBLEMS = {
    "missing": "Thiếu thông tin bắt buộc.",
    "extra_forbidden": "Trường này không được phép.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_short": "Quá ngắn (tối thiểu {min_length} ký tự).",
    "string_too_long": "Quá dài (tối đa {max_length} ký tự).",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "float_type": "Phải là số.",
    "float_parsing": "Phải là số.",
    "bool_type": "Phải là đúng hoặc sai (true/false).",
    "bool_parsing": "Phải là đúng hoặc sai (true/false).",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải từ {ge} trở lên.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải không quá {le}.",
    "too_short": "Cần ít nhất {min_length} mục.",
    "too_long": "Tối đa {max_length} mục.",
    "list_type": "Phải là một danh sách.",
    "dict_type": "Phải là một đối tượng.",
    "model_type": "Phải là một đối tượng.",
    "model_attributes_type": "Phải là một đối tượng.",
    "literal_error": "Chỉ nhận một trong các giá trị: {expected}.",
    "enum": "Chỉ nhận một trong các giá trị: {expected}.",
    "uuid_type": "Phải là mã định danh UUID.",
    "uuid_parsing": "Phải là mã định danh UUID.",
    "date_type": "Phải là ngày (NNNN-TT-NN).",
    "date_parsing": "Phải là ngày (NNNN-TT-NN).",
    "date_from_datetime_parsing": "Phải là ngày (NNNN-TT-NN).",
    "date_from_datetime_inexact": "Phải là ngày (NNNN-TT-NN), không kèm giờ.",
    "datetime_type": "Phải là thời điểm ISO 8601, ví dụ 2025-05-02T09:30:00+07:00.",
    "datetime_parsing": "Phải là thời điểm ISO 8601, ví dụ 2025-05-02T09:30:00+07:00.",
    "datetime_from_date_parsing": "Phải là thời điểm ISO 8601, ví dụ 2025-05-02T09:30:00+07:00.",
    "timezone_aware": "Phải ghi rõ múi giờ (ví dụ +07:00).",
    "timezone_naive": "Không được ghi múi giờ.",
    "json_invalid": "Nội dung không phải JSON hợp lệ.",
    "json_type": "Nội dung không phải JSON hợp lệ.",
    "value_error": "Giá trị không hợp lệ.",
    "assertion_error": "Giá trị không hợp lệ.",
    "url_parsing": "Phải là một địa chỉ URL.",
    "url_type": "Phải là một địa chỉ URL.",
    "decimal_parsing": "Phải là số.",
    "bytes_type": "Phải là dữ liệu nhị phân.",
    "union_tag_invalid": "Loại không hợp lệ.",
    "union_tag_not_found": "Thiếu trường phân loại.",
    "date_future": "Phải là một ngày trong tương lai.",
    "date_past": "Phải là một ngày trong quá khứ.",
    "finite_number": "Phải là số hữu hạn.",
    "multiple_of": "Phải là bội số của {multiple_of}.",
}
_GENERIC = "Giá trị không hợp lệ."


def field_problem(error: Mapping[str, Any]) -> str:
    """The Vietnamese text for one pydantic error. A validator of ours that raised a
    `ValueError` with a Vietnamese message keeps its message."""
    kind = str(error.get("type", ""))
    if kind == "value_error":
        context = error.get("ctx") or {}
        raised = context.get("error")
        text = str(raised) if raised is not None else ""
        if text and any(ord(c) > 127 for c in text):  # ours, already Vietnamese
            return text
    template = _FIELD_PROBLEMS.get(kind)
    if template is None:
        return _GENERIC
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return _GENERIC


def field_errors(errors: list[Any]) -> list[dict[str, str]]:
    found = []
    for err in errors:
        where = [str(p) for p in err.get("loc", ())]
        found.append(
            {
                # Without where it came (body, query, path, header): the field as the caller named it.
                "field": ".".join(where[1:]) or ".".join(where),
                "in": where[0] if where else "",
                "problem": field_problem(err),
                "type": str(err.get("type", "")),
            }
        )
    return found


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Refusal)
    async def _refused(_: Request, exc: Refusal) -> JSONResponse:
        return refusal_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = field_errors(list(exc.errors()))
        return error_response(
            422, "invalid_request", "Dữ liệu gửi lên không hợp lệ.", errors=fields, fields=fields
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {
            404: "Không tìm thấy địa chỉ yêu cầu.",
            405: "Phương thức không được hỗ trợ cho địa chỉ này.",
            413: "Dữ liệu gửi lên quá lớn.",
        }
        code = getattr(exc, "code", None) or f"http_{exc.status_code}"
        detail = exc.detail if isinstance(exc.detail, str) and _vietnamese(exc.detail) else None
        message = detail or messages.get(exc.status_code) or TITLES.get(exc.status_code, "Lỗi")
        return error_response(exc.status_code, code, message, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Starlette logs the traceback; the caller learns nothing internal.
        return error_response(500, "internal_error", "Hệ thống gặp lỗi; vui lòng thử lại sau.")


def _vietnamese(text: str) -> bool:
    return any(ord(c) > 127 for c in text)


def json_response(model: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """`model` as JSON, serialised once by pydantic. A route returning this skips FastAPI's
    second validation of its response model (the route's `response_model` still documents
    it): worth it on the hottest routes, where that pass cost as much as building the model."""
    return Response(model.model_dump_json(), status_code, headers, media_type="application/json")


# -- documenting them --------------------------------------------------------------------------

_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; `detail` and every `problem` are Vietnamese.",
    "required": ["type", "title", "status", "detail", "code", "message"],
    "properties": {
        "type": {"type": "string", "description": "URI naming the kind of problem (ends with `code`)."},
        "title": {"type": "string", "description": "What kind of problem, by status (Vietnamese)."},
        "status": {"type": "integer", "description": "The HTTP status."},
        "detail": {"type": "string", "description": "This occurrence, for the citizen (Vietnamese)."},
        "code": {"type": "string", "description": "Stable machine-readable code."},
        "message": {"type": "string", "description": "Same as `detail` (older clients read it)."},
        "details": {"type": "object", "description": "Facts about this occurrence, by code."},
        "errors": {
            "type": "array",
            "description": "The fields the request got wrong.",
            "items": {"$ref": "#/components/schemas/FieldProblem"},
        },
    },
}
_FIELD_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "FieldProblem",
    "type": "object",
    "required": ["field", "in", "problem", "type"],
    "properties": {
        "field": {"type": "string", "description": "The field, dotted (`guests.0.full_name`)."},
        "in": {"type": "string", "description": "body, query, path or header."},
        "problem": {"type": "string", "description": "What is wrong (Vietnamese)."},
        "type": {"type": "string", "description": "Pydantic's error type."},
    },
}
_DESCRIPTIONS = {
    401: "Chưa đăng nhập, hoặc mã truy cập không hợp lệ hay đã hết hạn.",
    403: "Tài khoản không có quyền này.",
    404: "Không tìm thấy.",
    400: "Yêu cầu không hợp lệ.",
    409: "Xung đột với trạng thái hiện tại.",
    412: "Dữ liệu đã bị thay đổi ở nơi khác (If-Match).",
    413: "Dữ liệu gửi lên quá lớn.",
    415: "Loại tệp hay dữ liệu không được hỗ trợ.",
    422: "Dữ liệu gửi lên không hợp lệ.",
    428: "Thiếu điều kiện If-Match.",
    500: "Lỗi hệ thống.",
    503: "Dịch vụ tạm thời không sẵn sàng.",
}


def _problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    return {
        "description": description or _DESCRIPTIONS.get(status, TITLES.get(status, "Lỗi")),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of an OpenAPI document the error answers the kernel gives it:
    422 (replacing FastAPI's own validation error shape), 401, 403 and 503 where a token is needed,
    404 where the path names something, 413 where there is a body, 500 everywhere. Answers a
    route documents itself keep their description and get the problem content."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = _PROBLEM_SCHEMA
    schemas["FieldProblem"] = _FIELD_PROBLEM_SCHEMA
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            wanted = {500}
            if operation.get("parameters") or operation.get("requestBody"):
                wanted |= {400, 422}  # a `UserError` is a 400 unless it says otherwise
            if operation.get("security"):
                wanted |= {401, 403, 503}  # 503: identity's keys cannot be fetched (verifier)
            if "{" in path:
                wanted.add(404)
            if method in ("post", "put", "patch"):
                wanted.add(413)
            for status in sorted(wanted | {int(s) for s in responses if s.isdigit() and int(s) >= 400}):
                existing = responses.get(str(status), {})
                described = existing.get("description")
                if status == 422 or not described or described == "Validation Error":
                    described = None if status == 422 else described
                responses[str(status)] = {**existing, **_problem_response(status, described)}
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def install_problem_docs(app: FastAPI) -> None:
    """The app's OpenAPI document says which problems each operation may answer with."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        if "Problem" not in document.get("components", {}).get("schemas", {}):
            document_problems(document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route that answers these statuses beyond the kernel's own (the OpenAPI
    document then gives each the problem details content)."""
    return {status: {"description": _DESCRIPTIONS.get(status) or TITLES[status]} for status in statuses}
