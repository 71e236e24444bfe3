"""SMS gateway interface, and the development sink that stands in for the operator's gateway.

The sink is an SQLite file keyed by message id: sending the same message twice stores it once,
as a real gateway does with the client's message reference.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol


class SmsGateway(Protocol):
    async def send(self, message_id: str, phone: str, text: str) -> str:
        """Send one SMS; returns the provider's reference. Idempotent on message_id."""
        ...


class SmsSink:
    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS sms (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                " message_id TEXT UNIQUE NOT NULL, phone TEXT NOT NULL, text TEXT NOT NULL,"
                " sent_at TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def _store(self, message_id: str, phone: str, text: str) -> str:
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO sms (message_id, phone, text, sent_at) VALUES (?,?,?,?)",
                (message_id, phone, text, datetime.now(UTC).isoformat()),
            )
            row = db.execute("SELECT seq FROM sms WHERE message_id=?", (message_id,)).fetchone()
        return f"sink-{row[0]}"

    async def send(self, message_id: str, phone: str, text: str) -> str:
        return await asyncio.to_thread(self._store, message_id, phone, text)

    def list(self, phone: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        query = "SELECT message_id, phone, text, sent_at FROM sms"
        params: tuple[Any, ...] = ()
        if phone:
            query += " WHERE phone=?"
            params = (phone,)
        query += " ORDER BY seq DESC LIMIT ?"
        with self._connect() as db:
            rows = db.execute(query, (*params, limit)).fetchall()
        keys = ("message_id", "phone", "text", "sent_at")
        return [dict(zip(keys, row, strict=True)) for row in rows]
