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
import urllib.request
from pathlib import Path
from typing import Any

from dvc_kernel.devstack import SERVICES, Stack, is_ready, stop_from_pids
from dvc_kernel.kafka_topics import ensure_topics

REPO = Path(__file__).resolve().parents[1]

VAR = REPO / "var"
RUN_DIR = VAR / "run"
KAFKACTL = [sys.executable, str(REPO / "deploy" / "kafka" / "kafkactl.py")]


def kafka(command: str) -> str:
    return subprocess.run([*KAFKACTL, command], check=True, capture_output=True, text=True).stdout.strip()


def http(
    method: str, url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def demo_dossier(stack: Stack) -> None:
    """A first dossier through the real flow: intake -> processing -> notify's SMS sink."""
    body = {
        "procedure_code": "1.004194",
        "applicant": {"id_number": "001203004321", "full_name": "Nguyễn Thị Hoa", "phone": "0912345678"},
        "delivery_mode": "e_result",
        "form_data": {"noi_dung_de_nghi": "Đăng ký tạm trú"},
    }
    dossier = http(
        "POST", f"{stack.url('intake')}/v1/dossiers", body, {"Idempotency-Key": "make-run-demo-dossier-1"}
    )
    print(f"  demo dossier {dossier['dossier_code']} submitted; waiting for its SMS…")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for sms in http("GET", f"{stack.url('notify')}/v1/dev/sms?phone=0912345678"):
            if dossier["dossier_code"] in sms["text"]:
                print(f"  SMS to {sms['phone']}: {sms['text']}")
                return
        time.sleep(0.3)
    raise SystemExit("the demo dossier's SMS did not arrive; see var/log/*.log")


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
    if all(is_ready(stack.url(s)) for s in SERVICES):
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
    print("\nWhere things are:")
    print(f"  Kafka broker        {bootstrap}   (log: var/kafka/logs/server.log)")
    for service in SERVICES:
        print(f"  {service:<19} {stack.url(service)}/docs   (log: var/log/{service}.log)")
    print(f"  SMS sink            {stack.url('notify')}/v1/dev/sms")
    print("  Event stores        var/data/<service>/events.sqlite3")
    print("\nStop everything with `make stop`.")


def down() -> None:
    stopped = stop_from_pids(RUN_DIR)
    print(f"stopped services: {', '.join(stopped) or 'none running'}")
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        subprocess.run([*KAFKACTL, "stop"], check=False)


if __name__ == "__main__":
    {"up": up, "down": down}[sys.argv[1] if len(sys.argv) > 1 else "up"]()
