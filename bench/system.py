"""The system under test, started cold for each repetition: our own broker (kafkactl, on its own
port and data directory) and the seven services (dvc_testing.stack) on their own ports."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from dvc_testing.e2e import PASSWORD, PDF, Person, bearer, register, sign_in
from dvc_testing.stack import Stack, stop_from_pids

from .config import REPO, Config
from .workload import Citizen, Host

KAFKACTL = [sys.executable, str(REPO / "deploy" / "kafka" / "kafkactl.py")]


@dataclass
class System:
    config: Config
    root: Path  # this repetition's broker data and event stores
    bootstrap: str = ""
    stack: Stack | None = None
    broker_ready_s: float = 0.0  # broker process started -> a produce/consume round trip works
    services_ready_s: float = 0.0  # seven services started -> every /readyz answers 200

    def _kafka_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "KAFKA_PORT": str(self.config.kafka_port),
            "KAFKA_DATA_DIR": str(self.root / "kafka"),
            "KAFKA_TOPIC_PARTITIONS": str(self.config.partitions),
        }

    def _kafkactl(self, command: str) -> str:
        done = subprocess.run(
            [*KAFKACTL, command], env=self._kafka_env(), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"kafkactl {command} failed:\n{done.stdout}{done.stderr}")
        return done.stdout.strip()

    def start(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self._kafkactl("install")  # Maven resolution (first run only) is not part of a cold start
        started = time.monotonic()
        self.bootstrap = self._kafkactl("start")
        self.broker_ready_s = time.monotonic() - started
        self._kafkactl("topics")
        self.stack = Stack(
            kafka=self.bootstrap,
            data_dir=self.root / "data",
            log_dir=self.root / "logs",
            ports=self.config.ports(),
            development=False,  # measured as production runs: traces sampled, not all kept
        )
        started = time.monotonic()
        try:
            self.stack.start_all(timeout=300)
            self.stack.wait_ready(timeout=300)
        finally:
            self.stack.write_pids(self.root / "pids")  # for `leftovers` after an interrupted run
        self.services_ready_s = time.monotonic() - started

    def pids(self) -> dict[str, int]:
        """Each service and simulator process, and the broker's JVM."""
        assert self.stack is not None
        found = {name: process.pid for name, process in self.stack.processes.items()}
        found["kafka"] = int((self.root / "kafka" / "kafka.pid").read_text())
        return found

    def residents(self, count: int) -> list[tuple[Person, str, str]]:
        """The first `count` residents of identity's registry seed who have a phone (needed for
        the OTP): each person, the form's sex code and their ward."""
        found: list[tuple[Person, str, str]] = []
        with (self.root / "data" / "identity" / "registry.csv").open(encoding="utf-8") as rows:
            for row in csv.DictReader(line for line in rows if not line.startswith("#")):
                if row["phone"] and row["date_of_birth"]:
                    person = Person(row["id_number"], row["full_name"], row["phone"], row["date_of_birth"])
                    found.append((person, "nu" if row["sex"] == "female" else "nam", row["ward_code"]))
                if len(found) == count:
                    return found
        raise RuntimeError(f"the registry has fewer than {count} residents with a phone")

    def accounts(self, citizens: int, hosts: int) -> tuple[list[Citizen], list[Host]]:
        """Residents register and log in through identity as people do (password, then the OTP
        read from notify's SMS sink): `citizens` who each upload a proof of residence once, and
        `hosts` who notify lodging, each of the resident after them as guest."""
        assert self.stack is not None
        stack = self.stack

        def log_in(person: Person) -> str:
            register(stack, person, PASSWORD)
            return str(sign_in(stack, person, PASSWORD)["access_token"])

        def citizen(resident: tuple[Person, str, str]) -> Citizen:
            person, sex, ward = resident
            token = log_in(person)
            proof = httpx.post(
                f"{stack.url('intake')}/v1/files",
                files={"file": ("hop-dong-thue-nha.pdf", PDF)},
                headers=bearer(token),
                timeout=60,
            )
            proof.raise_for_status()
            return Citizen(person, sex, ward, token, str(proof.json()["sha256"]))

        residents = self.residents(citizens + hosts + 1)

        def host(n: int) -> Host:
            person, _, ward = residents[citizens + n]
            name, address = f"Nhà nghỉ Bench {n + 1:02d}", f"{n + 1} phố Hàng Trống"
            return Host(name, ward, address, log_in(person), residents[citizens + n + 1][0])

        with ThreadPoolExecutor(max_workers=8) as pool:
            filing = list(pool.map(citizen, residents[:citizens]))
            return filing, list(pool.map(host, range(hosts)))

    def stop_services(self) -> None:
        """The services and simulators; the broker stays up."""
        if self.stack is not None:
            self.stack.stop_all()

    def stop(self) -> None:
        if self.stack is not None:
            self.stack.stop_all()
        if (self.root / "kafka").exists():
            self._kafkactl("stop")

    @classmethod
    def leftovers(cls, config: Config) -> None:
        """Stop what an interrupted earlier run left running under the work directory."""
        for root in sorted(config.work_dir.glob("run-*")):
            for pid_file in (root / "pids").glob("*.pid"):
                if not _ours(int(pid_file.read_text()), root):
                    pid_file.unlink()  # gone, or the number now belongs to another process
            stop_from_pids(root / "pids")
            if (root / "kafka").exists():
                cls(config, root)._kafkactl("stop")


def _ours(pid: int, root: Path) -> bool:
    """Whether `pid` is still a process this benchmark started for the run in `root`."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    return f"DVC_DATA_DIR={root / 'data'}".encode() in environ
