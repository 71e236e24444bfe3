"""Starting the seven services and the simulators as separate processes: used by `make run`,
`make bench` and the e2e tests (development only: the kernel names no simulator)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dvc_contracts.services import DEFAULT_PORTS as SERVICES
from dvc_kernel.local_secrets import read_or_create

# Local simulators of the outside systems (payment gateway, post, SMTP), each speaking the real
# protocol; their ports sit just above notify's so a test's port block holds them too.
SIMULATORS: dict[str, tuple[str, int]] = {
    "payment-gateway": ("dvc_simulators.payment_gateway.main", 4),
    "postal": ("dvc_simulators.postal_operator.main", 5),
    "smtp-sink": ("dvc_simulators.smtp_sink.main", 6),  # HTTP listing here, SMTP on the next port
    # The brand-name SMS provider: notify's gateway outside development (the benchmark).
    "sms-provider": ("dvc_simulators.sms_provider.main", 8),
}


def simulator_ports(ports: dict[str, int]) -> dict[str, int]:
    return {name: ports["notify"] + offset for name, (_, offset) in SIMULATORS.items()}


def configured_ports() -> dict[str, int]:
    """Default ports, each overridable by `<SERVICE>_PORT` as the services themselves do."""
    return {name: int(os.environ.get(f"{name.upper()}_PORT", port)) for name, port in SERVICES.items()}


class ServiceNotReady(RuntimeError):
    """A service or simulator that exited or did not answer in time, with where its log is."""

    def __init__(self, service: str, why: str, log: Path) -> None:
        super().__init__(f"{service} {why}; see {log}")
        self.service, self.why, self.log = service, why, log

    def log_tail(self, lines: int = 15) -> list[str]:
        try:
            with self.log.open("rb") as fh:
                fh.seek(max(0, fh.seek(0, os.SEEK_END) - 64 * 1024))  # the tail, not a long log
                text = fh.read().decode("utf-8", "replace")
        except OSError:
            return []
        return text.splitlines()[-lines:]


OnReady = Callable[[str], None]


# What a development stack (`make run`, the end-to-end tests) sets unless the environment says
# otherwise: every trace kept, so a developer sees each dossier's whole story, and the
# development routes and sinks (notify keeps SMS in a local sink, readable at /v1/dev/sms).
# Production keeps 1% of new traces (and every error) and sends SMS through a provider; the
# benchmark runs as production does, with the provider's simulator.
DEVELOPMENT_ENV = {"DVC_TRACES_SAMPLE_RATIO": "1", "DVC_DEVELOPMENT": "1"}
# Every stack started here (make run, the tests, the benchmark) sends SMS at any hour: nobody
# waits for 07:00 to see a receipt, and a benchmark run at night must cost what it costs by day.
STACK_ENV = {"NOTIFY_QUIET_HOURS": "off"}


@dataclass
class Stack:
    """Service processes sharing one broker and one data directory."""

    kafka: str
    data_dir: Path
    log_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: configured_ports())
    extra_env: dict[str, str] = field(default_factory=dict)
    development: bool = True
    # When set, each process's pid is written there as soon as it starts, so `make stop` finds
    # it even if the launcher is killed before it could record anything.
    run_dir: Path | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def env(self) -> dict[str, str]:
        env = {
            **STACK_ENV,
            **(DEVELOPMENT_ENV if self.development else {}),
            **os.environ,
            **self.extra_env,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "DVC_DATA_DIR": str(self.data_dir),
        }
        env.update({f"{name.upper()}_PORT": str(port) for name, port in self.ports.items()})
        sims = simulator_ports(self.ports)
        env.update(
            {
                "PAYMENT_URL": self.url("payment"),
                "DELIVERY_URL": self.url("delivery"),
                "PAYMENT_GATEWAY_SIM_PORT": str(sims["payment-gateway"]),
                "PAYMENT_GATEWAY_URL": f"http://127.0.0.1:{sims['payment-gateway']}",
                "POSTAL_SIM_PORT": str(sims["postal"]),
                "POSTAL_API_URL": f"http://127.0.0.1:{sims['postal']}",
                "SMTP_SINK_HTTP_PORT": str(sims["smtp-sink"]),
                "SMTP_SINK_URL": f"http://127.0.0.1:{sims['smtp-sink']}",
                "SMTP_SINK_PORT": str(sims["smtp-sink"] + 1),
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(sims["smtp-sink"] + 1),
                "SMS_SIM_PORT": str(sims["sms-provider"]),
                "NOTIFY_URL": self.url("notify"),
            }
        )
        if not self.development:
            # The key the SMS provider's simulator issued, generated once into the data dir.
            env["SMS_PROVIDER_URL"] = self.simulator_url("sms-provider")
            env["SMS_PROVIDER_API_KEY"] = read_or_create(
                self.data_dir / "sms-provider-api-key.key", lambda: secrets.token_urlsafe(32)
            )
        env.update(self.extra_env)  # a test's own settings win
        return env

    def simulator_url(self, name: str) -> str:
        return f"http://127.0.0.1:{simulator_ports(self.ports)[name]}"

    def simulators(self) -> list[str]:
        """The outside systems this stack talks to: a development stack keeps SMS in notify's
        sink, so it has no SMS provider."""
        return [name for name in SIMULATORS if not (self.development and name == "sms-provider")]

    def sms_url(self) -> str:
        """Where the SMS a phone received are listed (newest first, `?phone=`): notify's
        development sink, or the provider simulator's handsets."""
        if self.development:
            return f"{self.url('notify')}/v1/dev/sms"
        return f"{self.simulator_url('sms-provider')}/v1/test/messages"

    def start(self, service: str, module: str | None = None) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{service}.log").open("ab")
        command = [sys.executable, "-c", f"from {module or f'dvc_{service}.main'} import run; run()"]
        process = subprocess.Popen(
            command, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[service] = process
        if self.run_dir is not None:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            (self.run_dir / f"{service}.pid").write_text(str(process.pid))
        return process

    def log(self, service: str) -> Path:
        return self.log_dir / f"{service}.log"

    def start_all(self, timeout: float = 180, on_ready: OnReady | None = None) -> None:
        """The catalog first: the others judge dossiers by the procedure versions it publishes,
        so they start once it has published them."""
        for name in self.simulators():
            self.start(name, SIMULATORS[name][0])
        self.start("catalog")
        self.wait_ready(["catalog"], timeout=timeout, on_ready=on_ready)
        self.wait_simulators(self.simulators(), timeout=timeout, on_ready=on_ready)
        for service in self.ports:
            if service != "catalog":
                self.start(service)

    def write_pids(self, run_dir: Path) -> None:
        """Remember detached processes so a later command can stop them."""
        run_dir.mkdir(parents=True, exist_ok=True)
        for service, process in self.processes.items():
            (run_dir / f"{service}.pid").write_text(str(process.pid))

    def kill(self, service: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(service)
        process.send_signal(sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for service in list(self.processes):
            process = self.processes.pop(service)
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait_ready(
        self, services: list[str] | None = None, timeout: float = 120, on_ready: OnReady | None = None
    ) -> None:
        self._wait(list(services or self.ports), self.url, "/readyz", timeout, on_ready)

    def wait_simulators(self, names: list[str], timeout: float = 60, on_ready: OnReady | None = None) -> None:
        self._wait(names, self.simulator_url, "/healthz", timeout, on_ready)

    def _wait(
        self, names: list[str], url: Callable[[str], str], path: str, timeout: float, on_ready: OnReady | None
    ) -> None:
        deadline = time.monotonic() + timeout
        waiting = set(names)
        while waiting:
            for name in sorted(waiting):
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    raise ServiceNotReady(name, f"exited with code {process.returncode}", self.log(name))
                if is_ready(url(name), path):
                    waiting.discard(name)
                    if on_ready is not None:
                        on_ready(name)
            if waiting and time.monotonic() > deadline:
                name = sorted(waiting)[0]
                raise ServiceNotReady(name, f"did not answer {path} within {timeout:.0f} s", self.log(name))
            time.sleep(0.2)


def is_ready(base_url: str, path: str = "/readyz") -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}{path}", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop_from_pids(run_dir: Path, timeout: float = 20) -> list[str]:
    """Stop the services a previous `write_pids` recorded; returns the names stopped."""
    running: dict[str, int] = {}
    for pid_file in sorted(run_dir.glob("*.pid")):
        pid = int(pid_file.read_text())
        pid_file.unlink()
        try:
            os.killpg(pid, signal.SIGTERM)  # all at once: each drains its consumers in parallel
        except ProcessLookupError:
            continue
        running[pid_file.stem] = pid
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(pid) for pid in running.values()):
        time.sleep(0.1)
    for pid in running.values():
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
    return sorted(running)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child of ours that exited stays a zombie until reaped; it is not running.
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def stack_ports(base: int) -> dict[str, int]:
    """The services on ports `base`+1..: each test module runs its stack in a block of its own."""
    return {name: base + i for i, name in enumerate(SERVICES, start=1)}
