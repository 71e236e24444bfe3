"""A rule or a request said no: one exception for every service (ADR 0001).

`Refusal(code, message, kind)` carries a stable English `code`, the Vietnamese `message` the
citizen or officer reads, and a `kind` saying what sort of no it is. Domain code raises it
without knowing HTTP; the HTTP layer (`dvc_kernel.errors`) maps each kind to one status, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What sort of no. The HTTP status of each is in `dvc_kernel.problem_details.STATUS_OF`."""

    BAD_REQUEST = "bad_request"  # the request cannot be read as asked (400)
    UNAUTHORIZED = "unauthorized"  # who is asking is not known (401)
    FORBIDDEN = "forbidden"  # known, but not allowed this (403)
    NOT_FOUND = "not_found"  # nothing of the caller's by that name (404)
    CONFLICT = "conflict"  # the thing is not in a state that allows it (409)
    STALE = "stale"  # the caller acted on an older version (412)
    TOO_LARGE = "too_large"  # (413)
    UNSUPPORTED = "unsupported"  # a media or file type not taken (415)
    INVALID = "invalid"  # the request is well formed but a rule says no (422)
    PRECONDITION_REQUIRED = "precondition_required"  # If-Match missing (428)
    TOO_MANY = "too_many"  # throttled; `Retry-After` says when (429)
    UPSTREAM = "upstream"  # a service or provider we depend on answered wrongly (502)
    UNAVAILABLE = "unavailable"  # try again later; `Retry-After` says when (503)


class Refusal(Exception):
    """Raised wherever a rule refuses. `details` are facts about this occurrence (JSON values);
    `headers` go on the HTTP answer (`Retry-After` for `too_many` and `unavailable`)."""

    kind: Kind = Kind.INVALID

    def __init__(
        self,
        code: str,
        message: str,
        kind: Kind | None = None,
        /,
        *,
        headers: Mapping[str, str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if kind is not None:
            self.kind = kind
        self.headers = dict(headers or {})
        self.details = details

    def __repr__(self) -> str:
        return f"Refusal({self.code!r}, {self.message!r}, {self.kind!s})"
