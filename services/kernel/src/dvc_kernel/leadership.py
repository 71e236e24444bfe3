"""One leader per event store: which instance of a service runs the relay (ADR 0013).

Every instance of a service may consume, serve HTTP and write to the shared store, but only one
may publish that store's notification log, or each event would reach Kafka once per instance.
The leader holds a lock the store's own server releases when the holder dies:

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a dedicated connection,
  keyed by the store's identity. A killed process closes its socket and the server frees the lock
  at once; a silent network loss is detected by TCP keepalives on both sides within ~30 s.
- SQLite: an exclusive `flock` on a file next to the store (one machine, so the kernel frees it).

Standby instances try again every second. A leader checks its lock every second and stops its
job when it cannot prove it still holds it. The lock is the liveness half; the safety half is
Kafka's: all instances share one transactional id, so a new leader's producer fences a stale one
that has not yet noticed it lost the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any, Protocol

import psycopg
from psycopg.conninfo import make_conninfo

from .settings import ServiceSettings

log = logging.getLogger(__name__)


class LeaderLock(Protocol):
    """A named lock held by at most one process, freed by the store's server when it dies.
    Blocking calls: run them in a thread."""

    def try_acquire(self, name: str) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class LeadershipLost(RuntimeError):
    pass


def advisory_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for `name` (collisions would only serialise two
    relays, never let two run)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PostgresLeaderLock:
    def __init__(self, connect: dict[str, Any]) -> None:
        # Keepalives on both ends: a partitioned leader gives up, and the server frees its lock.
        self.conninfo = make_conninfo(
            **connect,
            connect_timeout=5,
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
            application_name="dvc-relay-leader",
            options="-c statement_timeout=5000 -c tcp_keepalives_idle=10 "
            "-c tcp_keepalives_interval=5 -c tcp_keepalives_count=3",
        )
        self._conn: psycopg.Connection[Any] | None = None
        self._mutex = threading.Lock()  # a cancelled acquire may still be running in its thread

    def try_acquire(self, name: str) -> bool:
        with self._mutex:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self.conninfo, autocommit=True)
            try:
                row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (advisory_key(name),)).fetchone()
            except psycopg.Error:
                self._close()
                raise
            return bool(row and row[0])

    def still_held(self) -> bool:
        """A session lock lasts as long as its session: a live connection proves it."""
        with self._mutex:
            if self._conn is None or self._conn.closed:
                return False
            try:
                self._conn.execute("SELECT 1")
            except psycopg.Error:
                self._close()
                return False
            return True

    def release(self) -> None:
        with self._mutex:
            self._close()  # ending the session frees its advisory locks

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


class FileLeaderLock:
    blocking = False  # its checks touch nothing but memory: no worker thread needed

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._file: IO[str] | None = None
        self._held = False
        self._mutex = threading.Lock()

    def try_acquire(self, name: str) -> bool:
        with self._mutex:
            if self._file is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256(name.encode()).hexdigest()[:16]
                self._file = (self.directory / f"leader-{digest}.lock").open("w")
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            self._held = True
            return True

    def still_held(self) -> bool:
        return self._held  # only this process can drop a flock it holds

    def release(self) -> None:
        with self._mutex:
            if self._file is not None:
                self._file.close()  # closing the descriptor drops the flock
                self._file, self._held = None, False


def leader_lock(settings: ServiceSettings) -> LeaderLock:
    """The lock matching the service's event store."""
    if settings.persistence_module == "eventsourcing.postgres":
        return PostgresLeaderLock(settings.postgres_conninfo())
    return FileLeaderLock(settings.service_dir)


class Leadership:
    """Runs a job only while this instance holds the lock named for it."""

    def __init__(self, lock: LeaderLock, *, retry_seconds: float = 1.0, check_seconds: float = 1.0) -> None:
        self.lock = lock
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        self.role = "starting"  # then "standby" or "leader"

    async def _still_held(self) -> bool:
        if not getattr(self.lock, "blocking", True):
            return self.lock.still_held()
        return await asyncio.to_thread(self.lock.still_held)

    async def run(self, name: str, job: Callable[[], Awaitable[None]]) -> None:
        """Wait until this instance holds `name`, then run `job` until it ends or the lock is
        lost (then `LeadershipLost`). The lock is released on the way out, whatever happens."""
        try:
            while not await asyncio.to_thread(self.lock.try_acquire, name):
                if self.role != "standby":
                    log.info("standing by: another instance leads %s", name)
                self.role = "standby"
                await asyncio.sleep(self.retry_seconds)
            self.role = "leader"
            log.info("leading %s", name)
            task = asyncio.ensure_future(job())
            try:
                while not task.done():
                    await asyncio.wait({task}, timeout=self.check_seconds)
                    if not task.done() and not await self._still_held():
                        raise LeadershipLost(f"lost the lock on {name}")
                await task
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        finally:
            self.role = "starting"
            await asyncio.to_thread(self.lock.release)
