"""Errors a user can cause, and every other error, answered as RFC 9457 problem details (issue 14).

Here: the handlers every service installs (a refusal, `dvc_kernel.refusal`; a request that
fails validation, its fields said in Vietnamese; Starlette's HTTP errors, a 405 with `Allow`; a
500 without any internal detail). The wire format is in `problem_details`, the field problems in
`field_problems`, the OpenAPI side in `problem_docs`; what services use of them is re-exported
here, where they have always imported it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .field_problems import field_errors, field_problem, is_vietnamese
from .problem_details import (
    PROBLEM_JSON,
    STATUS_OF,
    TITLES,
    error_response,
    refusal_response,
)
from .problem_docs import install_problem_docs, problems
from .refusal import Refusal

__all__ = [
    "PROBLEM_JSON",
    "STATUS_OF",
    "error_response",
    "field_errors",
    "field_problem",
    "install_error_handlers",
    "install_problem_docs",
    "json_response",
    "problems",
    "refusal_response",
]


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
        detail = exc.detail if isinstance(exc.detail, str) and is_vietnamese(exc.detail) else None
        message = detail or messages.get(exc.status_code) or TITLES.get(exc.status_code, "Lỗi")
        return error_response(exc.status_code, code, message, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Starlette logs the traceback; the caller learns nothing internal.
        return error_response(500, "internal_error", "Hệ thống gặp lỗi; vui lòng thử lại sau.")


def json_response(model: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """`model` as JSON, serialised once by pydantic. A route returning this skips FastAPI's
    second validation of its response model (the route's `response_model` still documents
    it): worth it on the hottest routes, where that pass cost as much as building the model."""
    return Response(model.model_dump_json(), status_code, headers, media_type="application/json")
