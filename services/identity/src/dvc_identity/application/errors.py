"""A domain rule's refusal answered as the kernel's refusal of a given kind."""

from __future__ import annotations

from typing import Any

from dvc_kernel.refusal import Kind
from dvc_kernel.refusal import Refusal as Refused

from ..domain.passwords import check_password
from ..domain.refusal import Refusal


def refused(refusal: Refusal, kind: Kind = Kind.BAD_REQUEST, **details: Any) -> Refused:
    """`refusal` as the exception every service raises: a 400 unless `kind` says otherwise."""
    return Refused(refusal.code, refusal.message, kind, **details)


def refuse_weak_password(password: str, *, id_number: str, phone: str) -> None:
    """Refused with the first password rule broken; `problems` lists every one, for the form."""
    problems = check_password(password, id_number=id_number, phone=phone)
    if problems:
        raise refused(problems[0], problems=[{"code": p.code, "message": p.message} for p in problems])
