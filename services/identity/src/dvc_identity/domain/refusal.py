"""A refused input: a machine-readable code (English) and a message for the citizen (Vietnamese)."""

from __future__ import annotations

from dataclasses import dataclass

from dvc_kernel.refusal import Kind
from dvc_kernel.refusal import Refusal as KernelRefusal


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


class RefusedError(KernelRefusal, ValueError):
    """Raised by rules that stop at the first failure; carries the refusal. It is the kernel's
    refusal (ADR 0001), a 400 unless the application says it is another kind of no."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code, refusal.message, Kind.BAD_REQUEST)
        self.refusal = refusal

    def __str__(self) -> str:  # as the registry tool prints it: "code: message"
        return f"{self.code}: {self.message}"
