"""FastAPI dependencies: who is calling (401) and may they (403).

Wire once in a service's composition root::

    install_auth(app, TokenVerifier(HttpJwks(jwks_url), issuer=..., audience=...))

then ``principal: CurrentPrincipal`` or ``Depends(require_roles(Role.OFFICER))`` in routes.
Errors are problem details (dvc_kernel.errors) with a stable code and a Vietnamese message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.auth.revocations import Revocations
from dvc_kernel.auth.verifier import TokenRejected, TokenVerifier
from dvc_kernel.errors import error_response
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER, secret_matches
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.threads import in_thread

_bearer = HTTPBearer(auto_error=False, description="Access token issued by identity")


class AuthError(HTTPException):
    """401/403 carrying a code and a Vietnamese message.

    Subclasses HTTPException so that, even without ``install_auth``'s handler, FastAPI
    answers with the right status instead of a 500.
    """

    def __init__(self, status_code: int, code: str, message: str) -> None:
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status_code == 401 else None
        super().__init__(status_code, {"code": code, "message": message}, headers)
        self.code, self.message = code, message


async def auth_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AuthError)
    return error_response(exc.status_code, exc.code, exc.message, headers=exc.headers)


def install_auth(app: FastAPI, verifier: TokenVerifier, revocations: Revocations | None = None) -> None:
    app.state.token_verifier = verifier
    # A service swapping in its own verifier keeps the revocations the shell follows.
    app.state.revocations = revocations or getattr(app.state, "revocations", None) or Revocations()
    app.add_exception_handler(AuthError, auth_error_handler)


async def require_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The verified caller. Verifying a signature is quick and runs on the event loop; only
    the occasional JWKS refetch (a new key id) goes to a worker thread, so it never stalls it."""
    if credentials is None or not credentials.credentials:
        raise AuthError(401, "auth.missing_token", "Vui lòng đăng nhập để sử dụng chức năng này.")
    verifier: TokenVerifier = request.app.state.token_verifier
    token = credentials.credentials
    try:
        if verifier.may_block(token):
            principal = await in_thread(verifier.verify, token)
        else:
            principal = verifier.verify(token)
    except TokenRejected as rejected:
        raise AuthError(rejected.status, rejected.code, rejected.message) from rejected
    revocations: Revocations | None = getattr(request.app.state, "revocations", None)
    if revocations is not None and revocations.refuses(principal):
        raise AuthError(401, "auth.revoked", "Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only the given roles (403 for the others)."""
    allowed = frozenset(roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise AuthError(403, "auth.forbidden", "Bạn không có quyền thực hiện chức năng này.")
        return principal

    return dependency


def services_only(secret: str) -> Callable[..., Awaitable[None]]:
    """A dependency for internal routes: the caller presents the shared service secret, or 403.
    Async, as every dependency on a request's path here: a plain function would cost a worker
    thread's hop per request."""

    async def caller_is_a_service(
        presented: Annotated[str | None, Header(alias=SERVICE_SECRET_HEADER)] = None,
    ) -> None:
        if not secret_matches(presented, secret):
            message = "Chức năng này chỉ dành cho các dịch vụ nội bộ."
            raise Refusal("auth.service_only", message, Kind.FORBIDDEN)

    return caller_is_a_service
