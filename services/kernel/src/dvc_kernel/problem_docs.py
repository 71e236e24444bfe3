"""The problem details of `dvc_kernel.problem_details` in the services' OpenAPI documents:
which problems each operation may answer with, and their schema."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from .problem_details import PROBLEM_JSON, TITLES

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
                wanted |= {400, 422}  # a request that cannot be read (400) or that a rule refuses (422)
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
