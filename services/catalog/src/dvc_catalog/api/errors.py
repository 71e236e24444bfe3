"""Error bodies: the kernel's problem details with a code and a Vietnamese message, never
FastAPI's default `detail` list. The catalog's domain errors and its routes' parameter checks
are refusals (`dvc_kernel.refusal`), which the kernel's handlers answer."""

from __future__ import annotations

from dvc_kernel.errors import install_error_handlers
from dvc_kernel.refusal import Kind, Refusal

__all__ = ["install_error_handlers", "invalid_parameter"]


def invalid_parameter(message: str) -> Refusal:
    """A query parameter the route parses itself was malformed or unknown (422)."""
    return Refusal("invalid_parameter", message, Kind.INVALID)
