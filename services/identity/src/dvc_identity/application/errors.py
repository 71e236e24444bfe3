"""A domain rule's refusal answered as the kernel's refusal of a given kind."""

from __future__ import annotations

from typing import Any

from dvc_kernel.refusal import Kind
from dvc_kernel.refusal import Refusal as Refused

from ..domain.refusal import Refusal


def refused(refusal: Refusal, kind: Kind = Kind.BAD_REQUEST, **details: Any) -> Refused:
    """`refusal` as the exception every service raises: a 400 unless `kind` says otherwise."""
    return Refused(refusal.code, refusal.message, kind, **details)
