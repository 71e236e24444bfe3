"""The meta of a command that a signed-in caller sends over HTTP: the caller is the actor, and
staff act for one of their units."""

from __future__ import annotations

from typing import Any

from .auth.principal import Principal
from .meta import CommandMeta, command_meta


def caller_meta(request: Any, principal: Principal, unit: str | None = None) -> CommandMeta:
    """Meta saying `principal` acted (for `unit`, when staff act for one)."""
    return command_meta(request, actor_id=principal.subject, actor_role=principal.role.value, actor_unit=unit)


def first_unit(principal: Principal) -> str | None:
    """The unit staff act for when nothing names one: the first of theirs, sorted, so always the same."""
    return min(principal.units, default=None)
