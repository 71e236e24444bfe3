"""The sink's mailbox: every message received, as raw bytes in SQLite, one per Message-ID."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Stored:
    seq: int
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    received_at: str

    def parsed(self) -> EmailMessage:
        parsed: EmailMessage = message_from_bytes(self.raw, policy=policy.default)
        return parsed

    def attachments(self) -> list[tuple[str | None, str, bytes]]:
        """(filename, media type, content) of each attachment, in order."""
        found: list[tuple[str | None, str, bytes]] = []
        for part in self.parsed().iter_attachments():
            content = part.get_payload(decode=True)
            found.append(
                (part.get_filename(), part.get_content_type(), content if isinstance(content, bytes) else b"")
            )
        return found

    def summary(self, base_url: str = "") -> dict[str, Any]:
        email = self.parsed()
        body = email.get_body(preferencelist=("plain", "html"))
        return {
            "id": self.seq,
            "message_id": email.get("Message-ID"),
            "mail_from": self.mail_from,
            "rcpt_tos": self.rcpt_tos,
            "received_at": self.received_at,
            "from": str(email.get("From", "")),
            "to": str(email.get("To", "")),
            "subject": str(email.get("Subject", "")),
            "headers": [[name, str(value)] for name, value in email.items()],
            "body": body.get_content() if isinstance(body, EmailMessage) else "",
            "attachments": [
                {
                    "index": index,
                    "filename": filename,
                    "media_type": media_type,
                    "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "url": f"{base_url}/messages/{self.seq}/attachments/{index}",
                }
                for index, (filename, media_type, content) in enumerate(self.attachments())
            ],
        }


class MailStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS mail (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                " message_id TEXT UNIQUE NOT NULL, mail_from TEXT NOT NULL, rcpt_tos TEXT NOT NULL,"
                " raw BLOB NOT NULL, received_at TEXT NOT NULL)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS rcpt (seq INTEGER NOT NULL, address TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def add(self, mail_from: str, rcpt_tos: list[str], raw: bytes) -> int:
        """Store a received message; the same Message-ID again keeps the first copy."""
        email = message_from_bytes(raw, policy=policy.default)
        message_id = str(email.get("Message-ID") or f"<sha256-{hashlib.sha256(raw).hexdigest()}>")
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT seq FROM mail WHERE message_id=?", (message_id,)).fetchone()
            if row is None:
                cursor = db.execute(
                    "INSERT INTO mail (message_id, mail_from, rcpt_tos, raw, received_at) VALUES (?,?,?,?,?)",
                    (message_id, mail_from, json.dumps(rcpt_tos), raw, datetime.now(UTC).isoformat()),
                )
                seq = int(cursor.lastrowid or 0)
                db.executemany(
                    "INSERT INTO rcpt (seq, address) VALUES (?,?)", [(seq, a.lower()) for a in rcpt_tos]
                )
            else:
                seq = int(row[0])
            db.execute("COMMIT")
        return seq

    def list(self, recipient: str | None = None, limit: int = 100) -> list[Stored]:
        query = "SELECT seq, mail_from, rcpt_tos, raw, received_at FROM mail"
        params: list[Any] = []
        if recipient:
            query += " WHERE seq IN (SELECT seq FROM rcpt WHERE address=?)"
            params.append(recipient.lower())
        query += " ORDER BY seq DESC LIMIT ?"
        with self._connect() as db:
            rows = db.execute(query, (*params, limit)).fetchall()
        return [Stored(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows]

    def get(self, seq: int) -> Stored | None:
        with self._connect() as db:
            r = db.execute(
                "SELECT seq, mail_from, rcpt_tos, raw, received_at FROM mail WHERE seq=?", (seq,)
            ).fetchone()
        return Stored(r[0], r[1], json.loads(r[2]), r[3], r[4]) if r else None
