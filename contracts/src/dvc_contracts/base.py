"""Base model for every public contract: frozen, strict about unknown fields, every field described."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class ContractModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EventPayload(ContractModel):
    """The payload of one public event type.

    `event_type` names the event on the wire; `schema_version` is its major version. Removing or
    retyping a field needs a new major version (and an upcaster); adding an optional field does not.
    """

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    topic: ClassVar[str]
    # Fields holding personal data: on the wire each is sealed (encrypted under the data key of
    # the envelope's subject, docs/decisions/0021-personal-data.md) and opened by consumers.
    personal: ClassVar[tuple[str, ...]] = ()


class DossierEvent(EventPayload):
    """An event about one dossier: its id, which is also the envelope's key, and its code."""

    dossier_id: UUID = Field(description="Dossier id.")
    dossier_code: str = Field(description="Dossier code.")
