"""Secrets a service needs at start: from the environment, or in development from a file it
creates once in the data directory, so a fresh clone runs with nothing to configure.

Production sets them in the environment (or mounts the files from a secret store). Files are
created atomically (written aside, then hard-linked into place, which fails if another process
won the race), so several instances starting together end up with the same value.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path

SERVICE_SECRET_ENV = "DVC_SERVICE_SECRET"
SERVICE_SECRET_HEADER = "X-Service-Secret"
SERVICE_SECRET_FILE = "service-secret.key"


def read_or_create(path: Path, make: Callable[[], str]) -> str:
    """The content of ``path``; on first use, ``make()`` is written there (mode 0600)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(make())
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(aside, path)  # atomic, and refuses to replace a file another process made
        except FileExistsError:
            pass
        finally:
            with contextlib.suppress(FileNotFoundError):
                aside.unlink()
    return path.read_text(encoding="utf-8").strip()


def service_secret(data_dir: Path) -> str:
    """The secret services present to each other's internal endpoints (``X-Service-Secret``).

    ``DVC_SERVICE_SECRET`` when set; otherwise one generated into the shared data directory,
    which every service of a development stack reads.
    """
    configured = os.environ.get(SERVICE_SECRET_ENV, "").strip()
    if configured:
        return configured
    return read_or_create(data_dir / SERVICE_SECRET_FILE, lambda: secrets.token_urlsafe(32))


def secret_matches(presented: str | None, expected: str) -> bool:
    """Constant-time comparison; an empty expected secret never matches."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(presented.encode(), expected.encode())
