"""SMS gateway interface, and the development sink that stands in for the operator's gateway.

A gateway takes our message id as the client reference and sends each reference once, as the
operators' brand-name SMS gateways do; it reports delivery receipts (delivered or failed) to
the receipt handler it was given, as a real gateway calls back its client.

The sink is an SQLite file keyed by message id: sending the same message twice stores it once.
It reports every SMS delivered, except to the numbers it was told are unreachable.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsReceipt:
    message_id: str
    provider_ref: str
    delivered: bool
    detail: str


ReceiptHandler = Callable[[SmsReceipt], Awaitable[None]]


class SmsGateway(Protocol):
    async def send(self, message_id: str, phone: str, text: str) -> str:
        """Send one SMS; returns the provider's reference. Idempotent on message_id."""
        ...


class SmsSink:
    def __init__(
        self,
        path: Path,
        on_receipt: ReceiptHandler | None = None,
        unreachable: Collection[str] = (),
    ) -> None:
        self.path = path
        self.on_receipt = on_receipt
        self.unreachable = frozenset(unreachable)
        self._db = self._connect()  # one connection: a send is one small insert, on the loop
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS sms (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                " message_id TEXT UNIQUE NOT NULL, phone TEXT NOT NULL, text TEXT NOT NULL,"
                " sent_at TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _store(self, message_id: str, phone: str, text: str) -> str:
        db = self._db
        db.execute(
            "INSERT OR IGNORE INTO sms (message_id, phone, text, sent_at) VALUES (?,?,?,?)",
            (message_id, phone, text, datetime.now(UTC).isoformat()),
        )
        row = db.execute("SELECT seq FROM sms WHERE message_id=?", (message_id,)).fetchone()
        return f"sink-{row[0]}"

    async def send(self, message_id: str, phone: str, text: str) -> str:
        ref = self._store(message_id, phone, text)
        if self.on_receipt is not None:
            # As a gateway calls back later: the caller's send is not held up by the receipt.
            asyncio.get_running_loop().create_task(self._report(message_id, phone, ref))
        return ref

    async def _report(self, message_id: str, phone: str, ref: str) -> None:
        assert self.on_receipt is not None
        if phone in self.unreachable:
            receipt = SmsReceipt(message_id, ref, False, "subscriber unreachable")
        else:
            receipt = SmsReceipt(message_id, ref, True, "delivered to handset")
        try:
            await self.on_receipt(receipt)
        except Exception:
            log.exception("could not report the receipt of %s", ref)

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
