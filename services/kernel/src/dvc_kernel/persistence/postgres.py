"""PostgreSQL event store (production): the library's recorders plus multi-tracking and lookup
rows, in the same transaction as the events (ADR 0018)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing import postgres as library  # not its classes: the library looks for one factory
from eventsourcing.persistence import StoredEvent
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier


class ProcessRecorder(library.PostgresProcessRecorder):
    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        table = Identifier(self.datastore.schema), Identifier(f"{self.events_table_name}_lookups")
        index = Identifier(f"{self.events_table_name}_lookups_by_key")
        self.sql_create_statements += [
            # seq orders a key's rows by insertion: newest first is ORDER BY seq DESC.
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} (name text NOT NULL, key text NOT NULL, "
                "value text NOT NULL, seq bigserial, PRIMARY KEY (name, key, value))"
            ).format(*table),
            SQL("CREATE INDEX IF NOT EXISTS {2} ON {0}.{1} (name, key, seq)").format(*table, index),
        ]
        self._insert_lookup = SQL(
            "INSERT INTO {0}.{1} (name, key, value) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
        ).format(*table)
        self._delete_lookup = SQL("DELETE FROM {0}.{1} WHERE name=%s AND key=%s AND value=%s").format(*table)
        self._select_lookup = SQL(
            "SELECT value FROM {0}.{1} WHERE name=%s AND key=%s ORDER BY seq DESC"
        ).format(*table)
        self._count_lookup = SQL("SELECT COUNT(*) AS n FROM {0}.{1} WHERE name=%s").format(*table)

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        for tracking in kwargs.get("trackings") or ():
            self._insert_tracking(curs, tracking)
        super()._insert_events(curs, stored_events, **kwargs)
        if rows := kwargs.get("lookups"):
            curs.executemany(self._insert_lookup, rows)
        if gone := kwargs.get("unlookups"):
            curs.executemany(self._delete_lookup, gone)

    def lookup(self, name: str, key: str, limit: int | None = None) -> list[str]:
        """The values of `key` under `name`, newest first."""
        statement = self._select_lookup
        params: list[Any] = [name, key]
        if limit is not None:
            statement = statement + SQL(" LIMIT %s")
            params.append(limit)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            return [row["value"] for row in curs.fetchall()]

    def lookup_count(self, name: str) -> int:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self._count_lookup, [name])
            row = curs.fetchone()
            return int(row["n"]) if row else 0


class Factory(library.PostgresFactory):
    process_recorder_class = ProcessRecorder
