"""The catalog's domain errors and its routes' parameter checks are refusals
(`dvc_kernel.refusal`), which the kernel's handlers answer as problem details."""

from __future__ import annotations

from dvc_kernel.refusal import Kind, Refusal


def invalid_parameter(message: str) -> Refusal:
    """A query parameter the route parses itself was malformed or unknown (422)."""
    return Refusal("invalid_parameter", message, Kind.INVALID)
