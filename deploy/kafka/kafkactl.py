"""kafkactl: a single-node Apache Kafka broker (KRaft, combined mode) for development and tests.

    .venv/bin/python deploy/kafka/kafkactl.py {install,start,stop,status,topics}

The broker's jars come from Maven Central (deploy/kafka/pom.xml) because Apache's download
mirrors are not reachable from our machines; see docs/decisions/0002-*.md. Environment:
KAFKA_PORT (9092; the controller listens on port+1), KAFKA_DATA_DIR (<repo>/var/kafka),
KAFKA_VERSION, KAFKA_CACHE_DIR (<repo>/.cache/kafka), KAFKA_HEAP_OPTS, KAFKA_START_TIMEOUT (s).

A secured broker (the SASL_SSL integration test, ADR 0024): KAFKA_EXTRA_PROPERTIES names a
properties file whose entries replace or extend the generated ones (listeners, TLS, SASL, the
authorizer); KAFKA_FORMAT_ARGS adds arguments to the storage format (`--add-scram ...`); the
probe then connects with the kernel's client security settings (KAFKA_SECURITY_PROTOCOL...).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import fcntl
import logging
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
POM = Path(__file__).resolve().with_name("pom.xml")
DEFAULT_VERSION = "4.1.2"
PROBE_TOPIC = "kafkactl.probe"
# Fast start matters more than peak throughput here: C1 only, serial GC, a modest heap.
DEFAULT_HEAP = "-Xms256m -Xmx768m"
JVM_FLAGS = [
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",  # C1 only: C2 compiling costs more CPU than it saves here
    "-XX:-UsePerfData",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
]
LOG4J2 = """\
status = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.filePattern = ${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
"""


class KafkactlError(RuntimeError):
    pass


@dataclass(frozen=True)
class Layout:
    version: str
    port: int
    data: Path
    libs: Path

    @classmethod
    def from_env(cls) -> Layout:
        version = os.environ.get("KAFKA_VERSION", DEFAULT_VERSION)
        cache = Path(os.environ.get("KAFKA_CACHE_DIR", REPO / ".cache" / "kafka"))
        data = Path(os.environ.get("KAFKA_DATA_DIR", REPO / "var" / "kafka")).resolve()
        port = int(os.environ.get("KAFKA_PORT", "9092"))
        return cls(version, port, data, cache.resolve() / version / "libs")

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data / "kafka.pid"

    @property
    def log_dir(self) -> Path:
        return self.data / "logs"

    @property
    def config(self) -> Path:
        return self.data / "config" / "server.properties"

    @property
    def kraft(self) -> Path:
        return self.data / "kraft"  # log.dirs: partitions and the metadata log


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise kafkactl runs on one cache or data dir (tests and `make run` may race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


# What Maven prints when it cannot reach a repository at all, as opposed to a missing artifact.
NETWORK_ERRORS = (
    "Could not transfer",
    "Unknown host",
    "UnknownHostException",
    "Connection refused",
    "Connect timed out",
    "Network is unreachable",
    "No route to host",
    "PKIX path building failed",
)


def install(lay: Layout) -> None:
    done = lay.libs / ".complete"
    if done.exists():
        return
    with locked(lay.libs.parent / ".install.lock"):
        if done.exists():
            return
        if shutil.which("mvn") is None:
            raise KafkactlError(
                "Maven (mvn) is needed once to fetch Kafka's jars: install it "
                "(Debian: apt-get install maven), then run the command again"
            )
        # Resolve into a scratch dir and rename, so an interrupted download is never mistaken
        # for a complete install.
        scratch = lay.libs.with_name("libs.partial")
        shutil.rmtree(scratch, ignore_errors=True)
        # Progress goes to stderr: stdout of `start` is just the bootstrap address, for scripts.
        print(f"kafkactl: resolving Kafka {lay.version} from Maven Central ...", file=sys.stderr, flush=True)
        cmd = ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies"]
        cmd += [f"-Dkafka.version={lay.version}", f"-DoutputDirectory={scratch}"]
        done_mvn = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done_mvn.returncode != 0:
            raise KafkactlError(maven_failure(lay.version, done_mvn.stdout + done_mvn.stderr))
        shutil.rmtree(lay.libs, ignore_errors=True)
        scratch.rename(lay.libs)
        done.touch()


def maven_failure(version: str, output: str) -> str:
    """One sentence saying what to do, from what `mvn -q` printed (only its errors)."""
    lines = [line.removeprefix("[ERROR] ").strip() for line in output.splitlines() if line.strip()]
    cause = next((line for line in lines if any(e in line for e in NETWORK_ERRORS)), None)
    if cause is not None:
        return (
            f"Maven could not reach Maven Central to resolve Kafka {version} ({cause[:200]}): "
            "check the network connection or the proxy and mirror in ~/.m2/settings.xml, "
            "then run the command again"
        )
    first = lines[0][:200] if lines else "no output"
    return f"Maven could not resolve Kafka {version} ({first}): see `mvn -f {POM} dependency:tree`"


def require_java() -> None:
    """Kafka 4 runs on Java 17 or later; say so before anything reads as a Java stack trace."""
    if shutil.which("java") is None:
        raise KafkactlError(
            "no Java runtime (java) on the PATH: install a JDK 17 or later "
            "(Debian: apt-get install openjdk-17-jdk-headless), then run the command again"
        )


def server_properties(lay: Layout) -> str:
    ctl = f"127.0.0.1:{lay.port + 1}"
    props = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "listeners": f"PLAINTEXT://{lay.bootstrap},CONTROLLER://{ctl}",
        "advertised.listeners": f"PLAINTEXT://{lay.bootstrap},CONTROLLER://{ctl}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        # Dynamic quorum (KIP-853): formatted with --standalone, found through bootstrap servers.
        "controller.quorum.bootstrap.servers": ctl,
        "log.dirs": str(lay.kraft),
        # One node: every internal topic and default must fit on a single replica.
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "10",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "10",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        "group.initial.rebalance.delay.ms": "0",
        # Topics come from the contracts (`kafkactl topics`), never from a typo in a consumer.
        "auto.create.topics.enable": "false",
        "num.partitions": "3",
        "metadata.max.idle.interval.ms": "10000",
        "num.io.threads": "2",
        "num.network.threads": "1",
        "background.threads": "2",
        "num.replica.fetchers": "1",
        "num.recovery.threads.per.data.dir": "1",
    }
    props.update(extra_properties())
    return "".join(f"{k}={v}\n" for k, v in props.items())


def extra_properties() -> dict[str, str]:
    """KAFKA_EXTRA_PROPERTIES: `key=value` lines over the generated configuration."""
    path = os.environ.get("KAFKA_EXTRA_PROPERTIES")
    if not path:
        return {}
    lines = (line.strip() for line in Path(path).read_text().splitlines())
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def java(lay: Layout, *args: str, props: tuple[str, ...] = ()) -> list[str]:
    heap = os.environ.get("KAFKA_HEAP_OPTS", DEFAULT_HEAP).split()
    return ["java", *heap, *JVM_FLAGS, *props, "-cp", str(lay.libs / "*"), *args]


def new_cluster_id() -> str:
    # Kafka's Uuid.randomUuid(): 16 random bytes, URL-safe base64 without padding, and never
    # starting with '-' (it would read as a command-line flag).
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


def format_storage(lay: Layout) -> None:
    """Format the KRaft metadata log once; the cluster id and controller port live in data/."""
    id_file, port_file = lay.data / "cluster.id", lay.data / "controller.port"
    if (lay.kraft / "meta.properties").exists():
        formatted = int(port_file.read_text()) if port_file.exists() else lay.port + 1
        if formatted != lay.port + 1:  # the voter set records the controller endpoint
            raise KafkactlError(
                f"{lay.data} was formatted for controller port {formatted}; use "
                f"KAFKA_PORT={formatted - 1} or remove the data dir"
            )
        return
    cid = id_file.read_text().strip() if id_file.exists() else new_cluster_id()
    id_file.write_text(cid + "\n")
    cmd = java(lay, "kafka.tools.StorageTool", "format", "--standalone", "-t", cid)
    cmd += shlex.split(os.environ.get("KAFKA_FORMAT_ARGS", ""))  # e.g. --add-scram (SCRAM users)
    out = subprocess.run([*cmd, "-c", str(lay.config)], capture_output=True, text=True)
    if out.returncode != 0:
        raise KafkactlError(f"formatting {lay.kraft} failed:\n{out.stdout}{out.stderr}")
    port_file.write_text(f"{lay.port + 1}\n")


def running_pid(lay: Layout) -> int | None:
    """The pid in the pid file if it is still our broker (pids get recycled)."""
    try:
        pid = int(lay.pid_file.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    return pid if str(lay.config).encode() in cmdline else None


def check_port(lay: Layout) -> None:
    """A broker already running from this data dir must be the one on the requested port."""
    listeners = next(
        (line for line in lay.config.read_text().splitlines() if line.startswith("listeners=")), ""
    )
    if f"://{lay.bootstrap}," not in listeners:
        raise KafkactlError(f"the broker running from {lay.data} is not on {lay.bootstrap}; see {lay.config}")


def exists(pid: int) -> bool:
    """True until the process is gone or a zombie (cmdline empties earlier, while it exits)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def probe(bootstrap: str) -> None:
    """One real produce (acks=all) and consume round trip on the probe topic."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    # The probe connects as every platform client does (KAFKA_SECURITY_PROTOCOL...; ADR 0024).
    from dvc_kernel import kafka_security

    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, **kafka_security.client_options(), request_timeout_ms=5000
    )
    await admin.start()
    try:
        if PROBE_TOPIC not in await admin.list_topics():
            cfg = {"retention.ms": "3600000"}
            await admin.create_topics([NewTopic(PROBE_TOPIC, 1, 1, topic_configs=cfg)])
    finally:
        await admin.close()
    token = uuid.uuid4().hex.encode()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, **kafka_security.client_options(), acks="all", request_timeout_ms=5000
    )
    await producer.start()
    try:
        meta = await producer.send_and_wait(PROBE_TOPIC, token)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, **kafka_security.client_options(), request_timeout_ms=5000
    )
    await consumer.start()
    try:
        tp = TopicPartition(PROBE_TOPIC, meta.partition)
        consumer.assign([tp])
        consumer.seek(tp, meta.offset)
        record = await asyncio.wait_for(consumer.getone(), 10)
    finally:
        await consumer.stop()
    if record.value != token:
        raise KafkactlError(f"probe read back {record.value!r}, expected {token!r}")


def healthy(lay: Layout) -> bool:
    try:
        asyncio.run(asyncio.wait_for(probe(lay.bootstrap), 20))
    except Exception:
        return False
    return True


def wait_ready(lay: Layout, alive: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    log = lay.log_dir / "server.log"
    while time.monotonic() < deadline:
        if not alive():
            tail = "".join(log.read_text().splitlines(True)[-20:]) if log.exists() else ""
            raise KafkactlError(
                f"the broker exited during startup; see {log} and {log.with_name('kafka.out')}\n{tail}"
            )
        if healthy(lay):
            return
        time.sleep(0.5)
    raise KafkactlError(f"no produce/consume round trip on {lay.bootstrap} within {timeout:.0f}s; see {log}")


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def start(lay: Layout, timeout: float) -> None:
    with locked(lay.data / ".kafkactl.lock"):
        pid = running_pid(lay)
        if pid is None:
            for port in (lay.port, lay.port + 1):
                if not port_free(port):
                    raise KafkactlError(
                        f"port {port} is taken by a process that is not ours: stop it "
                        f"(`ss -ltnp 'sport = :{port}'` names it), or set KAFKA_BOOTSTRAP_SERVERS "
                        "to use a broker that is already running"
                    )
            require_java()
            install(lay)
            for d in (lay.config.parent, lay.log_dir, lay.kraft):
                d.mkdir(parents=True, exist_ok=True)
            lay.config.write_text(server_properties(lay))
            log4j = lay.config.with_name("log4j2.properties")
            log4j.write_text(LOG4J2)
            format_storage(lay)
            props = (f"-Dkafka.logs.dir={lay.log_dir}", f"-Dlog4j2.configurationFile={log4j}")
            cmd = java(lay, "kafka.Kafka", str(lay.config), props=props)
            print(f"kafkactl: starting the broker on {lay.bootstrap} ...", file=sys.stderr, flush=True)
            with (lay.log_dir / "kafka.out").open("ab") as out:
                # Own session: the broker outlives this command and ignores the caller's Ctrl-C.
                proc = subprocess.Popen(
                    cmd, stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True
                )
            lay.pid_file.write_text(f"{proc.pid}\n")
            # Watch our child directly: /proc/<pid>/cmdline can read empty right after exec.
            wait_ready(lay, lambda: proc.poll() is None, timeout)
        else:
            check_port(lay)
            wait_ready(lay, lambda: running_pid(lay) == pid, timeout)
    print(lay.bootstrap)


def stop(lay: Layout, timeout: float = 30) -> None:
    with locked(lay.data / ".kafkactl.lock"):
        pid = running_pid(lay)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)  # controlled shutdown: flushes logs, closes the quorum
            deadline = time.monotonic() + timeout
            while exists(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if exists(pid):
                os.kill(pid, signal.SIGKILL)
                print(f"kafkactl: broker {pid} ignored SIGTERM for {timeout:.0f}s, killed", file=sys.stderr)
        lay.pid_file.unlink(missing_ok=True)


def topics(lay: Layout) -> None:
    from dvc_kernel.kafka_topics import ensure_topics

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("dvc_kernel.kafka_topics").setLevel(logging.INFO)
    asyncio.run(ensure_topics(lay.bootstrap))


def main(argv: list[str] | None = None) -> int:
    # aiokafka logs every refused connection while the broker boots; failures surface as errors.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(prog="kafkactl", description="Local single-node Kafka")
    parser.add_argument("command", choices=["install", "start", "stop", "status", "topics"])
    args = parser.parse_args(argv)
    lay = Layout.from_env()
    try:
        if args.command == "install":
            require_java()
            install(lay)
            print(lay.libs)
        elif args.command == "start":
            start(lay, float(os.environ.get("KAFKA_START_TIMEOUT", "120")))
        elif args.command == "stop":
            stop(lay)
        elif args.command == "status":
            if running_pid(lay) is not None:
                check_port(lay)
            if running_pid(lay) is None or not healthy(lay):
                print(f"kafkactl: no healthy broker of ours on {lay.bootstrap}", file=sys.stderr)
                return 1
            print(lay.bootstrap)
        else:
            topics(lay)
    except KafkactlError as exc:
        print(f"kafkactl: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
