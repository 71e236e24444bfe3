"""The signing key ring, kept encrypted in the data directory and shared by identity instances.

The file holds ``KeyRing.to_document(password)`` (PKCS#8, encrypted). Every instance reloads it
on ``refresh()``; whoever finds the newest key older than ``rotate_every`` adds the next one,
published ``publish_ahead`` before it signs so that verifiers with a cached JWKS (refreshed
every 10 minutes) know it in time, and prunes keys whose tokens have all expired. An exclusive
file lock serialises the instances, so one rotation happens once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import jwt

from dvc_kernel.auth import StaticJwks
from dvc_kernel.clock import Clock

from ..domain.tokens import KeyRing

PUBLISH_AHEAD = timedelta(minutes=15)


def _kids(ring: KeyRing) -> list[str]:
    return [k.kid for k in ring.keys]


class KeyStore:
    def __init__(
        self,
        path: Path | None,
        password: bytes,
        clock: Clock,
        *,
        rotate_every: timedelta = timedelta(days=30),
        publish_ahead: timedelta = PUBLISH_AHEAD,
    ) -> None:
        self.path, self._password, self._clock = path, password, clock
        self.rotate_every, self.publish_ahead = rotate_every, publish_ahead
        self._ring: KeyRing | None = None
        self._jwks: StaticJwks | None = None
        self.refresh()

    def ring(self) -> KeyRing:
        assert self._ring is not None
        return self._ring

    def refresh(self, *, force_rotation: bool = False) -> KeyRing:
        """Reload, create, rotate or prune as due; returns the current ring."""
        with self._locked():
            stored = self._read()
            ring = stored or KeyRing.generate(self._clock.now())
            now = self._clock.now()
            newest = max(k.activates_at for k in ring.keys)
            if force_rotation or newest + self.rotate_every <= now:
                ring = ring.rotate(now, publish_ahead=self.publish_ahead)
            ring = ring.prune(now)
            if stored is None or _kids(ring) != _kids(stored):
                self._write(ring)
        if self._ring is None or _kids(ring) != _kids(self._ring):
            self._ring, self._jwks = ring, StaticJwks(ring.jwks())
        return ring

    def may_fetch(self, kid: str) -> bool:
        return False  # identity holds its own keys

    def get_key(self, kid: str) -> jwt.PyJWK | None:
        """A ``JwksSource``: identity verifies its own tokens in-process."""
        assert self._jwks is not None
        return self._jwks.get_key(kid)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self.path is None:
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.with_name(self.path.name + ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> KeyRing | None:
        if self.path is None:
            return self._ring
        if not self.path.exists():
            return None
        return KeyRing.from_document(json.loads(self.path.read_text("utf-8")), self._password)

    def _write(self, ring: KeyRing) -> None:
        if self.path is None:
            return
        aside = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(ring.to_document(self._password), out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(aside, self.path)
