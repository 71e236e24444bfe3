"""`make run` / `make stop`: the broker, the seven services and a first dossier, on this machine.

.venv/bin/python deploy/devstack.py up            # start everything, submit a demo dossier, print
                                                  # URLs, then stay: Ctrl-C stops everything
.venv/bin/python deploy/devstack.py up --detach   # the same, but leave it running and return
.venv/bin/python deploy/devstack.py down          # stop the services and the broker

`up` runs a list of steps (`STEPS`), each shown with its number and the time since the launch;
a step that fails raises `Failure` with one sentence saying what to do, and that sentence is the
last thing printed (exit code 1), never a traceback. Adding a step is one entry in `STEPS`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO

import httpx

from dvc_kernel.kafka_topics import ensure_topics
from dvc_testing.e2e import (
    MINH,
    MINH_WARD,
    PASSWORD,
    bearer,
    file_temporary_residence,
    pay_online,
    refresh,
    register,
    sign_in,
    wait_sms,
)
from dvc_testing.stack import SERVICES, ServiceNotReady, Stack, is_ready, stop_from_pids
from dvc_testing.stack import simulator_ports as simulator_port_map

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "deploy" / "gateway"))
import gatewayctl  # noqa: E402  (the gateway: deploy/gateway/, ADR 0019)

# DEVSTACK_VAR_DIR lets the launcher's own tests run it without touching a real `make run`.
VAR = Path(os.environ.get("DEVSTACK_VAR_DIR", REPO / "var"))
RUN_DIR = VAR / "run"
LAUNCHER_LOG = VAR / "log" / "devstack.log"
DEMO_MAIL = "tran.van.minh@example.vn"
KAFKACTL = [sys.executable, str(REPO / "deploy" / "kafka" / "kafkactl.py")]


class Failure(Exception):
    """Why `make run` stopped: one plain sentence that says what to do."""


class Stopped(Exception):
    """SIGTERM or SIGHUP reached the launcher (Ctrl-C arrives as KeyboardInterrupt)."""


class Progress:
    """Numbered steps and notes, each with the time since the launch. On a terminal a long wait
    shows a line that counts the seconds; elsewhere (CI, a pipe) plain lines, one every 10 s."""

    def __init__(self, out: IO[str] = sys.stdout) -> None:
        self.out = out
        self.started = time.monotonic()
        self.tty = out.isatty()

    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:5.1f} s"

    def step(self, number: int, total: int, title: str) -> None:
        print(f"[{number}/{total}] {title}", file=self.out, flush=True)

    def note(self, text: str) -> None:
        print(f"  {self.elapsed()}  {text}", file=self.out, flush=True)

    @contextmanager
    def waiting(self, text: str) -> Iterator[None]:
        """A note for a wait of unknown length, with the seconds it has lasted so far."""
        begun = time.monotonic()
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(1 if self.tty else 10):
                lasted = time.monotonic() - begun
                if self.tty:
                    print(f"\r  {self.elapsed()}  {text} {lasted:.0f} s", end="", file=self.out, flush=True)
                else:
                    print(f"  {self.elapsed()}  … {text} ({lasted:.0f} s so far)", file=self.out, flush=True)

        if self.tty:
            print(f"  {self.elapsed()}  {text}", end="", file=self.out, flush=True)
        else:
            self.note(text)
        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()
            if self.tty:
                print(f"\r  {self.elapsed()}  {text} done in {time.monotonic() - begun:.0f} s", file=self.out)


@dataclass
class Launch:
    """What the steps share."""

    progress: Progress
    bootstrap: str = ""
    stack: Stack | None = None
    # False when the services were found running (an earlier `make run DETACH=1`): this launch
    # then leaves them alone on a failure, and returns instead of staying in the foreground.
    owned: bool = True
    started: bool = False  # something may be running that a failure should stop
    gateway: str = ""  # its URL once started

    def the_stack(self) -> Stack:
        assert self.stack is not None, "the services step runs before this one"
        return self.stack


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[Launch], None]


# ---- step 1: the broker ------------------------------------------------------------------------


def kafkactl(command: str, progress: Progress | None = None) -> str:
    """Run kafkactl; its progress lines (stderr) become notes, and its last complaint, which
    already says what to do, becomes the Failure."""
    process = subprocess.Popen(
        [*KAFKACTL, command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    complaints: list[str] = []
    for line in process.stderr:
        line = line.rstrip()
        if line.startswith("kafkactl: ") and progress is not None and line.endswith("..."):
            text = line.removeprefix("kafkactl: ").removesuffix(" ...")
            with progress.waiting(text + " …"):  # lasts until kafkactl prints its next line
                line = process.stderr.readline().rstrip()
        if line:
            complaints.append(line)
    out = process.stdout.read().strip()
    if process.wait() != 0:
        said = [c.removeprefix("kafkactl: ") for c in complaints if c.startswith("kafkactl: ")]
        if said:
            raise Failure(said[-1])
        raise Failure(f"kafkactl {command} failed ({'; '.join(complaints[-3:]) or 'no output'})")
    return out


def broker(launch: Launch) -> None:
    if external := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        launch.bootstrap = external
        launch.progress.note(f"using {external} (KAFKA_BOOTSTRAP_SERVERS)")
        try:
            asyncio.run(asyncio.wait_for(ensure_topics(external), 60))
        except Exception as exc:
            why = str(exc) or type(exc).__name__
            raise Failure(
                f"the broker at {external} (KAFKA_BOOTSTRAP_SERVERS) did not answer ({why}): "
                "start it, or unset KAFKA_BOOTSTRAP_SERVERS to let make run start its own"
            ) from exc
    else:
        launch.started = True  # a broker may be half-started even if this fails
        launch.bootstrap = kafkactl("start", launch.progress)
        launch.progress.note(f"broker ready on {launch.bootstrap}")
        kafkactl("topics")
    launch.progress.note("topics created")


# ---- step 2: the services ----------------------------------------------------------------------


def port_taken(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def check_ports(stack: Stack) -> None:
    """A port another process holds would only show as a service that never gets ready."""
    wanted = {f"{name} (set {name.upper()}_PORT to move it)": port for name, port in stack.ports.items()}
    for name, port in simulator_port_map(stack.ports).items():
        wanted[f"the {name} simulator (it sits above NOTIFY_PORT)"] = port
    wanted["the SMTP sink (it sits above NOTIFY_PORT)"] = simulator_port_map(stack.ports)["smtp-sink"] + 1
    for what, port in wanted.items():
        if port_taken(port):
            raise Failure(
                f"port {port} for {what} is taken by another process: stop it "
                f"(`ss -ltnp 'sport = :{port}'` names it), then run make run again"
            )


def services(launch: Launch) -> None:
    stack = Stack(kafka=launch.bootstrap, data_dir=VAR / "data", log_dir=VAR / "log", run_dir=RUN_DIR)
    launch.stack = stack
    if all(is_ready(stack.url(s)) for s in SERVICES) and all(
        is_ready(stack.simulator_url(s), "/healthz") for s in stack.simulators()
    ):
        launch.progress.note("already running (started by an earlier `make run DETACH=1`)")
        launch.owned = False
        return
    stop_from_pids(RUN_DIR)  # what an earlier, interrupted launch left behind
    check_ports(stack)
    launch.started = True
    ready = launch.progress.note
    try:
        launch.progress.note("starting the simulators and the catalog (the others wait for its procedures)")
        stack.start_all(timeout=180, on_ready=lambda name: ready(f"{name} ready"))
        others = [name for name in stack.ports if name != "catalog"]  # catalog: ready already
        stack.wait_ready(others, timeout=180, on_ready=lambda name: ready(f"{name} ready"))
    except ServiceNotReady as exc:
        raise not_ready(exc) from exc


def not_ready(exc: ServiceNotReady, what: str = "did not become ready") -> Failure:
    """The last lines of the service's log on stderr, then the sentence."""
    tail = exc.log_tail()
    if tail:
        print(f"\nThe last lines of {relative(exc.log)}:", file=sys.stderr)
        for line in tail:
            print(f"  {line}", file=sys.stderr)
    return Failure(
        f"{exc.service} {what} ({exc.why}): its log {relative(exc.log)} says why "
        "(last lines above); fix that, then run make run again"
    )


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


# ---- step 3: a first dossier -------------------------------------------------------------------


def demo_citizen(stack: Stack) -> str:
    """The demo resident's access token. The session is kept in var/run, so later runs refresh
    it instead of asking for another OTP (identity allows five codes a phone an hour)."""
    session_file = RUN_DIR / "demo-session.json"
    if session_file.exists():
        try:
            tokens = refresh(stack, json.loads(session_file.read_text())["refresh_token"])
        except (AssertionError, KeyError, ValueError):
            tokens = None
        if tokens:
            session_file.write_text(json.dumps({"refresh_token": tokens["refresh_token"]}))
            return str(tokens["access_token"])
    try:
        tokens = sign_in(stack, MINH, PASSWORD)
    except AssertionError:
        register(stack, MINH, PASSWORD)  # the first run: he has no account yet
        tokens = sign_in(stack, MINH, PASSWORD)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    session_file.write_text(json.dumps({"refresh_token": tokens["refresh_token"]}))
    return str(tokens["access_token"])


def demo_dossier(launch: Launch) -> None:
    """A first dossier through the real flow: a citizen logs in (password + OTP from the SMS sink),
    files a temporary-residence registration with its proof, gets the receipt SMS, and pays the
    fee through the payment gateway's simulator, as the procedure asks before it is handled."""
    stack, note = launch.the_stack(), launch.progress.note
    try:
        auth = demo_citizen(stack)
    except AssertionError as exc:
        raise Failure(
            f"the demo resident could not log in ({str(exc)[:160]}): see var/log/identity.log "
            "and var/log/notify.log"
        ) from exc
    note(f"{MINH.full_name} logged in (OTP read from the SMS sink)")
    answer = file_temporary_residence(
        stack, auth, MINH, MINH_WARD, "make-run-demo-dossier-2", email=DEMO_MAIL
    )
    if answer.status_code not in (200, 201):
        raise Failure(
            f"intake refused the demo dossier ({answer.status_code} {answer.text[:160]}): "
            "see var/log/intake.log"
        )
    code = answer.json()["dossier_code"]
    note(f"demo dossier {code} submitted; waiting for its receipt SMS…")
    try:
        sms = wait_sms(stack, MINH.phone, f"{code} đã được tiếp nhận")  # notify's SMS template
    except AssertionError as exc:
        raise Failure(
            f"the receipt SMS of {code} did not arrive within 60 s: see var/log/processing.log "
            "and var/log/notify.log"
        ) from exc
    note(f"SMS to {sms['phone']}: {sms['text']}")
    fee = httpx.get(f"{stack.url('payment')}/v1/dossiers/{code}/fee", headers=bearer(auth), timeout=10)
    if fee.status_code == 200 and fee.json()["status"] == "paid":
        note(f"fee {fee.json()['amount_vnd']:,} VND already paid".replace(",", "."))
        return
    paid = pay_online(stack, auth, code)
    note(
        f"fee {paid['amount_vnd']:,} VND paid through the gateway simulator".replace(",", ".")
        + f" (transaction {paid['paid']['transaction_ref']}); an officer may now accept it"
    )


def gateway(launch: Launch) -> None:
    launch.gateway = gatewayctl.start_detached(gatewayctl.development_settings())


# Adding a step is one entry here.
STEPS: list[Step] = [
    Step("Kafka broker (the first run resolves it from Maven Central, about 30 s)", broker),
    Step("Services", services),
    Step("A demo dossier", demo_dossier),
    Step("Gateway (nginx, one origin for the pages and the APIs)", gateway),
]


def where_things_are(launch: Launch) -> None:
    stack = launch.the_stack()
    print("\nWhere things are:")
    if launch.gateway:
        print(gatewayctl.where(launch.gateway))
    print(f"  Kafka broker        {launch.bootstrap}   (log: var/kafka/logs/server.log)")
    for service in SERVICES:
        print(f"  {service:<19} {stack.url(service)}/docs   (log: var/log/{service}.log)")
    print(f"  SMS sink            {stack.url('notify')}/v1/dev/sms")
    print(f"  SMTP sink (e-mail)  {stack.simulator_url('smtp-sink')}/messages?to={DEMO_MAIL}")
    print(f"  Payment gateway sim {stack.simulator_url('payment-gateway')}   (VNPAY protocol, sandbox)")
    print(f"  Postal operator sim {stack.simulator_url('postal')}")
    print("  Traces              var/data/traces/<service>.jsonl")
    print("                      (one as a tree: .venv/bin/python -m dvc_kernel.telemetry.show --last)")
    print("  Event stores        var/data/<service>/events.sqlite3")


def on_signal(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def stay(launch: Launch) -> None:
    """In the foreground: watch the services until Ctrl-C (or SIGTERM/SIGHUP); one that exits
    stops the launch with its log's last lines, unless `make stop` stopped them (it removes
    their pid files first)."""
    stack = launch.the_stack()
    while True:
        time.sleep(1)
        for name, process in stack.processes.items():
            if process.poll() is not None:
                if not (RUN_DIR / f"{name}.pid").exists():
                    print("\nStopped by `make stop`.")
                    launch.owned = False  # nothing left to stop here
                    return
                why = f"exited with code {process.returncode}"
                raise not_ready(ServiceNotReady(name, why, stack.log(name)), "stopped")


def up(detach: bool) -> int:
    handlers = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}
    # Ctrl-C raises KeyboardInterrupt even when started with SIGINT ignored (a background job).
    handlers[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run_steps(detach)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def run_steps(detach: bool) -> int:
    progress = Progress()
    launch = Launch(progress)
    try:
        for number, step in enumerate(STEPS, start=1):
            progress.step(number, len(STEPS), step.title)
            step.run(launch)
        print(f"\nReady in {time.monotonic() - progress.started:.1f} s.")
        where_things_are(launch)
        if detach or not launch.owned:
            print("\nThe services run in the background; `make stop` stops them and the broker.")
            return 0
        print("\nRunning in the foreground: Ctrl-C stops everything (`make run DETACH=1` leaves it running).")
        stay(launch)
        return 0
    except (KeyboardInterrupt, Stopped) as exc:
        what = "Ctrl-C" if isinstance(exc, KeyboardInterrupt) else str(exc)
        if launch.owned and launch.started:
            print(f"\n{what}: stopping everything…", flush=True)
            down()
        return 130 if isinstance(exc, KeyboardInterrupt) else 143
    except Failure as failure:
        sentence = str(failure).rstrip(".")
        if launch.owned and launch.started:
            down(quiet=True)  # nothing half-started stays behind
    except Exception as exc:  # the promise is one sentence, never a traceback
        LAUNCHER_LOG.parent.mkdir(parents=True, exist_ok=True)
        LAUNCHER_LOG.write_text("".join(traceback.format_exception(exc)))
        if launch.owned and launch.started:
            down(quiet=True)
        sentence = (
            f"make run stopped on an unexpected error ({type(exc).__name__}: {str(exc)[:160]}): the "
            f"details are in {relative(LAUNCHER_LOG)}, the services' logs in var/log/; "
            "please report it with those files"
        )
    print(f"\nmake run: {sentence}.", file=sys.stderr)
    return 1


def down(quiet: bool = False) -> None:
    # Ignore a second Ctrl-C while stopping: half-stopped is worse than a few seconds' wait.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        gatewayctl.stop_detached()
        stopped = stop_from_pids(RUN_DIR)
        if not quiet:
            print(f"stopped services: {', '.join(stopped) or 'none running'}", flush=True)
        if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
            subprocess.run([*KAFKACTL, "stop"], check=False)
    finally:
        signal.signal(signal.SIGINT, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devstack", description="make run / make stop")
    parser.add_argument("command", choices=["up", "down"], nargs="?", default="up")
    parser.add_argument("--detach", action="store_true", help="return once ready, leave it running")
    args = parser.parse_args(argv)
    if args.command == "down":
        down()
        return 0
    return up(detach=args.detach)


if __name__ == "__main__":
    sys.exit(main())
