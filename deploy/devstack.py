"""`make run` / `make stop`: the broker, the seven services and a first dossier, on this machine.

.venv/bin/python deploy/devstack.py up      # start everything, submit a demo dossier, print URLs
.venv/bin/python deploy/devstack.py down    # stop the services and the broker
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from dvc_kernel.devstack import SERVICES, Stack, is_ready, stop_from_pids
from dvc_kernel.kafka_topics import ensure_topics
from dvc_kernel.testing.e2e import (
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "deploy" / "gateway"))
import gatewayctl  # noqa: E402  (the gateway: deploy/gateway/, ADR 0019)

VAR = REPO / "var"
RUN_DIR = VAR / "run"
DEMO_MAIL = "tran.van.minh@example.vn"
KAFKACTL = [sys.executable, str(REPO / "deploy" / "kafka" / "kafkactl.py")]


def kafka(command: str) -> str:
    return subprocess.run([*KAFKACTL, command], check=True, capture_output=True, text=True).stdout.strip()


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


def demo_dossier(stack: Stack) -> None:
    """A first dossier through the real flow: a citizen logs in (password + OTP from the SMS sink),
    files a temporary-residence registration with its proof, gets the receipt SMS, and pays the
    fee through the payment gateway's simulator, as the procedure asks before it is handled."""
    auth = demo_citizen(stack)
    print(f"  {MINH.full_name} logged in (OTP read from the SMS sink)")
    answer = file_temporary_residence(
        stack, auth, MINH, MINH_WARD, "make-run-demo-dossier-2", email=DEMO_MAIL
    )
    if answer.status_code not in (200, 201):
        raise SystemExit(f"the demo dossier was refused: {answer.status_code} {answer.text}")
    code = answer.json()["dossier_code"]
    print(f"  demo dossier {code} submitted; waiting for its receipt SMS…")
    sms = wait_sms(stack, MINH.phone, f"{code} của ông/bà")
    print(f"  SMS to {sms['phone']}: {sms['text']}")
    fee = httpx.get(f"{stack.url('payment')}/v1/dossiers/{code}/fee", headers=bearer(auth), timeout=10)
    if fee.status_code == 200 and fee.json()["status"] == "paid":
        print(f"  fee {fee.json()['amount_vnd']:,} VND already paid".replace(",", "."))
        return
    paid = pay_online(stack, auth, code)
    print(
        f"  fee {paid['amount_vnd']:,} VND paid through the gateway simulator".replace(",", ".")
        + f" (transaction {paid['paid']['transaction_ref']}); an officer may now accept it"
    )


def up() -> None:
    started = time.monotonic()
    if external := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        print(f"Kafka: using {external} (KAFKA_BOOTSTRAP_SERVERS)")
        bootstrap = external
        asyncio.run(ensure_topics(bootstrap))
    else:
        print("Kafka: starting (the first run resolves it from Maven Central)…")
        bootstrap = kafka("start")
        kafka("topics")
    broker_ready = time.monotonic() - started
    stack = Stack(kafka=bootstrap, data_dir=VAR / "data", log_dir=VAR / "log")
    running = all(is_ready(stack.url(s)) for s in SERVICES)
    if running and all(is_ready(stack.simulator_url(s), "/healthz") for s in stack.simulators()):
        print("Services: already running")
    else:
        stop_from_pids(RUN_DIR)
        try:
            stack.start_all()
            stack.wait_ready(timeout=180)
        finally:
            stack.write_pids(RUN_DIR)
    print(f"Ready in {time.monotonic() - started:.1f}s (broker {broker_ready:.1f}s)\n")
    demo_dossier(stack)
    gateway = gatewayctl.start_detached(gatewayctl.development_settings())
    print("\nWhere things are:")
    print(gatewayctl.where(gateway))
    print(f"  Kafka broker        {bootstrap}   (log: var/kafka/logs/server.log)")
    for service in SERVICES:
        print(f"  {service:<19} {stack.url(service)}/docs   (log: var/log/{service}.log)")
    print(f"  SMS sink            {stack.url('notify')}/v1/dev/sms")
    print(f"  SMTP sink (e-mail)  {stack.simulator_url('smtp-sink')}/messages?to={DEMO_MAIL}")
    print(f"  Payment gateway sim {stack.simulator_url('payment-gateway')}   (VNPAY protocol, sandbox)")
    print(f"  Postal operator sim {stack.simulator_url('postal')}")
    print("  Traces              var/data/traces/<service>.jsonl")
    print("                      (one as a tree: .venv/bin/python -m dvc_kernel.telemetry.show --last)")
    print("  Event stores        var/data/<service>/events.sqlite3")
    print("\nStop everything with `make stop`.")


def down() -> None:
    gatewayctl.stop_detached()
    stopped = stop_from_pids(RUN_DIR)
    print(f"stopped services: {', '.join(stopped) or 'none running'}")
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        subprocess.run([*KAFKACTL, "stop"], check=False)


if __name__ == "__main__":
    {"up": up, "down": down}[sys.argv[1] if len(sys.argv) > 1 else "up"]()
