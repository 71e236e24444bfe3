"""Where the data keys of personal fields are kept (ADR 0021): per data subject, the text a key
provider keeps for its key (the key itself, or the key wrapped by a KMS), or the tombstone of an
erased one.

- `KeyRing`, one SQLite database in the directory, for a single host (development, `make run`,
  compose): adding a key is one small transaction, fsynced before it returns (a key must be on
  disk before any event sealed under it is), about 0.08 CPU-ms against 0.20–0.29 for a new file
  with its fsync (ADR 0018, "Data keys").
- `KeyFiles`, one file per subject, for a directory shared between hosts (Kubernetes'
  ReadWriteMany volume on NFS or CephFS), where SQLite's locking cannot be trusted.

Both let services racing to add the same subject's key agree on the first one added, and keep
the tombstone of an erased key so that the subject is never given a new one.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Literal, Protocol

from .local_secrets import read_or_create

ERASED = "erased"  # what an erased key's entry holds: the subject may never get a new key
Kind = Literal["ring", "files"]


def checked(key_id: str) -> str:
    """A key id as storages accept it: letters, digits and dashes (a dossier or notice id), so
    that no id names a path outside the directory."""
    if not key_id or not all(c.isalnum() or c == "-" for c in key_id):
        raise ValueError("a data key id is letters, digits and dashes")
    return key_id


class KeyStorage(Protocol):
    def get(self, key_id: str) -> str | None:
        """What is kept for `key_id`: the key's text, `ERASED`, or None when there is none."""
        ...

    def add(self, key_id: str, kept: str) -> str:
        """Keep `kept` for a new `key_id`; returns what is kept now (another process's, when it
        added one first)."""
        ...

    def erase(self, key_id: str) -> None:
        """Replace what is kept by the tombstone."""
        ...


class KeyFiles:
    """`<directory>/<id[:2]>/<id><suffix>`, mode 0600, created atomically (`read_or_create`)."""

    def __init__(self, directory: Path, suffix: str = ".key") -> None:
        self.directory = directory
        self.suffix = suffix

    def _path(self, key_id: str) -> Path:
        checked(key_id)
        return self.directory / key_id[:2] / f"{key_id}{self.suffix}"

    def get(self, key_id: str) -> str | None:
        try:
            return self._path(key_id).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None

    def add(self, key_id: str, kept: str) -> str:
        return read_or_create(self._path(key_id), lambda: kept)

    def erase(self, key_id: str) -> None:
        path = self._path(key_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{path.name}.erasing")
        aside.write_text(ERASED, encoding="utf-8")
        os.replace(aside, path)


class KeyRing:
    """`<directory>/keys.sqlite3` (WAL, `synchronous=FULL`, mode 0600), shared by the processes of
    one host. Keys written as files before the ring (`KeyFiles`) are still read and erased."""

    FILE = "keys.sqlite3"

    def __init__(self, directory: Path, legacy_suffix: str = ".key") -> None:
        self.directory = directory
        self.legacy = KeyFiles(directory, legacy_suffix)
        self._lock = threading.Lock()  # one connection, used from the loop and worker threads
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / self.FILE
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # SQLite's -wal, -shm follow
            db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA secure_delete=ON")  # an erased key's bytes are overwritten
            db.execute(
                "CREATE TABLE IF NOT EXISTS data_keys (key_id TEXT PRIMARY KEY, kept TEXT NOT NULL)"
                " WITHOUT ROWID"
            )
            self._db = db
        return self._db

    def _select(self, db: sqlite3.Connection, key_id: str) -> str | None:
        row = db.execute("SELECT kept FROM data_keys WHERE key_id = ?", (key_id,)).fetchone()
        return None if row is None else str(row[0])

    def get(self, key_id: str) -> str | None:
        with self._lock:
            kept = self._select(self._connection(), checked(key_id))
        return kept if kept is not None else self.legacy.get(key_id)

    def add(self, key_id: str, kept: str) -> str:
        with self._lock:
            db = self._connection()
            checked(key_id)
            db.execute("INSERT INTO data_keys VALUES (?, ?) ON CONFLICT (key_id) DO NOTHING", (key_id, kept))
            found = self._select(db, key_id)
        assert found is not None, "a row just inserted or kept"
        return found

    def erase(self, key_id: str) -> None:
        with self._lock:
            db = self._connection()
            checked(key_id)
            db.execute(
                "INSERT INTO data_keys VALUES (?, ?) ON CONFLICT (key_id) DO UPDATE SET kept = excluded.kept",
                (key_id, ERASED),
            )
            # The key's page images leave the write-ahead log too.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self.legacy.get(key_id) is not None:
            self.legacy.erase(key_id)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def key_storage(directory: Path, kind: Kind = "ring", suffix: str = ".key") -> KeyStorage:
    """`DVC_PERSONAL_KEYS_STORE`: the ring on one host, files on a volume shared between hosts."""
    return KeyRing(directory, suffix) if kind == "ring" else KeyFiles(directory, suffix)
