"""Request bodies: bounded before any work, and never read for a caller who is not signed in.

An ASGI middleware in front of every service (issue 14):
- a body's limit comes from its route class: `DEFAULT_BODY_LIMIT` (JSON commands, 1 MiB)
  unless the service names larger ones for its upload routes (path patterns);
- a declared `Content-Length` above the limit is answered 413 at once, nothing read;
- a body without one (chunked) or a large one is counted as it is read, and reading stops with
  a 413 as soon as it passes the limit (so a temporary file never grows past it);
- before such a body is read at all, a route that needs a signed-in caller gets its token
  checked: a missing or refused token is a 401 without one byte of the body read (before, an
  unauthenticated 400 MiB chunked upload was spooled to disk, then refused).

Small bodies with a `Content-Length` within the limit pass untouched: the per-request cost is
one header lookup and a dictionary hit.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from .auth.verifier import TokenRejected
from .errors import error_response
from .threads import in_thread

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KIB = 1024
MIB = 1024 * KIB
DEFAULT_BODY_LIMIT = 1 * MIB
# Bodies above this (or of unknown length) have the caller's token checked before reading.
CHECK_TOKEN_ABOVE = 64 * KIB
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def too_large(limit: int) -> tuple[int, str, str]:
    return (
        413,
        "request_too_large",
        f"Dữ liệu gửi lên quá lớn (tối đa {_size(limit)}).",
    )


def _size(limit: int) -> str:
    return f"{limit // MIB} MB" if limit >= MIB else f"{max(1, limit // KIB)} KB"


class BodyTooLarge(StarletteHTTPException):
    """Raised while reading a body that passed its limit. An HTTPException, so FastAPI's own
    body parsing re-raises it (it turns other errors into a 400) and the app's handler answers."""

    def __init__(self, limit: int) -> None:
        status, code, message = too_large(limit)
        super().__init__(status, message)
        self.code = code


class BodyLimits:
    def __init__(
        self,
        app: ASGIApp,
        routes_of: Callable[[], Iterable[Any]],
        verifier_of: Callable[[], Any],
        limits: Mapping[str, int] | None = None,
        default: int = DEFAULT_BODY_LIMIT,
    ) -> None:
        """`limits`: path pattern (a regular expression, matched in full) -> bytes, for the
        routes whose bodies may be larger (or must be smaller) than `default`."""
        self.app = app
        self.default = default
        self.patterns = [(re.compile(pattern), limit) for pattern, limit in (limits or {}).items()]
        self._routes_of = routes_of
        self._verifier_of = verifier_of
        self._limit_by_path: dict[str, int] = {}
        self._signed_in: list[tuple[Any, bool]] | None = None

    def limit_for(self, path: str) -> int:
        limit = self._limit_by_path.get(path)
        if limit is None:
            limit = next((n for p, n in self.patterns if p.fullmatch(path)), self.default)
            if len(self._limit_by_path) < 10_000:  # paths with ids: bounded memory
                self._limit_by_path[path] = limit
        return limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared <= min(limit, CHECK_TOKEN_ABOVE):
            return await self.app(scope, receive, send)  # small and declared: nothing to count
        refused = await self._refuse_unauthenticated(scope)  # before a byte of it is read
        if refused is not None:
            return await _answer(send, *refused)
        if declared is not None and declared > limit:
            return await _answer(send, *too_large(limit))
        read = 0

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)

    async def _refuse_unauthenticated(self, scope: Scope) -> tuple[int, str, str] | None:
        if not self._needs_principal(scope):
            return None
        token = _bearer(scope)
        if token is None:
            return (401, "auth.missing_token", "Vui lòng đăng nhập để sử dụng chức năng này.")
        verifier = self._verifier_of()
        try:
            if verifier.may_block(token):
                await in_thread(verifier.verify, token)
            else:
                verifier.verify(token)  # cached: the route's own check finds it there
        except TokenRejected as rejected:
            return (rejected.status, rejected.code, rejected.message)
        return None

    def _needs_principal(self, scope: Scope) -> bool:
        if self._signed_in is None:
            self._signed_in = [(match, _needs_principal(route)) for route, match in _flat(self._routes_of())]
        for route, needs in self._signed_in:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return needs
        return False


def _flat(routes: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
    """(route, what matches its requests): FastAPI keeps an included router as one entry whose
    routes match under their effective paths. tests/test_limits.py fails if that changes."""
    from fastapi import routing

    for route, context in routing._iter_routes_with_context(list(routes)):
        starlette_route = getattr(context, "starlette_route", None)
        yield route, starlette_route or route


def _needs_principal(route: Any) -> bool:
    """Whether a route depends (at any depth) on the signed-in caller."""
    from .auth.fastapi import require_principal

    pending = [getattr(route, "dependant", None)]
    while pending:
        dependant = pending.pop()
        if dependant is None:
            continue
        if dependant.call is require_principal:
            return True
        pending.extend(dependant.dependencies)
    return False


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() or None if scheme.lower() == "bearer" else None
    return None


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else None
    response = error_response(status, code, message, headers=headers)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})
