"""A domain rule's refusal answered as the kernel's refusal of a given kind."""

from __future__ import annotations

from typing import Any

from dvc_kernel.errors import UserError

from .domain.refusal import Refusal


def refused(refusal: Refusal, kind: type[UserError] = UserError, **details: Any) -> UserError:
    return kind(refusal.code, refusal.message, **details)
