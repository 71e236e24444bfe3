"""Shared base for catalog domain models and the small value objects every procedure cites."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Immutable and strict: a typo in a data file is an error, never a silently dropped key."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(Frozen):
    """A legal source: the instrument and, where known, the provision."""

    document: str = Field(min_length=3)
    provision: str | None = None


class FieldOfActivity(Frozen):
    """A lĩnh vực: the field a procedure belongs to."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)
