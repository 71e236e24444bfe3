"""Errors a user can cause: a clear 4xx with a Vietnamese message and a machine-readable code."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException


class UserError(Exception):
    """Raised by application code for a request that cannot be honoured as asked."""

    status = 400

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class NotFound(UserError):
    status = 404


class Conflict(UserError):
    status = 409


class Unprocessable(UserError):
    status = 422


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **({"details": details} if details else {})}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UserError)
    async def _user_error(_: Request, exc: UserError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, **exc.details), exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in err.get("loc", ())[1:]), "problem": err.get("msg")}
            for err in exc.errors()
        ]
        return JSONResponse(
            error_body("invalid_request", "Dữ liệu gửi lên không hợp lệ.", fields=fields), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Không tìm thấy địa chỉ yêu cầu.", 405: "Phương thức không được hỗ trợ."}
        message = messages.get(exc.status_code, str(exc.detail))
        return JSONResponse(error_body(f"http_{exc.status_code}", message), exc.status_code)


def json_response(model: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """`model` as JSON, serialised once by pydantic. A route returning this skips FastAPI's
    second validation of its response model (the route's `response_model` still documents
    it): worth it on the hottest routes, where that pass cost as much as building the model."""
    return Response(model.model_dump_json(), status_code, headers, media_type="application/json")
