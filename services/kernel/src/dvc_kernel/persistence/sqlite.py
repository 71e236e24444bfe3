"""SQLite event store (the embedded default): the library's recorders plus multi-tracking and
lookup rows, and the durability level of each commit (`SQLITE_SYNCHRONOUS`, ADR 0018).

WAL mode with `synchronous=NORMAL` (our default) does not fsync at each commit: a committed
transaction survives the process being killed (the WAL is in the OS page cache), but a power
loss or kernel crash may lose the last commits before a checkpoint. `FULL` fsyncs every commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing import sqlite as library  # not its classes: the library looks for one factory
from eventsourcing.persistence import StoredEvent

SYNCHRONOUS = "SQLITE_SYNCHRONOUS"
LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")


class _Pool(library.SQLiteConnectionPool):
    synchronous = "NORMAL"

    def _create_connection(self) -> library.SQLiteConnection:
        connection = super()._create_connection()
        # Per connection; the library opens WAL mode. Not settable inside a transaction.
        connection._sqlite_conn.execute(f"PRAGMA synchronous={self.synchronous}")
        return connection


class ProcessRecorder(library.SQLiteProcessRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            # rowid orders a key's rows by insertion: newest first is ORDER BY rowid DESC.
            "CREATE TABLE IF NOT EXISTS lookups ("
            "name TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
            "PRIMARY KEY (name, key, value))",
            "CREATE INDEX IF NOT EXISTS lookups_by_key ON lookups (name, key)",
        ]

    def _insert_events(
        self, c: library.SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        for tracking in kwargs.get("trackings") or ():
            self._insert_tracking(c, tracking)  # before the events: a duplicate fails at once
        returning = super()._insert_events(c, stored_events, **kwargs)
        if rows := kwargs.get("lookups"):
            c.executemany("INSERT INTO lookups VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows)
        if gone := kwargs.get("unlookups"):
            c.executemany("DELETE FROM lookups WHERE name=? AND key=? AND value=?", gone)
        return returning

    def lookup(self, name: str, key: str, limit: int | None = None) -> list[str]:
        """The values of `key` under `name`, newest first."""
        statement = "SELECT value FROM lookups WHERE name=? AND key=? ORDER BY rowid DESC"
        params: list[Any] = [name, key]
        if limit is not None:
            statement += " LIMIT ?"
            params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [row["value"] for row in c.fetchall()]

    def lookup_count(self, name: str) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT COUNT(*) FROM lookups WHERE name=?", [name])
            return int(c.fetchone()[0])


class Factory(library.SQLiteFactory):
    process_recorder_class = ProcessRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        level = (self.env.get(SYNCHRONOUS) or "NORMAL").strip().upper()
        if level not in LEVELS:
            raise OSError(f"{SYNCHRONOUS}={level!r}: use one of {', '.join(LEVELS)}")
        pool = self.datastore.pool
        if not pool.is_sqlite_memory_mode:
            # The pool opens connections on demand and has none yet: make it our subclass, which
            # sets the level on each connection it opens.
            pool.__class__ = _Pool
            pool.synchronous = level  # type: ignore[attr-defined]
