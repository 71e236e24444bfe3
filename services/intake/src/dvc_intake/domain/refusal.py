"""A rule said no: a machine-readable code and the Vietnamese message the citizen reads.

Domain code raises `Refused`, the kernel's `Refusal` (ADR 0001) with intake's kinds: `invalid`
(the request itself is wrong, 422), `conflict` (the dossier is not in a state that allows it,
409), `not_found` (nothing of the caller's by that name, 404), `stale` (the caller edited an
older version, 412), `too_large` (413) and `unsupported` (a file type the portal does not take,
415). The kernel answers every refusal the same way; intake maps nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from dvc_kernel.refusal import Kind
from dvc_kernel.refusal import Refusal as KernelRefusal

RefusalKind = Literal["invalid", "conflict", "not_found", "stale", "too_large", "unsupported"]


@dataclass(frozen=True)
class Refusal:
    """What a rule says when it says no, before anyone raises it."""

    code: str
    message: str


class Refused(KernelRefusal):
    def __init__(self, code: str, message: str, kind: RefusalKind = "invalid", **details: Any) -> None:
        super().__init__(code, message, Kind(kind), **details)

    @classmethod
    def of(cls, refusal: Refusal, kind: RefusalKind = "invalid", **details: Any) -> Refused:
        return cls(refusal.code, refusal.message, kind, **details)
