"""What a dossier holds about its applicant and its files, typed: the shapes its events carry
and intake's commands pass on (the API's pydantic models check them on the way in)."""

from __future__ import annotations

from typing import TypedDict


class Applicant(TypedDict):
    """Who the dossier is for, as declared and matched against the population registry (kept
    encrypted at rest, ADR 0021)."""

    id_number: str  # 12 digits
    full_name: str
    date_of_birth: str  # ISO 8601 date
    phone: str
    email: str | None


class FileRef(TypedDict):
    """A file named in a request: its content hash, and which of the procedure's papers it is."""

    sha256: str
    document_code: str


class Attachment(FileRef):
    """A file kept with a dossier: also what its content is and its size (the contract's
    `AttachmentRef`)."""

    media_type: str
    size: int
