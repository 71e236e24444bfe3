"""`make run` fails with one plain sentence that says what to do, never a traceback.

The launcher runs as a real process with its own var directory and broker data directory, and a
port held by a dummy socket, a PATH with no Java, or a Maven that cannot reach its registry; none
of these starts a broker or a service. A service that does not get ready is checked on the
kernel's Stack with a process that fails at once.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dvc_testing.stack import ServiceNotReady, Stack, stack_ports

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy"))
import devstack  # noqa: E402

# This module's port block (19900-19999): the services on 19901-19907, the simulators above.
PORTS = stack_ports(19900)


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port some other program listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def make_run(tmp_path: Path, port: int, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
    environment.update(
        {
            "KAFKA_PORT": str(port),
            "KAFKA_DATA_DIR": str(tmp_path / "kafka"),
            "KAFKA_CACHE_DIR": str(tmp_path / "cache"),
            "DEVSTACK_VAR_DIR": str(tmp_path / "var"),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, str(REPO / "deploy" / "devstack.py"), "up"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def last_sentence(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_a_taken_broker_port_is_named_with_what_to_do(tmp_path: Path, taken_port: int) -> None:
    sentence = last_sentence(make_run(tmp_path, taken_port))
    assert sentence == (
        f"make run: port {taken_port} is taken by a process that is not ours: stop it "
        f"(`ss -ltnp 'sport = :{taken_port}'` names it), or set KAFKA_BOOTSTRAP_SERVERS to use a "
        "broker that is already running."
    )


def test_progress_says_which_step_is_running(tmp_path: Path, taken_port: int) -> None:
    done = make_run(tmp_path, taken_port)
    assert done.stdout.startswith("[1/4] Kafka broker")


def fake_programs(tmp_path: Path, **scripts: str) -> str:
    """A PATH holding only the given programs (shell scripts)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in scripts.items():
        program = bin_dir / name
        program.write_text(f"#!/bin/sh\n{body}\n")
        program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(bin_dir)


def test_no_java_says_to_install_a_jdk(tmp_path: Path) -> None:
    sentence = last_sentence(make_run(tmp_path, free_port(), PATH=fake_programs(tmp_path)))
    assert sentence == (
        "make run: no Java runtime (java) on the PATH: install a JDK 17 or later "
        "(Debian: apt-get install openjdk-17-jdk-headless), then run the command again."
    )


# What `mvn -q` prints when the machine cannot reach Maven Central.
MAVEN_OFFLINE = """\
[ERROR] Failed to execute goal on project kafka-libs: Could not resolve dependencies for project \
dvc:kafka-libs:pom:1: Failed to collect dependencies at org.apache.kafka:kafka_2.13:jar:4.1.2: \
Failed to read artifact descriptor for org.apache.kafka:kafka_2.13:jar:4.1.2: The following \
artifacts could not be resolved: org.apache.kafka:kafka_2.13:pom:4.1.2 (absent): Could not \
transfer artifact org.apache.kafka:kafka_2.13:pom:4.1.2 from/to central \
(https://repo.maven.apache.org/maven2): repo.maven.apache.org: Name or service not known: \
Unknown host repo.maven.apache.org -> [Help 1]"""


def test_an_unreachable_registry_says_to_check_the_network(tmp_path: Path) -> None:
    path = fake_programs(tmp_path, java="exit 0", mvn=f"echo '{MAVEN_OFFLINE}'\nexit 1")
    done = make_run(tmp_path, free_port(), PATH=path)
    sentence = last_sentence(done)
    assert sentence.startswith("make run: Maven could not reach Maven Central to resolve Kafka 4.1.2 (")
    assert sentence.endswith(
        "): check the network connection or the proxy and mirror in ~/.m2/settings.xml, "
        "then run the command again."
    )
    assert "resolving Kafka 4.1.2 from Maven Central" in done.stdout  # the wait was announced


def test_a_taken_service_port_names_the_service(taken_port: int, tmp_path: Path) -> None:
    ports = {**PORTS, "intake": taken_port}
    stack = Stack(kafka="unused", data_dir=tmp_path, log_dir=tmp_path, ports=ports)
    with pytest.raises(devstack.Failure) as failure:
        devstack.check_ports(stack)
    assert str(failure.value).startswith(
        f"port {taken_port} for intake (set INTAKE_PORT to move it) is taken by another process"
    )


def test_a_service_that_does_not_get_ready_is_named_with_its_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = Stack(kafka="unused", data_dir=tmp_path, log_dir=tmp_path / "log", ports=PORTS)
    stack.start("intake", "dvc_kernel.no_such_module_here")
    with pytest.raises(ServiceNotReady) as not_ready:
        stack.wait_ready(["intake"], timeout=30)
    failure = devstack.not_ready(not_ready.value)
    assert str(failure).startswith("intake did not become ready (exited with code 1): its log ")
    assert str(failure).endswith("says why (last lines above); fix that, then run make run again")
    shown = capsys.readouterr().err
    assert "ModuleNotFoundError: No module named 'dvc_kernel.no_such_module_here'" in shown


def test_a_service_that_never_answers_is_named_after_the_timeout(tmp_path: Path) -> None:
    stack = Stack(kafka="unused", data_dir=tmp_path, log_dir=tmp_path / "log", ports=PORTS)
    stack.start("intake", "os import sep; import time; time.sleep(60); from os")  # never listens
    try:
        with pytest.raises(ServiceNotReady) as not_ready:
            stack.wait_ready(["intake"], timeout=1)
    finally:
        stack.stop_all()
    assert not_ready.value.service == "intake"
    assert not_ready.value.why == "did not answer /readyz within 1 s"


@pytest.fixture
def one_step_launch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Stack:
    """`make run` with one step that starts a long-lived stand-in for the services, its pid
    recorded in a run directory of this test's own; the broker is this test's data dir."""
    monkeypatch.setattr(devstack, "RUN_DIR", tmp_path / "run")
    monkeypatch.setenv("KAFKA_DATA_DIR", str(tmp_path / "kafka"))
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    stack = Stack(
        kafka="unused", data_dir=tmp_path, log_dir=tmp_path / "log", ports=PORTS, run_dir=tmp_path / "run"
    )

    def start(launch: devstack.Launch) -> None:
        launch.stack, launch.started = stack, True
        stack.start("catalog", "os import sep; import time; time.sleep(120); from os")

    monkeypatch.setattr(devstack, "STEPS", [devstack.Step("A stand-in service", start)])
    monkeypatch.setattr(devstack, "where_things_are", lambda launch: None)
    return stack


def test_ctrl_c_in_the_foreground_stops_everything_it_started(one_step_launch: Stack) -> None:
    threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    assert devstack.up(detach=False) == 130
    process = one_step_launch.processes["catalog"]
    assert process.poll() is not None  # stopped, not left behind
    assert not list(devstack.RUN_DIR.glob("*.pid"))


def test_detached_it_returns_and_make_stop_stops_it_later(one_step_launch: Stack) -> None:
    assert devstack.up(detach=True) == 0
    process = one_step_launch.processes["catalog"]
    assert process.poll() is None and (devstack.RUN_DIR / "catalog.pid").exists()
    devstack.down(quiet=True)
    assert process.wait(timeout=10) is not None
