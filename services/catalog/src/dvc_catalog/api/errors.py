"""Error bodies: problem details with a code and a Vietnamese message (dvc_kernel.errors), never
FastAPI's default `detail` list."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from dvc_kernel.errors import error_response as problem
from dvc_kernel.errors import field_errors

from ..domain.errors import CatalogError, FeeCaseNotFound


class InvalidParameter(Exception):
    """A query parameter the route parses itself was malformed (422)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return problem(status, code, message)


def catalog_error_response(error: CatalogError) -> JSONResponse:
    status = 422 if isinstance(error, FeeCaseNotFound) else 404
    return error_response(status, error.code, error.message)


def invalid_parameter_response(error: InvalidParameter) -> JSONResponse:
    return error_response(422, "invalid_parameter", error.message)


def install_error_handlers(app: FastAPI) -> None:
    """For the composition root: turns validation errors FastAPI raises before a route runs
    (e.g. on other routers) into the same body shape. The catalog's own routes parse their
    parameters themselves and do not depend on this."""

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        fields = field_errors(list(exc.errors()))
        where = fields[0]["field"] if fields else ""
        message = f"Yêu cầu không hợp lệ tại «{where}»."
        return problem(422, "invalid_request", message, errors=fields, fields=fields)

    app.add_exception_handler(RequestValidationError, on_validation)
