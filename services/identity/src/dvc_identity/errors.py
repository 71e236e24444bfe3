"""Identity's user errors beyond the kernel's: each a status, a code and a Vietnamese message."""

from __future__ import annotations

from typing import Any

from dvc_kernel.errors import UserError

from .domain.refusal import Refusal


class Unauthorized(UserError):
    status = 401


class Forbidden(UserError):
    status = 403


class TooManyRequests(UserError):
    status = 429


class Unavailable(UserError):
    """A dependency (the SMS gateway behind notify) failed: the request may be retried."""

    status = 503


def refused(refusal: Refusal, kind: type[UserError] = UserError, **details: Any) -> UserError:
    return kind(refusal.code, refusal.message, **details)
