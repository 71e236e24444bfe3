"""The shapes processing's events carry, typed. `cause` is the consumed envelope as JSON, kept
as it came and read as a mapping; `meta` is the kernel's `EventMeta`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypedDict

Json = Mapping[str, object]


class SupplementItem(TypedDict):
    """One thing a citizen must supply: the required document concerned, if one, and what."""

    document_code: str | None
    description: str


class JudgedGuest(TypedDict):
    """A guest of a lodging notice, judged by the 23:00 / 08:00 rule (Law on Residence Art. 30)."""

    id_number: str
    arrived_at: datetime
    due_at: datetime
    on_time: bool
