"""A throw-away PostgreSQL cluster for tests, from the Debian package's binaries.

`POSTGRES_TEST_DSN`-style reuse is offered through `POSTGRES_HOST`/`POSTGRES_PORT` when set
(an external server); otherwise a cluster is initialised in a temporary directory on a free
port, owned by the `postgres` system user when we run as root (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class TestPostgres:
    host: str
    port: int
    user: str
    password: str
    dbname: str
    _stop: Callable[[], None] | None = None

    __test__ = False

    def env(self) -> dict[str, str]:
        """Settings for an eventsourcing Application (and our ServiceSettings)."""
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
        }

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `make postgres-install`")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_postgres() -> TestPostgres:
    if os.environ.get("POSTGRES_HOST") and os.environ.get("POSTGRES_TEST_EXTERNAL"):
        return TestPostgres(
            os.environ["POSTGRES_HOST"],
            int(os.environ.get("POSTGRES_PORT", 5432)),
            os.environ.get("POSTGRES_USER", "dvc"),
            os.environ.get("POSTGRES_PASSWORD", "dvc"),
            os.environ.get("POSTGRES_DBNAME", "dvc"),
        )
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="dvc-pg-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "dvc",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-w",
        "-l",
        str(root / "server.log"),
        "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        "start",
    )
    run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "dvc", "dvc")

    def stop() -> None:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)

    return TestPostgres("127.0.0.1", port, "dvc", "dvc", "dvc", stop)
