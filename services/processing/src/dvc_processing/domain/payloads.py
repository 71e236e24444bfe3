"""The shapes processing's events carry, typed. `meta` is the kernel's `CommandMeta.as_dict()`
and `cause` the consumed envelope as JSON: both kept as they came, read as mappings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypedDict

from dvc_kernel.event_meta import EventMeta

Json = Mapping[str, object]
Meta = EventMeta  # who acted, for whom, in which trace


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
