"""In-memory event store (unit tests only): the library's POPO recorders plus multi-tracking
and lookup rows, so code under test behaves as on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from eventsourcing import popo as library  # not its classes: the library looks for one factory
from eventsourcing.persistence import ProcessRecorder as LibraryProcessRecorder
from eventsourcing.persistence import StoredEvent


class ProcessRecorder(library.POPOProcessRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._lookups: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)  # ordered sets

    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        super()._assert_uniqueness(stored_events, **kwargs)
        for tracking in kwargs.get("trackings") or ():
            self._assert_tracking_uniqueness(tracking)

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._update_table(stored_events, **kwargs)
        for tracking in kwargs.get("trackings") or ():
            self._insert_tracking(tracking)
        for name, key, value in kwargs.get("lookups") or ():
            self._lookups[(name, key)].setdefault(value)
        for name, key, value in kwargs.get("unlookups") or ():
            self._lookups[(name, key)].pop(value, None)
        return ids

    def lookup(self, name: str, key: str, limit: int | None = None) -> list[str]:
        with self._database_lock:
            values = list(reversed(self._lookups.get((name, key), {})))
        return values if limit is None else values[:limit]

    def lookup_count(self, name: str) -> int:
        with self._database_lock:
            return sum(len(v) for (n, _), v in self._lookups.items() if n == name)


class Factory(library.POPOFactory):
    def process_recorder(self) -> LibraryProcessRecorder:
        return ProcessRecorder()
